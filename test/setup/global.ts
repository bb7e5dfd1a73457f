import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error: a plain .mjs script, so that it can also run by hand
import { makeTestPki } from '../pki/make-test-pki.mjs';

/** The publisher's key and chain (PEM text or paths), as given to `npm test`; see publish.test.ts. */
export interface PublisherKey {
  key: string;
  cert: string;
  passphrase?: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    pkiDir: string;
    publisherKey: PublisherKey | null;
  }
}

const PUBLISHER_VARS = [
  'DOCPROV_SIGNING_KEY',
  'DOCPROV_SIGNING_CERT',
  'DOCPROV_SIGNING_KEY_PASSPHRASE',
] as const;

/** Takes the publisher key out of the environment: only the test that asks for it may sign with it. */
function takePublisherKey(): PublisherKey | null {
  const [key, cert, passphrase] = PUBLISHER_VARS.map((v) => process.env[v]);
  // Deleted before the workers start, so no other test signs with it by inheritance.
  for (const v of PUBLISHER_VARS) delete process.env[v];
  if (!key || !cert) return null;
  // A path is made absolute: the test runs the regeneration from another folder.
  const absolute = (v: string) => (v.includes('-----BEGIN') ? v : resolve(v));
  return { key: absolute(key), cert: absolute(cert), ...(passphrase ? { passphrase } : {}) };
}

/** One throw-away PKI for the whole run (RSA key generation is the slow part). */
export default function setup(project: TestProject): void {
  project.provide('publisherKey', takePublisherKey());
  const dir = mkdtempSync(join(tmpdir(), 'docprov-pki-'));
  makeTestPki(dir);
  project.provide('pkiDir', dir);
}
