// Makes the interop corpus (issue 10 item 4): PDFs signed by other tools with the throw-away test
// root, each with the verdict the standards give it and what pdfsig and mutool say of it.
// Run by test/interop.test.ts; nothing is committed but the scripts.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Verdict } from '../../src/core/verify/report.js';
import { nssDbTrusting } from '../helpers/nss.js';
import { makeBases } from './bases.js';
import type { Case, CaseContext } from './case.js';
import { opensslCases } from './cases-openssl.js';
import { policyCases } from './cases-policy.js';
import { longTermCases } from './cases-long-term.js';
import { revisionCases } from './cases-revisions.js';
import { toolCases } from './cases-tools.js';
import { mutoolJudge, pdfsigJudge, type JudgeVerdict } from './judges.js';

export interface InteropFile {
  name: string;
  file: string;
  expect: Verdict;
  why: string;
  says?: RegExp;
  judges: { pdfsig: JudgeVerdict; mutool: JudgeVerdict };
}

/** Runs `work` over `items`, `width` at a time (the judges are separate processes). */
async function pool<T, R>(items: T[], width: number, work: (t: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: width }, lane));
  return out;
}

export async function makeInterop(
  pkiDir: string,
  outDir = mkdtempSync(join(tmpdir(), 'docprov-interop-')),
): Promise<InteropFile[]> {
  mkdirSync(outDir, { recursive: true });
  const work = mkdtempSync(join(tmpdir(), 'docprov-interop-work-'));
  const ctx: CaseContext = { pkiDir, bases: await makeBases(work), work };
  const cases: Case[] = [
    ...toolCases(ctx),
    ...opensslCases(ctx),
    ...revisionCases(ctx),
    ...longTermCases(ctx),
    ...policyCases(ctx),
  ];
  const made: Omit<InteropFile, 'judges'>[] = [];
  // One at a time: the tool signers share the scratch folder's file names.
  for (const c of cases) {
    const file = join(outDir, `${c.name}.pdf`);
    writeFileSync(file, await c.make());
    made.push({
      name: c.name,
      file,
      expect: c.expect,
      why: c.why,
      ...(c.says ? { says: c.says } : {}),
    });
  }
  const nss = nssDbTrusting(join(pkiDir, 'root.pem'));
  return pool(made, 4, async (m) => ({
    ...m,
    judges: { pdfsig: await pdfsigJudge(m.file, nss), mutool: await mutoolJudge(m.file) },
  }));
}
