#!/usr/bin/env node
// Makes the test suite's throw-away PKI in a folder: a trusted test root, good and bad signers,
// ECDSA and RSASSA-PSS signers, PKCS#12 bundles, and an untrusted root. Nothing here is ever
// committed; every test run makes its own.
// Usage: node test/pki/make-test-pki.mjs OUT_DIR   (needs `npm run build` first)
import { createPrivateKey, generateKeyPairSync } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCertificate, newRsaKey } from '../../dist/node/pki.js';
import { makeCrl } from './crl.mjs';
import { opensslCert, opensslLeaf, pkcs12, TSA_EXTENSIONS } from './openssl-leaves.mjs';

export const PASSPHRASE = 'correct horse battery staple';
const FOREVER = {
  notBefore: new Date('2000-01-01T00:00:00Z'),
  notAfter: new Date('2100-01-01T00:00:00Z'),
};
const SIGNING = { digitalSignature: true, nonRepudiation: true };
const EKU = ['1.3.6.1.5.5.7.3.36', 'emailProtection'];

export function makeTestPki(dir) {
  mkdirSync(dir, { recursive: true });
  const write = (name, data) =>
    writeFileSync(join(dir, name), data, { mode: name.endsWith('.key') ? 0o600 : 0o644 });
  const root = (name, cn) => {
    const k = newRsaKey(2048);
    const pem = issueCertificate({
      subject: { commonName: cn, organizationName: 'docprov tests' },
      publicKeyPem: k.publicKeyPem,
      selfKeyPem: k.privateKeyPem,
      serial: '01',
      ...FOREVER,
      ca: { pathLen: 0 },
    });
    write(`${name}.pem`, pem);
    return { certPem: pem, keyPem: k.privateKeyPem };
  };
  const leaf = (name, issuer, opts = {}) => {
    const k = newRsaKey(opts.bits ?? 2048);
    const pem = issueCertificate({
      subject: { commonName: opts.cn ?? `docprov test ${name}`, organizationName: 'docprov tests' },
      publicKeyPem: k.publicKeyPem,
      issuer,
      serial: opts.serial ?? '1000',
      notBefore: opts.notBefore ?? FOREVER.notBefore,
      notAfter: opts.notAfter ?? FOREVER.notAfter,
      keyUsage: opts.keyUsage ?? SIGNING,
      extKeyUsage: EKU,
    });
    write(`${name}.key`, k.privateKeyPem);
    write(`${name}.pem`, pem);
    write(`${name}-chain.pem`, pem + issuer.certPem);
    return k;
  };
  const trusted = root('root', 'docprov Test Root CA');
  // The root key stays in the throw-away folder so that openssl can issue the leaves forge cannot.
  write('root.key', trusted.keyPem);
  const signer = leaf('signer', trusted, { serial: '1001' });
  leaf('rotated', trusted, { serial: '1002' });
  leaf('expired', trusted, {
    serial: '1003',
    notBefore: new Date('2000-01-01T00:00:00Z'),
    notAfter: new Date('2010-01-01T00:00:00Z'),
  });
  leaf('notyet', trusted, {
    serial: '1004',
    notBefore: new Date('2090-01-01T00:00:00Z'),
    notAfter: new Date('2099-01-01T00:00:00Z'),
  });
  leaf('noku', trusted, { serial: '1005', keyUsage: { keyEncipherment: true } });
  leaf('weak', trusted, { serial: '1006', bits: 1024 });
  // A name that would clear the screen and retitle the terminal if printed raw.
  leaf('hostile', trusted, {
    serial: '1007',
    cn: 'docprov test \x1b[2J\x1b]0;owned\x07hostile\u202e',
  });
  const untrusted = root('untrusted-root', 'Someone Else Root CA');
  leaf('stranger', untrusted, { serial: '2001' });
  write('other.key', newRsaKey(2048).privateKeyPem);
  opensslLeaf(dir, 'ec256', 'ec256', '0x3001');
  opensslLeaf(dir, 'ec384', 'ec384', '0x3002');
  opensslLeaf(dir, 'pss', 'rsa-pss', '0x3003');
  for (const name of ['signer', 'ec256', 'weak']) pkcs12(dir, name);
  // Long-term validation: a signer whose certificate expires in 2030 (timestamps must outlive
  // it), one that gets revoked, time-stamping authorities good and bad, and CRLs of the root.
  // Valid from a year ago for two years, whatever the date the suite runs at (faketime too).
  const year = 365 * 86_400_000;
  leaf('shortlived', trusted, {
    serial: '1007',
    notBefore: new Date(Date.now() - year),
    notAfter: new Date(Date.now() + 2 * year),
  });
  leaf('revoked', trusted, { serial: '1010' });
  // A CA that retired in 2025, and a signer it issued that is valid until 2030: without a
  // timestamp, nothing proves the signer signed while its issuer was valid.
  opensslCert(dir, 'inter-expired', {
    serial: '0x5001',
    from: '2020-01-01',
    days: 1827,
    extensions: `basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`,
  });
  opensslCert(dir, 'under-expired', {
    serial: '0x5002',
    from: '2020-01-01',
    days: 3653,
    issuer: 'inter-expired',
  });
  // Revoked too, and carrying id-pkix-ocsp-nocheck, which spares only an OCSP responder's certificate.
  opensslCert(dir, 'revoked-nocheck', {
    serial: '0x1011',
    extensions: `basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
noCheck = ignored
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`,
  });
  opensslCert(dir, 'tsa', { serial: '0x4001', extensions: TSA_EXTENSIONS() });
  // A second authority, for a later proof over the first one's tokens.
  opensslCert(dir, 'tsa2', { serial: '0x4004', extensions: TSA_EXTENSIONS() });
  opensslCert(dir, 'tsa-expired', { serial: '0x4002', extensions: TSA_EXTENSIONS(), days: 3653 });
  opensslCert(dir, 'tsa-loose', {
    serial: '0x4003',
    extensions: TSA_EXTENSIONS('critical, timeStamping, emailProtection'),
  });
  makeCrl(dir, 'root-crl.pem', {
    thisUpdate: new Date('2026-01-01T00:00:00Z'),
    nextUpdate: new Date('2099-01-01T00:00:00Z'),
  });
  // Issued in 2095: later than any signature or timestamp the suite makes (faketime's 2030 too),
  // so it can speak for all of them: "good" counts only from data issued after the proven time.
  makeCrl(dir, 'root-crl-later.pem', {
    thisUpdate: new Date('2095-01-01T00:00:00Z'),
    nextUpdate: new Date('2099-01-01T00:00:00Z'),
    number: 4,
  });
  makeCrl(dir, 'root-crl-revoked-2020.pem', {
    thisUpdate: new Date('2020-02-01T00:00:00Z'),
    nextUpdate: new Date('2099-01-01T00:00:00Z'),
    revoked: [['1010', new Date('2020-01-15T00:00:00Z')]],
    number: 2,
  });
  makeCrl(dir, 'root-crl-revoked-2090.pem', {
    thisUpdate: new Date('2090-02-01T00:00:00Z'),
    nextUpdate: new Date('2099-01-01T00:00:00Z'),
    revoked: [['1010', new Date('2090-01-15T00:00:00Z')]],
    number: 3,
  });
  const key = createPrivateKey(signer.privateKeyPem);
  write('signer-pkcs1.key', key.export({ type: 'pkcs1', format: 'pem' }).toString());
  write(
    'signer-encrypted.key',
    key
      .export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASSPHRASE })
      .toString(),
  );
  // Transparency log keys (Ed25519): the test log's, and another that is not it.
  for (const name of ['log', 'other-log'])
    write(
      `${name}.key`,
      generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
  return dir;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (!process.argv[2]) {
    console.error('usage: node test/pki/make-test-pki.mjs OUT_DIR');
    process.exit(2);
  }
  console.log(`test PKI written to ${makeTestPki(process.argv[2])}`);
}
