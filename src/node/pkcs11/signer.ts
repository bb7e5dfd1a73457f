import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { decodeOid } from '../../core/asn1/reader.js';
import { algorithm, int, nul, octets, seq } from '../../core/asn1/writer.js';
import type { Signer } from '../../core/cms/build.js';
import type { DigestAlgorithm } from '../../core/crypto.js';
import { DocprovError } from '../../core/errors.js';
import { OID } from '../../core/oids.js';
import type { RsaPadding } from '../key-policy.js';
import type { Certificate } from '../../core/pki/certificate.js';
import { loadBinding } from './binding.js';
import { CKK, type TokenKey } from './token.js';

// Signatures made on the token. RSA PKCS#1 v1.5 signs a DigestInfo with CKM_RSA_PKCS (every
// token has it, and the bytes equal a software signature with the same key: it is
// deterministic); RSA-PSS uses CKM_RSA_PKCS_PSS with MGF1 and a salt as long as the hash; ECDSA
// signs the digest with CKM_ECDSA, whose raw r || s is turned into the DER pair CMS carries.
// Token ECDSA is randomised (tokens do not do RFC 6979): see README, "Keys on a token".

const CKM = { rsaPkcs: 0x1, rsaPkcsPss: 0xd, ecdsa: 0x1041, sha256: 0x250 } as const;
const CKG_MGF1_SHA256 = 0x2;
const MECHANISM_NAMES: Record<number, string> = {
  [CKM.rsaPkcs]: 'CKM_RSA_PKCS',
  [CKM.rsaPkcsPss]: 'CKM_RSA_PKCS_PSS',
  [CKM.ecdsa]: 'CKM_ECDSA',
  0x40: 'CKM_SHA256_RSA_PKCS',
  0x43: 'CKM_SHA256_RSA_PKCS_PSS',
  0x1044: 'CKM_ECDSA_SHA256',
};

const CURVES: Record<string, { crv: string; hash: DigestAlgorithm; bytes: number }> = {
  [OID.p256]: { crv: 'P-256', hash: 'SHA-256', bytes: 32 },
  [OID.p384]: { crv: 'P-384', hash: 'SHA-384', bytes: 48 },
  [OID.p521]: { crv: 'P-521', hash: 'SHA-512', bytes: 66 },
};
const NODE_HASH: Record<DigestAlgorithm, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
const signError = (code: string, message: string, hint: string) =>
  new DocprovError(code, message, { severity: 'unusable', hint });

/** The dotted OID inside CKA_EC_PARAMS (a DER OBJECT IDENTIFIER naming the curve). */
function curveOid(params: Uint8Array | undefined): string | undefined {
  if (!params || params[0] !== 0x06 || params[1] !== params.length - 2) return undefined;
  try {
    return decodeOid(params.subarray(2));
  } catch {
    return undefined;
  }
}

/** The curve of an EC key on the token, or a plain error for one docprov does not sign with. */
export function tokenCurve(key: TokenKey) {
  const oid = curveOid(key.ecParams);
  const curve = oid ? CURVES[oid] : undefined;
  if (!curve)
    throw signError(
      'unsupported-key',
      `the private key (${key.name}) is on the elliptic curve ${oid ?? '(unnamed parameters)'}; docprov signs with P-256, P-384 or P-521`,
      'generate an EC P-256 key pair on the token (pkcs11-tool --keypairgen --key-type EC:prime256v1), or an RSA-3072 one',
    );
  return curve;
}

/** The point inside CKA_EC_POINT: a DER OCTET STRING as PKCS#11 says, or raw from some tokens. */
function uncompressedPoint(point: Uint8Array): Uint8Array {
  if (point[0] === 0x04 && point.length > 2) {
    const long = point[1]! & 0x80 ? point[1]! & 0x7f : 0;
    const start = 2 + long;
    let len = long ? 0 : point[1]!;
    for (let i = 0; i < long; i++) len = len * 256 + point[2 + i]!;
    if (start + len === point.length && point[start] === 0x04) return point.subarray(start);
  }
  return point;
}

/** The token key's public half as node:crypto sees it, when the token shows it. */
export function tokenPublicKey(key: TokenKey): KeyObject | undefined {
  if (key.keyType === CKK.rsa) {
    if (!key.modulus || !key.publicExponent) return undefined;
    return createPublicKey({
      key: { kty: 'RSA', n: b64url(key.modulus), e: b64url(key.publicExponent) },
      format: 'jwk',
    });
  }
  const curve = tokenCurve(key);
  if (!key.ecPoint) return undefined;
  const p = uncompressedPoint(key.ecPoint);
  if (p[0] !== 0x04 || p.length !== 1 + 2 * curve.bytes) return undefined;
  return createPublicKey({
    key: {
      kty: 'EC',
      crv: curve.crv,
      x: b64url(p.subarray(1, 1 + curve.bytes)),
      y: b64url(p.subarray(1 + curve.bytes)),
    },
    format: 'jwk',
  });
}

/** A Signer whose private operation happens on the token. */
export function tokenSigner(
  key: TokenKey,
  chain: Certificate[],
  padding: RsaPadding,
  variable: string,
): Signer {
  const digest = (hash: DigestAlgorithm, data: Uint8Array) =>
    new Uint8Array(createHash(NODE_HASH[hash]).update(data).digest());
  const allow = (mechanism: number, why: string) => {
    if (key.allowedMechanisms && !key.allowedMechanisms.includes(mechanism))
      throw signError(
        'pkcs11-mechanism-not-allowed',
        `the token allows the private key (${key.name}) only ${key.allowedMechanisms.map((m) => MECHANISM_NAMES[m] ?? `0x${m.toString(16)}`).join(', ')}, and docprov signs ${why} with ${MECHANISM_NAMES[mechanism]}`,
        key.allowedMechanisms.includes(CKM.rsaPkcsPss)
          ? 'set DOCPROV_SIGNING_PADDING=pss to sign with RSA-PSS'
          : 'generate the key pair with the mechanisms docprov uses allowed (or without a CKA_ALLOWED_MECHANISMS limit)',
      );
  };
  if (key.keyType === CKK.ec) {
    const curve = tokenCurve(key);
    allow(CKM.ecdsa, 'ECDSA');
    return {
      chain,
      scheme: { kind: 'ecdsa', hash: curve.hash },
      sign(data) {
        const raw = key.sign({ mechanism: CKM.ecdsa }, digest(curve.hash, data), 2 * curve.bytes);
        if (raw.length !== 2 * curve.bytes)
          throw signError(
            'pkcs11-bad-signature',
            `the token returned a ${raw.length}-byte ECDSA signature; ${curve.crv} gives ${2 * curve.bytes} bytes (r || s)`,
            "the module does not follow PKCS#11's CKM_ECDSA output: report it to the token vendor",
          );
        return seq([int(raw.subarray(0, curve.bytes)), int(raw.subarray(curve.bytes))]);
      },
    };
  }
  const bytes = key.modulus ? key.modulus.length - (key.modulus[0] === 0 ? 1 : 0) : 512;
  // A key the token allows RSA-PSS and not PKCS#1 v1.5 (CKA_ALLOWED_MECHANISMS) signs with PSS.
  const pssOnly =
    key.allowedMechanisms?.includes(CKM.rsaPkcsPss) && !key.allowedMechanisms.includes(CKM.rsaPkcs);
  if (padding === 'pss' || pssOnly) {
    allow(CKM.rsaPkcsPss, 'RSA-PSS');
    const { CK_PARAMS_RSA_PSS } = loadBinding(variable);
    const parameter = {
      type: CK_PARAMS_RSA_PSS,
      hashAlg: CKM.sha256,
      mgf: CKG_MGF1_SHA256,
      saltLen: 32,
    };
    return {
      chain,
      scheme: { kind: 'rsa-pss', hash: 'SHA-256', saltLength: 32 },
      sign: (data) =>
        key.sign({ mechanism: CKM.rsaPkcsPss, parameter }, digest('SHA-256', data), bytes),
    };
  }
  allow(CKM.rsaPkcs, 'RSA PKCS#1 v1.5');
  return {
    chain,
    scheme: { kind: 'rsa-pkcs1', hash: 'SHA-256' },
    sign(data) {
      const digestInfo = seq([algorithm(OID.sha256, nul()), octets(digest('SHA-256', data))]);
      return key.sign({ mechanism: CKM.rsaPkcs }, digestInfo, bytes);
    },
  };
}
