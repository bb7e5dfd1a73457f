// A byte-exact PDF assembler for hostile files: objects at known offsets, any xref or trailer the
// attack needs, nothing checked. Parts are text (one byte a character) or raw bytes.

export type Part = string | Uint8Array;

const bytes = (p: Part): Uint8Array =>
  typeof p === 'string' ? new Uint8Array(Buffer.from(p, 'latin1')) : p;

export class RawPdf {
  private readonly parts: Uint8Array[] = [];
  private length = 0;
  /** Offsets of objects written with obj(), by number. */
  readonly offsets = new Map<number, number>();

  constructor(header = '%PDF-1.7\n%\xe2\xe3\xcf\xd3\n') {
    this.add(header);
  }

  get size(): number {
    return this.length;
  }

  /** Appends bytes; returns the offset they start at. */
  add(...parts: Part[]): number {
    const at = this.length;
    for (const p of parts) {
      const b = bytes(p);
      this.parts.push(b);
      this.length += b.length;
    }
    return at;
  }

  obj(num: number, ...body: Part[]): number {
    const at = this.add(`${num} 0 obj\n`, ...body, '\nendobj\n');
    this.offsets.set(num, at);
    return at;
  }

  /** A stream object whose /Length is the data's (unless the dictionary says otherwise). */
  stream(num: number, dict: string, data: Uint8Array): number {
    const d = dict.includes('/Length') ? dict : `${dict} /Length ${data.length}`;
    return this.obj(num, `<< ${d} >>\nstream\n`, data, '\nendstream');
  }

  /** A classic xref table of every obj() so far and a trailer; returns the table's offset. */
  xrefTable(trailer: string): number {
    const max = Math.max(0, ...this.offsets.keys());
    let t = `xref\n0 ${max + 1}\n0000000000 65535 f \n`;
    for (let n = 1; n <= max; n++) {
      const o = this.offsets.get(n);
      t += o === undefined ? '0000000000 65535 f \n' : `${String(o).padStart(10, '0')} 00000 n \n`;
    }
    const at = this.add(t, `trailer\n<< /Size ${max + 1} ${trailer} >>\n`);
    return at;
  }

  end(startxref: number): Uint8Array {
    this.add(`startxref\n${startxref}\n%%EOF\n`);
    return this.bytes();
  }

  bytes(): Uint8Array {
    return new Uint8Array(Buffer.concat(this.parts));
  }
}

/** The smallest document: catalog 1, pages 2, page 3; `catalogExtra` goes into the catalog. */
export function tinyDocument(catalogExtra: Part = '', more: [number, Part[]][] = []): Uint8Array {
  const pdf = new RawPdf();
  pdf.obj(1, '<< /Type /Catalog /Pages 2 0 R ', catalogExtra, ' >>');
  pdf.obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  pdf.obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>');
  for (const [n, body] of more) pdf.obj(n, ...body);
  return pdf.end(pdf.xrefTable('/Root 1 0 R'));
}

/** Catalog 1, pages 2, page 3 and a signature field 4 whose value is object 5 (yet to write). */
export function signatureShell(): RawPdf {
  const pdf = new RawPdf();
  pdf.obj(1, '<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R] /SigFlags 3 >> >>');
  pdf.obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  pdf.obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] /Annots [4 0 R] >>');
  pdf.obj(
    4,
    '<< /Type /Annot /Subtype /Widget /FT /Sig /T (s) /Rect [0 0 0 0] /P 3 0 R /V 5 0 R >>',
  );
  return pdf;
}

/**
 * A one-page document with one signature field, `sigExtra` written into its /Sig dictionary
 * before /ByteRange: every verifier must read that dictionary, so a bomb there is reached.
 */
export function signatureDocument(sigExtra: Part, byteRange: Part = '0 10 20 30'): Uint8Array {
  const pdf = signatureShell();
  pdf.obj(
    5,
    '<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached ',
    sigExtra,
    ' /ByteRange [',
    byteRange,
    `] /Contents <${'0'.repeat(64)}> >>`,
  );
  return pdf.end(pdf.xrefTable('/Root 1 0 R'));
}
