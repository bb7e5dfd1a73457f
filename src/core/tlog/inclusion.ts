import type { CryptoProvider } from '../crypto.js';
import { openCheckpoint, type Checkpoint } from './checkpoint.js';
import { leafHash, verifyInclusion } from './merkle.js';
import type { NoteKey } from './note.js';
import { parseTlogProof } from './proof-file.js';

// Checks a tlog proof offline: the checkpoint it carries is signed by a trusted log key, and its
// inclusion proof puts exactly this entry at its index in the tree the checkpoint states.

export type Inclusion =
  | { ok: true; index: number; checkpoint: Checkpoint; key: NoteKey }
  /** `untrusted`: well formed, but signed by no key the reader trusts. */
  | { ok: false; reason: string; untrusted?: boolean };

export function checkInclusion(
  crypto: CryptoProvider,
  proofBytes: Uint8Array,
  entry: Uint8Array,
  trusted: readonly NoteKey[],
): Inclusion {
  const p = parseTlogProof(proofBytes);
  if (typeof p === 'string') return { ok: false, reason: `the proof is malformed: ${p}` };
  const opened = openCheckpoint(crypto, p.checkpoint, trusted);
  if (!opened.ok)
    return {
      ok: false,
      reason: `its checkpoint: ${opened.reason}`,
      ...(opened.unsigned ? { untrusted: true } : {}),
    };
  const c = opened.checkpoint;
  if (!verifyInclusion(crypto, p.index, c.size, leafHash(crypto, entry), p.proof, c.root))
    return {
      ok: false,
      reason: `its inclusion proof does not put this entry at index ${p.index} of the tree of ${c.size} that the checkpoint signs`,
    };
  return { ok: true, index: p.index, checkpoint: c, key: opened.key };
}
