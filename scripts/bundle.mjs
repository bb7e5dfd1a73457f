#!/usr/bin/env node
// One CommonJS file per command (dist/bundle/<name>.cjs), made from the compiled dist/ by esbuild.
// Why: a cold `docprov verify` spent ~45 ms resolving and linking ~90 ES modules; a bundle is one
// file. bin/docprov.cjs loads the bundle of the command it is given, else dist/cli/main.js.
import { build } from 'esbuild';
import { readdirSync, rmSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const cli = path.join(root, 'dist', 'cli');
const out = path.join(root, 'dist', 'bundle');

// Commands that typeset or rebuild need every library; bundling them saves their module loading.
// The others keep node_modules external: what they use rarely (pdf-lib for attached files, ajv
// for a manifest) stays loaded on demand instead of being parsed on every start.
const SELF_CONTAINED = new Set(['build', 'check']);

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
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      packages: SELF_CONTAINED.has(name) ? 'bundle' : 'external',
      // dist/bundle/x.cjs sits two folders below the package root, as dist/node/x.js does.
      define: { 'import.meta.url': 'importMetaUrl' },
      banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
      legalComments: 'none',
      logLevel: 'warning',
    }),
  ),
);
