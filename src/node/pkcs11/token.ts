import { DocprovError } from '../../core/errors.js';
import { loadBinding, ckr, type Attribute, type Handle, type Pkcs11Module } from './binding.js';
import { modulePath } from './module-path.js';
import { resolvePin } from './pin.js';
import type { Secret } from './secret.js';
import { call, moduleAt, once, openSession, pkcs11Failure } from './session.js';
import { parsePkcs11Uri, type Pkcs11Uri } from './uri.js';

// Finds the token and the private key a PKCS#11 URI names, logs in, and reads only what is
// public: the key's type, size and public half, and the certificates beside it. The private key
// itself is never asked for (no CKA_VALUE, no wrapping): the token signs, nothing else.

export const CKO = { certificate: 1, publicKey: 2, privateKey: 3 } as const;
const CLASS_NAMES: Record<number, string> = {
  0: 'a data object',
  1: 'a certificate',
  2: 'a public key',
  3: 'a private key',
  4: 'a secret key',
};
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
export const CKA = {
  class: 0x0,
  label: 0x3,
  value: 0x11,
  certificateType: 0x80,
  keyType: 0x100,
  id: 0x102,
  sensitive: 0x103,
  sign: 0x108,
  modulus: 0x120,
  publicExponent: 0x122,
  extractable: 0x162,
  neverExtractable: 0x164,
  ecParams: 0x180,
  ecPoint: 0x181,
  alwaysAuthenticate: 0x202,
  allowedMechanisms: 0x40000600,
} as const;
const CKU_USER = 1;
const CKU_CONTEXT_SPECIFIC = 2;
const CKF_LOGIN_REQUIRED = 0x4;
const CKF_PROTECTED_AUTHENTICATION_PATH = 0x100;
const CKF_USER_PIN_LOCKED = 0x40000;
const CKR_USER_ALREADY_LOGGED_IN = 0x100;
const CKR_PIN_INCORRECT = 0xa0;
const CKR_PIN_LEN_RANGE = 0xa2;
const CKR_PIN_LOCKED = 0xa4;

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

const tokenError = (code: string, message: string, hint: string) =>
  new DocprovError(code, message, { severity: 'unusable', hint });

const trimmed = (s: string) => s.replace(/[\s\0]+$/, '');
const quote = (s: string) => JSON.stringify(s);
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** One attribute's value, or undefined where the token does not have or show it. */
function attribute(
  mod: Pkcs11Module,
  session: Handle,
  object: Handle,
  type: number,
): Buffer | undefined {
  try {
    const v = mod.C_GetAttributeValue(session, object, [{ type }])[0]?.value;
    return Buffer.isBuffer(v) ? v : undefined;
  } catch {
    return undefined;
  }
}
const ulong = (b: Buffer | undefined) =>
  b === undefined ? undefined : b.length >= 8 ? Number(b.readBigUInt64LE()) : b.readUInt32LE();
const flag = (b: Buffer | undefined) => (b === undefined ? undefined : b[0] !== 0);

function find(mod: Pkcs11Module, session: Handle, template: Attribute[]): Handle[] {
  call('C_FindObjectsInit', () => mod.C_FindObjectsInit(session, template));
  try {
    const found: Handle[] = [];
    for (;;) {
      const batch = call('C_FindObjects', () => mod.C_FindObjects(session, 64));
      found.push(...batch);
      if (batch.length < 64 || found.length > 4096) return found;
    }
  } finally {
    call('C_FindObjectsFinal', () => mod.C_FindObjectsFinal(session));
  }
}

/** The one slot whose token (and slot, and library) match the URI's attributes. */
function findSlot(mod: Pkcs11Module, uri: Pkcs11Uri, path: string, variable: string): Handle {
  const info = call('C_GetInfo', () => mod.C_GetInfo());
  const library =
    (uri.libraryManufacturer === undefined ||
      trimmed(info.manufacturerID) === uri.libraryManufacturer) &&
    (uri.libraryDescription === undefined ||
      trimmed(info.libraryDescription) === uri.libraryDescription) &&
    (uri.libraryVersion === undefined ||
      (info.libraryVersion.major === uri.libraryVersion.major &&
        info.libraryVersion.minor === uri.libraryVersion.minor));
  const slots = call('C_GetSlotList', () => mod.C_GetSlotList(true));
  const described = slots.map((slot) => {
    const t = call('C_GetTokenInfo', () => mod.C_GetTokenInfo(slot));
    const s = call('C_GetSlotInfo', () => mod.C_GetSlotInfo(slot));
    const id = Number(slot.length >= 8 ? slot.readBigUInt64LE() : slot.readUInt32LE());
    const matches =
      library &&
      (uri.token === undefined || trimmed(t.label) === uri.token) &&
      (uri.manufacturer === undefined || trimmed(t.manufacturerID) === uri.manufacturer) &&
      (uri.serial === undefined || trimmed(t.serialNumber) === uri.serial) &&
      (uri.model === undefined || trimmed(t.model) === uri.model) &&
      (uri.slotId === undefined || id === uri.slotId) &&
      (uri.slotDescription === undefined || trimmed(s.slotDescription) === uri.slotDescription) &&
      (uri.slotManufacturer === undefined || trimmed(s.manufacturerID) === uri.slotManufacturer);
    return {
      slot,
      matches,
      text: `${quote(trimmed(t.label))} (serial ${trimmed(t.serialNumber)}, slot-id ${id})`,
    };
  });
  const hits = described.filter((d) => d.matches);
  if (hits.length === 1) return hits[0]!.slot;
  const present = described.length
    ? `it has ${described.map((d) => d.text).join(', ')}`
    : 'it has no token at all';
  if (hits.length === 0)
    throw tokenError(
      'pkcs11-token-not-found',
      `no token matches ${variable} (${uri.token !== undefined ? `token=${uri.token}` : 'the token attributes given'}) in the PKCS#11 module ${path}: ${present}`,
      'check token= against the label the token shows (pkcs11-tool --module MODULE --list-token-slots), and that the token is plugged in',
    );
  throw tokenError(
    'pkcs11-token-ambiguous',
    `${variable} matches ${hits.length} tokens in ${path} (${hits.map((d) => d.text).join(', ')})`,
    'add token=, serial= or slot-id= to the URI so that it names one token',
  );
}

function login(
  mod: Pkcs11Module,
  session: Handle,
  slot: Handle,
  pin: Secret | undefined,
  variable: string,
  tokenName: string,
): void {
  const flags = call('C_GetTokenInfo', () => mod.C_GetTokenInfo(slot)).flags;
  if (flags & CKF_USER_PIN_LOCKED)
    throw tokenError(
      'pkcs11-pin-locked',
      `the user PIN of token ${tokenName} is locked (too many wrong tries)`,
      "unlock it with the security officer's PIN (softhsm2-util/pkcs11-tool --init-pin --login-type so), or the vendor's tool",
    );
  const protectedPath = (flags & CKF_PROTECTED_AUTHENTICATION_PATH) !== 0;
  if (!pin && !protectedPath) {
    if (!(flags & CKF_LOGIN_REQUIRED)) return;
    throw tokenError(
      'pkcs11-pin-missing',
      `token ${tokenName} needs its user PIN, and ${variable} gives none`,
      `add pin-source=file:/path/to/pin-file to the URI (a file holding only the PIN), or set ${variable}_PIN`,
    );
  }
  try {
    mod.C_Login(session, CKU_USER, pin?.reveal());
  } catch (e) {
    const r = ckr(e);
    if (r?.code === CKR_USER_ALREADY_LOGGED_IN) return;
    // Which PIN, never the PIN: where it came from is enough to find it.
    if (r?.code === CKR_PIN_INCORRECT || r?.code === CKR_PIN_LEN_RANGE)
      throw tokenError(
        'pkcs11-pin-incorrect',
        `token ${tokenName} refused the PIN (${r.name})`,
        `check the PIN in the file ${variable}'s pin-source names (or its pin-value, or ${variable}_PIN); a token locks after a few wrong tries`,
      );
    if (r?.code === CKR_PIN_LOCKED)
      throw tokenError(
        'pkcs11-pin-locked',
        `the user PIN of token ${tokenName} is locked (too many wrong tries)`,
        "unlock it with the security officer's PIN, or the vendor's tool",
      );
    throw pkcs11Failure('C_Login', e);
  }
}

/** The one private key the URI names, or a plain error saying what is there instead. */
function findKey(
  mod: Pkcs11Module,
  session: Handle,
  uri: Pkcs11Uri,
  variable: string,
  tokenName: string,
): Handle {
  const named: Attribute[] = [
    ...(uri.object !== undefined ? [{ type: CKA.label, value: uri.object }] : []),
    ...(uri.id !== undefined ? [{ type: CKA.id, value: Buffer.from(uri.id) }] : []),
  ];
  const what = [
    uri.object !== undefined ? `object=${uri.object}` : '',
    uri.id !== undefined ? `id=${hex(uri.id)}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const keys = find(mod, session, [{ type: CKA.class, value: CKO.privateKey }, ...named]);
  if (keys.length === 1) return keys[0]!;
  const label = (o: Handle) => {
    const l = attribute(mod, session, o, CKA.label);
    const id = attribute(mod, session, o, CKA.id);
    return `${quote(l ? l.toString('utf8') : '')}${id?.length ? ` (id ${hex(id)})` : ''}`;
  };
  if (keys.length > 1)
    throw tokenError(
      'pkcs11-object-ambiguous',
      `${variable} matches ${keys.length} private keys on token ${tokenName}: ${keys.map(label).join(', ')}`,
      'add object= (the label) or id= to the URI so that it names one key',
    );
  // Nothing: is there an object of that name that is not a private key?
  const others = named.length ? find(mod, session, named) : [];
  if (others.length) {
    const cls = ulong(attribute(mod, session, others[0]!, CKA.class)) ?? -1;
    throw tokenError(
      'pkcs11-wrong-key-type',
      `${what} on token ${tokenName} is ${CLASS_NAMES[cls] ?? 'an object of another class'}, not a private key: docprov signs with a private key (RSA or ECDSA)`,
      'name the private key of the signing key pair (pkcs11-tool --module MODULE --login --list-objects --type privkey)',
    );
  }
  const all = find(mod, session, [{ type: CKA.class, value: CKO.privateKey }]);
  throw tokenError(
    'pkcs11-object-not-found',
    `token ${tokenName} has no private key ${what ? `with ${what}` : 'at all'}${all.length ? `; its private keys: ${all.map(label).join(', ')}` : ''}`,
    'check object= (the label) and id= against pkcs11-tool --module MODULE --login --list-objects, and that the PIN is the user PIN (private keys are visible only after login)',
  );
}

/** The token's X.509 certificates, the key's own first (same id, else same label). */
function certificates(
  mod: Pkcs11Module,
  session: Handle,
  keyId: Buffer | undefined,
  keyLabel: Buffer | undefined,
): Uint8Array[] {
  const certs = find(mod, session, [
    { type: CKA.class, value: CKO.certificate },
    { type: CKA.certificateType, value: 0 },
  ]).map((o) => ({
    der: attribute(mod, session, o, CKA.value),
    own:
      (keyId?.length && attribute(mod, session, o, CKA.id)?.equals(keyId)) ||
      (!keyId?.length && keyLabel && attribute(mod, session, o, CKA.label)?.equals(keyLabel)),
  }));
  return [...certs.filter((c) => c.own), ...certs.filter((c) => !c.own)]
    .map((c) => c.der)
    .filter((d): d is Buffer => d !== undefined)
    .map((d) => new Uint8Array(d));
}

/** The public key object of the pair (same id, else same label), for its EC point. */
function publicPoint(
  mod: Pkcs11Module,
  session: Handle,
  keyId: Buffer | undefined,
  keyLabel: Buffer | undefined,
): Uint8Array | undefined {
  const by = keyId?.length
    ? { type: CKA.id, value: keyId }
    : keyLabel
      ? { type: CKA.label, value: keyLabel }
      : undefined;
  if (!by) return undefined;
  const [pub] = find(mod, session, [{ type: CKA.class, value: CKO.publicKey }, by]);
  const point = pub && attribute(mod, session, pub, CKA.ecPoint);
  return point ? new Uint8Array(point) : undefined;
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
