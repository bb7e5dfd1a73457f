#!/usr/bin/env node
// Builds dist/verify.html: the verifier as one self-contained page (script, style, the worker,
// pdf.js and its worker, the trust roots and the manifest validator all inline), from the same
// src/core the CLI runs. Deterministic: the same sources give the same bytes. Nothing in it may
// fetch anything: a Content-Security-Policy forbids every request, and the scripts run by hash.
import { build } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const web = path.join(root, 'src', 'web');
const out = path.join(root, 'dist', 'verify.html');
const read = (...p) => readFileSync(path.join(root, ...p), 'utf8');

const version = JSON.parse(read('package.json')).version;
const roots = readdirSync(path.join(root, 'trust', 'roots'))
  .filter((f) => f.endsWith('.pem'))
  .sort()
  .map((name) => ({ name, pem: read('trust', 'roots', name) }));
// The CRLs the CLI weighs with every file's own revocation data (trust/revocation/).
const crls = readdirSync(path.join(root, 'trust', 'revocation'))
  .filter((f) => f.endsWith('.pem'))
  .sort()
  .map((name) => ({ name, pem: read('trust', 'revocation', name) }));
// The transparency log keys the CLI pins (trust/logs/*.vkey), pinned in the page too.
const logs = readdirSync(path.join(root, 'trust', 'logs'))
  .filter((f) => f.endsWith('.vkey'))
  .sort()
  .map((name) => ({ name, vkey: read('trust', 'logs', name).trim() }));

/** The ajv standalone validator that scripts/compile-schemas.mjs made, as `docprov:manifest-schema`. */
const schemaPlugin = {
  name: 'docprov-schema',
  setup(b) {
    b.onResolve({ filter: /^docprov:manifest-schema$/ }, () => ({
      path: path.join(root, 'dist', 'schemas', 'manifest.cjs'),
    }));
  },
};

async function bundle(entry) {
  const r = await build({
    entryPoints: [path.join(web, entry)],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: ['chrome120', 'firefox128', 'safari17'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    define: {
      DOCPROV_TRUST_ROOTS: JSON.stringify(roots),
      DOCPROV_TRUST_CRLS: JSON.stringify(crls),
      DOCPROV_TRUST_LOGS: JSON.stringify(logs),
      DOCPROV_VERSION: JSON.stringify(version),
    },
    plugins: [schemaPlugin],
    logLevel: 'warning',
  });
  return r.outputFiles[0].text;
}

/** Script text safe inside <script>: "</script" and "<!--" would end or confuse the element. */
function inline(js, what) {
  const safe = js.replaceAll('</script', '<\\/script');
  if (/<!--|<script/i.test(safe)) throw new Error(`build-page: ${what} holds "<!--" or "<script"`);
  return safe;
}

const [script, worker] = await Promise.all([bundle('page/main.ts'), bundle('worker/main.ts')]);
const pdfWorker = read('node_modules', 'pdfjs-dist', 'build', 'pdf.worker.min.mjs');
const style = read('src', 'web', 'page', 'style.css');
const page = inline(script, 'the page script');
const sha = (s) => `'sha256-${createHash('sha256').update(s).digest('base64')}'`;
const csp = [
  "default-src 'none'",
  `script-src ${sha(page)}`,
  `style-src ${sha(style)}`,
  'worker-src data:',
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');
// Whole elements replace comments in the template: a formatter cannot add whitespace to
// their text, which would no longer match its hash.
const fill = {
  CSP: csp,
  VERSION: version,
  STYLE: `<style>${style}</style>`,
  SCRIPT: `<script>${page}</script>`,
  VERIFIER_WORKER: `<script type="text/plain" id="verifier-worker">${inline(worker, 'the verifier worker')}</script>`,
  PDF_WORKER: `<script type="text/plain" id="pdf-worker">${inline(pdfWorker, 'the pdf.js worker')}</script>`,
};
const html = read('src', 'web', 'page', 'index.html').replace(
  /<!--\{\{([A-Z_]+)\}\}-->|\{\{([A-Z_]+)\}\}/g,
  (_, a, b) => {
    const k = a ?? b;
    if (!(k in fill)) throw new Error(`build-page: no value for {{${k}}}`);
    return fill[k];
  },
);
writeFileSync(out, html);
