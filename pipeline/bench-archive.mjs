// The archive section of npm run bench: N synthetic letters (default 1,000) built, signed and
// verified from cold by docprov, against pdflatex typesetting the same N (one run each, as many
// at once as there are cores, as docprov's pool runs) and typst compiling the same N in one
// process. Documents a second, CPU time and peak RSS for each; then a rebuild with nothing
// changed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { writeCorpus } from './synthetic.mjs';

const TIME = '/usr/bin/time';

/** GNU time's last line: peak RSS (KiB), user and system seconds. */
const FORMAT = '%M %U %S';
const parseTime = (line) => {
  const [kib, user, sys] = line.trim().split(' ').map(Number);
  return { rss: kib / 1024, cpu: user + sys };
};

/** Wall seconds, CPU seconds and peak RSS (MiB) of one command, by GNU time. */
function timed(cmd, args, opts = {}) {
  const t0 = performance.now();
  const r = spawnSync(TIME, ['-f', FORMAT, cmd, ...args], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    ...opts,
  });
  const wall = (performance.now() - t0) / 1000;
  const lines = r.stderr.trim().split('\n');
  return {
    wall,
    ...parseTime(lines.at(-1)),
    status: r.status,
    stdout: r.stdout,
    stderr: lines.slice(0, -1).join('\n'),
  };
}

/** Runs every command, `jobs` at a time, each under GNU time: total wall and CPU, largest RSS of one. */
async function timedAll(commands, jobs, opts) {
  const t0 = performance.now();
  let rss = 0;
  let cpu = 0;
  let failed = 0;
  let next = 0;
  const one = () =>
    new Promise((done) => {
      const [cmd, args] = commands[next++];
      const p = spawn(TIME, ['-f', FORMAT, cmd, ...args], {
        ...opts,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let err = '';
      p.stderr.on('data', (d) => (err += d));
      p.on('close', (code) => {
        if (code !== 0) failed++;
        const t = parseTime(err.trim().split('\n').at(-1));
        rss = Math.max(rss, t.rss || 0);
        cpu += t.cpu || 0;
        done();
      });
    });
  const lane = async () => {
    while (next < commands.length) await one();
  };
  await Promise.all(Array.from({ length: jobs }, lane));
  return { wall: (performance.now() - t0) / 1000, cpu, rss, failed };
}

// The single-letter reference's LaTeX (bench.mjs), for any letter. What T1 Latin Modern cannot
// set is replaced so that every letter compiles: letters outside Latin-1 and Latin Extended-A by
// their base letter, Arabic letters by a box of about their width.
function latexChar(ch) {
  const cp = ch.codePointAt(0);
  if (cp < 0x80 || (cp >= 0xa0 && cp <= 0x17f)) return undefined;
  if (/\p{Script=Arabic}/u.test(ch)) return '\\rule{0.45em}{0.5em}';
  if (/\p{M}/u.test(ch)) return '';
  return ch.normalize('NFD').replace(/\p{M}/gu, '') || '?';
}
const escapeTex = (s) => s.replace(/([%&#$_{}])/g, '\\$1').replace(/~/g, '\\textasciitilde{}');

function latexOf(text) {
  const blocks = text.trim().split('\n\n').map(escapeTex);
  const declared = [...new Set(text)].flatMap((ch) => {
    const to = latexChar(ch);
    return to === undefined
      ? []
      : [
          `\\DeclareUnicodeCharacter{${ch.codePointAt(0).toString(16).toUpperCase().padStart(4, '0')}}{${to}}`,
        ];
  });
  return String.raw`\documentclass[10pt,a4paper]{article}
\usepackage[T1]{fontenc}\usepackage[utf8]{inputenc}\usepackage{lmodern}\usepackage{microtype}
\usepackage[margin=25mm]{geometry}\setlength{\parindent}{0pt}\setlength{\parskip}{0.6\baselineskip}
${declared.join('\n')}
\begin{document}
\begin{flushright}${blocks[0]}\end{flushright}
${blocks.slice(1, -2).join('\n\n')}

\vspace{2\baselineskip}
${blocks.at(-2).replace(/\n/g, '\\\\\n')}

\vspace{\baselineskip}
${blocks.at(-1).replace(/\n/g, '\\\\\n')}
\end{document}
`;
}

// The same shape in typst: the dateline right, the body justified, the blocks after it.
const escapeTyp = (s) => s.replace(/([\\#$*_`<>@[\]~/"'=+-])/g, '\\$1');
function typstOf(text) {
  const blocks = text.trim().split('\n\n').map(escapeTyp);
  return `#set page(paper: "a4", margin: 25mm)
#set text(font: ("Source Serif 4", "Noto Naskh Arabic"), size: 10pt, lang: "en")
#set par(justify: true, spacing: 0.6em + 1em)
#align(right)[${blocks[0]}]

${blocks.slice(1, -2).join('\n\n')}

#v(2em)
${blocks.at(-2).replace(/\n/g, ' \\\n')}

#v(1em)
${blocks.at(-1).replace(/\n/g, ' \\\n')}
`;
}

const rate = (n, s) => `${(n / s).toFixed(1)} docs/s`;
// CPU time as well as wall time: on a machine others share, it moves less with their load.
const cpuOf = (n, t) => `${((t.cpu / n) * 1000).toFixed(0)} ms CPU a doc`;

export async function archiveBench({ root, work, env, row }) {
  const n = Number(process.env.BENCH_ARCHIVE_N ?? 1000);
  const cores = availableParallelism();
  const docprov = path.join(root, 'bin', 'docprov.cjs');
  const corpus = path.join(work, 'corpus');
  const out = path.join(work, 'archive');
  console.log(
    `\nArchive: ${n} synthetic letters (npm run synthetic, seed 1), ${cores} cores, from cold`,
  );
  writeCorpus(n, corpus, 1);
  const opts = { env, cwd: work };
  spawnSync('node', [docprov, 'keys', 'init'], opts); // the keys exist before the clock starts

  const build = timed('node', [docprov, 'build', corpus, '-o', out, '--json'], opts);
  const run = JSON.parse(build.stdout || '{}');
  if (!run.summary || run.summary.built !== n)
    throw new Error(`docprov build did not build all ${n}: ${build.stderr.slice(-2000)}`);
  // Development-signed B-B documents are judged when verified: a CRL the development CA issues
  // now, and the time it was issued (docprov keys crl).
  const crl = spawnSync('node', [docprov, 'keys', 'crl'], { ...opts, encoding: 'utf8' });
  const crlFile = path.join(work, 'dev.crl');
  writeFileSync(crlFile, crl.stdout);
  const at = /, at (\S+Z) /.exec(crl.stderr)?.[1] ?? new Date().toISOString();
  const verify = timed(
    'node',
    [
      docprov,
      'verify',
      out,
      '--trust',
      path.join(env.DOCPROV_DEV_KEYS_DIR, 'ca.pem'),
      '--revocation',
      crlFile,
      '--now',
      at,
    ],
    opts,
  );
  if (verify.status !== 0 || !verify.stdout.includes(`${n} authentic`))
    throw new Error(`docprov verify: not all ${n} authentic: ${verify.stdout.slice(-500)}`);
  const total = build.wall + verify.wall;
  const totalCpu = { cpu: build.cpu + verify.cpu };
  row(
    '  docprov build (typeset, sign, self-check)',
    `${build.wall.toFixed(1)} s`,
    `${rate(n, build.wall)}, ${cpuOf(n, build)}, ${build.rss.toFixed(0)} MiB peak, ${run.summary.threads} threads`,
  );
  row(
    "  docprov verify of the tree (reader's check)",
    `${verify.wall.toFixed(1)} s`,
    `${rate(n, verify.wall)}, ${cpuOf(n, verify)}, ${verify.rss.toFixed(0)} MiB peak`,
  );
  row(
    '  docprov build + sign + verify',
    `${total.toFixed(1)} s`,
    `${rate(n, total)}, ${cpuOf(n, totalCpu)}, ${Math.max(build.rss, verify.rss).toFixed(0)} MiB peak (target < 1024)`,
  );
  // Where docprov's time goes: the stages summed over every document (thread time, not wall).
  const stages = {};
  for (const d of run.documents)
    for (const s of d.stages ?? []) stages[s.stage] = (stages[s.stage] ?? 0) + s.ms;
  const sum = Object.values(stages).reduce((a, b) => a + b, 0);
  console.log(
    `    stage time over ${n} documents (thread seconds): ${Object.entries(stages)
      .map(([k, v]) => `${k} ${(v / 1000).toFixed(1)}`)
      .join(
        ', ',
      )}; total ${(sum / 1000).toFixed(1)} on ${run.summary.threads} threads in ${build.wall.toFixed(1)} s wall`,
  );

  const again = timed('node', [docprov, 'build', corpus, '-o', out, '--json'], opts);
  const rerun = JSON.parse(again.stdout || '{}');
  row(
    '  docprov build again, nothing changed',
    `${again.wall.toFixed(2)} s`,
    `${rerun.summary?.unchanged} unchanged, ${rerun.summary?.built} built (target < 5 s)`,
  );

  const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status === 0;
  let latex;
  if (has('pdflatex')) {
    const texDir = path.join(work, 'tex');
    mkdirSync(texDir, { recursive: true });
    const names = readdirSync(corpus).sort();
    for (const name of names)
      writeFileSync(
        path.join(texDir, `${name}.tex`),
        latexOf(readFileSync(path.join(corpus, name, 'source.txt'), 'utf8')),
      );
    latex = await timedAll(
      names.map((name) => [
        'pdflatex',
        ['-interaction=batchmode', '-halt-on-error', `${name}.tex`],
      ]),
      cores,
      { cwd: texDir, env },
    );
    row(
      `  pdflatex + microtype, ${cores} at once (typesetting alone)`,
      `${latex.wall.toFixed(1)} s`,
      `${rate(n, latex.wall)}, ${cpuOf(n, latex)}, ${latex.rss.toFixed(0)} MiB peak each${latex.failed ? `, ${latex.failed} FAILED` : ''}`,
    );
  } else row('  pdflatex', 'not installed', '(apt-get install texlive-latex-base)');

  let typst;
  const typDir = path.join(work, 'typ');
  mkdirSync(typDir, { recursive: true });
  for (const name of readdirSync(corpus))
    writeFileSync(
      path.join(typDir, `${name}.typ`),
      typstOf(readFileSync(path.join(corpus, name, 'source.txt'), 'utf8')),
    );
  const fonts = [
    '@expo-google-fonts/source-serif-4/400Regular/SourceSerif4_400Regular.ttf',
    '@expo-google-fonts/noto-naskh-arabic/400Regular/NotoNaskhArabic_400Regular.ttf',
  ].map((f) => path.join(root, 'node_modules', f));
  if (existsSync(path.join(root, 'node_modules', '@myriaddreamin', 'typst-ts-node-compiler'))) {
    typst = timed('node', [path.join(root, 'pipeline', 'bench-typst.mjs'), typDir, ...fonts], opts);
    row(
      '  typst, one process (compile alone)',
      `${typst.wall.toFixed(1)} s`,
      `${rate(n, typst.wall)}, ${cpuOf(n, typst)}, ${typst.rss.toFixed(0)} MiB peak${typst.status ? `, FAILED: ${typst.stderr.slice(0, 300)}` : ''}`,
    );
  } else row('  typst', 'not installed', '(npm ci installs @myriaddreamin/typst-ts-node-compiler)');

  if (latex)
    row(
      '  ratio pdflatex / docprov (wall, same N)',
      `${(latex.wall / total).toFixed(1)}x`,
      `target >= 10x; by CPU time ${(latex.cpu / totalCpu.cpu).toFixed(1)}x`,
    );
  if (typst)
    row(
      '  ratio typst / docprov (wall, same N)',
      `${(typst.wall / total).toFixed(2)}x`,
      `target > 1x; by CPU time ${(typst.cpu / totalCpu.cpu).toFixed(2)}x`,
    );
  if (existsSync('/proc/loadavg'))
    console.log(
      `    load average at the end: ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')} (other work on the machine slows every figure)`,
    );
}
