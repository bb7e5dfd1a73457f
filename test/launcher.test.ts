import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PUBLISHED_NOW, publishedVerifies } from './helpers/published.js';
import { docprov, hasStackTrace } from './helpers/cli.js';
import { LETTER_DIR, ROOT } from './helpers/paths.js';
import { signerEnv } from './helpers/pki.js';

// bin/docprov.cjs runs dist/bundle/<command>.cjs when it exists, else the modular dist/cli.
const MODULAR = { DOCPROV_NO_BUNDLE: '1' };
const commands = readdirSync(`${ROOT}dist/cli/commands`)
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.slice(0, -3));
const published = `${ROOT}artifacts/khalaf-2017-03-17`;

describe('the launcher', () => {
  it('has a bundle for every command', () => {
    expect(commands.length).toBeGreaterThanOrEqual(7);
    for (const c of commands) expect(existsSync(`${ROOT}dist/bundle/${c}.cjs`), c).toBe(true);
  });

  it('builds byte-identical artifacts through the bundle and the modular CLI', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'docprov-launcher-'));
    try {
      const env = { ...signerEnv('signer'), SOURCE_DATE_EPOCH: '1795000000' };
      const a = docprov(['build', LETTER_DIR, '-o', join(tmp, 'a')], { env });
      const b = docprov(['build', LETTER_DIR, '-o', join(tmp, 'b')], {
        env: { ...env, ...MODULAR },
      });
      expect(a.code, a.stderr).toBe(0);
      expect(b.code, b.stderr).toBe(0);
      const files = readdirSync(join(tmp, 'a')).sort();
      expect(readdirSync(join(tmp, 'b')).sort()).toEqual(files);
      expect(files).toHaveLength(9);
      for (const f of files)
        expect(readFileSync(join(tmp, 'a', f)).equals(readFileSync(join(tmp, 'b', f))), f).toBe(
          true,
        );
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it.each([
    [['verify', published]],
    [['verify', `${published}/khalaf-2017-03-17.pdf`, '--json', '--now', '2027-01-01']],
    [['verify', '/nonexistent.pdf']],
    [['build']],
    [['normalise', '--help']],
    [['normalise', `${LETTER_DIR}/source.txt`, '--report']],
    [['validate', `${LETTER_DIR}/source.txt`, '--text', `${LETTER_DIR}/source.txt`]],
  ])('gives the same output and exit code either way: %j', (args) => {
    const bundled = docprov(args);
    const modular = docprov(args, { env: MODULAR });
    expect(bundled.code).toBe(modular.code);
    expect(bundled.stdout).toBe(modular.stdout);
    expect(bundled.stderr).toBe(modular.stderr);
  });

  it('writes nothing into the installation when it runs', () => {
    const listing = () =>
      readdirSync(`${ROOT}dist`, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => `${e.parentPath}/${e.name}:${statSync(`${e.parentPath}/${e.name}`).mtimeMs}`)
        .sort();
    const before = listing();
    expect(publishedVerifies(docprov(['verify', published, '--now', PUBLISHED_NOW]))).toBe(true);
    expect(docprov(['keys', '--help']).code).toBe(0);
    expect(docprov(['keys', 'frobnicate']).code).toBe(2);
    expect(listing()).toEqual(before);
  });

  it('with no command: the usage on standard error, exit 2; asked for: on standard output, exit 0', () => {
    const none = docprov([]);
    expect(none.code).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toMatch(/^Usage: docprov <command>/m);
    const asked = docprov(['--help']);
    expect(asked.code).toBe(0);
    expect(asked.stdout).toMatch(/^Usage: docprov <command>/m);
  });
  it('leaves no import() in a bundle: every bundle is self-contained', () => {
    for (const c of commands)
      expect(readFileSync(`${ROOT}dist/bundle/${c}.cjs`, 'utf8'), c).not.toMatch(/\bimport\s*\(/);
  });

  it.each([['verify', 'x.pdf'], ['--version']])(
    'says the install is broken, without a stack trace, when dist/ is missing: %s',
    (...args) => {
      const tmp = mkdtempSync(join(tmpdir(), 'docprov-nodist-'));
      try {
        mkdirSync(join(tmp, 'bin'));
        copyFileSync(`${ROOT}bin/docprov.cjs`, join(tmp, 'bin', 'docprov.cjs'));
        const r = spawnSync(process.execPath, [join(tmp, 'bin', 'docprov.cjs'), ...args], {
          encoding: 'utf8',
        });
        expect(r.status).toBe(2);
        expect(r.stderr).toMatch(/^docprov: error: cannot start: /);
        expect(r.stderr).toContain('docprov: hint: ');
        expect(hasStackTrace(r.stderr)).toBe(false);
      } finally {
        rmSync(tmp, { recursive: true, force: true });
      }
    },
  );
});
