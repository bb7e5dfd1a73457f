import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { issueCrl } from './crl.js';
import type { SigningIdentity } from './keys.js';

// The development CA's own revocation data: a CRL issued the moment it is asked for (nothing
// revoked), so that a development build proves its signer was not revoked as a publisher's
// would. Never written anywhere but into the artifacts it serves.

const WEEK = 7 * 86_400_000;

/** A fresh CRL of the development CA, or nothing for a key from the environment. */
export function developmentCrls(id: SigningIdentity): Uint8Array[] {
  if (!id.development) return [];
  const ca = id.chain.at(-1)!;
  const now = new Date(Math.floor(Date.now() / 1000) * 1000);
  return [
    issueCrl({
      issuer: ca,
      keyPem: readFileSync(join(id.source, 'ca.key'), 'utf8'),
      thisUpdate: now,
      nextUpdate: new Date(now.getTime() + WEEK),
      number: Math.floor(now.getTime() / 1000),
    }),
  ];
}
