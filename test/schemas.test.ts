import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileSchema } from '../src/core/metadata/schema.js';
import { memorySource } from '../src/core/pdf/source.js';
import { verifyPdfFile } from '../src/core/verify/verify.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { loadSchema, precompiled } from '../src/node/schemas.js';
import { loadTrustAnchors } from '../src/node/trust-store.js';
import { docprov } from './helpers/cli.js';
import { LETTER_DIR, ROOT } from './helpers/paths.js';

const ID = 'khalaf-2017-03-17';
const names = readdirSync(`${ROOT}schemas`)
  .filter((f) => f.endsWith('.schema.json'))
  .map((f) => f.slice(0, -'.schema.json'.length))
  .sort();
const schemaText = (name: string) => readFileSync(`${ROOT}schemas/${name}.schema.json`, 'utf8');
const clone = <T>(x: T): T => JSON.parse(JSON.stringify(x));
/** A valid document and copies of it broken in several ways, each a different schema keyword. */
const variants = (good: any, breaks: ((m: any) => void)[]): unknown[] => [
  good,
  ...breaks.map((change) => {
    const m = clone(good);
    change(m);
    return m;
  }),
  [],
  null,
  'text',
];

async function samples(name: string): Promise<unknown[]> {
  switch (name) {
    case 'letter-metadata':
      return variants(JSON.parse(readFileSync(`${LETTER_DIR}/metadata.json`, 'utf8')), [
        (m) => Object.assign(m, { colour: 1, date: 'soon', place: undefined }),
        (m) => Object.assign(m, { language: 'english!', keywords: 'apartheid' }),
        (m) => Object.assign(m, { source: { url: 'not a uri' }, id: 'Khalaf 2017' }),
        (m) => (m.related[0].relation = 'likes'),
      ]);
    case 'manifest':
      return variants(JSON.parse(readFileSync(`${ROOT}artifacts/${ID}/manifest.json`, 'utf8')), [
        (m) => delete m.signer,
        (m) => (m.format = 'docprov-manifest/2'),
        (m) => (m.artifacts = []),
        (m) => (m.artifacts[0].sha256 = 'not hex'),
        (m) => Object.assign(m.document, { id: 'Not An Id', extra: true }),
      ]);
    case 'verification-report': {
      const pdf = readFileSync(`${ROOT}artifacts/${ID}/${ID}.pdf`);
      const report = await verifyPdfFile(
        { name: `${ID}.pdf`, source: memorySource(pdf) },
        { crypto: nodeCrypto, anchors: loadTrustAnchors(), now: new Date('2027-01-01T00:00:00Z') },
      );
      return variants(report, [
        (m) => (m.verdict = 'fine'),
        (m) => delete m.checks,
        (m) => (m.checks[0].status = 'maybe'),
        (m) => (m.signer.fingerprint = 'ABC'),
        (m) => Object.assign(m, { kind: 'zip', extra: 1 }),
      ]);
    }
    case 'error': {
      const r = docprov(['verify', '/nonexistent.pdf', '--json']);
      return variants(JSON.parse(r.stdout), [
        (m) => (m.exitCode = 0),
        (m) => delete m.error.message,
        (m) => (m.error.code = 'Not A Code'),
        (m) => Object.assign(m, { format: 'docprov-error/2', extra: 1 }),
        (m) => (m.problems = [{ code: 'x', message: 'y', location: { line: 0, column: 1 } }]),
      ]);
    }
    default:
      throw new Error(`no sample documents for schemas/${name}.schema.json: add some here`);
  }
}

describe('ahead-of-time validators (npm run build: scripts/compile-schemas.mjs)', () => {
  it('cover every schema in schemas/', () => {
    expect(names).toEqual(['error', 'letter-metadata', 'manifest', 'verification-report']);
  });

  it.each(names)('%s: made from the schema on disk and used by loadSchema', (name) => {
    const ahead = precompiled(name, schemaText(name));
    expect(typeof ahead).toBe('function');
    expect(loadSchema(name)).toBe(ahead);
  });

  it.each(names)(
    '%s: the same verdict and the same errors as ajv compiling the schema',
    async (name) => {
      const ahead = precompiled(name, schemaText(name))!;
      const atRuntime = compileSchema(JSON.parse(schemaText(name)));
      const verdicts: boolean[] = [];
      for (const input of await samples(name)) {
        const ok = atRuntime(input);
        verdicts.push(ok);
        expect(ahead(input), JSON.stringify(input)?.slice(0, 80)).toBe(ok);
        expect(ahead.errors ?? null).toEqual(atRuntime.errors ?? null);
      }
      // The samples hold a valid document and several failures, so both paths are compared.
      expect(verdicts[0]).toBe(true);
      expect(verdicts.filter((v) => !v).length).toBeGreaterThanOrEqual(5);
    },
  );

  it('are not used for a schema that changed since the build', () => {
    for (const name of names)
      expect(precompiled(name, schemaText(name).replace('"$id"', '"$id" '))).toBeUndefined();
  });
});
