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
/** Trailer keys that belong to the xref chain itself (and an xref stream's own dictionary). */
const CHAIN_KEYS = new Set([
  'Size',
  'Prev',
  'ID',
  'XRefStm',
  'Type',
  'W',
  'Index',
  'Length',
  'Filter',
  'DecodeParms',
]);
const MAX_REACH = 10_000;
/** Signature fields one update may add: one each for a signature or a document timestamp. */
const MAX_NEW_FIELDS = 8;

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

/**
 * Whether a widget may show something: a /Rect of some area (resolved as viewers resolve it;
 * one docprov cannot measure counts as visible). With an area, a viewer draws an appearance,
 * its own if the widget has none (mupdf does).
 */
async function visible(objects: PdfObjects, v: PdfValue | undefined): Promise<boolean> {
  const r = await objects.resolve(get(v, 'Rect'));
  if (r === undefined) return false;
  if (r.kind !== 'array' || r.items.length !== 4) return true;
  const n: number[] = [];
  for (const item of r.items) {
    const x = await objects.resolve(item);
    if (x?.kind !== 'number') return true;
    n.push(x.value);
  }
  return Math.abs((n[2]! - n[0]!) * (n[3]! - n[1]!)) > 0;
}

/**
 * Sig or DocTimeStamp: what a signature field's value is. A visible one is an annotation (it
 * changes what the page shows: the Sneaky Signature attack), unless it shows a signature made
 * in this very update (`fresh`), which then vouches for its own appearance.
 */
async function fieldKind(
  objects: PdfObjects,
  n: number | undefined,
  fields: ReadonlySet<number>,
  fresh: ReadonlySet<number>,
): Promise<ChangeKind | undefined> {
  // A field is an object the form lists (/Fields, /Kids), a dictionary, never a stream: /FT /Sig
  // written into a page's content stream or an unlisted object makes no signature field.
  if (n === undefined || !fields.has(n)) return undefined;
  const obj = await objects.get(n);
  if (!obj || obj.stream || obj.value.kind !== 'dict') return undefined;
  const widget = obj.value;
  const parent = await objects.lookup(widget, 'Parent');
  const ft = nameOf(get(widget, 'FT')) ?? nameOf(get(parent, 'FT'));
  if (ft !== 'Sig') return undefined;
  const vRef = get(widget, 'V') ?? get(parent, 'V');
  const v = await objects.resolve(vRef);
  const type = nameOf(get(v, 'Type'));
  if (await visible(objects, widget))
    return type === 'Sig' && vRef?.kind === 'ref' && fresh.has(vRef.num)
      ? 'signature'
      : 'annotation';
  return type === 'DocTimeStamp' ? 'doc-timestamp' : 'signature';
}

const RANK: readonly (ChangeKind | 'none')[] = [
  'none',
  'dss',
  'doc-timestamp',
  'signature',
  'form-fill',
  'annotation',
  'other',
];
const worst = (kinds: readonly (ChangeKind | 'none')[]): ChangeKind | 'none' =>
  kinds.reduce<ChangeKind | 'none'>((w, k) => (RANK.indexOf(k) > RANK.indexOf(w) ? k : w), 'none');

/** What items added to an array (/Annots, /Fields) are; removing any is 'other'. */
async function additions(
  sc: Scope,
  before: PdfValue | undefined,
  after: PdfValue | undefined,
): Promise<ChangeKind | 'none'> {
  if ((before !== undefined && before.kind !== 'array') || after?.kind !== 'array') return 'other';
  const old = before?.kind === 'array' ? before.items : [];
  const now = after.items;
  // Only appended: the old items, each once, in their order (a reordered /Kids or /Widths
  // changes what is shown as surely as a new item does), then the new ones.
  const kept = now.filter((y) => old.some((x) => sameValue(x, y)));
  if (kept.length !== old.length || !kept.every((y, i) => sameValue(y, old[i]))) return 'other';
  const kinds: ChangeKind[] = [];
  for (const item of now.filter((y) => !old.some((x) => sameValue(x, y)))) {
    const v = await sc.after.resolve(item);
    kinds.push(
      (await fieldKind(sc.after, refNum(item), sc.fields, sc.fresh)) ??
        (isAnnotation(v) ? 'annotation' : 'other'),
    );
  }
  return worst(kinds);
}

interface Scope {
  before: PdfObjects;
  after: PdfObjects;
  catalog: number | undefined;
  acroForm: number | undefined;
  /** Objects only the DSS reaches (nothing else of the document), now and before. */
  dssOnly: Set<number>;
  dssBefore: Set<number>;
  /** Objects this update adds (new numbers). */
  fresh: Set<number>;
  /** The form's fields as the new revision lists them (/Fields and their /Kids). */
  fields: Set<number>;
  /** New objects that are a new signature field's value or appearance, with the field's kind. */
  fieldParts: Map<number, ChangeKind>;
  /** New objects that only hold the update itself: its cross-reference and object streams. */
  structural: Set<number>;
}

/**
 * Whether the catalog's developer extensions (ISO 32000-2 7.12) only gained entries, each a
 * version declaration and nothing else: what PAdES tools add beside a DSS (ETSI's ESIC).
 */
async function onlyExtensionsAdded(
  sc: Scope,
  before: PdfValue | undefined,
  after: PdfValue | undefined,
): Promise<boolean> {
  const [b, a] = [await sc.before.resolve(before), await sc.after.resolve(after)];
  if (a?.kind !== 'dict' || (b !== undefined && b.kind !== 'dict')) return false;
  const DECLARATION = new Set([
    'Type',
    'BaseVersion',
    'ExtensionLevel',
    'ExtensionRevision',
    'URL',
  ]);
  for (const [key, value] of a.entries) {
    const old = b?.kind === 'dict' ? b.entries.get(key) : undefined;
    if (old && sameValue(old, value)) continue;
    if (old) return false; // an extension declared before may not change
    const d = value.kind === 'dict' ? value : undefined;
    if (!d || ![...d.entries.keys()].every((x) => DECLARATION.has(x))) return false;
    if (get(d, 'BaseVersion')?.kind !== 'name' || get(d, 'ExtensionLevel')?.kind !== 'number')
      return false;
  }
  return b?.kind !== 'dict' || [...b.entries.keys()].every((k) => a.entries.has(k));
}

/** The catalog or form dictionary: judged key by key. */
async function dictionaryChange(
  n: number,
  b: PdfValue | undefined,
  a: PdfValue,
  sc: Scope,
): Promise<ChangeKind | 'none'> {
  const kinds: (ChangeKind | 'none')[] = [];
  for (const k of changedKeys(b, a)) {
    if (n === sc.catalog && k === 'DSS') kinds.push('dss');
    else if (n === sc.catalog && k === 'Extensions')
      kinds.push((await onlyExtensionsAdded(sc, get(b, k), get(a, k))) ? 'dss' : 'other');
    else if (n === sc.catalog && k === 'AcroForm') {
      const [fb, fa] = [await sc.before.resolve(get(b, k)), await sc.after.resolve(get(a, k))];
      const inner = changedKeys(fb, fa);
      kinds.push(
        inner.every((x) => x === 'Fields' || x === 'SigFlags')
          ? await additions(
              sc,
              await sc.before.resolve(get(fb, 'Fields')),
              await sc.after.resolve(get(fa, 'Fields')),
            )
          : 'other',
      );
    } else if (n === sc.acroForm && k === 'Fields')
      kinds.push(
        await additions(sc, await sc.before.resolve(get(b, k)), await sc.after.resolve(get(a, k))),
      );
    else if (n === sc.acroForm && k === 'SigFlags') kinds.push('doc-timestamp');
    else kinds.push('other');
  }
  return worst(kinds);
}

async function classify(n: number, sc: Scope): Promise<Change | undefined> {
  const bObj = await sc.before.get(n);
  const b = bObj?.value;
  const aObj = await sc.after.get(n);
  const a = aObj?.value;
  const at = (kind: ChangeKind | 'none', what: string): Change | undefined =>
    kind === 'none' ? undefined : { kind, object: n, what };
  if (!a) return at('other', `object ${n} was deleted`);
  const type = nameOf(get(a, 'Type'));
  // The update's own cross-reference and object streams (by position, not by what they say
  // they are), and objects written again as they were, neither of them a stream.
  if (sc.structural.has(n)) return undefined;
  if (b && sameValue(a, b) && !aObj.stream && !bObj?.stream) return undefined;
  if (n === sc.catalog || n === sc.acroForm) {
    const keys = changedKeys(b, a);
    return at(
      await dictionaryChange(n, b, a, sc),
      `${n === sc.catalog ? 'the catalog' : 'the form'} changed ${keys.map((k) => `/${k}`).join(', ')}`,
    );
  }
  // Validation data: reached from the DSS alone, and new (or DSS data before too).
  if (sc.dssOnly.has(n) && (!b || sc.dssBefore.has(n)))
    return at('dss', `object ${n} is validation data (DSS)`);
  if (!b) {
    // A signature dictionary or appearance counts for what the field holding it is.
    const part = sc.fieldParts.get(n);
    if (part === 'annotation')
      return at(
        part,
        `object ${n}${type ? ` (/${type})` : ''}, shown by a visible signature field, was added`,
      );
    if (part === 'signature' && type === 'Sig')
      return at('signature', `a signature (object ${n}) was added`);
    if (part === 'doc-timestamp' && type === 'DocTimeStamp')
      return at('doc-timestamp', `a document timestamp (object ${n}) was added`);
    if (part === 'signature' || part === 'doc-timestamp')
      return at(part, `the appearance of a new invisible signature field (object ${n}) was added`);
    if (type === 'Sig' || type === 'DocTimeStamp')
      return at(
        'other',
        `a /${type} dictionary (object ${n}) that no new invisible signature field holds was added`,
      );
    const field = await fieldKind(sc.after, n, sc.fields, sc.fresh);
    if (field === 'annotation')
      return at(field, `a visible signature field (object ${n}) was added`);
    if (field) return at(field, `a signature field (object ${n}) was added`);
    if (isAnnotation(a)) return at('annotation', `an annotation (object ${n}) was added`);
    return at('other', `object ${n}${type ? ` (/${type})` : ''} was added`);
  }
  // A stream changed, or an object turned into or out of one: its bytes are what is shown.
  if (aObj.stream || bObj?.stream)
    return at('other', `object ${n}${type ? ` (/${type})` : ''} changed (its stream)`);
  const keys = changedKeys(b, a);
  const field = await fieldKind(sc.after, n, sc.fields, sc.fresh);
  if (field && field !== 'annotation' && keys.every((k) => k === 'V' && !get(b, 'V')))
    return at(field, `the signature field ${n} was signed`);
  if (get(a, 'FT') && keys.every((k) => k === 'V' || k === 'AS' || k === 'AP'))
    return at('form-fill', `the form field ${n} was filled in`);
  if (type === 'Page' && keys.every((k) => k === 'Annots')) {
    const k = await additions(
      sc,
      await sc.before.resolve(get(b, 'Annots')),
      await sc.after.resolve(get(a, 'Annots')),
    );
    return at(k, `page object ${n} gained annotations`);
  }
  if (a.kind === 'array' || b.kind === 'array')
    return at(await additions(sc, b, a), `the array object ${n} changed`);
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

/** The form's fields (objects /Fields lists, and their /Kids, bounded), or undefined past the bound. */
async function formFields(
  objects: PdfObjects,
  acroForm: PdfValue | undefined,
): Promise<Set<number> | undefined> {
  const form = await objects.resolve(acroForm);
  const out = new Set<number>();
  const stack: PdfValue[] = [];
  const list = await objects.resolve(get(form, 'Fields'));
  if (list?.kind === 'array') stack.push(...list.items);
  while (stack.length) {
    const item = stack.pop()!;
    if (item.kind !== 'ref' || out.has(item.num)) continue;
    if (out.size >= MAX_REACH) return undefined;
    out.add(item.num);
    const kids = await objects.resolve(get((await objects.get(item.num))?.value, 'Kids'));
    if (kids?.kind === 'array') stack.push(...kids.items);
  }
  return out;
}

/** Objects reached from the catalog's entries other than /DSS, and from /Info. */
async function documentReach(
  objects: PdfObjects,
  catalog: number | undefined,
): Promise<Set<number> | undefined> {
  const cat = await objects.catalog();
  const rest =
    cat?.kind === 'dict' ? [...cat.entries].filter(([k]) => k !== 'DSS').map(([, v]) => v) : [];
  const info = get(objects.trailer, 'Info');
  const seen = await reachable(objects, {
    kind: 'array',
    items: [...rest, ...(info ? [info] : [])],
    start: 0,
    end: 0,
  });
  if (catalog !== undefined) seen.add(catalog);
  return seen.size >= MAX_REACH ? undefined : seen;
}

/** The changes that the sections `added` (newer than `before`'s chain) make, as of `after`. */
export async function changesAfter(
  before: PdfObjects,
  after: PdfObjects,
  added: readonly XrefSection[],
): Promise<Change[]> {
  const nums = new Set<number>();
  for (const s of added)
    for (const [n, e] of s.entries)
      if (n !== 0 && (e.type !== 'f' || (await before.get(n)))) nums.add(n);
  if (nums.size > MAX_CHANGED)
    return [
      {
        kind: 'other',
        object: 0,
        what: `${nums.size} objects changed, more than docprov analyses`,
      },
    ];
  const catalog = refNum(get(after.trailer, 'Root'));
  if (catalog !== refNum(get(before.trailer, 'Root')))
    return [{ kind: 'other', object: catalog ?? 0, what: 'the document catalog was replaced' }];
  // A trailer says how to read everything (/Encrypt, /Info): only the chain's own keys may change.
  const trailerChanges: Change[] = [];
  for (const s of added) {
    const keys = new Set([
      ...(isDict(s.trailer) ? s.trailer.entries.keys() : []),
      ...(isDict(before.trailer) ? before.trailer.entries.keys() : []),
    ]);
    for (const k of keys)
      if (!CHAIN_KEYS.has(k) && !sameValue(get(s.trailer, k), get(before.trailer, k)))
        trailerChanges.push({ kind: 'other', object: 0, what: `the trailer's /${k} changed` });
  }

  const dss = await reachable(after, get(await after.catalog(), 'DSS'));
  const doc = await documentReach(after, catalog);
  // A document too large to walk cannot show that an object is the DSS's alone: none counts.
  const dssOnly = doc ? new Set([...dss].filter((x) => !doc.has(x))) : new Set<number>();
  const dssBefore = await reachable(before, get(await before.catalog(), 'DSS'));
  const acroForm = refNum(get(await after.catalog(), 'AcroForm'));
  const fresh = new Set<number>();
  for (const n of nums) if (!(await before.get(n))) fresh.add(n);
  const structural = new Set<number>();
  if (doc) {
    // A cross-reference stream is one a section starts at; an object stream, one an entry names.
    const at = new Set<number>();
    const holders = new Set<number>();
    for (const s of added) {
      if (s.form === 'stream') at.add(s.offset);
      if (s.xrefStm !== undefined) at.add(s.xrefStm);
      for (const e of s.entries.values()) if (e.type === 'c') holders.add(e.offset);
    }
    for (const n of fresh) {
      const e = added.find((s) => s.entries.has(n))?.entries.get(n);
      const position = e?.type === 'n' && at.has(e.offset);
      if ((position || holders.has(n)) && !doc.has(n) && !dss.has(n)) structural.add(n);
    }
  }
  const fields = await formFields(after, get(await after.catalog(), 'AcroForm'));
  if (!fields)
    return [{ kind: 'other', object: 0, what: 'the form lists more fields than docprov analyses' }];
  const fieldParts = new Map<number, ChangeKind>();
  let newFields = 0;
  for (const n of fresh) {
    const w = (await after.get(n))?.value;
    const kind = await fieldKind(after, n, fields, fresh);
    if (!kind) continue;
    // An update adds a signature or a timestamp, not hundreds: each costs a walk below.
    if (++newFields > MAX_NEW_FIELDS)
      return [
        {
          kind: 'other',
          object: n,
          what: `more than ${MAX_NEW_FIELDS} signature fields were added in one update`,
        },
      ];
    const v = get(w, 'V') ?? get(await after.lookup(w, 'Parent'), 'V');
    const parts = await reachable(after, {
      kind: 'array',
      items: [...(v ? [v] : []), ...(get(w, 'AP') ? [get(w, 'AP')!] : [])],
      start: 0,
      end: 0,
    });
    // An object two fields hold counts as the worse of the two.
    for (const p of parts)
      if (fresh.has(p)) fieldParts.set(p, worst([kind, fieldParts.get(p) ?? 'none']) as ChangeKind);
  }
  const sc: Scope = {
    before,
    after,
    catalog,
    acroForm,
    dssOnly,
    dssBefore,
    fresh,
    fields,
    fieldParts,
    structural,
  };
  const out: Change[] = [...trailerChanges];
  for (const n of [...nums].sort((x, y) => x - y)) {
    const c = await classify(n, sc);
    if (c) out.push(c);
  }
  return out;
}

/** Which kinds of change a certification level allows after it (ISO 32000-2 12.8.2.2.2). */
export function allowedAfterCertification(p: number): Set<ChangeKind> {
  const kinds = new Set<ChangeKind>(['dss', 'doc-timestamp']);
  if (p >= 2) kinds.add('signature').add('form-fill');
  if (p >= 3) kinds.add('annotation');
  return kinds;
}
