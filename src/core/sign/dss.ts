import { sameBytes } from '../crypto.js';
import { get } from '../pdf/lexer.js';
import { arrayOf, ref, withEntry } from '../pdf/serialize.js';
import { PdfUpdate } from './update.js';

// PAdES B-LT: an incremental update adding a Document Security Store (ISO 32000-2 12.8.4.3) with
// the certificates and revocation data a verifier needs offline. What the DSS already holds is
// kept and not added twice; with nothing new, the file is returned unchanged.

export interface ValidationData {
  certs: Uint8Array[];
  crls: Uint8Array[];
  ocsps: Uint8Array[];
}

const KEYS = { certs: 'Certs', crls: 'CRLs', ocsps: 'OCSPs' } as const;
const MAX_ITEM = 16 << 20;

export async function addDss(pdf: Uint8Array, data: ValidationData): Promise<Uint8Array> {
  const u = await PdfUpdate.open(pdf);
  const catalog = (await u.catalog())!;
  const dssRef = get(catalog.value, 'DSS');
  const old = await u.reader.resolve(dssRef);
  let dss =
    old?.kind === 'dict'
      ? old
      : withEntry(undefined, 'Type', { kind: 'name', value: 'DSS', start: 0, end: 0 });
  let added = 0;
  for (const [field, key] of Object.entries(KEYS) as [keyof ValidationData, string][]) {
    const existing = await u.reader.resolve(get(dss, key));
    const items = existing?.kind === 'array' ? [...existing.items] : [];
    const have: Uint8Array[] = [];
    for (const it of items) {
      const o = it.kind === 'ref' ? await u.reader.get(it.num) : undefined;
      if (o?.stream) have.push(await u.reader.streamData(o, MAX_ITEM));
    }
    for (const bytes of data[field]) {
      if (have.some((h) => sameBytes(h, bytes))) continue;
      const n = u.newObject();
      u.putStream(n, bytes);
      items.push(ref(n));
      have.push(bytes);
      added++;
    }
    if (items.length) dss = withEntry(dss, key, arrayOf(items));
  }
  if (added === 0) return pdf;
  if (dssRef?.kind === 'ref') u.put(dssRef.num, dss);
  else {
    const n = u.newObject();
    u.put(n, dss);
    u.put(catalog.num, withEntry(catalog.value, 'DSS', ref(n)));
  }
  return u.bytes();
}
