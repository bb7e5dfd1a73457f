import { DocprovError } from '../errors.js';
import { latin1 } from '../pdf/source.js';

// The end of a PDF: where its last cross-reference section is, in which form, and its /Size.

export interface PdfTail {
  startxref: number;
  form: 'table' | 'stream';
  size: number;
}

export function readTail(pdf: Uint8Array): PdfTail {
  const end = latin1(pdf.subarray(Math.max(0, pdf.length - 2048)));
  const m = /startxref\s+(\d+)\s+%%EOF\s*$/.exec(end);
  if (!m)
    throw new DocprovError(
      'not-a-pdf',
      'the file does not end like a PDF (no startxref ... %%EOF)',
      { hint: 'is it a complete PDF file?' },
    );
  const startxref = Number(m[1]);
  if (startxref >= pdf.length)
    throw new DocprovError('bad-xref', 'startxref points past the end of the file');
  const at = latin1(pdf.subarray(startxref, Math.min(pdf.length, startxref + 1_000_000)));
  if (at.startsWith('xref')) {
    const t = at.indexOf('trailer');
    const size = /\/Size\s+(\d+)/.exec(at.slice(t));
    if (t < 0 || !size)
      throw new DocprovError(
        'bad-xref',
        'the last cross-reference table has no trailer with /Size',
      );
    return { startxref, form: 'table', size: Number(size[1]) };
  }
  const head = /^\d+\s+\d+\s+obj\s*<<([\s\S]*?)stream/.exec(at);
  const size = head && /\/Type\s*\/XRef/.test(head[1]!) ? /\/Size\s+(\d+)/.exec(head[1]!) : null;
  if (!size)
    throw new DocprovError(
      'bad-xref',
      'startxref points at neither an xref table nor an xref stream',
    );
  return { startxref, form: 'stream', size: Number(size[1]) };
}
