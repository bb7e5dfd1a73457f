import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
// @ts-expect-error: a plain .mjs script, so that it can also run by hand
import { makeTestPki } from '../pki/make-test-pki.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    pkiDir: string;
  }
}

/** One throw-away PKI for the whole run (RSA key generation is the slow part). */
export default function setup(project: TestProject): void {
  const dir = mkdtempSync(join(tmpdir(), 'docprov-pki-'));
  makeTestPki(dir);
  project.provide('pkiDir', dir);
}
