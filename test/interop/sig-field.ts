// Adds a signature field (and, unless it stays empty, a /Sig dictionary with placeholders) to a
// PDF as an incremental update: what a signing tool writes before it computes the signature.
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from '../../src/core/pdf-lib.js';
import { appendUpdate, PLAIN, readTail, type Layout, type NewObject } from './pdf-update.js';

export interface SigFieldOptions {
  fieldName: string;
  subFilter?: 'adbe.pkcs7.detached' | 'ETSI.CAdES.detached';
  /** Hex digits reserved for the CMS. */
  contentsDigits?: number;
  /** /Contents written before /ByteRange (as NSS-based and some Java signers do). */
  contentsFirst?: boolean;
  /** The /M date; undefined leaves /M out (the time is then only in the CMS). */
  m?: string;
  /** A certification signature with this DocMDP permission level. */
  docMdp?: 1 | 2 | 3;
  /** An empty field, for a tool that signs existing fields (mutool sign). */
  unsigned?: boolean;
  layout?: Layout;
}

/** The /ByteRange placeholder: wide enough for any offset below 10^10, rewritten in place. */
export const BYTE_RANGE_PLACEHOLDER = `/ByteRange [0 0 0 0${' '.repeat(30)}]`;

function sigDict(o: SigFieldOptions): string {
  const contents = `/Contents <${'0'.repeat(o.contentsDigits ?? 16384)}>`;
  const reference = o.docMdp
    ? ` /Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams` +
      ` << /Type /TransformParams /P ${o.docMdp} /V /1.2 >> >>]`
    : '';
  const head = `/Type /Sig /Filter /Adobe.PPKLite /SubFilter /${o.subFilter ?? 'adbe.pkcs7.detached'}`;
  const m = o.m ? ` /M (${o.m})` : '';
  const pair = o.contentsFirst
    ? `${contents} ${BYTE_RANGE_PLACEHOLDER}`
    : `${BYTE_RANGE_PLACEHOLDER} ${contents}`;
  return `<< ${head}${m}${reference} ${pair} >>`;
}

/** `container[key]` with `ref` appended, as objects to rewrite (the array may be indirect). */
function appendRef(
  doc: PDFDocument,
  container: PDFDict,
  key: string,
  ref: PDFRef,
): { num: number; body: string }[] {
  const name = PDFName.of(key);
  const value = container.get(name);
  if (value instanceof PDFRef) {
    const arr = doc.context.lookup(value, PDFArray);
    arr.push(ref);
    return [{ num: value.objectNumber, body: arr.toString() }];
  }
  const arr = value instanceof PDFArray ? value : doc.context.obj([]);
  arr.push(ref);
  container.set(name, arr);
  return [];
}

/** The update adding the field; `sigNum` is the /Sig dictionary's object number (if signed). */
export async function addSignatureField(
  pdf: Uint8Array,
  o: SigFieldOptions,
): Promise<{ bytes: Uint8Array; sigNum?: number; widgetNum: number }> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false, ignoreEncryption: true });
  const ctx = doc.context;
  const { size } = readTail(pdf);
  let next = Math.max(size, ctx.largestObjectNumber + 1);
  const rootRef = ctx.trailerInfo.Root as PDFRef;
  const catalog = ctx.lookup(rootRef, PDFDict);
  const page = doc.getPage(0);
  const widgetNum = next++;
  const sigNum = o.unsigned ? undefined : next++;
  const widgetRef = PDFRef.of(widgetNum);
  const objects: NewObject[] = [];
  const v = sigNum === undefined ? '' : ` /V ${sigNum} 0 R`;
  objects.push({
    num: widgetNum,
    body: `<< /Type /Annot /Subtype /Widget /FT /Sig /T (${o.fieldName}) /F 132 /Rect [0 0 0 0] /P ${page.ref.toString()}${v} >>`,
  });
  if (sigNum !== undefined) objects.push({ num: sigNum, body: sigDict(o) });
  const annots = appendRef(doc, page.node, 'Annots', widgetRef);
  objects.push(...annots);
  if (annots.length === 0) objects.push({ num: page.ref.objectNumber, body: page.node.toString() });
  let catalogChanged = false;
  const acroValue = catalog.get(PDFName.of('AcroForm'));
  if (acroValue instanceof PDFRef) {
    const acro = ctx.lookup(acroValue, PDFDict);
    objects.push(...appendRef(doc, acro, 'Fields', widgetRef));
    acro.set(PDFName.of('SigFlags'), ctx.obj(3));
    objects.push({ num: acroValue.objectNumber, body: acro.toString() });
  } else {
    const acro = acroValue instanceof PDFDict ? acroValue : ctx.obj({});
    objects.push(...appendRef(doc, acro, 'Fields', widgetRef));
    acro.set(PDFName.of('SigFlags'), ctx.obj(3));
    catalog.set(PDFName.of('AcroForm'), acro);
    catalogChanged = true;
  }
  if (o.docMdp && sigNum !== undefined) {
    catalog.set(PDFName.of('Perms'), ctx.obj({ DocMDP: PDFRef.of(sigNum) }));
    catalogChanged = true;
  }
  if (catalogChanged) objects.push({ num: rootRef.objectNumber, body: catalog.toString() });
  const entries: Record<string, string> = { Root: rootRef.toString() };
  for (const k of ['Info', 'ID'] as const) {
    const value = ctx.trailerInfo[k];
    if (value) entries[k] = value.toString();
  }
  const { bytes } = appendUpdate(pdf, dedupe(objects), entries, o.layout ?? PLAIN);
  return { bytes, widgetNum, ...(sigNum !== undefined ? { sigNum } : {}) };
}

/** One definition per object number in a revision: the last text written wins. */
function dedupe(objects: NewObject[]): NewObject[] {
  const byNum = new Map<number, NewObject>();
  for (const o of objects) byNum.set(o.num, o);
  return [...byNum.values()];
}
