import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { setFlagsFromString } from 'node:v8';
import { DocprovError } from '../core/errors.js';
import type { HarfBuzzWasm } from '../core/typeset/harfbuzz.js';

const require = createRequire(import.meta.url);
let cached: HarfBuzzWasm | undefined;

/** HarfBuzz's WebAssembly builds (shaping, hb-subset) from the harfbuzzjs package (MIT). */
export function harfbuzzWasm(): HarfBuzzWasm {
  if (!cached) {
    // WebAssembly stays on V8's baseline compiler. Otherwise V8 recompiles hb-subset's largest
    // function with its optimising compiler (~300 ms of CPU here), which slows the build on two
    // cores and which Node waits for before it exits. The tier changes speed, never a result
    // (test/typeset-units.test.ts builds the letter with the optimising tier alone).
    setFlagsFromString('--liftoff-only');
    cached = {
      shape: read('harfbuzzjs/dist/harfbuzz.wasm'),
      subset: read('harfbuzzjs/dist/harfbuzz-subset.wasm'),
    };
  }
  return cached;
}

function read(name: string): Uint8Array {
  try {
    return new Uint8Array(readFileSync(require.resolve(name)));
  } catch (cause) {
    // A missing file is a broken installation, not a bug: say how to repair it.
    throw new DocprovError('harfbuzz-unavailable', `cannot read ${name}`, {
      severity: 'unusable',
      hint: 'the harfbuzzjs package is missing or damaged: run "npm ci"',
      cause,
    });
  }
}
