// Cost follows work, not size: small files whose validation data asks for thousands of
// public-key operations. A DSS of a thousand objects all holding the same OCSP response and
// certificate (57 KB once took 94 s), and a thousand would-be issuers with 3,071-bit public
// exponents (9 s): each must be answered within the limits, by distinct objects and a budget.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { algorithm, explicit, int, nul, seq, tlv } from '../../src/core/asn1/writer.js';
import { OID } from '../../src/core/oids.js';
import { parseCertificate, pemBlocks } from '../../src/core/pki/certificate.js';
import { arrayOf, ref, withEntry } from '../../src/core/pdf/serialize.js';
import { signPdf } from '../../src/core/sign/sign-pdf.js';
import { PdfUpdate } from '../../src/core/sign/update.js';
import { nodeCrypto } from '../../src/node/crypto.js';
import { rawSigner } from '../helpers/identity.js';
import { buildLetter } from '../helpers/letter-build.js';
import { pkiDir } from '../helpers/pki.js';
import type { HostileCase } from './case.js';

const bitString = (b: Uint8Array) => tlv(0x03, new Uint8Array([0, ...b]));
const pem = (name: string) => readFileSync(join(pkiDir(), name), 'utf8');

/** A good OCSP response from the test root about the test signer (openssl ocsp as responder). */
function ocspResponse(): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'docprov-ocsp-'));
  const p = (n: string) => join(pkiDir(), n);
  const req = join(dir, 'req.der');
  const resp = join(dir, 'resp.der');
  execFileSync('openssl', [
    'ocsp',
    '-issuer',
    p('root.pem'),
    '-cert',
    p('signer.pem'),
    '-no_nonce',
    '-reqout',
    req,
  ]);
  writeFileSync(
    join(dir, 'index.txt'),
    'V\t21000101000000Z\t\t1001\tunknown\t/CN=docprov test signer\n',
  );
  execFileSync(
    'openssl',
    [
      'ocsp',
      '-index',
      join(dir, 'index.txt'),
      '-rsigner',
      p('root.pem'),
      '-rkey',
      p('root.key'),
      '-CA',
      p('root.pem'),
      '-reqin',
      req,
      '-respout',
      resp,
      '-ndays',
      '1',
    ],
    { stdio: 'ignore' },
  );
  return new Uint8Array(readFileSync(resp));
}

/** A certificate named as the test root, its key RSA with a 3,071-bit exponent (never a real key). */
function costlyIssuer(rootSubject: Uint8Array, serial: number): Uint8Array {
  const modulus = randomBytes(384);
  modulus[0]! |= 0x80;
  const exponent = randomBytes(384);
  exponent[0] = 0x40; // 3,071 bits
  exponent[383]! |= 1;
  const spki = seq([
    algorithm(OID.rsaEncryption, nul()),
    bitString(seq([int(new Uint8Array([0, ...modulus])), int(new Uint8Array(exponent))])),
  ]);
  const sha256WithRsa = algorithm('1.2.840.113549.1.1.11', nul());
  const utc = (s: string) => tlv(0x17, new TextEncoder().encode(s));
  const tbs = seq([
    explicit(0, int(2)),
    int(serial + 1),
    sha256WithRsa,
    rootSubject,
    seq([utc('000101000000Z'), utc('491231000000Z')]),
    rootSubject,
    spki,
  ]);
  return seq([tbs, sha256WithRsa, bitString(randomBytes(384))]);
}

/** The letter signed by the test signer, then a DSS update holding `certs` and `ocsps`, each its own object. */
async function withDss(certs: Uint8Array[], ocsps: Uint8Array[]): Promise<Uint8Array> {
  const signed = await signPdf((await buildLetter()).basePdf, {
    signer: rawSigner('signer'),
    date: new Date('2026-11-18T11:06:40Z'),
    crypto: nodeCrypto,
  });
  const u = await PdfUpdate.open(signed);
  const catalog = (await u.catalog())!;
  const objects = (items: Uint8Array[]) =>
    arrayOf(
      items.map((bytes) => {
        const n = u.newObject();
        u.putStream(n, bytes);
        return ref(n);
      }),
    );
  let dss = withEntry(undefined, 'Type', { kind: 'name', value: 'DSS', start: 0, end: 0 });
  if (certs.length) dss = withEntry(dss, 'Certs', objects(certs));
  if (ocsps.length) dss = withEntry(dss, 'OCSPs', objects(ocsps));
  const n = u.newObject();
  u.put(n, dss);
  u.put(catalog.num, withEntry(catalog.value, 'DSS', ref(n)));
  return u.bytes();
}

function dssCase(name: string, why: string, make: () => Promise<Uint8Array>): HostileCase {
  return {
    name,
    why,
    // Intact, and its signer trusted; nothing proves when it signed (no timestamp): not proven.
    expect: 'intact-untrusted',
    make: async (dir) => {
      const file = join(dir, `${name}.pdf`);
      writeFileSync(file, await make());
      // Trusting the test root: every certificate and response is worth checking.
      return { file, args: [file, '--trust', join(pkiDir(), 'root.pem')] };
    },
  };
}

export function dssCases(): HostileCase[] {
  return [
    dssCase(
      'dss-1000-copies',
      'a DSS of 1,000 objects holding one OCSP response and 1,000 holding one certificate',
      async () => {
        const ocsp = ocspResponse();
        const cert = pemBlocks(pem('signer.pem'))[0]!;
        return withDss(Array(1000).fill(cert), Array(1000).fill(ocsp));
      },
    ),
    dssCase(
      'dss-1000-costly-issuers',
      "1,000 would-be issuers named as the signer's issuer, each with a 3,071-bit RSA exponent",
      async () => {
        const root = parseCertificate(pemBlocks(pem('root.pem'))[0]!, nodeCrypto);
        return withDss(
          Array.from({ length: 1000 }, (_, i) => costlyIssuer(root.subjectDer, i)),
          [],
        );
      },
    ),
  ];
}
