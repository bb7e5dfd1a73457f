#!/usr/bin/env node
// Compiles schemas/*.schema.json ahead of time into ajv standalone validators (dist/schemas/*.cjs).
// Why: compiling the schemas (and ajv's 2020-12 meta-schema) took ~190 ms of a cold build.
// Each file records the SHA-256 of the schema text it came from; src/node/schemas.ts uses it
// only when the schema on disk still has that digest, and compiles the schema otherwise.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import standaloneCode from 'ajv/dist/standalone/index.js';
import { schemaCompiler } from '../dist/core/metadata/schema.js';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'dist', 'schemas');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
for (const file of readdirSync(path.join(root, 'schemas')).filter((f) =>
  f.endsWith('.schema.json'),
)) {
  const text = readFileSync(path.join(root, 'schemas', file), 'utf8');
  const ajv = schemaCompiler(true);
  const code = standaloneCode.default(ajv, ajv.compile(JSON.parse(text)));
  const sha256 = createHash('sha256').update(text).digest('hex');
  writeFileSync(
    path.join(out, file.replace(/\.schema\.json$/, '.cjs')),
    `${code}\nmodule.exports.schemaSha256 = ${JSON.stringify(sha256)};\n`,
  );
}
