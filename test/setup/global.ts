import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
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
/** The tools the suite calls as judges and harnesses, and the Debian package of each. */
const JUDGES: [command: string, pkg: string][] = [
  ['pdfsig', 'poppler-utils'],
  ['pdftotext', 'poppler-utils'],
  ['mutool', 'mupdf-tools'],
  ['qpdf', 'qpdf'],
  ['certutil', 'libnss3-tools'],
  ['openssl', 'openssl'],
  ['faketime', 'faketime'],
  ['strace', 'strace'],
  ['script', 'bsdutils'],
  ['pdflatex', 'texlive-latex-base'],
  ['kpsewhich', 'texlive-latex-base'],
  ['softhsm2-util', 'softhsm2'],
  ['pkcs11-tool', 'opensc'],
  ['go', 'golang-go'],
];

/** Files some judges need beside their commands: LaTeX packages, Go's sources, a Python module. */
const FILES: [check: () => boolean, what: string, pkg: string][] = [
  [() => kpse('microtype.sty'), 'microtype.sty', 'texlive-latex-recommended'],
  [() => kpse('lmodern.sty'), 'lmodern.sty', 'lmodern'],
  [
    () => existsSync('/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog'),
    "Go's golang.org/x/mod/sumdb/tlog",
    'golang-golang-x-mod-dev',
  ],
  [
    () => spawnSync('/usr/bin/python3', ['-c', 'import pikepdf'], { stdio: 'ignore' }).status === 0,
    'pikepdf for /usr/bin/python3',
    'python3-pikepdf',
  ],
  [
    () =>
      spawnSync('/usr/bin/python3', ['-c', 'import cryptography'], { stdio: 'ignore' }).status ===
      0,
    'cryptography for /usr/bin/python3 (test/ocsp/forge.py)',
    'python3-cryptography',
  ],
];
function kpse(file: string): boolean {
  const r = spawnSync('kpsewhich', [file], { encoding: 'utf8' });
  return r.status === 0 && r.stdout.trim() !== '';
}

/** Every judge the suite needs, or one message naming what is missing and how to install it. */
function checkJudges(): void {
  const have = (cmd: string) =>
    spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
  const chromium =
    process.env.DOCPROV_CHROMIUM ??
    ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));
  const missing = JUDGES.filter(([cmd]) => !have(cmd));
  if (!chromium) missing.push(['chromium', 'chromium']);
  for (const [ok, what, pkg] of FILES) if (!ok()) missing.push([what, pkg]);
  if (missing.length === 0) return;
  const pkgs = [...new Set(missing.map(([, p]) => p))];
  throw new Error(
    `docprov's test suite needs ${missing.map(([c]) => c).join(', ')}, which ${missing.length === 1 ? 'is' : 'are'} not installed: they are the independent judges the tests ask.\n` +
      `Install them with: apt-get update && apt-get install -y --no-install-recommends ${pkgs.join(' ')}\n` +
      '(.ci/run installs every one of them; DOCPROV_CHROMIUM may name another Chromium.)',
  );
}

export default function setup(project: TestProject): () => void {
  checkJudges();
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
