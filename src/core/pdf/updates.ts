import { get, nameOf, type PdfValue } from './lexer.js';
import type { PdfObjects } from './objects.js';
import type { XrefSection } from './xref.js';

// What incremental updates after a signed revision changed, object by object, in the terms
// ISO 32000-2 12.8.2.2 uses for DocMDP: validation data (DSS), document timestamps, signatures,
// form filling, annotations, and everything else. Bounded: at most MAX_CHANGED objects.

export type ChangeKind =
  'dss' | 'doc-timestamp' | 'signature' | 'form-fill' | 'annotation' | 'other';

export interface Change {
  kind: ChangeKind;
  object: number;
  what: string;
}

const MAX_CHANGED = 10_000;
const MAX_REACH = 10_000;

const isDict = (v: PdfValue | undefined): v is PdfValue & { kind: 'dict' } => v?.kind === 'dict';
const refNum = (v: PdfValue | undefined) => (v?.kind === 'ref' ? v.num : undefined);

/** An annotation dictionary: /Type /Annot, or (the type being optional) a /Subtype with a /Rect. */
const isAnnotation = (v: PdfValue | undefined): boolean =>
  nameOf(get(v, 'Type')) === 'Annot' ||
  (get(v, 'Type') === undefined && !!get(v, 'Subtype') && !!get(v, 'Rect'));

/** Structural equality of two parsed values (positions aside). */
export function sameValue(a: PdfValue | undefined, b: PdfValue | undefined): boolean {
  if (!a || !b || a.kind !== b.kind) return a === b;
  switch (a.kind) {
    case 'dict': {
      const bd = b as typeof a;
      if (a.entries.size !== bd.entries.size) return false;
      for (const [k, v] of a.entries) if (!sameValue(v, bd.entries.get(k))) return false;
      return true;
    }
    case 'array': {
      const ba = b as typeof a;
      return (
        a.items.length === ba.items.length && a.items.every((x, i) => sameValue(x, ba.items[i]))
      );
    }
    case 'string': {
      const bs = (b as typeof a).bytes;
      return a.bytes.length === bs.length && a.bytes.every((x, i) => x === bs[i]);
    }
    case 'ref':
      return a.num === (b as typeof a).num && a.gen === (b as typeof a).gen;
    case 'null':
      return true;
    default:
      return a.value === (b as typeof a).value;
  }
}

/** Keys whose values differ between two dictionaries. */
function changedKeys(a: PdfValue | undefined, b: PdfValue | undefined): string[] {
  const keys = new Set([
    ...(isDict(a) ? a.entries.keys() : []),
    ...(isDict(b) ? b.entries.keys() : []),
  ]);
  return [...keys].filter((k) => !sameValue(get(a, k), get(b, k)));
}

/** Object numbers reachable from a value through references (bounded). */
async function reachable(objects: PdfObjects, from: PdfValue | undefined): Promise<Set<number>> {
  const seen = new Set<number>();
  const stack: PdfValue[] = from ? [from] : [];
  while (stack.length && seen.size < MAX_REACH) {
    const v = stack.pop()!;
    if (v.kind === 'ref') {
      if (seen.has(v.num)) continue;
      seen.add(v.num);
      const o = await objects.get(v.num);
      if (o) stack.push(o.value);
    } else if (v.kind === 'array') stack.push(...v.items);
    else if (v.kind === 'dict') stack.push(...v.entries.values());
  }
  return seen;
}

/** Sig or DocTimeStamp: what a signature field's value is. */
async function fieldKind(
  objects: PdfObjects,
  widget: PdfValue | undefined,
): Promise<ChangeKind | undefined> {
  const ft =
    nameOf(get(widget, 'FT')) ??
    nameOf(await objects.lookup(await objects.lookup(widget, 'Parent'), 'FT'));
  if (ft !== 'Sig') return undefined;
  const v = await objects.lookup(widget, 'V');
  return nameOf(get(v, 'Type')) === 'DocTimeStamp' ? 'doc-timestamp' : 'signature';
}

/** What items added to an array (/Annots, /Fields) are: signature fields, other annotations. */
async function additions(
  objects: PdfObjects,
  before: PdfValue | undefined,
  after: PdfValue | undefined,
): Promise<ChangeKind | 'removed'> {
  const old = before?.kind === 'array' ? before.items : [];
  const now = after?.kind === 'array' ? after.items : [];
  if (old.some((x) => !now.some((y) => sameValue(x, y)))) return 'removed';
  let kind: ChangeKind = 'doc-timestamp';
  const rank: ChangeKind[] = ['doc-timestamp', 'signature', 'annotation', 'other'];
  for (const item of now.filter((y) => !old.some((x) => sameValue(x, y)))) {
    const v = await objects.resolve(item);
    const k = (await fieldKind(objects, v)) ?? (isAnnotation(v) ? 'annotation' : 'other');
    if (rank.indexOf(k) > rank.indexOf(kind)) kind = k;
  }
  return kind;
}

async function classify(
  n: number,
  before: PdfObjects,
  after: PdfObjects,
  dss: Set<number>,
  roots: { catalog: number | undefined; acroForm: number | undefined },
): Promise<Change> {
  const b = (await before.get(n))?.value;
  const aObj = await after.get(n);
  const a = aObj?.value;
  const at = (kind: ChangeKind, what: string): Change => ({ kind, object: n, what });
  if (!a) return at('other', `object ${n} was deleted`);
  const type = nameOf(get(a, 'Type'));
  if (type === 'XRef' || type === 'ObjStm') return at('dss', `object ${n} is cross-reference data`);
  if (b && sameValue(a, b) && !aObj.stream)
    return at('dss', `object ${n} was written again unchanged`);
  if (n === roots.catalog || n === roots.acroForm) {
    const keys = changedKeys(b, a);
    const kinds: ChangeKind[] = [];
    for (const k of keys) {
      if (k === 'DSS' && n === roots.catalog) kinds.push('dss');
      else if (k === 'AcroForm' && n === roots.catalog) {
        const inner = changedKeys(await before.resolve(get(b, k)), await after.resolve(get(a, k)));
        if (inner.every((x) => x === 'Fields' || x === 'SigFlags'))
          kinds.push(
            (await additions(
              after,
              await before.lookup(await before.resolve(get(b, k)), 'Fields'),
              await after.lookup(await after.resolve(get(a, k)), 'Fields'),
            )) as ChangeKind,
          );
        else kinds.push('other');
      } else if (k === 'Fields' && n === roots.acroForm)
        kinds.push(
          (await additions(
            after,
            await before.resolve(get(b, k)),
            await after.resolve(get(a, k)),
          )) as ChangeKind,
        );
      else if (k === 'SigFlags' && n === roots.acroForm) kinds.push('doc-timestamp');
      else kinds.push('other');
    }
    const worst =
      kinds.includes('other' as ChangeKind) || kinds.includes('removed' as ChangeKind)
        ? 'other'
        : kinds.includes('annotation')
          ? 'annotation'
          : kinds.includes('signature')
            ? 'signature'
            : kinds.includes('doc-timestamp')
              ? 'doc-timestamp'
              : 'dss';
    return at(
      worst,
      `${n === roots.catalog ? 'the catalog' : 'the form'} changed ${keys.map((k) => `/${k}`).join(', ')}`,
    );
  }
  if (dss.has(n)) return at('dss', `object ${n} is validation data (DSS)`);
  if (!b) {
    if (type === 'Sig') return at('signature', `a signature (object ${n}) was added`);
    if (type === 'DocTimeStamp')
      return at('doc-timestamp', `a document timestamp (object ${n}) was added`);
    const field = await fieldKind(after, a);
    if (field) return at(field, `a signature field (object ${n}) was added`);
    if (isAnnotation(a)) return at('annotation', `an annotation (object ${n}) was added`);
    return at('other', `object ${n}${type ? ` (/${type})` : ''} was added`);
  }
  const keys = changedKeys(b, a);
  const field = await fieldKind(after, a);
  if (field && keys.every((k) => k === 'V' && !get(b, 'V')))
    return at(field, `the signature field ${n} was signed`);
  if (get(a, 'FT') && keys.every((k) => k === 'V' || k === 'AS' || k === 'AP'))
    return at('form-fill', `the form field ${n} was filled in`);
  if (type === 'Page' && keys.every((k) => k === 'Annots')) {
    const k = await additions(
      after,
      await before.resolve(get(b, 'Annots')),
      await after.resolve(get(a, 'Annots')),
    );
    return at(
      k === 'removed' ? 'annotation' : k,
      `page object ${n} gained ${k === 'removed' ? 'and lost ' : ''}annotations`,
    );
  }
  if (a.kind === 'array') {
    const k = await additions(after, b, a);
    return at(k === 'removed' ? 'other' : k, `the array object ${n} changed`);
  }
  if (type === 'Annot' && nameOf(get(a, 'Subtype')) !== 'Widget')
    return at('annotation', `the annotation ${n} changed`);
  const what = type === 'Page' ? `page object ${n}` : `object ${n}${type ? ` (/${type})` : ''}`;
  return at(
    'other',
    `${what} changed (${
      keys
        .slice(0, 4)
        .map((k) => `/${k}`)
        .join(', ') || 'its stream'
    })`,
  );
}

/** The changes that the sections `added` (newer than `before`'s chain) make, as of `after`. */
export async function changesAfter(
  before: PdfObjects,
  after: PdfObjects,
  added: readonly XrefSection[],
): Promise<Change[]> {
  const nums = new Set<number>();
  for (const s of added) for (const [n, e] of s.entries) if (n !== 0 && e.type !== 'f') nums.add(n);
  for (const s of added)
    for (const [n, e] of s.entries)
      if (n !== 0 && e.type === 'f' && (await before.get(n))) nums.add(n);
  if (nums.size > MAX_CHANGED)
    return [
      {
        kind: 'other',
        object: 0,
        what: `${nums.size} objects changed, more than docprov analyses`,
      },
    ];
  const catalog = refNum(get(after.trailer, 'Root'));
  const beforeCatalog = refNum(get(before.trailer, 'Root'));
  if (catalog !== beforeCatalog)
    return [{ kind: 'other', object: catalog ?? 0, what: 'the document catalog was replaced' }];
  const cat = await after.catalog();
  const dss = await reachable(after, get(cat, 'DSS'));
  const acroForm = refNum(get(cat, 'AcroForm'));
  const out: Change[] = [];
  for (const n of [...nums].sort((x, y) => x - y))
    out.push(await classify(n, before, after, dss, { catalog, acroForm }));
  return out.filter(
    (c) => !/cross-reference data|written again unchanged/.test(c.what) || c.kind !== 'dss',
  );
}

/** Which kinds of change a certification level allows after it (ISO 32000-2 12.8.2.2.2). */
export function allowedAfterCertification(p: number): Set<ChangeKind> {
  const kinds = new Set<ChangeKind>(['dss', 'doc-timestamp']);
  if (p >= 2) kinds.add('signature').add('form-fill');
  if (p >= 3) kinds.add('annotation');
  return kinds;
}
