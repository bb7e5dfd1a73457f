// Hostile cross-reference structures: entries that each cost a scan of the file, chains that
// loop, counts that promise billions, and thousands of revisions.
import { pdfCase, type HostileCase } from './case.js';
import { RawPdf } from './raw-pdf.js';

/** Objects 1-3 (catalog, pages, page) of a one-page document. */
function body(pdf: RawPdf): void {
  pdf.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
  pdf.obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  pdf.obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>');
}

const entry = (offset: number) => `${String(offset).padStart(10, '0')} 00000 n \n`;

export function xrefCases(): HostileCase[] {
  return [
    pdfCase(
      'xref-50k-entries-at-contents',
      '50,000 xref entries, each at a different "/Contents <" whose hex string never closes (a scan from each is quadratic)',
      () => {
        const pdf = new RawPdf();
        const at: number[] = [];
        for (let i = 0; i < 50_000; i++) at.push(pdf.add('/Contents <'));
        const xref = pdf.add(`xref\n0 50001\n0000000000 65535 f \n`, at.map(entry).join(''));
        pdf.add('trailer\n<< /Size 50001 /Root 1 0 R >>\n');
        return pdf.end(xref);
      },
    ),
    pdfCase(
      'byterange-50k-unparseable',
      '50,000 /ByteRange arrays in a file with no xref, no trailer and no objects (a fallback scan per hit is quadratic)',
      () => {
        const pdf = new RawPdf();
        pdf.add('/ByteRange [0 10 20 30] '.repeat(50_000));
        return pdf.bytes();
      },
    ),
    pdfCase('xref-prev-loop', 'two xref sections whose /Prev point at each other', () => {
      const pdf = new RawPdf();
      body(pdf);
      const first = pdf.size;
      const second = first + 200; // both tables are padded to 200 bytes so each knows the other
      const table = (prev: number) => {
        const t = `xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${prev} >>\n`;
        return t + ' '.repeat(200 - t.length);
      };
      pdf.add(table(second), table(first));
      return pdf.end(second);
    }),
    pdfCase('xref-prev-self', 'an xref section whose /Prev is its own offset', () => {
      const pdf = new RawPdf();
      body(pdf);
      const at = pdf.size;
      pdf.add(`xref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${at} >>\n`);
      return pdf.end(at);
    }),
    pdfCase(
      'xref-subsection-count-huge',
      'an xref subsection header promising 2,147,483,647 entries, with 4',
      () => {
        const pdf = new RawPdf();
        body(pdf);
        const at = pdf.add(
          'xref\n0 2147483647\n0000000000 65535 f \n',
          [1, 2, 3].map((n) => entry(pdf.offsets.get(n)!)).join(''),
          'trailer\n<< /Size 2147483647 /Root 1 0 R >>\n',
        );
        return pdf.end(at);
      },
    ),
    pdfCase(
      'xref-stream-index-huge',
      'an xref stream whose /Index and /Size promise 4 billion entries, with 21 bytes of data',
      () => {
        const pdf = new RawPdf();
        body(pdf);
        const rows = Buffer.alloc(21);
        const at = pdf.stream(
          4,
          '/Type /XRef /Size 4294967294 /Index [0 2147483647 2147483647 2147483647] /W [1 4 2] /Root 1 0 R',
          new Uint8Array(rows),
        );
        return pdf.end(at);
      },
    ),
    pdfCase(
      'revisions-20k',
      '20,000 incremental updates of 90 bytes each, every one chained to the last',
      () => {
        const pdf = new RawPdf();
        body(pdf);
        let prev = pdf.xrefTable('/Root 1 0 R');
        pdf.add(`startxref\n${prev}\n%%EOF\n`);
        for (let i = 0; i < 20_000; i++) {
          const at = pdf.add(`xref\n0 0\ntrailer\n<< /Size 4 /Root 1 0 R /Prev ${prev} >>\n`);
          pdf.add(`startxref\n${at}\n%%EOF\n`);
          prev = at;
        }
        return pdf.bytes();
      },
    ),
  ];
}
