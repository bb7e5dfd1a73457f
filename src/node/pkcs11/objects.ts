import { DocprovError } from '../../core/errors.js';
import type { Attribute, Handle, Pkcs11Module } from './binding.js';
import { call } from './session.js';
import type { Pkcs11Uri } from './uri.js';

// The objects on a token: finding them by class, label and id, and reading one attribute at a
// time (a token refuses a whole template for one attribute it does not show).

export const CKO = { certificate: 1, publicKey: 2, privateKey: 3 } as const;
const CLASS_NAMES: Record<number, string> = {
  0: 'a data object',
  1: 'a certificate',
  2: 'a public key',
  3: 'a private key',
  4: 'a secret key',
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
  ecParams: 0x180,
  ecPoint: 0x181,
  alwaysAuthenticate: 0x202,
  allowedMechanisms: 0x40000600,
} as const;
export const tokenError = (code: string, message: string, hint: string) =>
  new DocprovError(code, message, { severity: 'unusable', hint });

export const quote = (s: string) => JSON.stringify(s);
export const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

/** One attribute's value, or undefined where the token does not have or show it. */
export function attribute(
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
export const ulong = (b: Buffer | undefined) =>
  b === undefined ? undefined : b.length >= 8 ? Number(b.readBigUInt64LE()) : b.readUInt32LE();
export const flag = (b: Buffer | undefined) => (b === undefined ? undefined : b[0] !== 0);

export function find(mod: Pkcs11Module, session: Handle, template: Attribute[]): Handle[] {
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

/** The one private key the URI names, or a plain error saying what is there instead. */
export function findKey(
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
export function certificates(
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
export function publicPoint(
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
