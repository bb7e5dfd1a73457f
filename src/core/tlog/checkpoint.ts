import { fromBase64, toBase64 } from '../base64.js';
import type { CryptoProvider } from '../crypto.js';
import type { Hash } from './merkle.js';
import { openNote, signNote, type NoteKey, type NoteSigner } from './note.js';

// C2SP checkpoints (c2sp.org/tlog-checkpoint): a signed note whose text is the log's origin,
// its tree size and its root hash, one a line. docprov writes no extension lines.

export interface Checkpoint {
  origin: string;
  size: number;
  root: Hash;
}

export function checkpointText(c: Checkpoint): string {
  return `${c.origin}\n${c.size}\n${toBase64(c.root)}\n`;
}

export function signCheckpoint(crypto: CryptoProvider, c: Checkpoint, signer: NoteSigner): string {
  return signNote(crypto, checkpointText(c), signer);
}

/** The checkpoint a note's text states, or why it does not state one. */
export function parseCheckpointText(text: string): Checkpoint | string {
  const lines = text.split('\n');
  if (lines.length < 4 || lines[lines.length - 1] !== '') return 'it has fewer than three lines';
  const [origin, size, root] = lines;
  if (!origin) return 'its origin line is empty';
  if (!/^(0|[1-9][0-9]{0,15})$/.test(size!) || !Number.isSafeInteger(Number(size)))
    return `"${size!.slice(0, 20)}" is not a tree size`;
  const hash = fromBase64(root!);
  if (!hash || hash.length !== 32) return 'its third line is not a base64 SHA-256 root hash';
  if (lines.slice(3, -1).some((l) => l === '')) return 'it has an empty extension line';
  return { origin, size: Number(size), root: hash };
}

export type OpenedCheckpoint =
  | { ok: true; checkpoint: Checkpoint; key: NoteKey }
  | { ok: false; reason: string; unsigned?: boolean };

/** A checkpoint note opened with trusted keys; its origin must be the name of the key that signed. */
export function openCheckpoint(
  crypto: CryptoProvider,
  bytes: Uint8Array,
  trusted: readonly NoteKey[],
): OpenedCheckpoint {
  const note = openNote(crypto, bytes, trusted);
  if (!note.ok) return note;
  const c = parseCheckpointText(note.text);
  if (typeof c === 'string') return { ok: false, reason: `the checkpoint is malformed: ${c}` };
  if (c.origin !== note.signedBy.name)
    return {
      ok: false,
      reason: `its origin "${c.origin}" is not the log key's name "${note.signedBy.name}"`,
    };
  return { ok: true, checkpoint: c, key: note.signedBy };
}
