import { readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { compileSchema } from '../core/metadata/schema.js';
import { PACKAGE_ROOT } from './package-root.js';

const compiled = new Map<string, ValidateFunction>();

/** Loads and compiles `schemas/<name>.schema.json` once per process. */
export function loadSchema(name: string): ValidateFunction {
  let v = compiled.get(name);
  if (!v) {
    const schema = JSON.parse(
      readFileSync(`${PACKAGE_ROOT}schemas/${name}.schema.json`, 'utf8'),
    ) as object;
    v = compileSchema(schema);
    compiled.set(name, v);
  }
  return v;
}
