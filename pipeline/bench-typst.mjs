#!/usr/bin/env node
// node pipeline/bench-typst.mjs DIR FONT...: one process, one typst compiler
// (@myriaddreamin/typst-ts-node-compiler), compiling every DIR/*.typ to a PDF beside it.
// The bench (bench-archive.mjs) times the whole process, start to end, with GNU time.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { NodeCompiler } from '@myriaddreamin/typst-ts-node-compiler';

const [dir, ...fonts] = process.argv.slice(2);
const compiler = NodeCompiler.create({
  workspace: dir,
  // The same two faces docprov sets the letters in; no system fonts.
  fontArgs: [{ fontBlobs: fonts.map((f) => readFileSync(f)) }],
});
let failed = 0;
for (const name of readdirSync(dir).filter((n) => n.endsWith('.typ'))) {
  try {
    const pdf = compiler.pdf({ mainFileContent: readFileSync(path.join(dir, name), 'utf8') });
    writeFileSync(path.join(dir, name.replace(/\.typ$/, '.pdf')), pdf);
  } catch (e) {
    failed++;
    if (failed <= 3) console.error(`typst: ${name}: ${e?.message ?? e}`);
  }
  // As typst's own tools do between compilations (its suggested age for non-watch tools).
  compiler.evictCache(10);
}
if (failed) {
  console.error(`typst: ${failed} document(s) failed`);
  process.exit(1);
}
