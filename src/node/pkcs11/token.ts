import { loadBinding, type Pkcs11Module } from './binding.js';
import { modulePath } from './module-path.js';
import {
  attribute,
  certificates,
  CKA,
  findKey,
  flag,
  publicPoint,
  quote,
  tokenError,
  ulong,
} from './objects.js';
import { resolvePin } from './pin.js';
import { call, moduleAt, once, openSession } from './session.js';
import { findSlot, login, trimmed } from './slot.js';
import { parsePkcs11Uri } from './uri.js';

// Opens the private key a PKCS#11 URI names: the module, the token, a session, the login, the
// key. It reads only what is public: the key's type, size and public half, and the certificates
// beside it. The private key itself is never asked for (no CKA_VALUE, no wrapping): the token
// signs, nothing else.

const CKU_CONTEXT_SPECIFIC = 2;

export const CKK = { rsa: 0x0, ec: 0x3, ecEdwards: 0x40 } as const;

/** Which keys a use accepts: documents are signed with RSA or ECDSA, a log with Ed25519. */
export interface KeyUse {
  types: number[];
  /** "docprov signs with ..." */
  what: string;
  hint: string;
}
export const DOCUMENT_SIGNING: KeyUse = {
  types: [CKK.rsa, CKK.ec],
  what: 'RSA or ECDSA (P-256, P-384, P-521)',
  hint: 'generate an RSA-3072 or EC P-256 key pair on the token (docprov keys --help shows how)',
};
const KEY_NAMES: Record<number, string> = {
  0x0: 'RSA',
  0x1: 'DSA',
  0x2: 'Diffie-Hellman',
  0x3: 'EC',
  0x40: 'EdDSA (Ed25519/Ed448)',
  0x41: 'Montgomery (X25519)',
};
/** A private key on a token, ready to sign; what docprov may know about it, and nothing more. */
export interface TokenKey {
  /** e.g. token "docprov", object "publisher" (for messages). */
  name: string;
  /** The URI with any PIN hidden. */
  uri: string;
  keyType: number;
  /** RSA: modulus and exponent; EC: the curve parameters (DER OID) and, if found, the point. */
  modulus?: Uint8Array;
  publicExponent?: Uint8Array;
  ecParams?: Uint8Array;
  ecPoint?: Uint8Array;
  /** X.509 certificates on the token (DER), the key's own (same id, else label) first. */
  certificates: Uint8Array[];
  /** What the token says about the key's protection. */
  sensitive: boolean;
  extractable: boolean;
  allowedMechanisms?: number[];
  /** Signs `data` (already a digest or DigestInfo, as the mechanism wants) on the token. */
  sign(
    mechanism: { mechanism: number; parameter?: unknown },
    data: Uint8Array,
    max: number,
  ): Uint8Array;
}

/** Opens (once per process) the key a pkcs11: URI names, logged in and ready to sign. */
export function openTokenKey(
  value: string,
  variable: string,
  env: NodeJS.ProcessEnv,
  use: KeyUse = DOCUMENT_SIGNING,
): TokenKey {
  return once(`${variable}\0${value}`, () => open(value, variable, env, use));
}

function open(value: string, variable: string, env: NodeJS.ProcessEnv, use: KeyUse): TokenKey {
  const uri = parsePkcs11Uri(value, variable);
  if (uri.type !== undefined && uri.type !== 'private')
    throw tokenError(
      'bad-pkcs11-uri',
      `${variable} names type=${uri.type}; signing needs the private key (type=private, or no type)`,
      'write type=private, and give the certificate in DOCPROV_SIGNING_CERT or keep it on the token beside the key',
    );
  const path = modulePath(uri, variable);
  const pin = resolvePin(uri, variable, env);
  const binding = loadBinding(variable);
  const mod = moduleAt(binding, path);
  const slot = findSlot(mod, uri, path, variable);
  const tokenLabel = trimmed(call('C_GetTokenInfo', () => mod.C_GetTokenInfo(slot)).label);
  const tokenName = quote(tokenLabel);
  const session = openSession(path, slot);
  login(mod, session, slot, pin, variable, tokenName);
  const key = findKey(mod, session, uri, variable, tokenName);
  const get = (type: number) => attribute(mod, session, key, type);
  const keyType = ulong(get(CKA.keyType)) ?? -1;
  const keyLabel = get(CKA.label);
  const name = `token ${tokenName}, object ${quote(keyLabel?.toString('utf8') ?? '')}`;
  if (!use.types.includes(keyType))
    throw tokenError(
      'pkcs11-wrong-key-type',
      `the private key (${name}) is ${KEY_NAMES[keyType] ? `an ${KEY_NAMES[keyType]} key` : `of key type ${keyType}`}; ${variable} signs with ${use.what}`,
      use.hint,
    );
  if (flag(get(CKA.sign)) === false)
    throw tokenError(
      'pkcs11-key-cannot-sign',
      `the private key (${name}) may not sign (its CKA_SIGN is false)`,
      'generate the key pair with signing allowed (pkcs11-tool --keypairgen --usage-sign)',
    );
  const keyId = get(CKA.id);
  const alwaysAuthenticate = flag(get(CKA.alwaysAuthenticate)) === true;
  const allowed = get(CKA.allowedMechanisms);
  const out: TokenKey = {
    name,
    uri: uri.display,
    keyType,
    certificates: certificates(mod, session, keyId, keyLabel),
    sensitive: flag(get(CKA.sensitive)) ?? true,
    extractable: flag(get(CKA.extractable)) ?? false,
    ...(allowed?.length
      ? {
          allowedMechanisms: Array.from({ length: allowed.length / 8 }, (_, i) =>
            Number(allowed.readBigUInt64LE(i * 8)),
          ),
        }
      : {}),
    sign(mechanism, data, max) {
      call('C_SignInit', () =>
        mod.C_SignInit(session, mechanism as Parameters<Pkcs11Module['C_SignInit']>[1], key),
      );
      // A key that wants its PIN for every signature (a PIV signing key) gets it here.
      if (alwaysAuthenticate)
        call('C_Login', () => mod.C_Login(session, CKU_CONTEXT_SPECIFIC, pin?.reveal()));
      return new Uint8Array(
        call('C_Sign', () => mod.C_Sign(session, Buffer.from(data), Buffer.alloc(max))),
      );
    },
  };
  if (keyType === CKK.rsa) {
    const n = get(CKA.modulus);
    const e = get(CKA.publicExponent);
    if (n) out.modulus = new Uint8Array(n);
    if (e) out.publicExponent = new Uint8Array(e);
  } else {
    const params = get(CKA.ecParams);
    if (params) out.ecParams = new Uint8Array(params);
    const point = publicPoint(mod, session, keyId, keyLabel);
    if (point) out.ecPoint = point;
  }
  return out;
}
