// Makes the hostile corpus (issue 10 item 5): small files, and non-regular inputs, each of which
// must get a verdict (exit 1) or a clear error (exit 2) within 5 s and 300 MB of memory.
// Run by test/hostile.test.ts; nothing is committed but the scripts.
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostileCase, HostileExpect } from './case.js';
import { dssCases } from './dss-bombs.js';
import { sigCases } from './sig-bombs.js';
import { sparseChainCase } from './sparse-chain.js';
import { specialCases } from './special-inputs.js';
import { streamCases } from './stream-bombs.js';
import { syntaxCases } from './syntax-bombs.js';
import { xrefCases } from './xref-bombs.js';

export interface HostileFile {
  name: string;
  /** The input's path ("-" for standard input). */
  file: string;
  /** The arguments after `docprov verify`. */
  args: string[];
  stdin?: string;
  expect: HostileExpect;
  why: string;
}

export function hostileCases(): HostileCase[] {
  return [
    ...syntaxCases(),
    ...xrefCases(),
    sparseChainCase(),
    ...streamCases(),
    ...sigCases(),
    ...dssCases(),
    ...specialCases(),
  ];
}

export async function makeHostile(
  outDir = mkdtempSync(join(tmpdir(), 'docprov-hostile-')),
): Promise<HostileFile[]> {
  mkdirSync(outDir, { recursive: true });
  const out: HostileFile[] = [];
  for (const c of hostileCases()) {
    const made = await c.make(outDir);
    out.push({ name: c.name, ...made, expect: c.expect, why: c.why });
  }
  return out;
}
