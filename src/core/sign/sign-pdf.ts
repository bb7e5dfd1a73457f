import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from '../pdf-lib.js';
import type { CryptoProvider } from '../crypto.js';
import { buildDetachedCms, type Signer } from '../cms/build.js';
import { DocprovError } from '../errors.js';
import { readTail } from './pdf-tail.js';

// PAdES B-B certification signature, appended as an incremental update: every byte of the
// input stays where it was, and only new objects and a new xref section follow it.

export interface SignPdfOptions {
  signer: Signer;
  /** Signing time, written as /M (CMS carries no signingTime, as PAdES asks). */
  date: Date;
  crypto: CryptoProvider;
  /** Name of the signature field. */
  fieldName?: string;
}

const enc = new TextEncoder();
const pad10 = (n: number) => String(n).padStart(10, '0');
const pdfDate = (d: Date) => `D:${d.toISOString().replace(/[-:T]/g, '').slice(0, 14)}Z`;
const BYTE_RANGE_PLACEHOLDER = '[0 0000000000 0000000000 0000000000]';

/** Room for the CMS: its exact size for this chain, plus slack, in whole KiB. */
function contentsReserve(signer: Signer, crypto: CryptoProvider): number {
  const key = signer.chain[0]!.key;
  // The longest signature value the key can make: RSA's modulus size, or a DER (r, s) pair.
  const longest =
    key.type === 'ec'
      ? 2 * (Math.ceil(key.bits / 8) + 3) + 3
      : Math.ceil((key.type === 'rsa' ? key.bits : 4096) / 8);
  const dry = buildDetachedCms(
    new Uint8Array(64),
    { ...signer, sign: () => new Uint8Array(longest) },
    crypto,
  );
  return Math.max(8192, Math.ceil((dry.length + 1024) / 1024) * 1024);
}

function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function xrefSection(
  entries: [number, number][],
  form: 'table' | 'stream',
  trailer: string,
  xrefNum: number,
  at: number,
): string {
  entries.sort((a, b) => a[0] - b[0]);
  if (form === 'table') {
    let s = 'xref\n';
    for (const [num, offset] of entries) s += `${num} 1\n${pad10(offset)} 00000 n \n`;
    return `${s}trailer\n<< ${trailer} >>\nstartxref\n${at}\n%%EOF\n`;
  }
  // An xref stream (ISO 32000-1 7.5.8): W [1 4 2], one subsection per object, uncompressed.
  const all = [...entries, [xrefNum, at] as [number, number]].sort((a, b) => a[0] - b[0]);
  let data = '';
  for (const [, offset] of all)
    data += String.fromCharCode(
      1,
      (offset >>> 24) & 255,
      (offset >>> 16) & 255,
      (offset >>> 8) & 255,
      offset & 255,
      0,
      0,
    );
  const index = all.map(([n]) => `${n} 1`).join(' ');
  return `${xrefNum} 0 obj\n<< /Type /XRef /W [1 4 2] /Index [${index}] ${trailer} /Length ${data.length} >>\nstream\n${data}\nendstream\nendobj\nstartxref\n${at}\n%%EOF\n`;
}

export async function signPdf(base: Uint8Array, opts: SignPdfOptions): Promise<Uint8Array> {
  const { crypto, signer } = opts;
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(base, {
      updateMetadata: false,
      ignoreEncryption: true,
      throwOnInvalidObject: true,
    });
  } catch (e) {
    throw new DocprovError(
      'not-a-pdf',
      `the input cannot be read as a PDF: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const tail = readTail(base);
  const ctx = doc.context;
  const trailerInfo = ctx.trailerInfo;
  if (trailerInfo.Encrypt)
    throw new DocprovError(
      'encrypted-pdf',
      'the PDF is encrypted; docprov signs unencrypted PDFs only',
    );
  const catalogRef = trailerInfo.Root as PDFRef;
  const catalog = doc.catalog;
  const acro = catalog.lookupMaybe(PDFName.of('AcroForm'), PDFDict);
  if (acro?.lookupMaybe(PDFName.of('Fields'), PDFArray)?.size() || catalog.has(PDFName.of('Perms')))
    throw new DocprovError(
      'already-signed',
      'the PDF already has form fields or signatures; a certification signature must be the first',
      {
        hint: 'sign the unsigned original',
      },
    );
  const page = doc.getPages()[0];
  if (!page) throw new DocprovError('not-a-pdf', 'the PDF has no pages');

  // Fresh object numbers start above both the trailer's /Size and any number pdf-lib has seen.
  let next = Math.max(tail.size, ctx.largestObjectNumber + 1);
  const sigNum = next++;
  const widgetNum = next++;
  const xrefNum = tail.form === 'stream' ? next++ : 0;
  const size = next;

  const field = opts.fieldName ?? 'docprov-certification';
  const reserve = contentsReserve(signer, crypto);
  const sigObj =
    `${sigNum} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ` +
    `/M (${pdfDate(opts.date)}) /Prop_Build << /App << /Name /docprov >> >> ` +
    `/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P 1 /V /1.2 >> >>] ` +
    `/ByteRange ${BYTE_RANGE_PLACEHOLDER} /Contents <${'0'.repeat(reserve * 2)}> >>\nendobj\n`;
  const widgetObj =
    `${widgetNum} 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /T (${field}) /V ${sigNum} 0 R ` +
    `/F 132 /Rect [0 0 0 0] /P ${page.ref.toString()} >>\nendobj\n`;

  // The page gains the widget; the catalog gains the form and the DocMDP permission.
  const pageDict = page.node.clone(ctx);
  const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
  pageDict.set(PDFName.of('Annots'), ctx.obj([...(annots?.asArray() ?? []), PDFRef.of(widgetNum)]));
  const cat = catalog.clone(ctx);
  const form = acro ? acro.clone(ctx) : ctx.obj({});
  form.set(PDFName.of('Fields'), ctx.obj([PDFRef.of(widgetNum)]));
  form.set(PDFName.of('SigFlags'), ctx.obj(3));
  cat.set(PDFName.of('AcroForm'), form);
  cat.set(PDFName.of('Perms'), ctx.obj({ DocMDP: PDFRef.of(sigNum) }));
  const pageObj = `${page.ref.objectNumber} ${page.ref.generationNumber} obj\n${pageDict.toString()}\nendobj\n`;
  const catObj = `${catalogRef.objectNumber} ${catalogRef.generationNumber} obj\n${cat.toString()}\nendobj\n`;

  const lead = base[base.length - 1] === 0x0a ? '' : '\n';
  const entries: [number, number][] = [];
  let body = lead;
  for (const [num, text] of [
    [sigNum, sigObj],
    [widgetNum, widgetObj],
    [page.ref.objectNumber, pageObj],
    [catalogRef.objectNumber, catObj],
  ] as const) {
    entries.push([num, base.length + body.length]);
    body += text;
  }
  const id = trailerInfo.ID ? ` /ID ${trailerInfo.ID.toString()}` : '';
  const info = trailerInfo.Info ? ` /Info ${trailerInfo.Info.toString()}` : '';
  const trailer = `/Size ${size} /Root ${catalogRef.toString()}${info}${id} /Prev ${tail.startxref}`;
  const xrefAt = base.length + body.length;
  // One byte a character (the xref stream is binary), so string offsets are byte offsets.
  const update = latin1Bytes(body + xrefSection(entries, tail.form, trailer, xrefNum, xrefAt));
  const signed = concat([base, update]);

  // Fill /ByteRange, then sign the bytes outside the /Contents hex string.
  const contentsAt = base.length + body.indexOf('/Contents <') + '/Contents '.length;
  const contentsEnd = contentsAt + reserve * 2 + 2;
  const range = [0, contentsAt, contentsEnd, signed.length - contentsEnd];
  const rangeText = `[${range.join(' ')}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
  const rangeAt = base.length + body.indexOf(BYTE_RANGE_PLACEHOLDER);
  signed.set(enc.encode(rangeText), rangeAt);
  const h = crypto.createHash(signer.scheme.hash);
  h.update(signed.subarray(0, contentsAt));
  h.update(signed.subarray(contentsEnd));
  const cms = buildDetachedCms(h.digest(), signer, crypto);
  if (cms.length > reserve)
    throw new DocprovError(
      'signature-too-large',
      `the signature (${cms.length} bytes) does not fit its reserved ${reserve} bytes`,
    );
  let hex = '';
  for (const b of cms) hex += b.toString(16).padStart(2, '0');
  signed.set(enc.encode(hex.toUpperCase()), contentsAt + 1);
  return signed;
}
