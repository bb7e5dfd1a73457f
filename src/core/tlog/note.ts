import { ed25519 } from '@noble/curves/ed25519.js';
import { fromBase64, toBase64 } from '../base64.js';
import { digest, sameBytes, toHex, type CryptoProvider } from '../crypto.js';

// C2SP signed notes (c2sp.org/signed-note), Ed25519 signatures (type 0x01) only: a text ending
// in a newline, a blank line, then lines "— <key name> base64(key ID || signature)".
// Verifier keys are written as Go's golang.org/x/mod/sumdb/note writes them:
//   <name>+<key ID, 8 hex digits>+base64(0x01 || 32-byte public key)

export interface NoteKey {
  name: string;
  /** The 32-byte Ed25519 public key. */
  publicKey: Uint8Array;
}

export interface NoteSigner extends NoteKey {
  /** An Ed25519 signature (RFC 8032) over `message`. */
  sign(message: Uint8Array): Uint8Array;
}

const ED25519 = 0x01;
const EM_DASH = '\u2014';
/** Notes are small: a checkpoint with a few witness cosignatures is well under this. */
export const MAX_NOTE = 64 << 10;
const MAX_SIGNATURES = 100;
const enc = new TextEncoder();

const hasControl = (s: string, allowNewline: boolean): boolean =>
  [...s].some((ch) => ch.charCodeAt(0) < 0x20 && !(allowNewline && ch === '\n'));

export const validKeyName = (name: string): boolean =>
  name.length > 0 && !/[\s+]/u.test(name) && !hasControl(name, false);

/** SHA-256(key name || 0x0A || 0x01 || public key)[:4], as a number. */
export function keyId(crypto: CryptoProvider, key: NoteKey): number {
  const name = enc.encode(key.name);
  const b = new Uint8Array(name.length + 2 + key.publicKey.length);
  b.set(name, 0);
  b[name.length] = 0x0a;
  b[name.length + 1] = ED25519;
  b.set(key.publicKey, name.length + 2);
  const h = digest(crypto, 'SHA-256', b);
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
}

/** The verifier key string a reader pins: name+keyid+base64(0x01 || key). */
export function verifierKey(crypto: CryptoProvider, key: NoteKey): string {
  const typed = new Uint8Array(33);
  typed[0] = ED25519;
  typed.set(key.publicKey, 1);
  return `${key.name}+${keyId(crypto, key).toString(16).padStart(8, '0')}+${toBase64(typed)}`;
}

/** A verifier key string, or undefined when it is not one (wrong form, type, or key ID). */
export function parseVerifierKey(crypto: CryptoProvider, text: string): NoteKey | undefined {
  // name+hash+key: the key's base64 may itself hold "+", so only the first two separate.
  const m = /^([^+]+)\+([0-9a-f]{8})\+(\S+)$/.exec(text.trim());
  const parts = m ? [m[1]!, m[2]!, m[3]!] : [];
  if (!m || !validKeyName(parts[0]!)) return undefined;
  const typed = fromBase64(parts[2]!);
  if (!typed || typed.length !== 33 || typed[0] !== ED25519) return undefined;
  const key = { name: parts[0]!, publicKey: typed.slice(1) };
  return keyId(crypto, key) === parseInt(parts[1]!, 16) ? key : undefined;
}

/** `text` (ending in a newline) signed by `signer`, as a note. */
export function signNote(crypto: CryptoProvider, text: string, signer: NoteSigner): string {
  if (!text.endsWith('\n')) throw new RangeError('a note text ends with a newline');
  const id = keyId(crypto, signer);
  const sig = signer.sign(enc.encode(text));
  const b = new Uint8Array(4 + sig.length);
  b.set([id >>> 24, (id >>> 16) & 255, (id >>> 8) & 255, id & 255], 0);
  b.set(sig, 4);
  return `${text}\n${EM_DASH} ${signer.name} ${toBase64(b)}\n`;
}

export type OpenedNote =
  { ok: true; text: string; signedBy: NoteKey } | { ok: false; reason: string; unsigned?: boolean };

/**
 * Opens a signed note with the keys a reader trusts: the text, if a trusted key's signature
 * verifies. Signatures by unknown keys are ignored; a trusted key's failing signature rejects
 * the whole note. Strict on form: UTF-8, no control character but newline, canonical base64.
 */
export function openNote(
  crypto: CryptoProvider,
  bytes: Uint8Array,
  trusted: readonly NoteKey[],
): OpenedNote {
  if (bytes.length > MAX_NOTE) return { ok: false, reason: `it is over ${MAX_NOTE} bytes` };
  let note: string;
  try {
    note = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return { ok: false, reason: 'it is not UTF-8' };
  }
  if (hasControl(note, true)) return { ok: false, reason: 'it holds a control character' };
  const split = note.lastIndexOf('\n\n');
  if (split < 0 || !note.endsWith('\n'))
    return { ok: false, reason: 'it has no signature lines after a blank line' };
  const text = note.slice(0, split + 1);
  const lines = note.slice(split + 2, -1).split('\n');
  if (lines.length > MAX_SIGNATURES) return { ok: false, reason: 'it has too many signatures' };
  let verified: NoteKey | undefined;
  for (const line of lines) {
    const m = new RegExp(`^${EM_DASH} (\\S+) (\\S+)$`, 'u').exec(line);
    const sig = m ? fromBase64(m[2]!) : undefined;
    if (!m || !validKeyName(m[1]!) || !sig || sig.length < 5)
      return { ok: false, reason: `"${line.slice(0, 60)}" is not a signature line` };
    const id = ((sig[0]! << 24) | (sig[1]! << 16) | (sig[2]! << 8) | sig[3]!) >>> 0;
    const key = trusted.find((k) => k.name === m[1] && keyId(crypto, k) === id);
    if (!key) continue; // an unknown key's signature (a witness, a rotated key): ignored
    const good =
      sig.length === 68 &&
      ed25519.verify(sig.subarray(4), enc.encode(text), key.publicKey, { zip215: false });
    if (!good) return { ok: false, reason: `the signature by ${key.name} does not verify` };
    verified ??= key;
  }
  if (!verified)
    return {
      ok: false,
      unsigned: true,
      reason: `no signature by a known key (signed by ${lines.map((l) => l.split(' ')[1]).join(', ')})`,
    };
  return { ok: true, text, signedBy: verified };
}

export const sameKey = (a: NoteKey, b: NoteKey): boolean =>
  a.name === b.name && sameBytes(a.publicKey, b.publicKey);

export const keyHex = (k: NoteKey): string => toHex(k.publicKey);
