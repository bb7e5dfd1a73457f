import { body, decodeOid, readDer, smallInt, TAG, type Tlv } from '../core/asn1/reader.js';
import { algorithm, nul, seq, tlv } from '../core/asn1/writer.js';
import type { DigestAlgorithm } from '../core/crypto.js';
import { OID } from '../core/oids.js';

// What WebCrypto needs to know about a SubjectPublicKeyInfo that it will not read itself: the
// curve, the modulus size, and the restrictions an RSASSA-PSS key carries (which OpenSSL, and
// so the CLI, enforces). Hostile input: any malformation throws, and the caller says false.

export type PssRestriction =
  { restricted: false } | { restricted: true; hash: string; minSalt: number };

export type KeyFacts =
  | { kind: 'ec'; spki: Uint8Array; curve: 'P-256' | 'P-384' | 'P-521'; size: number }
  | {
      kind: 'rsa';
      /** The key as rsaEncryption, which is all WebCrypto imports. */
      spki: Uint8Array;
      modulusBytes: number;
      /** Set for an RSASSA-PSS key: the only hash it may sign with, and the least salt. */
      pss?: PssRestriction;
    };

type Curve = { curve: 'P-256' | 'P-384' | 'P-521'; size: number };
const CURVES: Record<string, Curve> = {
  [OID.p256]: { curve: 'P-256', size: 32 },
  [OID.p384]: { curve: 'P-384', size: 48 },
  [OID.p521]: { curve: 'P-521', size: 66 },
};

export const HASH_OIDS: Record<string, DigestAlgorithm> = {
  [OID.sha1]: 'SHA-1',
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};

/** RSASSA-PSS-params of a key: absent or NULL leaves it unrestricted (RFC 4055 section 3.1). */
function pssRestriction(der: Uint8Array, params: Tlv | undefined): PssRestriction {
  if (!params || params.tag === TAG.NULL) return { restricted: false };
  if (params.tag !== TAG.SEQUENCE) throw new Error('bad RSASSA-PSS parameters');
  let hash: string = OID.sha1;
  let mgfHash: string = OID.sha1;
  let minSalt = 20;
  for (const f of params.children) {
    const inner = f.children[0];
    if (!inner) throw new Error('bad RSASSA-PSS parameters');
    if (f.tag === 0xa0) hash = decodeOid(body(der, inner.children[0]!));
    else if (f.tag === 0xa1) mgfHash = decodeOid(body(der, inner.children[1]!.children[0]!));
    else if (f.tag === 0xa2) minSalt = smallInt(der, inner, 'the PSS salt length');
  }
  if (hash !== mgfHash) throw new Error('RSASSA-PSS key whose MGF1 hash differs');
  return { restricted: true, hash, minSalt };
}

export function keyFacts(spki: Uint8Array): KeyFacts {
  const root = readDer(spki);
  const alg = root.children[0];
  const bits = root.children[1];
  if (root.tag !== TAG.SEQUENCE || alg?.tag !== TAG.SEQUENCE || bits?.tag !== TAG.BIT_STRING)
    throw new Error('malformed public key');
  const oid = decodeOid(body(spki, alg.children[0]!));
  if (oid === OID.ecPublicKey) {
    const p = alg.children[1];
    const c = p?.tag === TAG.OID ? CURVES[decodeOid(body(spki, p))] : undefined;
    if (!c) throw new Error('a curve WebCrypto does not have');
    return { kind: 'ec', spki, ...c };
  }
  if (oid !== OID.rsaEncryption && oid !== OID.rsassaPss) throw new Error('not an RSA or EC key');
  const key = body(spki, bits);
  const modulus = readDer(key, 1).children[0];
  if (modulus?.tag !== TAG.INTEGER) throw new Error('malformed RSA key');
  const m = body(key, modulus);
  const modulusBytes = m.length - (m[0] === 0 ? 1 : 0);
  if (oid === OID.rsaEncryption) return { kind: 'rsa', spki, modulusBytes };
  const rsaSpki = seq([algorithm(OID.rsaEncryption, nul()), tlv(TAG.BIT_STRING, body(spki, bits))]);
  return {
    kind: 'rsa',
    spki: rsaSpki,
    modulusBytes,
    pss: pssRestriction(spki, alg.children[1]),
  };
}
