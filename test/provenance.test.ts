import { spawnSync } from 'node:child_process';
import { createPublicKey } from 'node:crypto';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleFromJSON } from '@sigstore/bundle';
import { toSignedEntity, Verifier } from '@sigstore/verify';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseVerifierKey } from '../src/core/tlog/note.js';
import { verifyFolder } from '../src/core/verify/verify.js';
import { memorySource } from '../src/core/pdf/source.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { loadLogKey } from '../src/node/log-key.js';
import { loadSchema } from '../src/node/schemas.js';
import { loadTrustAnchors } from '../src/node/trust-store.js';
import { docprov } from './helpers/cli.js';
import { LETTER_DIR } from './helpers/paths.js';
import { laterCrl, pkiDir, signerEnv } from './helpers/pki.js';
import { judge } from './tlog/go-checker.js';

// Issue 20: SLSA provenance (DSSE) and the transparency log in a built folder, judged by
// openssl (the PAE rebuilt by Python), sigstore-js's verifier, and Go's sumdb packages.

const ID = 'khalaf-2017-03-17';
const tmp = () => mkdtempSync(join(tmpdir(), 'docprov-prov-'));
const env = () => ({
  ...signerEnv('signer'),
  SOURCE_DATE_EPOCH: '1795000000',
  DOCPROV_TSA_URL: '',
});
const build = (src: string, out: string, log: string) =>
  docprov(['build', src, '-o', out, '--log', log], { env: env() });
const verifyJson = (dir: string) => {
  const r = docprov([
    'verify',
    dir,
    '--trust',
    join(pkiDir(), 'root.pem'),
    '--revocation',
    laterCrl(),
    '--json',
    '--now',
    '2026-12-01T00:00:00Z',
  ]);
  return JSON.parse(r.stdout) as {
    verdict: string;
    checks: { id: string; status: string; code: string; category: string; message: string }[];
    log?: { index: number; treeSize: number; origin: string };
    provenance?: { gitCommit?: string; sourcePath: string; builder: string };
  };
};
const check = (r: ReturnType<typeof verifyJson>, id: string) => r.checks.find((c) => c.id === id);

let art: string;
let folder: string;
let vkey: string;

beforeAll(() => {
  art = join(tmp(), 'artifacts');
  folder = join(art, ID);
  const r = build(LETTER_DIR, folder, join(art, 'log'));
  expect(r.code, r.stderr).toBe(0);
  vkey = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')).log.key;
}, 120_000);

/** The PAE rebuilt by a few lines of Python, checked by openssl dgst with the signer's key. */
function opensslJudge(envelope: string): string {
  const dir = tmp();
  const py = [
    'import base64, json, sys',
    'e = json.load(open(sys.argv[1]))',
    "t, p = e['payloadType'].encode(), base64.b64decode(e['payload'])",
    "open(sys.argv[2] + '/pae', 'wb').write(b'DSSEv1 %d %s %d %s' % (len(t), t, len(p), p))",
    "open(sys.argv[2] + '/sig', 'wb').write(base64.b64decode(e['signatures'][0]['sig']))",
  ].join('\n');
  const p = spawnSync('python3', ['-c', py, envelope, dir], { encoding: 'utf8' });
  expect(p.status, p.stderr).toBe(0);
  spawnSync('openssl', [
    'x509',
    '-in',
    join(pkiDir(), 'signer.pem'),
    '-pubkey',
    '-noout',
    '-out',
    join(dir, 'pub.pem'),
  ]);
  const o = spawnSync(
    'openssl',
    [
      'dgst',
      '-sha256',
      '-verify',
      join(dir, 'pub.pem'),
      '-signature',
      join(dir, 'sig'),
      join(dir, 'pae'),
    ],
    { encoding: 'utf8' },
  );
  return o.stdout.trim(); // "Verified OK" or "Verification failure" (the reasons go to stderr)
}

/** sigstore-js: the envelope as a bundle whose verification material is the publisher's key. */
function sigstoreJudge(envelope: string): string {
  const e = JSON.parse(envelope);
  const hint = e.signatures[0].keyid;
  const bundle = bundleFromJSON({
    mediaType: 'application/vnd.dev.sigstore.bundle.v0.3+json',
    verificationMaterial: {
      publicKey: { hint },
      tlogEntries: [],
      timestampVerificationData: { rfc3161Timestamps: [] },
    },
    dsseEnvelope: e,
  });
  const key = createPublicKey(readFileSync(join(pkiDir(), 'signer.pem')));
  const verifier = new Verifier(
    {
      certificateAuthorities: [],
      timestampAuthorities: [],
      tlogs: [],
      ctlogs: [],
      publicKey: (h: string) => {
        if (h !== hint) throw new Error(`no key for ${h}`);
        return { publicKey: key, validFor: () => true };
      },
    },
    { tlogThreshold: 0, ctlogThreshold: 0, timestampThreshold: 0 },
  );
  try {
    verifier.verify(toSignedEntity(bundle));
    return 'verified';
  } catch (err) {
    return `refused: ${(err as Error).message}`;
  }
}

describe('a built folder carries SLSA provenance and its log proof', () => {
  it('docprov verify passes both, and reports the provenance and the log position', () => {
    expect(readdirSync(folder).sort()).toEqual([
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
    const r = verifyJson(folder);
    expect(r.verdict).toBe('authentic');
    expect(check(r, 'provenance')?.status).toBe('pass');
    expect(check(r, 'log-inclusion')).toMatchObject({ status: 'pass' });
    expect(check(r, 'log-inclusion')!.message).toContain(
      'entry 0 of the transparency log "localhost/docprov-log"',
    );
    expect(r.log).toMatchObject({ origin: 'localhost/docprov-log', index: 0, treeSize: 1 });
    expect(r.provenance).toMatchObject({
      sourcePath: `pipeline/sources/${ID}`,
      builder: 'https://docprov.example/builders/local/v1',
    });
    // Listed in the manifest and in SHA256SUMS; the log proof comes after both, so neither lists it.
    const sums = readFileSync(join(folder, 'SHA256SUMS'), 'utf8');
    expect(sums).toContain('  provenance.intoto.json\n');
    expect(sums).not.toContain('tlog-proof');
  });

  it('the statement: in-toto v1, SLSA v1, subjects = the document files, sources and tools with digests', () => {
    const env = JSON.parse(readFileSync(join(folder, 'provenance.intoto.json'), 'utf8'));
    expect(env.payloadType).toBe('application/vnd.in-toto+json');
    const s = JSON.parse(Buffer.from(env.payload, 'base64').toString('utf8'));
    expect(s._type).toBe('https://in-toto.io/Statement/v1');
    expect(s.predicateType).toBe('https://slsa.dev/provenance/v1');
    const sha = (n: string) =>
      spawnSync('sha256sum', [join(folder, n)], { encoding: 'utf8' }).stdout.slice(0, 64);
    expect(s.subject).toEqual(
      [`${ID}.metadata.json`, `${ID}.pdf`, `${ID}.txt`].map((name) => ({
        name,
        digest: { sha256: sha(name) },
      })),
    );
    const b = s.predicate.buildDefinition;
    expect(b.buildType).toBe('https://docprov.example/buildtypes/document/v1');
    expect(b.externalParameters).toMatchObject({
      document: ID,
      sourcePath: `pipeline/sources/${ID}`,
    });
    expect(b.internalParameters).toEqual({
      docprovVersion: '0.1.0',
      SOURCE_DATE_EPOCH: '1795000000',
    });
    const deps = b.resolvedDependencies.map((d: { name: string }) => d.name);
    expect(deps).toEqual([
      `pipeline/sources/${ID}/source.txt`,
      `pipeline/sources/${ID}/metadata.json`,
      'SourceSerif4_400Regular.ttf',
      'harfbuzz.wasm',
      'harfbuzz-subset.wasm',
      'package-lock.json',
    ]);
    const src = spawnSync('sha256sum', [join(LETTER_DIR, 'source.txt')], {
      encoding: 'utf8',
    }).stdout.slice(0, 64);
    expect(b.resolvedDependencies[0].digest.sha256).toBe(src);
    // git's own id of the bytes, so a reader can match a checkout (git hash-object).
    const blob = spawnSync('git', ['hash-object', join(LETTER_DIR, 'source.txt')], {
      encoding: 'utf8',
    });
    if (blob.status === 0)
      expect(b.resolvedDependencies[0].digest.gitBlob).toBe(blob.stdout.trim());
    expect(s.predicate.runDetails.builder.id).toBe('https://docprov.example/builders/local/v1');
    const commit = spawnSync('git', ['-C', LETTER_DIR, 'log', '-1', '--format=%H', '--', '.'], {
      encoding: 'utf8',
    });
    if (commit.status === 0 && commit.stdout.trim())
      expect(b.externalParameters.gitCommit).toBe(commit.stdout.trim());
  });

  it('openssl (the PAE rebuilt by Python) and sigstore-js accept the envelope, and refuse a changed one', () => {
    const good = readFileSync(join(folder, 'provenance.intoto.json'), 'utf8');
    expect(opensslJudge(join(folder, 'provenance.intoto.json'))).toBe('Verified OK');
    expect(sigstoreJudge(good)).toBe('verified');
    const e = JSON.parse(good);
    const s = JSON.parse(Buffer.from(e.payload, 'base64').toString('utf8'));
    s.subject[1].digest.sha256 = '0'.repeat(64);
    e.payload = Buffer.from(JSON.stringify(s)).toString('base64');
    const bad = join(tmp(), 'provenance.intoto.json');
    writeFileSync(bad, JSON.stringify(e));
    expect(opensslJudge(bad)).toBe('Verification failure');
    expect(sigstoreJudge(JSON.stringify(e))).toMatch(/^refused: signature verification failed/);
  });

  it("Go's sumdb/note and sumdb/tlog accept the folder's proof and the log", () => {
    const inc = judge('inclusion', vkey, folder);
    expect(inc.code, inc.out).toBe(0);
    expect(inc.out).toBe('ok index 0 of localhost/docprov-log size 1\n');
    expect(judge('log', vkey, join(art, 'log')).code).toBe(0);
  });

  it('docprov provenance says it in plain words', () => {
    const r = docprov(['provenance', folder]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /✓ signed \(DSSE\) by "[^"]*docprov test signer[^"]*", the signer of manifest\.json/,
    );
    expect(r.stdout).toContain(`✓ it is about document "${ID}" and names exactly its files`);
    expect(r.stdout).toContain(`made from pipeline/sources/${ID}`);
    expect(r.stdout).toContain('SOURCE_DATE_EPOCH=1795000000 (2026-11-18T11:06:40.000Z)');
    expect(r.stdout).toContain("(docprov's id for a build on someone's own machine, not in CI)");
  });
});

describe('docprov provenance: plain errors', () => {
  it('a folder without provenance, or with a manifest that is not JSON: exit 2, said with a hint', () => {
    const dir = join(tmp(), ID);
    cpSync(folder, dir, { recursive: true });
    writeFileSync(join(dir, 'manifest.json'), '{');
    const bad = docprov(['provenance', dir]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain(`docprov: error: ${join(dir, 'manifest.json')} is not JSON`);
    spawnSync('rm', [join(dir, 'provenance.intoto.json')]);
    const none = docprov(['provenance', dir]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain(`docprov: error: ${dir} has no provenance.intoto.json`);
    expect(none.stderr).toMatch(/\ndocprov: hint: /);
  });
});

describe('a changed byte anywhere is refused', () => {
  const tampered = (edit: (dir: string) => void) => {
    const dir = join(tmp(), ID);
    cpSync(folder, dir, { recursive: true });
    edit(dir);
    return dir;
  };
  const flip = (path: string, at: (b: Buffer) => number) => {
    const b = readFileSync(path);
    const i = at(b);
    b[i] = b[i]! ^ 1;
    writeFileSync(path, b);
  };

  it('a subject (the text): provenance and artifacts fail, invalid', () => {
    const dir = tampered((d) => flip(join(d, `${ID}.txt`), () => 10));
    const r = verifyJson(dir);
    expect(r.verdict).toBe('invalid');
    expect(check(r, 'provenance')).toMatchObject({ status: 'fail', code: 'provenance-mismatch' });
    expect(check(r, 'provenance')!.message).toContain(`${ID}.txt differs from its subject digest`);
    expect(docprov(['provenance', dir]).code).toBe(1);
  });

  it('the statement: its signature fails, invalid; openssl and sigstore refuse it too', () => {
    const dir = tampered((d) =>
      flip(join(d, 'provenance.intoto.json'), (b) => b.indexOf('"payload":"') + 40),
    );
    const r = verifyJson(dir);
    expect(r.verdict).toBe('invalid');
    expect(check(r, 'provenance')).toMatchObject({ status: 'fail', code: 'bad-signature' });
    expect(opensslJudge(join(dir, 'provenance.intoto.json'))).toBe('Verification failure');
    expect(sigstoreJudge(readFileSync(join(dir, 'provenance.intoto.json'), 'utf8'))).toMatch(
      /^refused/,
    );
  });

  it('the proof or its checkpoint: log-inclusion fails, invalid; Go refuses too', () => {
    for (const [what, edit] of [
      [
        'the index',
        (d: string) =>
          writeFileSync(
            join(d, 'manifest.json.tlog-proof'),
            readFileSync(join(d, 'manifest.json.tlog-proof'), 'utf8').replace('index 0', 'index 1'),
          ),
      ],
      [
        'the root',
        (d: string) => flip(join(d, 'manifest.json.tlog-proof'), (b) => b.indexOf('\n1\n') + 5),
      ],
      [
        'the signature',
        (d: string) => flip(join(d, 'manifest.json.tlog-proof'), (b) => b.length - 10),
      ],
    ] as const) {
      const dir = tampered(edit);
      const r = verifyJson(dir);
      expect(r.verdict, what).toBe('invalid');
      expect(check(r, 'log-inclusion'), what).toMatchObject({
        status: 'fail',
        code: 'bad-log-proof',
      });
      expect(judge('inclusion', vkey, dir).code, what).toBe(1);
    }
  });

  it('no proof where the signed manifest names a log: cannot check, naming the missing file', () => {
    const dir = tampered((d) => spawnSync('rm', [join(d, 'manifest.json.tlog-proof')]));
    const r = docprov(['verify', dir, '--trust', join(pkiDir(), 'root.pem'), '--json']);
    expect(r.code).toBe(2);
    expect(JSON.parse(r.stdout).error.code).toBe('cannot-check');
    expect(r.stderr).toContain('manifest.json.tlog-proof is missing');
  });

  it('a checkpoint by another key than the one docprov pins for the log: untrusted', async () => {
    const files = new Map(
      readdirSync(folder)
        .filter((n) => !n.endsWith('.pdf'))
        .map((n) => [n, new Uint8Array(readFileSync(join(folder, n)))]),
    );
    const other = loadLogKey('localhost/docprov-log', {
      DOCPROV_LOG_KEY: join(pkiDir(), 'other-log.key'),
    });
    const report = await verifyFolder(
      {
        name: ID,
        files,
        pdf: { name: `${ID}.pdf`, source: memorySource(readFileSync(join(folder, `${ID}.pdf`))) },
        schema: loadSchema('manifest'),
      },
      {
        crypto: nodeCrypto,
        anchors: loadTrustAnchors([join(pkiDir(), 'root.pem')]),
        now: new Date('2026-12-01T00:00:00Z'),
        logKeys: [parseVerifierKey(nodeCrypto, other.vkey)!],
      },
    );
    expect(report.verdict).toBe('intact-untrusted');
    expect(report.checks.find((c) => c.id === 'log-inclusion')).toMatchObject({
      status: 'fail',
      category: 'trust',
      code: 'untrusted-log',
    });
  });
});

describe('the log over releases', () => {
  it('rebuilding unchanged appends nothing (same bytes); a changed document appends a leaf, and the old checkpoint is consistent with the new', () => {
    const a = join(tmp(), 'artifacts');
    const out = join(a, ID);
    expect(build(LETTER_DIR, out, join(a, 'log')).code).toBe(0);
    const first = Object.fromEntries(
      readdirSync(out).map((n) => [n, readFileSync(join(out, n)).toString('base64')]),
    );
    const cp1 = join(tmp(), 'checkpoint-1');
    cpSync(join(a, 'log', 'checkpoint'), cp1);
    expect(build(LETTER_DIR, out, join(a, 'log')).code).toBe(0);
    expect(
      Object.fromEntries(
        readdirSync(out).map((n) => [n, readFileSync(join(out, n)).toString('base64')]),
      ),
    ).toEqual(first);
    expect(readdirSync(join(a, 'log', 'checkpoints'))).toEqual(['1']);
    // A second release: the metadata changed.
    const src = join(tmp(), ID);
    cpSync(LETTER_DIR, src, { recursive: true });
    const meta = join(src, 'metadata.json');
    writeFileSync(
      meta,
      readFileSync(meta, 'utf8').replace('"human rights"', '"human rights", "withdrawal"'),
    );
    const r = build(src, out, join(a, 'log'));
    expect(r.code, r.stderr).toBe(0);
    expect(readdirSync(join(a, 'log', 'checkpoints')).sort()).toEqual(['1', '2']);
    const v = verifyJson(out);
    expect(v.verdict).toBe('authentic');
    expect(v.log).toMatchObject({ index: 1, treeSize: 2 });
    const cons = docprov(['log', 'verify', cp1, join(a, 'log', 'checkpoint'), '--key', vkey]);
    expect(cons.code, cons.stdout + cons.stderr).toBe(0);
    expect(cons.stdout).toContain('1 entries were added, none removed or changed');
    const proof = join(tmp(), 'proof');
    writeFileSync(
      proof,
      docprov(['log', 'prove', cp1, join(a, 'log', 'checkpoint'), '--key', vkey]).stdout,
    );
    expect(judge('consistency', vkey, cp1, join(a, 'log', 'checkpoint'), proof).out).toBe(
      'ok 1 is a prefix of 2\n',
    );
    expect(judge('log', vkey, join(a, 'log')).out).toMatch(/size 2 .* consistent \[1 2\]/);
  });
});
