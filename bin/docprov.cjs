#!/usr/bin/env node
'use strict';
// Launcher. `npm ci` (prepare) compiles src/ into dist/ and bundles each command into one
// self-contained file, dist/bundle/<command>.cjs (scripts/bundle.mjs). The launcher only
// require()s it: no cache of its own and nothing written at run time, so no start path can
// change a result. Without a bundle (no command given, or DOCPROV_NO_BUNDLE set) the modular CLI
// in dist/cli/main.js runs; both behave the same (test/launcher.test.ts).
const { existsSync } = require('node:fs');
const Module = require('node:module');
const path = require('node:path');

/** A launcher failure is a broken install (no dist/, a damaged bundle): say so, exit 2. */
function fail(e) {
  process.stderr.write(
    `docprov: error: cannot start: ${e && e.message ? e.message.split('\n')[0] : String(e)}\n` +
      'docprov: hint: the compiled files are missing or damaged: run "npm ci" (or "npm run build")\n',
  );
  if (process.argv.includes('--debug') && e && e.stack) process.stderr.write(`${e.stack}\n`);
  process.exitCode = 2;
}

// Node's own compile cache (Node 22.1+, kept outside the installation); nothing on older Node.
if (typeof Module.enableCompileCache === 'function') Module.enableCompileCache();

const argv = process.argv.slice(2);
const bundle = /^[a-z]+$/.test(argv[0] ?? '')
  ? path.join(__dirname, '..', 'dist', 'bundle', `${argv[0]}.cjs`)
  : undefined;
if (bundle && !process.env.DOCPROV_NO_BUNDLE && existsSync(bundle)) {
  let run;
  try {
    run = require(bundle).run;
  } catch (e) {
    fail(e);
  }
  if (run)
    Promise.resolve(run(argv)).then((code) => {
      process.exitCode = code;
    }, fail);
} else {
  import('../dist/cli/main.js').then(async (cli) => {
    process.exitCode = await cli.main(argv);
  }, fail);
}
