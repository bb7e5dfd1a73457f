// Signers node-forge cannot issue (ECDSA, RSASSA-PSS keys), issued by the test root with openssl,
// and PKCS#12 bundles for the tools that sign from one (pdfsig through NSS, mutool).
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const P12_PASSWORD = 'docprov-test';

const EXTENSIONS = `[leaf]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = 1.3.6.1.5.5.7.3.36, emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

const LEAF = EXTENSIONS.replace('[leaf]\n', '');

const openssl = (args, env = {}) =>
  execFileSync('openssl', args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });

/** A key of the given kind as PKCS#8 PEM (node:crypto: no openssl randomness quirks). */
function newKey(kind) {
  if (kind === 'ec256' || kind === 'ec384') {
    const namedCurve = kind === 'ec256' ? 'P-256' : 'P-384';
    return generateKeyPairSync('ec', { namedCurve }).privateKey.export({
      type: 'pkcs8',
      format: 'pem',
    });
  }
  // An id-RSASSA-PSS key (RFC 4055): its certificate says the key signs with PSS only.
  return generateKeyPairSync('rsa-pss', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  });
}

/** An RSA key (PKCS#8 PEM) for openssl-issued certificates that are not ECDSA or PSS. */
const rsaKey = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
    type: 'pkcs8',
    format: 'pem',
  });

/**
 * Issues `name`.key, .pem and -chain.pem, signed by the root in `dir` (root.pem, root.key), with
 * the extensions given (an openssl extension section body) and a validity from `from` for `days`
 * (openssl 3.0 starts a certificate "now", so the clock is moved with faketime).
 */
export function opensslCert(
  dir,
  name,
  { kind = 'rsa', serial, extensions = LEAF, from = '2000-01-01', days = 36525, issuer = 'root' },
) {
  const key = join(dir, `${name}.key`);
  writeFileSync(key, kind === 'rsa' ? rsaKey() : newKey(kind), { mode: 0o600 });
  const csr = join(dir, `${name}.csr`);
  const ext = join(dir, `${name}-extensions.cnf`);
  writeFileSync(ext, `[ext]\n${extensions}`);
  openssl([
    'req',
    '-new',
    '-key',
    key,
    '-subj',
    `/O=docprov tests/CN=docprov test ${name}`,
    '-out',
    csr,
  ]);
  execFileSync(
    'faketime',
    [
      '-f',
      `${from} 00:00:00`,
      'openssl',
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(dir, `${issuer}.pem`),
      '-CAkey',
      join(dir, `${issuer}.key`),
      '-set_serial',
      serial,
      '-days',
      String(days),
      '-sha256',
      '-extfile',
      ext,
      '-extensions',
      'ext',
      '-out',
      join(dir, `${name}.pem`),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } },
  );
  rmSync(csr);
  rmSync(ext);
  const pem = readFileSync(join(dir, `${name}.pem`), 'utf8');
  const above = issuer === 'root' ? 'root.pem' : `${issuer}-chain.pem`;
  writeFileSync(join(dir, `${name}-chain.pem`), pem + readFileSync(join(dir, above), 'utf8'));
}

/** An ECDSA or RSASSA-PSS signer issued by the test root (valid 2000-01-01 .. 2100-01-01). */
export function opensslLeaf(dir, name, kind, serial) {
  opensslCert(dir, name, { kind, serial });
}

/** A time-stamping authority's certificate: keyUsage digitalSignature, extKeyUsage as given. */
export const TSA_EXTENSIONS = (
  eku = 'critical, timeStamping',
) => `basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = ${eku}
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

/** `name`.p12: the key, its certificate and the root, as NSS and mupdf import them. */
export function pkcs12(dir, name) {
  openssl([
    'pkcs12',
    '-export',
    '-inkey',
    join(dir, `${name}.key`),
    '-in',
    join(dir, `${name}.pem`),
    '-certfile',
    join(dir, 'root.pem'),
    '-name',
    name,
    '-passout',
    `pass:${P12_PASSWORD}`,
    '-out',
    join(dir, `${name}.p12`),
  ]);
}
