import { DocprovError } from '../errors.js';
import { get, nameOf, num, type PdfValue } from '../pdf/lexer.js';
import { PdfObjects } from '../pdf/objects.js';
import { arrayOf, ref, serialize, withEntry } from '../pdf/serialize.js';
import { latin1, memorySource } from '../pdf/source.js';
import { readXrefChain, XrefError, type XrefChain } from '../pdf/xref.js';
import { isDocumentError } from '../verify/verify-pdf.js';

// An incremental update (ISO 32000-2 7.5.6): every byte of the input stays where it was; new
// and changed objects and a new cross-reference section, in the form the file already uses,
// are appended. Signing, validation data (DSS) and document timestamps are all such updates.

const pad10 = (n: number) => String(n).padStart(10, '0');
const latin1Bytes = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

export class PdfUpdate {
  private readonly objects = new Map<number, string>();
  private nextNum: number;

  private constructor(
    readonly base: Uint8Array,
    readonly chain: XrefChain,
    readonly reader: PdfObjects,
  ) {
    const size = num(get(reader.trailer, 'Size')) ?? 0;
    let highest = 0;
    for (const s of chain.sections)
      for (const n of s.entries.keys()) highest = Math.max(highest, n);
    this.nextNum = Math.max(size, highest + 1);
  }

  /** Reads a PDF for an update; refuses what docprov cannot update faithfully, in plain words. */
  static async open(base: Uint8Array): Promise<PdfUpdate> {
    if (!/%PDF-\d\.\d/.test(latin1(base.subarray(0, 1024))))
      throw new DocprovError('not-a-pdf', 'this is not a PDF: it does not begin with "%PDF-"', {
        hint: 'give the PDF file',
      });
    const src = memorySource(base);
    const damaged = (e: Error) =>
      new DocprovError(
        'damaged-pdf',
        `the PDF is damaged: its objects cannot be read (${e.message})`,
        {
          hint: 'repair it first (e.g. qpdf IN.pdf repaired.pdf), then use the repaired file',
          cause: e,
        },
      );
    let chain: XrefChain;
    try {
      chain = await readXrefChain(src);
    } catch (e) {
      if (!isDocumentError(e)) throw e;
      if (/does not end with/.test(e.message))
        throw new DocprovError(
          'not-a-pdf',
          'the file does not end like a PDF (no "startxref N %%EOF"): it was cut short, or something was appended',
          {
            hint: 'is it a complete PDF file?',
          },
        );
      throw damaged(e);
    }
    const u = new PdfUpdate(base, chain, new PdfObjects(src, chain));
    if (get(u.reader.trailer, 'Encrypt'))
      throw new DocprovError(
        'encrypted-pdf',
        'the PDF is encrypted; docprov signs unencrypted PDFs only',
        {
          hint: 'decrypt it first (e.g. qpdf --decrypt IN.pdf plain.pdf), then sign the decrypted file',
        },
      );
    try {
      if (!(await u.catalog())) throw new XrefError('the trailer names no catalog (/Root)');
      await u.firstPage();
    } catch (e) {
      if (!isDocumentError(e)) throw e;
      throw damaged(e);
    }
    return u;
  }

  newObject(): number {
    return this.nextNum++;
  }

  /** Writes object `n` (new, or a new version of an old one): a value, or raw text such as a stream. */
  put(n: number, value: PdfValue | string): void {
    this.objects.set(n, typeof value === 'string' ? value : serialize(value));
  }

  /** A stream object holding `data` as it is. */
  putStream(n: number, data: Uint8Array, dict = ''): void {
    let s = '';
    for (let i = 0; i < data.length; i += 0x8000)
      s += String.fromCharCode(...data.subarray(i, i + 0x8000));
    this.objects.set(n, `<<${dict} /Length ${data.length} >>\nstream\n${s}\nendstream`);
  }

  async catalog(): Promise<{ num: number; value: PdfValue } | undefined> {
    const r = get(this.reader.trailer, 'Root');
    if (r?.kind !== 'ref') return undefined;
    const value = (await this.reader.get(r.num))?.value;
    return value?.kind === 'dict' ? { num: r.num, value } : undefined;
  }

  /** The first page (signature widgets live on it, invisibly). */
  async firstPage(): Promise<{ num: number; value: PdfValue }> {
    let node = get((await this.catalog())!.value, 'Pages');
    for (let depth = 0; depth < 32 && node?.kind === 'ref'; depth++) {
      const o = await this.reader.get(node.num);
      if (nameOf(get(o?.value, 'Type')) === 'Page') return { num: node.num, value: o!.value };
      const kids = await this.reader.lookup(o?.value, 'Kids');
      node = kids?.kind === 'array' ? kids.items[0] : undefined;
    }
    throw new XrefError('the PDF has no pages');
  }

  /** The bytes: the input, the objects, a cross-reference section and trailer. */
  bytes(): Uint8Array {
    const last = this.chain.sections[0]!;
    const stream = last.form === 'stream';
    const xrefNum = stream ? this.newObject() : 0;
    const trailer = this.reader.trailer;
    const keep = ['Root', 'Info', 'ID']
      .filter((k) => get(trailer, k))
      .map((k) => ` /${k} ${serialize(get(trailer, k)!)}`)
      .join('');
    const entries: [number, number][] = [];
    let body = this.base[this.base.length - 1] === 0x0a ? '' : '\n';
    for (const [n, text] of [...this.objects].sort((a, b) => a[0] - b[0])) {
      entries.push([n, this.base.length + body.length]);
      body += `${n} 0 obj\n${text}\nendobj\n`;
    }
    const at = this.base.length + body.length;
    const size = this.nextNum;
    const t = `/Size ${size}${keep} /Prev ${this.chain.startxref}`;
    let xref: string;
    if (!stream) {
      xref = 'xref\n0 1\n0000000000 65535 f \n';
      for (const [n, o] of entries) xref += `${n} 1\n${pad10(o)} 00000 n \n`;
      xref += `trailer\n<< ${t} >>\nstartxref\n${at}\n%%EOF\n`;
    } else {
      // An xref stream (ISO 32000-1 7.5.8): W [1 4 2], one subsection per object, uncompressed.
      const all = [...entries, [xrefNum, at] as [number, number]].sort((a, b) => a[0] - b[0]);
      let data = '';
      for (const [, o] of all)
        data += String.fromCharCode(
          1,
          (o >>> 24) & 255,
          (o >>> 16) & 255,
          (o >>> 8) & 255,
          o & 255,
          0,
          0,
        );
      const index = all.map(([n]) => `${n} 1`).join(' ');
      xref = `${xrefNum} 0 obj\n<< /Type /XRef /W [1 4 2] /Index [${index}] ${t} /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`;
    }
    const update = latin1Bytes(body + xref);
    const out = new Uint8Array(this.base.length + update.length);
    out.set(this.base);
    out.set(update, this.base.length);
    return out;
  }

  /**
   * Adds a signature field with an invisible widget on the first page, its value the signature
   * dictionary `sigNum`; the catalog gets `catalogEntries` too (/Perms, /DSS).
   */
  async addSignatureField(
    sigNum: number,
    fieldName: string,
    catalogEntries: [string, PdfValue][] = [],
  ): Promise<void> {
    const catalog = (await this.catalog())!;
    const page = await this.firstPage();
    const widget = this.newObject();
    this.put(
      widget,
      `<< /Type /Annot /Subtype /Widget /FT /Sig /T ${serialize({ kind: 'string', bytes: latin1Bytes(fieldName), hex: false, start: 0, end: 0 })} /V ${sigNum} 0 R /F 132 /Rect [0 0 0 0] /P ${page.num} 0 R >>`,
    );
    // The page's /Annots, and the form's /Fields, gain the widget wherever they are kept.
    const appendTo = async (
      owner: { num: number; value: PdfValue },
      key: string,
    ): Promise<PdfValue> => {
      const v = get(owner.value, key);
      if (v?.kind === 'ref') {
        const arr = (await this.reader.get(v.num))?.value;
        this.put(v.num, arrayOf([...(arr?.kind === 'array' ? arr.items : []), ref(widget)]));
        return owner.value;
      }
      return withEntry(
        owner.value,
        key,
        arrayOf([...(v?.kind === 'array' ? v.items : []), ref(widget)]),
      );
    };
    this.put(page.num, await appendTo(page, 'Annots'));
    let cat = catalog.value;
    const acro = get(cat, 'AcroForm');
    if (acro?.kind === 'ref') {
      const form = (await this.reader.get(acro.num))!.value;
      this.put(
        acro.num,
        withEntry(await appendTo({ num: acro.num, value: form }, 'Fields'), 'SigFlags', {
          kind: 'number',
          value: 3,
          start: 0,
          end: 0,
        }),
      );
    } else {
      const form = await appendTo(
        { num: 0, value: acro ?? withEntry(undefined, 'Fields', arrayOf([])) },
        'Fields',
      );
      cat = withEntry(
        cat,
        'AcroForm',
        withEntry(form, 'SigFlags', { kind: 'number', value: 3, start: 0, end: 0 }),
      );
    }
    for (const [k, v] of catalogEntries) cat = withEntry(cat, k, v);
    this.put(catalog.num, cat);
  }

  /** How many signature fields the form already has (to name a new one). */
  async fieldCount(): Promise<number> {
    const fields = await this.reader.lookup(
      await this.reader.lookup((await this.catalog())!.value, 'AcroForm'),
      'Fields',
    );
    return fields?.kind === 'array' ? fields.items.length : 0;
  }
}
