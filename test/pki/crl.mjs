// Certificate revocation lists for the throw-away test PKI, signed with the test root's key:
// v2 CRLs (RFC 5280) with chosen times and revoked serials, made by the project's CRL issuer.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificate, pemBlocks } from '../../dist/core/pki/certificate.js';
import { nodeCrypto } from '../../dist/node/crypto.js';
import { crlPem, issueCrl } from '../../dist/node/crl.js';

/** The test root of `dir` and its key. */
export function testRoot(dir) {
  return {
    issuer: parseCertificate(pemBlocks(readFileSync(join(dir, 'root.pem'), 'utf8'))[0], nodeCrypto),
    keyPem: readFileSync(join(dir, 'root.key'), 'utf8'),
  };
}

/**
 * Writes `name` (PEM) in `dir`: a CRL of the test root, issued `thisUpdate`, next `nextUpdate`,
 * revoking `revoked` ([serial hex, date]). Returns its path.
 */
export function makeCrl(dir, name, { thisUpdate, nextUpdate, revoked = [], number = 1 }) {
  const path = join(dir, name);
  writeFileSync(
    path,
    crlPem(issueCrl({ ...testRoot(dir), thisUpdate, nextUpdate, revoked, number })),
  );
  return path;
}
