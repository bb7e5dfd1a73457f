import { DocprovError } from '../../errors.js';
import type { HbShapeExports, HbSubsetExports } from './exports.js';

// Our own loader for harfbuzzjs's WebAssembly: its JavaScript wrapper fetches the .wasm itself at
// import time (from disk in Node), where docprov's core takes every byte it uses from its caller.

const WASM_PAGE = 65536;

/** The few imports harfbuzz.wasm's Emscripten runtime asks for: heap growth and aborts. */
function emscriptenImports(memory: () => WebAssembly.Memory): WebAssembly.Imports {
  const fail = (what: string) => () => {
    throw new Error(`HarfBuzz: ${what}`);
  };
  return {
    env: {
      emscripten_resize_heap(requested: number): number {
        const m = memory();
        const pages = Math.ceil(((requested >>> 0) - m.buffer.byteLength) / WASM_PAGE);
        try {
          if (pages > 0) m.grow(pages);
          return 1;
        } catch {
          return 0; // malloc then returns 0, which heap.ts turns into an error
        }
      },
      _emscripten_runtime_keepalive_clear() {},
      _abort_js: fail('aborted'),
      _setitimer_js: fail('timers are not supported'),
    },
    wasi_snapshot_preview1: { proc_exit: fail('exited') },
  };
}

async function instantiate<T>(
  bytes: Uint8Array,
  imports: (exports: () => T) => WebAssembly.Imports,
): Promise<T> {
  let exports: T | undefined;
  try {
    const { instance } = await WebAssembly.instantiate(
      bytes as BufferSource,
      imports(() => exports!),
    );
    exports = instance.exports as T;
    return exports;
  } catch (cause) {
    throw new DocprovError('harfbuzz-unavailable', 'cannot load HarfBuzz (WebAssembly)', {
      severity: 'unusable',
      hint: 'the harfbuzzjs package is missing or damaged: run "npm ci"',
      cause,
    });
  }
}

// One instance per module bytes: a process that typesets twice compiles HarfBuzz once.
const shaping = new WeakMap<Uint8Array, Promise<HbShapeExports>>();
const subsetting = new WeakMap<Uint8Array, Promise<HbSubsetExports>>();

export function loadShaping(bytes: Uint8Array): Promise<HbShapeExports> {
  let p = shaping.get(bytes);
  if (!p) {
    p = instantiate<HbShapeExports>(bytes, (hb) => emscriptenImports(() => hb().memory)).then(
      (hb) => {
        hb.__wasm_call_ctors();
        return hb;
      },
    );
    shaping.set(bytes, p);
  }
  return p;
}

export function loadSubsetting(bytes: Uint8Array): Promise<HbSubsetExports> {
  let p = subsetting.get(bytes);
  if (!p) {
    p = instantiate<HbSubsetExports>(bytes, () => ({})).then((hb) => {
      hb._initialize();
      return hb;
    });
    subsetting.set(bytes, p);
  }
  return p;
}
