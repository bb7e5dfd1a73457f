import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
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
  /** The transparency log's key (DOCPROV_LOG_KEY), when given. */
  logKey?: string;
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
  'DOCPROV_LOG_KEY',
] as const;

/** Takes the publisher key out of the environment: only the test that asks for it may sign with it. */
function takePublisherKey(): PublisherKey | null {
  const [key, cert, passphrase, logKey] = PUBLISHER_VARS.map((v) => process.env[v]);
  // Deleted before the workers start, so no other test signs with it by inheritance.
  for (const v of PUBLISHER_VARS) delete process.env[v];
  if (!key || !cert) return null;
  // A path is made absolute: the test runs the regeneration from another folder.
  const absolute = (v: string) => (v.includes('-----BEGIN') ? v : resolve(v));
  return {
    key: absolute(key),
    cert: absolute(cert),
    ...(passphrase ? { passphrase } : {}),
    ...(logKey ? { logKey: absolute(logKey) } : {}),
  };
}

/**
 * One throw-away PKI for the whole run (RSA key generation is the slow part), and one temporary
 * folder that every test's temporary files go into (TMPDIR, which the workers and the CLIs they
 * start inherit): removed when the run ends, unless DOCPROV_KEEP_TMP is set.
 */
export default function setup(project: TestProject): () => void {
  project.provide('publisherKey', takePublisherKey());
  const run = mkdtempSync(join(tmpdir(), 'docprov-test-run-'));
  // As /tmp is: tests that run the CLI as another user make their folders in it.
  chmodSync(run, 0o1777);
  process.env.TMPDIR = run;
  const dir = mkdtempSync(join(run, 'docprov-pki-'));
  makeTestPki(dir);
  project.provide('pkiDir', dir);
  return () => {
    if (!process.env.DOCPROV_KEEP_TMP) rmSync(run, { recursive: true, force: true });
  };
}
