// Hostile compressed streams the verifier must open to find the document's objects: an xref
// stream and an object stream that inflate to 1 GiB, an object stream that contains itself.
import { pdfCase, type HostileCase } from './case.js';
import { zlibBomb } from './deflate-bomb.js';
import { RawPdf } from './raw-pdf.js';

const MiB = 1 << 20;

/** Rows of a /W [1 4 2] xref stream. */
function xrefRows(rows: [number, number, number][]): Uint8Array {
  const b = Buffer.alloc(rows.length * 7);
  rows.forEach(([t, f2, f3], i) => {
    b[i * 7] = t;
    b.writeUInt32BE(f2, i * 7 + 1);
    b.writeUInt16BE(f3, i * 7 + 5);
  });
  return new Uint8Array(b);
}

export function streamCases(): HostileCase[] {
  return [
    pdfCase(
      'xref-stream-length-1e15',
      'the xref stream, the one stream every reader must open, says /Length 10^15',
      () => {
        const pdf = new RawPdf();
        pdf.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
        pdf.obj(2, '<< /Type /Pages /Kids [] /Count 0 >>');
        const at = pdf.size;
        const rows = xrefRows([
          [0, 0, 65535],
          [1, pdf.offsets.get(1)!, 0],
          [1, pdf.offsets.get(2)!, 0],
          [1, at, 0],
        ]);
        pdf.stream(3, '/Type /XRef /Size 4 /W [1 4 2] /Root 1 0 R /Length 1000000000000000', rows);
        return pdf.end(at);
      },
    ),
    pdfCase(
      'xref-stream-inflates-1gib',
      'an xref stream (/Size 4) whose Flate data, ~1 MB, inflates to 1 GiB of zeros',
      () => {
        const pdf = new RawPdf();
        pdf.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
        pdf.obj(2, '<< /Type /Pages /Kids [] /Count 0 >>');
        const bomb = zlibBomb(new Uint8Array(MiB), 1024);
        const at = pdf.stream(
          3,
          '/Type /XRef /Size 4 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode',
          bomb,
        );
        return pdf.end(at);
      },
    ),
    pdfCase(
      'objstm-inflates-1gib',
      'the catalog lives in an object stream whose header (/N 268435456) inflates to 1 GiB of "0 0 " pairs',
      () => {
        const pdf = new RawPdf();
        pdf.obj(3, '<< /Type /Pages /Kids [] /Count 0 >>');
        const unit = new Uint8Array(Buffer.from('0 0 '.repeat(MiB / 4)));
        const bomb = zlibBomb(unit, 1024);
        const objstm = pdf.stream(
          2,
          '/Type /ObjStm /N 268435456 /First 1073741824 /Filter /FlateDecode',
          bomb,
        );
        const at = pdf.size;
        const data = xrefRows([
          [0, 0, 65535],
          [2, 2, 0],
          [1, objstm, 0],
          [1, pdf.offsets.get(3)!, 0],
          [1, at, 0],
        ]);
        pdf.stream(4, '/Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R', data);
        return pdf.end(at);
      },
    ),
    pdfCase(
      'objstm-contains-itself',
      'the object stream holding the catalog is listed as stored inside itself',
      () => {
        const pdf = new RawPdf();
        const header = '1 0 2 40 ';
        const objects = '<< /Type /Catalog /Pages 3 0 R >>'.padEnd(40) + '<< /Type /ObjStm >>';
        pdf.stream(
          2,
          `/Type /ObjStm /N 2 /First ${header.length}`,
          new Uint8Array(Buffer.from(header + objects)),
        );
        pdf.obj(3, '<< /Type /Pages /Kids [] /Count 0 >>');
        const at = pdf.size;
        const data = xrefRows([
          [0, 0, 65535],
          [2, 2, 0],
          [2, 2, 1],
          [1, pdf.offsets.get(3)!, 0],
          [1, at, 0],
        ]);
        pdf.stream(4, '/Type /XRef /Size 5 /W [1 4 2] /Root 1 0 R', data);
        return pdf.end(at);
      },
    ),
  ];
}
