import { readAsn1, whole } from '../../src/core/asn1/reader.js';
import { concat, explicit, oid, seq, setOf, tlv } from '../../src/core/asn1/writer.js';
import { latin1 } from '../../src/core/pdf/source.js';

// Rewrites the CMS inside a signed PDF's /Contents (same gap, same /ByteRange), for tests of
// what a signature container may carry: the signed bytes stay exactly as they were.

export function cmsOf(pdf: Uint8Array): { cms: Uint8Array; at: number; room: number } {
  const t = latin1(pdf);
  const m = /\/ByteRange \[0 (\d+) (\d+) \d+\s*\]/.exec(t)!;
  const at = Number(m[1]) + 1;
  const room = (Number(m[2]) - Number(m[1]) - 2) / 2;
  const hex = t.slice(at, at + room * 2);
  const bytes = Uint8Array.from(Buffer.from(hex, 'hex'));
  const end = readAsn1(bytes, { ber: true, allowTrailing: true }).end;
  return { cms: bytes.subarray(0, end), at, room };
}

/** The PDF with a new CMS written into the same /Contents gap (zero-padded). */
export function withCms(pdf: Uint8Array, cms: Uint8Array): Uint8Array {
  const { at, room } = cmsOf(pdf);
  if (cms.length > room) throw new Error('the new CMS does not fit the gap');
  const out = new Uint8Array(pdf);
  out.set(
    Buffer.from(
      Buffer.from(cms)
        .toString('hex')
        .toUpperCase()
        .padEnd(room * 2, '0'),
    ),
    at,
  );
  return out;
}

/** Rebuilds a CMS ContentInfo, letting `edit` replace SignedData's children (DER pieces). */
export function rebuild(
  cms: Uint8Array,
  edit: (children: Uint8Array[], tags: number[]) => Uint8Array[],
): Uint8Array {
  const root = readAsn1(cms, { ber: true });
  const sd = root.children[1]!.children[0]!;
  const pieces = sd.children.map((c) => new Uint8Array(whole(cms, c)));
  const tags = sd.children.map((c) => c.tag);
  return seq([oid('1.2.840.113549.1.7.2'), explicit(0, seq(edit(pieces, tags)))]);
}

/** Adds an unsigned attribute to the (only) SignerInfo. */
export function withUnsignedAttribute(
  cms: Uint8Array,
  type: string,
  value: Uint8Array,
): Uint8Array {
  return rebuild(cms, (children) => {
    const infos = readAsn1(children[children.length - 1]!);
    const si = infos.children[0]!;
    const siBytes = children[children.length - 1]!;
    const parts: Uint8Array[] = si.children.map((c) => new Uint8Array(whole(siBytes, c)));
    parts.push(setOf([seq([oid(type), setOf([value])])], 0xa1));
    return [...children.slice(0, -1), setOf([seq(parts)])];
  });
}

/** Adds a certificate to [0] certificates, or a CRL to [1] crls (made if absent). */
export function withExtra(cms: Uint8Array, field: 0xa0 | 0xa1, item: Uint8Array): Uint8Array {
  return rebuild(cms, (children, tags) => {
    const i = tags.indexOf(field);
    if (i >= 0) {
      const t = readAsn1(children[i]!);
      const items = t.children.map((c) => children[i]!.subarray(c.start, c.end));
      return children.map((c, k) => (k === i ? tlv(field, concat([...items, item])) : c));
    }
    // crls [1] goes after certificates [0], before signerInfos.
    return [...children.slice(0, -1), tlv(field, item), children[children.length - 1]!];
  });
}

/** Rebuilds the (only) SignerInfo from its fields (DER pieces), as `edit` returns them. */
export function editSignerInfo(
  cms: Uint8Array,
  edit: (fields: Uint8Array[], tags: number[]) => Uint8Array[],
): Uint8Array {
  return rebuild(cms, (children) => {
    const siBytes = children[children.length - 1]!;
    const si = readAsn1(siBytes).children[0]!;
    const fields = si.children.map((c) => new Uint8Array(whole(siBytes, c)));
    const tags = si.children.map((c) => c.tag);
    return [...children.slice(0, -1), setOf([seq(edit(fields, tags))])];
  });
}

/** The fields of one DER SEQUENCE (or SET), as DER pieces. */
export function fieldsOf(der: Uint8Array): Uint8Array[] {
  return readAsn1(der).children.map((c) => new Uint8Array(whole(der, c)));
}
