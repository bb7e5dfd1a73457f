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
