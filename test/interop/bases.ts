// The unsigned documents other tools sign: pdflatex's output (xref stream, object streams), the
// same rewritten by qpdf with fresh object streams and with a classic xref table, and the letter
// as docprov typesets it (classic xref, pdf-lib's layout).
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { buildLetter } from '../helpers/letter-build.js';

export const EPOCH = '1795000000';

export type BaseName = 'latex' | 'latex-objstm' | 'latex-classic' | 'letter';
export type Bases = Record<BaseName, Uint8Array>;

const TEX = String.raw`\pdfobjcompresslevel=2 \pdfminorversion=7
\documentclass{article}
\begin{document}
\section*{Interop test document}
A short document typeset by pdflatex and signed by tools other than docprov.
\end{document}
`;

const run = (cmd: string, args: string[], cwd: string, env: Record<string, string> = {}) =>
  execFileSync(cmd, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });

function latex(dir: string): Uint8Array {
  writeFileSync(join(dir, 'base.tex'), TEX);
  // FORCE_SOURCE_DATE also fixes the /ID and the dates: the same bytes on every run.
  run('pdflatex', ['-interaction=batchmode', '-halt-on-error', 'base.tex'], dir, {
    SOURCE_DATE_EPOCH: EPOCH,
    FORCE_SOURCE_DATE: '1',
  });
  return new Uint8Array(readFileSync(join(dir, 'base.pdf')));
}

function qpdf(dir: string, mode: 'generate' | 'disable'): Uint8Array {
  const out = `base-${mode}.pdf`;
  run('qpdf', ['--deterministic-id', `--object-streams=${mode}`, 'base.pdf', out], dir);
  return new Uint8Array(readFileSync(join(dir, out)));
}

async function letter(): Promise<Uint8Array> {
  const built = await buildLetter({ sourceDateEpoch: EPOCH });
  return built.basePdf;
}

export async function makeBases(dir: string): Promise<Bases> {
  const tex = latex(dir);
  return {
    latex: tex,
    'latex-objstm': qpdf(dir, 'generate'),
    'latex-classic': qpdf(dir, 'disable'),
    letter: await letter(),
  };
}
