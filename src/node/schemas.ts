import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ValidateFunction } from 'ajv';
import { DocprovError } from '../core/errors.js';
import { PACKAGE_ROOT } from './package-root.js';

const require = createRequire(import.meta.url);
const compiled = new Map<string, ValidateFunction>();

/** The validator `npm run build` compiled ahead of time, if it was made from exactly this text. */
export function precompiled(name: string, text: string): ValidateFunction | undefined {
  let v: (ValidateFunction & { schemaSha256?: string }) | undefined;
  try {
    v = require(`${PACKAGE_ROOT}dist/schemas/${name}.cjs`) as typeof v;
  } catch {
    return undefined;
  }
  const sha256 = createHash('sha256').update(text).digest('hex');
  return v?.schemaSha256 === sha256 ? v : undefined;
}

/**
 * ajv, for a schema edited since `npm run build`: its own bundle, required only then, so no
 * command carries ajv's ~150 KB to every cold start.
 */
function compiledNow(schema: object): ValidateFunction {
  let compiler: { compileSchema(s: object): ValidateFunction };
  try {
    compiler = require(`${PACKAGE_ROOT}dist/bundle/schema-compiler.cjs`) as typeof compiler;
  } catch (e) {
    throw new DocprovError(
      'cannot-start',
      `cannot compile a schema: ${(e as Error).message.split('\n')[0]}`,
      {
        severity: 'unusable',
        hint: 'the compiled files are missing or damaged: run "npm ci" (or "npm run build")',
      },
    );
  }
  return compiler.compileSchema(schema);
}

/** Loads `schemas/<name>.schema.json` and its validator once per process. */
export function loadSchema(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const text = readFileSync(`${PACKAGE_ROOT}schemas/${name}.schema.json`, 'utf8');
    v = precompiled(name, text) ?? compiledNow(JSON.parse(text) as object);
    compiled.set(name, v);
  }
  return v;
}
