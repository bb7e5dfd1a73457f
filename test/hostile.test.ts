// Issue 10 item 5: every hostile input gets a verdict (exit 1) or a clear error (exit 2), within
// 5 s and 300 MB, through the default launcher after a first run.
import { beforeAll, describe, expect, it } from 'vitest';
import { docprov } from './helpers/cli.js';
import { corpusDir, LIMITS, recordRow, runCorpusFile, writeIndex } from './helpers/corpus-run.js';
import { makeHostile } from './hostile/make-hostile.js';

// Made while the tests are collected: one test per input, named after it.
const dir = corpusDir('hostile');
const corpus = await makeHostile(dir);
writeIndex(dir, corpus);

beforeAll(() => {
  // "After a first run": the launcher's code cache exists, as it does for every later user.
  docprov(['verify', 'artifacts/khalaf-2017-03-17/khalaf-2017-03-17.pdf']);
});

describe('the hostile corpus', () => {
  it('has the inputs the issue asks for', () => {
    expect(corpus.length).toBeGreaterThanOrEqual(25);
    expect(corpus.filter((f) => f.expect === 'could-not-run').length).toBeGreaterThanOrEqual(8);
  });
});

describe.each(corpus)('$name', (f) => {
  it(`gets ${f.expect === 'could-not-run' ? 'a clear error' : 'a verdict'} in time (${f.why})`, async () => {
    const r = await runCorpusFile(f.args, f.stdin);
    recordRow([
      f.name,
      f.expect,
      r.verdict ?? '-',
      r.code,
      r.seconds.toFixed(2),
      r.rssMb?.toFixed(0) ?? 'killed',
      r.reason,
    ]);
    expect(r.killed, `still running after ${r.seconds.toFixed(1)} s`).toBe(false);
    expect(r.stackTrace, r.stderr).toBe(false);
    if (f.expect !== 'could-not-run') {
      expect(r.verdict, r.reason).toBe(f.expect);
      expect(r.code).toBe(1);
    } else {
      expect(r.code, r.stdout.slice(0, 200)).toBe(2);
      expect(r.stderr).toMatch(/^docprov: error: /m);
    }
    expect(r.seconds).toBeLessThan(LIMITS.seconds);
    expect(r.rssMb).toBeLessThan(LIMITS.rssMb);
  });
});
