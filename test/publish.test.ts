import { spawn, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { docprov } from './helpers/cli.js';
import { ROOT } from './helpers/paths.js';
import { pkiDir, publisherKey, signerEnv, testRootTrust } from './helpers/pki.js';
import {
  CHECK_OK,
  PUBLISHED_NOW,
  publishedCheckLine,
  publishedVerifies,
} from './helpers/published.js';
import { projectCopy } from './helpers/project.js';

const ID = 'khalaf-2017-03-17';
const tmp = () => mkdtempSync(join(tmpdir(), 'docprov-publish-'));

/** The test PKI's time-stamping authority, run by regenerate itself (openssl ts -reply). */
const tsaEnv = () => ({
  DOCPROV_TSA_KEY: join(pkiDir(), 'tsa.key'),
  DOCPROV_TSA_CERT: join(pkiDir(), 'tsa.pem'),
  DOCPROV_REVOCATION: join(pkiDir(), 'root-crl-later.pem'),
});

function regenerate(
  project: string,
  signer: string | Record<string, string>,
  extra: string[] = [],
  tsa: Record<string, string> = tsaEnv(),
) {
  const keyEnv = typeof signer === 'string' ? signerEnv(signer) : signer;
  const r = spawnSync(process.execPath, [join(project, 'pipeline', 'regenerate.mjs'), ...extra], {
    cwd: project,
    env: {
      ...process.env,
      ...keyEnv,
      ...{ DOCPROV_TSA_URL: '', DOCPROV_TSA_KEY: '', DOCPROV_TSA_CERT: '' },
      ...tsa,
      NO_COLOR: '1',
      GITHUB_ACTIONS: '',
    },
    encoding: 'utf8',
    timeout: 120_000,
  });
  return { code: r.status, out: r.stdout + r.stderr };
}

const hashes = (dir: string) =>
  Object.fromEntries(
    readdirSync(dir).map((n) => [n, readFileSync(join(dir, n)).toString('base64')]),
  );

describe('the published artifacts in this repository', () => {
  it('verify with no flags: the PDF and the folder are authentic, or intact and pending only revocation data', () => {
    const pdf = docprov(['verify', `artifacts/${ID}/${ID}.pdf`, '--now', PUBLISHED_NOW]);
    expect(publishedVerifies(pdf), pdf.stdout).toBe(true);
    expect(pdf.stdout).toContain(
      'signer     C=LB, O=docprov Demo Publisher, CN=docprov Demo Publisher Release Signing 2026',
    );
    const folder = docprov(['verify', `artifacts/${ID}`, '--now', PUBLISHED_NOW]);
    expect(publishedVerifies(folder), folder.stdout).toBe(true);
  });
  it('docprov check artifacts/ passes: authentic (or pending revocation data, when allowed) and current', () => {
    const r = docprov([
      'check',
      'artifacts/',
      '--allow-pending-revocation',
      '--now',
      PUBLISHED_NOW,
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      publishedCheckLine(
        ID,
        'C=LB, O=docprov Demo Publisher, CN=docprov Demo Publisher Release Signing 2026',
      ),
    );
    expect(r.stdout).toContain('✓ verify.html: the page npm run build makes from these sources');
    expect(r.stdout).toMatch(CHECK_OK);
    // A pending document is accepted only when asked for, and said either way.
    if (/pending/.test(r.stdout)) {
      expect(r.stderr).toContain(
        `docprov: warning: ${ID}: intact, and not yet proven: only revocation data issued after`,
      );
      const strict = docprov(['check', 'artifacts/', '--now', PUBLISHED_NOW]);
      expect(strict.code).toBe(1);
      expect(strict.stdout).toContain('(check --allow-pending-revocation accepts this state)');
    }
  });
  it('check takes one document folder too', () => {
    const r = docprov(['check', `artifacts/${ID}`, '--allow-pending-revocation']);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(CHECK_OK);
    expect(r.stdout).not.toContain('verify.html');
  });
  it('one folder away from the artifacts (a download): no log beside it is said, not failed; missing sources name --sources', () => {
    const away = join(tmp(), ID);
    cpSync(join(ROOT, 'artifacts', ID), away, { recursive: true });
    const bare = docprov(['check', away, '--allow-pending-revocation']);
    expect(bare.code, bare.stdout + bare.stderr).toBe(1);
    expect(bare.stderr).toContain(`docprov: no transparency log beside ${ID}`);
    expect(bare.stdout).not.toContain('holds no log');
    expect(bare.stdout).toContain('give the folder that holds them with --sources DIR');
    const r = docprov([
      'check',
      away,
      '--allow-pending-revocation',
      '--sources',
      join(ROOT, 'pipeline', 'sources'),
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(CHECK_OK);
    // Its proof still counts: a folder whose proof names another entry is refused by verify.
    const proof = join(away, 'manifest.json.tlog-proof');
    writeFileSync(
      proof,
      readFileSync(proof, 'utf8').replace(
        /^index (\d+)$/m,
        (_l, n: string) => `index ${Number(n) + 1}`,
      ),
    );
    const forged = docprov([
      'check',
      away,
      '--allow-pending-revocation',
      '--sources',
      join(ROOT, 'pipeline', 'sources'),
    ]);
    expect(forged.code, forged.stdout).toBe(1);
  });
  it('check names a stale or missing verification page and the command that fixes it', () => {
    const dir = tmp();
    cpSync(join(ROOT, 'artifacts'), join(dir, 'artifacts'), { recursive: true });
    cpSync(join(ROOT, 'pipeline', 'sources'), join(dir, 'pipeline', 'sources'), {
      recursive: true,
    });
    const page = join(dir, 'artifacts', 'verify.html');
    writeFileSync(page, readFileSync(page, 'utf8').replace('Check a document', 'Check a doc'));
    const stale = docprov(['check', join(dir, 'artifacts'), '--allow-pending-revocation']);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toContain(
      '✗ verify.html: is stale: it differs from dist/verify.html, which the sources build; fix: npm run regenerate -- --page-only',
    );
    // Still a file, not a document: the document beside it is judged as before.
    expect(stale.stdout).toMatch(
      new RegExp(`✓ ${ID}: (authentic|intact, pending revocation data)`),
    );
    rmSync(page);
    const missing = docprov(['check', join(dir, 'artifacts'), '--allow-pending-revocation']);
    expect(missing.code).toBe(1);
    expect(missing.stdout).toContain(
      '✗ verify.html: is missing; fix: npm run regenerate -- --page-only',
    );
  });
  it('the published page is the one npm run build makes (byte for byte)', () => {
    const published = readFileSync(join(ROOT, 'artifacts', 'verify.html'));
    expect(published.equals(readFileSync(join(ROOT, 'dist', 'verify.html')))).toBe(true);
  });
  it('check stays green after the signer certificate expires, on the strength of the timestamps', () => {
    const r = docprov([
      'check',
      'artifacts/',
      '--now',
      '2030-06-01T00:00:00Z',
      '--allow-pending-revocation',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).not.toContain('stops proving anything');
  });
  it('check warns, naming the key rotation that renews it, when the newest proof expires within 180 days', () => {
    const r = docprov([
      'check',
      'artifacts/',
      '--now',
      '2036-08-01T00:00:00Z',
      '--allow-pending-revocation',
    ]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /docprov: warning: khalaf-2017-03-17: the newest document timestamp stops proving anything on 2036-11-27T12:00:00.000Z, when "[^"]*Time Stamping 2026" expires \(within 180 days\)/,
    );
    // By then the signing certificate (2029) has expired: renewing re-signs, so it is a rotation.
    expect(r.stderr).toMatch(
      /docprov: hint: its signing certificate expired on 2029-11-2\dT[\d:.]+Z, so renewing is rotating the key: .*npm run regenerate -- --new-release-time/,
    );
  });
  it('check names a stale artifact and the command that fixes it', () => {
    const dir = tmp();
    cpSync(join(ROOT, 'artifacts'), join(dir, 'artifacts'), { recursive: true });
    cpSync(join(ROOT, 'pipeline', 'sources'), join(dir, 'pipeline', 'sources'), {
      recursive: true,
    });
    const meta = join(dir, 'pipeline', 'sources', ID, 'metadata.json');
    writeFileSync(
      meta,
      readFileSync(meta, 'utf8').replace('"human rights"', '"human rights", "withdrawal"'),
    );
    const r = docprov(['check', join(dir, 'artifacts'), '--allow-pending-revocation']);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(`✗ ${ID}: stale`);
    expect(r.stdout).toContain('npm run regenerate');
  });
});

describe('npm run regenerate (in a copy of the project, with a throw-away publisher key)', () => {
  it('is deterministic, refuses development keys, keeps artifacts on failure, and survives key rotation', () => {
    const project = projectCopy();
    const artifacts = join(project, 'artifacts', ID);

    const first = regenerate(project, 'signer');
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain(`✓ ${ID}: authentic`);
    const before = hashes(artifacts);
    expect(Object.keys(before).sort()).toEqual([
      'SHA256SUMS',
      'SHA256SUMS.p7s',
      `${ID}.metadata.json`,
      `${ID}.pdf`,
      `${ID}.txt`,
      'manifest.json',
      'manifest.json.p7s',
      'manifest.json.tlog-proof',
      'provenance.intoto.json',
    ]);

    // Same key, same sources: the same bytes (git status would stay clean), and no TSA is asked:
    // with none configured it still succeeds, on the published tokens alone.
    const again = regenerate(project, 'signer', [], {
      DOCPROV_REVOCATION: join(pkiDir(), 'root-crl-later.pem'),
    });
    expect(again.code, again.out).toBe(0);
    expect(again.out).not.toContain('time-stamping authority');
    expect(hashes(artifacts)).toEqual(before);

    // No key configured: refused, artifacts untouched.
    const noKey = spawnSync(process.execPath, [join(project, 'pipeline', 'regenerate.mjs')], {
      cwd: project,
      env: { ...process.env, DOCPROV_SIGNING_KEY: '', DOCPROV_SIGNING_CERT: '' },
      encoding: 'utf8',
    });
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain('docprov: error: regenerate signs with the publisher key');
    // An option regenerate does not take is refused before anything is signed, not ignored.
    const stray = spawnSync(
      process.execPath,
      [join(project, 'pipeline', 'regenerate.mjs'), '--revocation', 'x.crl'],
      { cwd: project, encoding: 'utf8' },
    );
    expect(stray.status).toBe(2);
    expect(stray.stderr).toContain('docprov: error: regenerate does not take "--revocation"');
    expect(stray.stderr).toContain(
      'docprov: hint: revocation data goes in the environment: DOCPROV_REVOCATION=FILE',
    );
    expect(hashes(artifacts)).toEqual(before);

    // Broken metadata: the build fails, the published folder stays as it was, no temp folder left.
    const meta = join(project, 'pipeline', 'sources', ID, 'metadata.json');
    const good = readFileSync(meta, 'utf8');
    writeFileSync(meta, good.replace('"Beirut"', '"Amman"'));
    const broken = regenerate(project, 'signer');
    expect(broken.code).toBe(1);
    expect(broken.out).toContain('disagrees with the letter');
    expect(hashes(artifacts)).toEqual(before);
    expect(readdirSync(join(project, 'artifacts')).sort()).toEqual([ID, 'log', 'verify.html']);
    expect(readdirSync(join(project, 'artifacts', 'log', 'checkpoints'))).toEqual(['1']);
    writeFileSync(meta, good);

    // Key rotation: a new certificate under the same root; old copies keep verifying.
    const oldCopy = join(tmp(), 'old.pdf');
    cpSync(join(artifacts, `${ID}.pdf`), oldCopy);
    const rotated = regenerate(project, 'rotated', ['--new-release-time']);
    expect(rotated.code, rotated.out).toBe(0);
    const nowLocal = spawnSync(
      process.execPath,
      [join(project, 'bin', 'docprov.cjs'), 'verify', join(artifacts, `${ID}.pdf`)],
      { encoding: 'utf8' },
    );
    expect(nowLocal.status, nowLocal.stdout).toBe(0);
    expect(nowLocal.stdout).toContain('CN=docprov test rotated');
    const old = spawnSync(
      process.execPath,
      [join(project, 'bin', 'docprov.cjs'), 'verify', oldCopy],
      { encoding: 'utf8' },
    );
    expect(old.status, old.stdout).toBe(0);
    expect(old.stdout).toContain('CN=docprov test signer');
    expect(
      JSON.parse(readFileSync(join(project, 'pipeline', 'release.json'), 'utf8')).sourceDateEpoch,
    ).toBeGreaterThan(1795860000);
    // The rotated release is a second entry in the log; the first stays, and the old checkpoint
    // is consistent with the new one.
    expect(readdirSync(join(project, 'artifacts', 'log', 'checkpoints')).sort()).toEqual([
      '1',
      '2',
    ]);
    const grown = spawnSync(
      process.execPath,
      [
        join(project, 'bin', 'docprov.cjs'),
        'log',
        'verify',
        join(project, 'artifacts', 'log', 'checkpoints', '1'),
        join(project, 'artifacts', 'log', 'checkpoint'),
      ],
      { encoding: 'utf8' },
    );
    expect(grown.status, grown.stdout + grown.stderr).toBe(0);
    expect(grown.stdout).toContain('1 entries were added, none removed or changed');
  });
});

describe('npm run regenerate with the publisher key (given to npm test as DOCPROV_SIGNING_KEY/_CERT)', () => {
  const key = publisherKey();
  const name = 'reproduces the committed artifacts and log byte for byte';
  // The one test that needs something from outside the repository: say so, by name, when it cannot run.
  if (!key?.logKey)
    console.warn(
      `not run: "${name}": set DOCPROV_SIGNING_KEY, DOCPROV_SIGNING_CERT and DOCPROV_LOG_KEY to the publisher's keys and chain (.ci/run does, from ../shared/release-signing/ where it exists)`,
    );
  it.skipIf(!key?.logKey)(name, () => {
    const project = projectCopy(false);
    cpSync(join(ROOT, 'artifacts'), join(project, 'artifacts'), { recursive: true });
    // No TSA: unchanged artifacts reuse their published timestamps, and ask none.
    const r = regenerate(
      project,
      {
        DOCPROV_SIGNING_KEY: key!.key,
        DOCPROV_SIGNING_CERT: key!.cert,
        ...(key!.passphrase ? { DOCPROV_SIGNING_KEY_PASSPHRASE: key!.passphrase } : {}),
        DOCPROV_LOG_KEY: key!.logKey ?? '',
      },
      [],
      {},
    );
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(
      publishedCheckLine(
        ID,
        'C=LB, O=docprov Demo Publisher, CN=docprov Demo Publisher Release Signing 2026',
      ),
    );
    expect(hashes(join(project, 'artifacts', ID))).toEqual(hashes(join(ROOT, 'artifacts', ID)));
    // The log too: the same entry was found, nothing appended, not a byte changed.
    const tree = (dir: string): Record<string, string> =>
      Object.fromEntries(
        readdirSync(dir, { recursive: true, withFileTypes: true })
          .filter((e) => e.isFile())
          .map((e) => {
            const p = join(e.parentPath, e.name);
            return [p.slice(dir.length), readFileSync(p).toString('base64')];
          }),
      );
    expect(tree(join(project, 'artifacts', 'log'))).toEqual(tree(join(ROOT, 'artifacts', 'log')));
    expect(readFileSync(join(project, 'pipeline', 'release.json'))).toEqual(
      readFileSync(join(ROOT, 'pipeline', 'release.json')),
    );
  });
  it('no other test inherits the publisher key from the environment', () => {
    for (const v of [
      'DOCPROV_SIGNING_KEY',
      'DOCPROV_SIGNING_CERT',
      'DOCPROV_SIGNING_KEY_PASSPHRASE',
      'DOCPROV_LOG_KEY',
    ])
      expect(process.env[v], v).toBeUndefined();
  });
});

describe('safe output', () => {
  it('concurrent builds into one folder take turns and leave it whole', async () => {
    const out = join(tmp(), 'out');
    const env = {
      ...process.env,
      ...signerEnv('signer'),
      SOURCE_DATE_EPOCH: '1795000000',
      NO_COLOR: '1',
    };
    const runs = await Promise.all(
      [0, 1, 2].map(
        () =>
          new Promise<number>((resolve) => {
            const p = spawn(
              process.execPath,
              [
                join(ROOT, 'bin', 'docprov.cjs'),
                'build',
                join(ROOT, 'pipeline', 'sources', ID),
                '-o',
                out,
              ],
              { env, stdio: 'ignore' },
            );
            p.on('exit', (code) => resolve(code ?? -1));
          }),
      ),
    );
    expect(runs).toEqual([0, 0, 0]);
    expect(readdirSync(join(out, '..')).sort()).toEqual(['log', 'out']);
    const r = docprov(['verify', out, ...testRootTrust(), '--now', '2026-12-01T00:00:00Z']);
    expect(r.code, r.stdout).toBe(0);
  });
});

describe('GitHub Actions', () => {
  const load = (name: string) =>
    YAML.parse(readFileSync(join(ROOT, '.github', 'workflows', name), 'utf8'));
  const commands = (wf: {
    jobs: Record<
      string,
      { steps: { run?: string; uses?: string; with?: Record<string, string> }[] }
    >;
  }) => Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? `uses ${s.uses}`));
  it('ci.yml runs on push and pull request: npm ci, npm test, the pipeline, the gate, and uploads out/', () => {
    const wf = load('ci.yml');
    expect(Object.keys(wf.on)).toEqual(['push', 'pull_request']);
    const cmds = commands(wf);
    for (const c of [
      'npm ci',
      'npm test',
      'npm run pipeline',
      'npx docprov check artifacts/ --allow-pending-revocation',
    ])
      expect(cmds).toContain(c);
    expect(cmds.indexOf('npm ci')).toBeLessThan(cmds.indexOf('npm test'));
    const upload = Object.values(wf.jobs)
      .flatMap((j: any) => j.steps)
      .find((s: any) => String(s.uses).startsWith('actions/upload-artifact'));
    expect(upload.with.path).toBe('out/');
  });
  it('release.yml regenerates with the key from repository secrets', () => {
    const wf = load('release.yml');
    const step = Object.values(wf.jobs)
      .flatMap((j: any) => j.steps)
      .find((s: any) => String(s.run).startsWith('npm run regenerate'));
    expect(step.env.DOCPROV_SIGNING_KEY).toBe('${{ secrets.DOCPROV_SIGNING_KEY }}');
    expect(step.env.DOCPROV_SIGNING_CERT).toBe('${{ secrets.DOCPROV_SIGNING_CERT }}');
    // Timestamps come from the publisher's TSA, named in the repository's configuration.
    expect(step.env.DOCPROV_TSA_URL).toBe('${{ vars.DOCPROV_TSA_URL }}');
    expect(step.run).toContain('--renew-timestamps');
    expect(commands(wf)).toContain('npx docprov check artifacts/ --allow-pending-revocation');
  });
  it('pages.yml publishes artifacts/ (with the page as its index) after the gate', () => {
    const wf = load('pages.yml');
    expect(Object.keys(wf.on)).toEqual(['push', 'workflow_dispatch']);
    expect(wf.on.push.branches).toEqual(['main']);
    expect(wf.permissions).toEqual({ contents: 'read', pages: 'write', 'id-token': 'write' });
    const cmds = commands(wf);
    const gate = cmds.indexOf('npx docprov check artifacts/ --allow-pending-revocation');
    const site = cmds.findIndex((c) => c.includes('cp -R artifacts/. _site/'));
    expect(gate).toBeGreaterThan(cmds.indexOf('npm ci'));
    expect(site).toBeGreaterThan(gate);
    expect(cmds[site]).toContain('cp artifacts/verify.html _site/index.html');
    const steps = Object.values(wf.jobs).flatMap((j: any) => j.steps);
    const upload = steps.find((s: any) =>
      String(s.uses).startsWith('actions/upload-pages-artifact'),
    );
    expect(upload.with.path).toBe('_site/');
    expect(
      steps.findIndex((s: any) => String(s.uses).startsWith('actions/deploy-pages')),
    ).toBeGreaterThan(steps.indexOf(upload));
  });
  it("ci.yml and .ci/run install Debian's chromium for the page tests", () => {
    expect(commands(load('ci.yml')).join('\n')).toMatch(/apt-get install[^\n]* chromium/);
    expect(readFileSync(join(ROOT, '.ci', 'run'), 'utf8')).toContain('chromium:chromium');
  });
  it('ci.yml and .ci/run install SoftHSM2 and opensc for the token tests, and .ci/run a compiler for the PKCS#11 binding', () => {
    expect(commands(load('ci.yml')).join('\n')).toMatch(/apt-get install[^\n]* softhsm2 opensc/);
    const run = readFileSync(join(ROOT, '.ci', 'run'), 'utf8');
    for (const t of ['softhsm2-util:softhsm2', 'pkcs11-tool:opensc', 'g++:g++', 'make:make'])
      expect(run).toContain(t);
  });
  it('with GITHUB_ACTIONS set, the pipeline groups its log and writes a summary table whose verdict the shipped trust store confirms', () => {
    // A copy whose shipped store holds the test root: the verdict is then judged by trust/roots
    // alone, as a reader's copy of docprov judges it, not by the chain the build signed with.
    const project = projectCopy();
    const dir = tmp();
    const summary = join(dir, 'summary.md');
    writeFileSync(summary, '');
    const r = spawnSync(process.execPath, [join(project, 'pipeline', 'run.mjs')], {
      cwd: project,
      env: {
        ...process.env,
        ...signerEnv('signer'),
        SOURCE_DATE_EPOCH: '1795000000',
        GITHUB_ACTIONS: 'true',
        GITHUB_STEP_SUMMARY: summary,
        DOCPROV_OUT: join(dir, 'out'),
        NO_COLOR: '1',
      },
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain(`::group::${ID}`);
    expect(r.stdout).toContain('::endgroup::');
    const table = readFileSync(summary, 'utf8');
    expect(table).toContain('| file | size | SHA-256 | verdict |');
    expect(table).toMatch(
      new RegExp(`\\| ${ID}\\.pdf \\| \\d+ \\| \`[0-9a-f]{64}\` \\| authentic \\|`),
    );
    const built = join(dir, 'out', ID);
    expect(existsSync(join(built, 'manifest.json'))).toBe(true);
    const verify = (launcher: string) => {
      const v = spawnSync(
        process.execPath,
        [launcher, 'verify', built, '--json', '--now', '2026-12-01T00:00:00Z'],
        { encoding: 'utf8' },
      );
      return JSON.parse(v.stdout) as { verdict: string; checks: { id: string; status: string }[] };
    };
    // No --trust: the copy's trust/roots alone confirms the table's verdict ...
    expect(verify(join(project, 'bin', 'docprov.cjs')).verdict).toBe('authentic');
    // ... and this repository's store, which lacks the test root, does not: the store decided.
    const ours = verify(join(ROOT, 'bin', 'docprov.cjs'));
    expect(ours.verdict).toBe('intact-untrusted');
    const failed = new Set(ours.checks.filter((c) => c.status === 'fail').map((c) => c.id));
    expect([...failed]).toEqual(['chain']);
  });
});

describe('npm run pipeline refuses what it does not take, before anything is built', () => {
  it.each([
    [
      ['pipeline/sources/khalaf-2017-03-17'],
      'is one source folder; the pipeline takes the folder that holds them',
    ],
    [['pipeline/sources', 'OUT', 'extra'], 'the pipeline takes SOURCES and OUT, not also extra'],
    [['--frce'], 'the pipeline does not take --frce'],
  ])('%j', (args, says) => {
    const dir = tmp();
    const r = spawnSync(
      process.execPath,
      [join(ROOT, 'pipeline', 'run.mjs'), ...args.map((a) => (a === 'OUT' ? join(dir, 'out') : a))],
      {
        cwd: ROOT,
        env: { ...process.env, DOCPROV_OUT: join(dir, 'out') },
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`docprov: error: `);
    expect(r.stderr).toContain(says);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('npm run pipeline on a terminal', () => {
  // `script` gives the pipeline a real terminal, where colour is on unless NO_COLOR is set.
  const onTerminal = (noColor: string | undefined) => {
    const dir = tmp();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...signerEnv('signer'),
      DOCPROV_OUT: join(dir, 'out'),
      GITHUB_ACTIONS: '',
    };
    delete env.NO_COLOR;
    delete env.FORCE_COLOR;
    if (noColor !== undefined) env.NO_COLOR = noColor;
    const r = spawnSync(
      'script',
      ['-qec', `"${process.execPath}" "${join(ROOT, 'pipeline', 'run.mjs')}"`, '/dev/null'],
      { cwd: ROOT, env, encoding: 'utf8', timeout: 120_000 },
    );
    if (r.error) throw new Error(`script (util-linux) could not run: ${r.error.message}`);
    expect(r.status, r.stdout).toBe(0);
    return r.stdout;
  };
  it('colours its verdicts, and honours NO_COLOR (no-color.org)', () => {
    expect(onTerminal(undefined)).toContain('\x1b[32m');
    const plain = onTerminal('1');
    expect(plain).toContain('pipeline: 1 document(s) built, signed and verified');
    expect(plain).not.toContain('\x1b[');
  });
});
