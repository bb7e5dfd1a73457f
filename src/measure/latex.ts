import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { typographic } from '../core/typeset/typographic.js';
import { MEASURE, STYLE } from '../core/typeset/style.js';

// The reference the letter's typography is judged against: the same canonical text set by
// pdflatex with microtype (font expansion and protrusion, its defaults), Latin Modern at the
// letter's own measure, size and leading, with LaTeX's own hyphenation and line breaking.

const SPECIAL: Record<string, string> = {
  '\\': '\\textbackslash{}',
  '{': '\\{',
  '}': '\\}',
  $: '\\$',
  '&': '\\&',
  '#': '\\#',
  '%': '\\%',
  _: '\\_',
  '~': '\\textasciitilde{}',
  '^': '\\textasciicircum{}',
};
const tex = (s: string) => s.replace(/[\\{}$&#%_~^]/gu, (c) => SPECIAL[c]!);
const pt = (n: number) => `${Math.round(n * 1000) / 1000}pt`;

/** The LaTeX source of the reference: blocks of the canonical text, as the letter sets them. */
export function referenceLatex(canonical: string): string {
  const blocks = canonical
    .trim()
    .split(/\n{2,}/u)
    .map((b) => tex(typographic(b)));
  const { page, margin, size, leading, space } = STYLE;
  const lines = (b: string) => b.replace(/\n/gu, '\\\\\n');
  return String.raw`\documentclass[a4paper]{article}
\usepackage[T1]{fontenc}\usepackage[utf8]{inputenc}\usepackage{lmodern}\usepackage{microtype}
\usepackage[paperwidth=${pt(page.width)},paperheight=${pt(page.height)},textwidth=${pt(MEASURE)},top=${pt(margin.top)},bottom=${pt(margin.bottom)},hmarginratio=1:1,footskip=${pt(margin.bottom - STYLE.footerBaseline)}]{geometry}
\setlength{\parindent}{0pt}\setlength{\parskip}{${pt(space.paragraph * leading)}}
\begin{document}
\fontsize{${pt(size)}}{${pt(leading)}}\selectfont
\begin{flushright}${blocks[0]}\end{flushright}
\vspace{${pt((space.salutation - 1) * leading)}}
${blocks.slice(1, -3).join('\n\n')}

\vspace{${pt(space.close * leading)}}
${blocks.at(-3)!}

\vspace{${pt(space.signature * leading)}}
${lines(blocks.at(-2)!)}

\vspace{${pt(space.addressee * leading)}}
${lines(blocks.at(-1)!)}
\end{document}
`;
}

/** Sets the reference in `dir` with pdflatex; returns the PDF's path. */
export function typesetReference(canonical: string, dir: string): string {
  writeFileSync(path.join(dir, 'reference.tex'), referenceLatex(canonical));
  const r = spawnSync('pdflatex', ['-interaction=batchmode', '-halt-on-error', 'reference.tex'], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, SOURCE_DATE_EPOCH: '0', FORCE_SOURCE_DATE: '1' },
  });
  if (r.error)
    throw new Error(
      `pdflatex could not run (texlive-latex-recommended, lmodern): ${r.error.message}`,
    );
  if (r.status !== 0)
    throw new Error(`pdflatex failed (see ${path.join(dir, 'reference.log')}): ${r.stdout.trim()}`);
  return path.join(dir, 'reference.pdf');
}
