import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROOT } from './helpers/paths.js';
import { PUBLISHED_NOW, publishedVerifies } from './helpers/published.js';

// The CLI as a package: `npm pack` gives a tarball that installs anywhere and verifies from any
// folder with the trust roots it ships, without the repository.

let prefix: string;
let away: string;
const run = (cmd: string, args: string[], cwd: string) =>
  spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, NO_COLOR: '1' },
  });

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'docprov-package-'));
  // dist/ is built (pretest): packing must not rebuild it under the other tests' feet.
  const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], ROOT);
  if (pack.status !== 0) throw new Error(pack.stderr);
  const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'))!;
  prefix = join(dir, 'prefix');
  const install = run(
    'npm',
    [
      'install',
      '-g',
      '--prefix',
      prefix,
      join(dir, tarball),
      '--no-audit',
      '--no-fund',
      '--prefer-offline',
    ],
    dir,
  );
  if (install.status !== 0) throw new Error(install.stderr);
  away = mkdtempSync(join(tmpdir(), 'docprov-elsewhere-'));
}, 300_000);

describe('npm pack and npm install -g', () => {
  it('installs a docprov command that runs from any folder', () => {
    const r = run(join(prefix, 'bin', 'docprov'), ['--version'], away);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^docprov \d+\.\d+\.\d+\n$/);
  });
  it('verifies the published folder with the trust roots it ships, without the repository', () => {
    const r = run(
      join(prefix, 'bin', 'docprov'),
      ['verify', join(ROOT, 'artifacts', 'khalaf-2017-03-17'), '--now', PUBLISHED_NOW],
      away,
    );
    expect(publishedVerifies({ code: r.status ?? -1, stdout: r.stdout }), r.stdout + r.stderr).toBe(
      true,
    );
    expect(r.stdout).toContain(
      'chain reaches the trusted root "C=LB, O=docprov Demo Publisher, CN=docprov Demo Publisher Root CA 2026"',
    );
    // The shipped CRLs (trust/revocation/) are weighed without the repository too.
    expect(r.stdout).toContain(
      'the CRL of "C=LB, O=docprov Demo Publisher, CN=docprov Demo Publisher Root CA 2026"',
    );
  });
  it('ships what it needs and nothing of the repository besides', () => {
    const list = run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], ROOT);
    const files = (JSON.parse(list.stdout)[0].files as { path: string }[]).map((f) => f.path);
    expect(files).toContain('bin/docprov.cjs');
    expect(files).toContain('dist/bundle/verify.cjs');
    expect(files).toContain('trust/roots/docprov-demo-publisher-root-ca-2026.pem');
    expect(files).toContain('trust/revocation/docprov-demo-publisher-root-ca-2026.crl.pem');
    expect(files).toContain('schemas/manifest.schema.json');
    expect(files.filter((f) => /^(test|src|pipeline|artifacts|\.ci)\//.test(f))).toEqual([]);
  });
});
