// Certificate revocation lists for the throw-away test PKI, signed with the test root's key:
// v2 CRLs (RFC 5280) with chosen times and revoked serials, made with the project's DER writer.
import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { algorithm, explicit, int, octets, oid, seq, tlv } from '../../dist/core/asn1/writer.js';
import { parseCertificate, pemBlocks } from '../../dist/core/pki/certificate.js';
import { nodeCrypto } from '../../dist/node/crypto.js';

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const time = (d) =>
  d.getUTCFullYear() < 2050
    ? tlv(0x17, Buffer.from(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`))
    : tlv(0x18, Buffer.from(`${d.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`));

/**
 * Writes `name` (PEM) in `dir`: a CRL of the test root, issued `thisUpdate`, next `nextUpdate`,
 * revoking `revoked` ([serial hex, date]). Returns its path.
 */
export function makeCrl(dir, name, { thisUpdate, nextUpdate, revoked = [], number = 1 }) {
  const root = parseCertificate(
    pemBlocks(readFileSync(join(dir, 'root.pem'), 'utf8'))[0],
    nodeCrypto,
  );
  const alg = algorithm(SHA256_WITH_RSA, new Uint8Array([5, 0]));
  const entries = revoked.map(([serial, date]) =>
    seq([int(Uint8Array.from(Buffer.from(serial, 'hex'))), time(date)]),
  );
  const crlNumber = seq([oid('2.5.29.20'), octets(int(number))]);
  const tbs = seq([
    int(1),
    alg,
    root.subjectDer,
    time(thisUpdate),
    time(nextUpdate),
    ...(entries.length ? [seq(entries)] : []),
    explicit(0, seq([crlNumber])),
  ]);
  const key = createPrivateKey(readFileSync(join(dir, 'root.key')));
  const signature = sign('sha256', tbs, key);
  const der = seq([tbs, alg, tlv(0x03, Uint8Array.from([0, ...signature]))]);
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  const path = join(dir, name);
  writeFileSync(path, `-----BEGIN X509 CRL-----\n${b64.trim()}\n-----END X509 CRL-----\n`);
  return path;
}
