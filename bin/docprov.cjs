#!/usr/bin/env node
'use strict';
// Launcher. `npm ci` (prepare) compiles src/ into dist/ and bundles each command into
// dist/bundle/<command>.cjs (scripts/bundle.mjs): one file to load instead of ~90 modules.
// Without a bundle (no command given, or DOCPROV_NO_BUNDLE set) the modular CLI in
// dist/cli/main.js runs; both behave the same (test/launcher.test.ts).
const { existsSync, readFileSync, renameSync, writeFileSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

/**
 * Loads a bundle with V8's code cache beside it (<bundle>.v8cache): without it, compiling
 * build.cjs's 4.8 MB cost 130-250 ms of a cold build here. V8 rejects a cache made by another V8
 * or for other source, so a stale one is only slower. Needs import() from vm code (Node 20.12+):
 * older Node requires the bundle uncached.
 */
function loadBundle(file) {
  const dynamicImport = vm.constants && vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  if (!dynamicImport) return { exports: require(file), saveCache() {} };
  const cacheFile = `${file}.v8cache`;
  let cachedData;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache yet: the first successful run writes one
  }
  const script = new vm.Script(Module.wrap(readFileSync(file, 'utf8')), {
    filename: file,
    cachedData,
    importModuleDynamically: dynamicImport,
  });
  const mod = { exports: {} };
  script.runInThisContext()(mod.exports, Module.createRequire(file), mod, file, path.dirname(file));
  return {
    exports: mod.exports,
    // Written after a successful run, so it holds the functions a real run compiles.
    saveCache() {
      if (cachedData && !script.cachedDataRejected) return;
      try {
        const tmp = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, cacheFile);
      } catch {
        // a read-only install runs without a cache
      }
    },
  };
}

/** A launcher failure is a broken install (no dist/, a damaged bundle): say so, exit 2. */
function fail(e) {
  process.stderr.write(
    `docprov: error: cannot start: ${e && e.message ? e.message.split('\n')[0] : String(e)}\n` +
      'docprov: hint: the compiled files are missing or damaged: run "npm ci" (or "npm run build")\n',
  );
  if (process.argv.includes('--debug') && e && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = 2;
}

const argv = process.argv.slice(2);
const bundle = /^[a-z]+$/.test(argv[0] ?? '')
  ? path.join(__dirname, '..', 'dist', 'bundle', `${argv[0]}.cjs`)
  : undefined;
if (bundle && !process.env.DOCPROV_NO_BUNDLE && existsSync(bundle)) {
  let loaded;
  try {
    loaded = loadBundle(bundle);
  } catch (e) {
    fail(e);
  }
  if (loaded)
    Promise.resolve(loaded.exports.run(argv)).then((code) => {
      process.exitCode = code;
      if (code === 0) loaded.saveCache();
    }, fail);
} else {
  import('../dist/cli/main.js').then(async (cli) => {
    process.exitCode = await cli.main(argv);
  }, fail);
}
