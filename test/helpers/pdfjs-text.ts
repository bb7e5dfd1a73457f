import { readFileSync } from 'node:fs';

/**
 * The text pdf.js extracts from a PDF (what Firefox's viewer puts on the clipboard): each text
 * item's string, a line break where pdf.js marks an end of line, a blank line between pages.
 */
export async function pdfjsText(pdf: string): Promise<string> {
  const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
  const doc = await getDocument({ data: new Uint8Array(readFileSync(pdf)), isEvalSupported: false })
    .promise;
  let out = '';
  for (let p = 1; p <= doc.numPages; p++) {
    const content = await (await doc.getPage(p)).getTextContent();
    for (const item of content.items)
      if ('str' in item) out += item.str + (item.hasEOL ? '\n' : '');
    out += '\n\n';
  }
  await doc.destroy();
  return out;
}
