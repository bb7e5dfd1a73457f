import { DocprovError } from '../../core/errors.js';
import { ckr, type Handle, type Pkcs11Module } from './binding.js';
import type { Secret } from './secret.js';
import { call, pkcs11Failure } from './session.js';
import type { Pkcs11Uri } from './uri.js';

// The token a URI names (by its token, slot and library attributes), and logging in to it with
// the user PIN: a wrong or missing PIN is said by where it came from, never by its value.

const CKU_USER = 1;
const CKF_LOGIN_REQUIRED = 0x4;
const CKF_PROTECTED_AUTHENTICATION_PATH = 0x100;
const CKF_USER_PIN_LOCKED = 0x40000;
const CKR_USER_ALREADY_LOGGED_IN = 0x100;
const CKR_PIN_INCORRECT = 0xa0;
const CKR_PIN_LEN_RANGE = 0xa2;
const CKR_PIN_LOCKED = 0xa4;

const tokenError = (code: string, message: string, hint: string) =>
  new DocprovError(code, message, { severity: 'unusable', hint });

export const trimmed = (s: string) => s.replace(/[\s\0]+$/, '');
const quote = (s: string) => JSON.stringify(s);

/** The one slot whose token (and slot, and library) match the URI's attributes. */
export function findSlot(
  mod: Pkcs11Module,
  uri: Pkcs11Uri,
  path: string,
  variable: string,
): Handle {
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

export function login(
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
