#!/usr/bin/env node
// One self-contained CommonJS file per command (dist/bundle/<name>.cjs), made from the compiled
// dist/ by esbuild. Why: a cold start spent ~45 ms resolving and linking ~90 ES modules; a bundle
// is one file. Every package is inside the bundle, and the build fails if an import() survives:
// a bundle that loads code at run time behaves differently under other loaders (an import() lost
// inside a code-cached vm.Script once turned every xref-stream PDF into NOT AUTHENTIC).
import { build } from 'esbuild';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli');
const out = path.join(root, 'dist', 'bundle');

/** What every bundle is built with: the commands' and the worker threads' alike. */
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'bundle',
  // The PKCS#11 binding has a native part (a .node file esbuild cannot pack): it is loaded
  // from node_modules at run time, and only when a pkcs11: URI is used.
  external: ['pkcs11js'],
  // dist/bundle/x.cjs sits two folders below the package root, as dist/node/x.js does.
  define: { 'import.meta.url': 'importMetaUrl' },
  banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  legalComments: 'none',
  // Less to parse on every cold start; names are kept, so messages and stacks read the same.
  minify: true,
  keepNames: true,
  logLevel: 'warning',
};

rmSync(out, { recursive: true, force: true });
const names = readdirSync(path.join(cli, 'commands'))
  .filter((f) => f.endsWith('.js'))
  .map((f) => f.slice(0, -3));
await Promise.all(
  names.map((name) =>
    build({
      stdin: {
        contents: `import { ${name}Command } from './commands/${name}.js';
import { commandLine } from './run-command.js';
export const run = commandLine(${name}Command);`,
        resolveDir: cli,
        sourcefile: `${name}-entry.js`,
        loader: 'js',
      },
      outfile: path.join(out, `${name}.cjs`),
      ...common,
    }),
  ),
);
// The worker threads' code (src/cli/batch/pool.ts): build, verify and check of one document.
await build({
  entryPoints: [path.join(cli, 'batch', 'worker.js')],
  outfile: path.join(out, 'pool-worker.cjs'),
  ...common,
});
names.push('pool-worker');
// ajv, for a schema edited since the build (src/node/schemas.ts requires it only then).
await build({
  entryPoints: [path.join(root, 'dist', 'core', 'metadata', 'schema.js')],
  outfile: path.join(out, 'schema-compiler.cjs'),
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'bundle',
  legalComments: 'none',
  minify: true,
  keepNames: true,
  logLevel: 'warning',
});
names.push('schema-compiler');

// A dynamic import() left in a bundle would load code from outside it at run time.
const leaks = names.filter((name) =>
  /\bimport\s*\(/.test(readFileSync(path.join(out, `${name}.cjs`), 'utf8')),
);
if (leaks.length) {
  console.error(
    `bundle: error: import() survives in ${leaks.map((n) => `dist/bundle/${n}.cjs`).join(', ')}; every bundle must be self-contained`,
  );
  process.exit(1);
}
