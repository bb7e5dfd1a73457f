import { readFileSync } from 'node:fs';
import { pemBlocks } from '../../src/core/pki/certificate.js';
import { join } from 'node:path';
import { inject } from 'vitest';

// Kept here for the tests that import it from this module.
export { nssDbTrusting } from './nss.js';

export const pkiDir = (): string => inject('pkiDir');

/** The publisher's key, when `npm test` was given it (DOCPROV_SIGNING_KEY/_CERT); else null. */
export const publisherKey = () => inject('publisherKey');

/** Environment that makes docprov sign as one of the test PKI's identities (and its log key). */
export function signerEnv(name: string): Record<string, string> {
  const dir = pkiDir();
  return {
    DOCPROV_SIGNING_KEY: join(dir, `${name}.key`),
    DOCPROV_SIGNING_CERT: join(dir, `${name}-chain.pem`),
    DOCPROV_LOG_KEY: join(dir, 'log.key'),
  };
}

/** A CRL of the test root issued in 2095: it speaks for every time the suite proves. */
export const laterCrl = (): string => join(pkiDir(), 'root-crl-later.pem');

/** Trust the test root, with revocation data that can show its signers were not revoked. */
export const testRootTrust = (): string[] => [
  '--trust',
  join(pkiDir(), 'root.pem'),
  '--revocation',
  laterCrl(),
];

/** The later CRL as revocation data for an in-process VerifyContext. */
export const laterRevocation = (): { crls: Uint8Array[]; ocsps: Uint8Array[] } => ({
  crls: pemBlocks(readFileSync(laterCrl(), 'utf8'), 'X509 CRL'),
  ocsps: [],
});
