import { Asn1Error, body, decodeOid, readDer, smallInt, TAG, type Tlv } from '../asn1/reader.js';
import type { DigestAlgorithm, SignatureScheme } from '../crypto.js';
import { OID } from '../oids.js';

// Which signature and digest algorithms docprov checks, and which it refuses on policy. A policy
// refusal (SHA-1, short keys) is not a broken signature and is never reported as one.

export const DIGESTS: Record<string, DigestAlgorithm> = {
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};
/** Broken algorithms: refused by policy (SHA-1 is still computed, to say whether it verifies). */
export const REFUSED_DIGESTS: Record<string, string> = { [OID.sha1]: 'SHA-1', [OID.md5]: 'MD5' };
export const MIN_RSA_BITS = 2048;
/** Larger moduli and exponents only cost a verifier time (OpenSSL's own limits, in bits). */
export const MAX_RSA_BITS = 16384;
export const MAX_RSA_EXPONENT_BITS = 64;
const CURVES: Record<string, { name: string; bits: number }> = {
  [OID.p256]: { name: 'P-256', bits: 256 },
  [OID.p384]: { name: 'P-384', bits: 384 },
  [OID.p521]: { name: 'P-521', bits: 521 },
};

export type PublicKeyInfo =
  | { type: 'rsa'; bits: number; pssOnly: boolean; exponentBits: number; exponentOdd: boolean }
  | { type: 'ec'; curve: string; bits: number }
  | { type: 'other'; oid: string };

function bitLength(n: Uint8Array): number {
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  if (i === n.length) return 0;
  return (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!));
}

/** What kind of key a DER SubjectPublicKeyInfo holds, and how strong it is. */
export function publicKeyInfo(spki: Uint8Array): PublicKeyInfo {
  const root = readDer(spki);
  const alg = root.children[0];
  const bits = root.children[1];
  if (!alg || alg.tag !== TAG.SEQUENCE || !bits || bits.tag !== TAG.BIT_STRING)
    throw new Asn1Error('malformed public key');
  const oid = decodeOid(body(spki, alg.children[0]!));
  if (oid === OID.rsaEncryption || oid === OID.rsassaPss) {
    const key = body(spki, bits);
    const rsa = readDer(key, 1);
    const modulus = rsa.children[0];
    const exponent = rsa.children[1];
    if (!modulus || modulus.tag !== TAG.INTEGER || !exponent || exponent.tag !== TAG.INTEGER)
      throw new Asn1Error('malformed RSA key');
    const e = body(key, exponent);
    return {
      type: 'rsa',
      bits: bitLength(body(key, modulus)),
      pssOnly: oid === OID.rsassaPss,
      exponentBits: bitLength(e),
      exponentOdd: ((e[e.length - 1] ?? 0) & 1) === 1,
    };
  }
  if (oid === OID.ecPublicKey) {
    const p = alg.children[1];
    const curve = p?.tag === TAG.OID ? CURVES[decodeOid(body(spki, p))] : undefined;
    return curve
      ? { type: 'ec', curve: curve.name, bits: curve.bits }
      : { type: 'other', oid: `${oid} (unknown curve)` };
  }
  return { type: 'other', oid };
}

export const keyName = (k: PublicKeyInfo): string =>
  k.type === 'rsa' ? `RSA-${k.bits}` : k.type === 'ec' ? `ECDSA ${k.curve}` : `a ${k.oid} key`;

/** Why a key is refused by policy, or undefined when it is strong enough. */
export function keyPolicyProblem(k: PublicKeyInfo): string | undefined {
  if (k.type === 'rsa' && k.bits < MIN_RSA_BITS)
    return `an RSA-${k.bits} key (at least RSA-${MIN_RSA_BITS} is required)`;
  const costly = costlyKey(k);
  if (costly) return costly;
  if (k.type === 'other') return `${keyName(k)}, which docprov does not check`;
  return undefined;
}

/** Why an RSA key is refused before any use: one made to cost verifiers time, or malformed. */
export function costlyKey(k: PublicKeyInfo): string | undefined {
  if (k.type !== 'rsa') return undefined;
  if (k.bits > MAX_RSA_BITS)
    return `an RSA key of ${k.bits} bits (at most ${MAX_RSA_BITS} are accepted)`;
  if (k.exponentBits > MAX_RSA_EXPONENT_BITS)
    return `an RSA public exponent of ${k.exponentBits} bits (at most ${MAX_RSA_EXPONENT_BITS} are accepted, as OpenSSL does)`;
  if (k.exponentBits < 2 || !k.exponentOdd) return 'an RSA public exponent that is even or below 3';
  return undefined;
}

export type Resolution =
  | { ok: true; scheme: SignatureScheme }
  /** `policy`: a known algorithm that docprov refuses (SHA-1); else one it does not know. */
  | { ok: false; policy: boolean; reason: string; scheme?: SignatureScheme };

const RSA_WITH: Record<string, DigestAlgorithm | string> = {
  [OID.sha256WithRSA]: 'SHA-256',
  [OID.sha384WithRSA]: 'SHA-384',
  [OID.sha512WithRSA]: 'SHA-512',
  [OID.sha1WithRSA]: 'SHA-1!',
  [OID.md5WithRSA]: 'MD5!',
};
const ECDSA_WITH: Record<string, DigestAlgorithm | string> = {
  [OID.ecdsaWithSha256]: 'SHA-256',
  [OID.ecdsaWithSha384]: 'SHA-384',
  [OID.ecdsaWithSha512]: 'SHA-512',
  [OID.ecdsaWithSha1]: 'SHA-1!',
};

function digestOf(name: string): { hash?: DigestAlgorithm; refused?: string } {
  if (name.endsWith('!')) {
    const n = name.slice(0, -1);
    return n === 'SHA-1' ? { hash: 'SHA-1', refused: n } : { refused: n };
  }
  return { hash: name as DigestAlgorithm };
}

/** Reads RSASSA-PSS-params: hash, MGF1 with the same hash, salt length, trailer field 1. */
function pssParams(der: Uint8Array, params: Tlv | undefined): Resolution {
  let hash: string = OID.sha1;
  let mgfHash: string = OID.sha1;
  let saltLength = 20;
  for (const f of params?.children ?? []) {
    const inner = f.children[0];
    if (f.tag === 0xa0 && inner) hash = decodeOid(body(der, inner.children[0]!));
    else if (f.tag === 0xa1 && inner) {
      if (decodeOid(body(der, inner.children[0]!)) !== OID.mgf1)
        return {
          ok: false,
          policy: false,
          reason: 'RSA-PSS with a mask generation other than MGF1',
        };
      mgfHash = decodeOid(body(der, inner.children[1]!.children[0]!));
    } else if (f.tag === 0xa2 && inner) saltLength = smallInt(der, inner, 'the PSS salt length');
    else if (f.tag === 0xa3 && inner && smallInt(der, inner, 'the PSS trailer') !== 1)
      return { ok: false, policy: false, reason: 'RSA-PSS with a trailer field other than 1' };
  }
  if (hash !== mgfHash)
    return { ok: false, policy: false, reason: 'RSA-PSS whose MGF1 hash differs from its hash' };
  const d = DIGESTS[hash];
  if (!d) {
    const refused = REFUSED_DIGESTS[hash];
    return refused
      ? { ok: false, policy: true, reason: `RSA-PSS with ${refused}` }
      : { ok: false, policy: false, reason: `RSA-PSS with the hash ${hash}` };
  }
  return { ok: true, scheme: { kind: 'rsa-pss', hash: d, saltLength } };
}

/**
 * The scheme for a signature AlgorithmIdentifier, given the key and (for rsaEncryption, which
 * names no hash) the digest algorithm the signer used.
 */
export function signatureScheme(
  der: Uint8Array,
  alg: Tlv,
  key: PublicKeyInfo,
  digest: DigestAlgorithm | undefined,
): Resolution {
  const oid = decodeOid(body(der, alg.children[0]!));
  // Refused before any work: a key whose use would cost the verifier more than any signature needs.
  const costly = costlyKey(key);
  if (costly) return { ok: false, policy: true, reason: costly };
  const needs = (type: 'rsa' | 'ec', r: Resolution): Resolution =>
    r.ok && key.type !== type
      ? {
          ok: false,
          policy: false,
          reason: `a ${r.scheme.kind} signature made with ${keyName(key)}`,
        }
      : r;
  if (oid === OID.rsassaPss) return needs('rsa', pssParams(der, alg.children[1]));
  if (key.type === 'rsa' && key.pssOnly)
    return { ok: false, policy: false, reason: 'an RSA-PSS-only key used for another scheme' };
  const named = RSA_WITH[oid] ?? ECDSA_WITH[oid];
  const generic = oid === OID.rsaEncryption || oid === OID.ecPublicKey;
  if (!named && !generic)
    return { ok: false, policy: false, reason: `the signature algorithm ${oid}` };
  const kind = RSA_WITH[oid] || oid === OID.rsaEncryption ? 'rsa-pkcs1' : 'ecdsa';
  const d = named ? digestOf(named) : { hash: digest };
  if (!d.hash)
    return d.refused
      ? { ok: false, policy: true, reason: `${d.refused}` }
      : { ok: false, policy: false, reason: 'a signature whose digest algorithm is unknown' };
  const scheme = { kind, hash: d.hash } as SignatureScheme;
  if (d.refused || d.hash === 'SHA-1')
    return { ok: false, policy: true, reason: d.refused ?? 'SHA-1', scheme };
  return needs(kind === 'ecdsa' ? 'ec' : 'rsa', { ok: true, scheme });
}

export const schemeName = (s: SignatureScheme): string =>
  s.kind === 'rsa-pkcs1'
    ? `RSA PKCS#1 v1.5 with ${s.hash}`
    : s.kind === 'rsa-pss'
      ? `RSA-PSS with ${s.hash}`
      : `ECDSA with ${s.hash}`;
