import { fromBase64, toBase64 } from '../base64.js';
import type { Hash } from './merkle.js';

// C2SP tlog proofs (c2sp.org/tlog-proof): an offline proof that an entry is in a log, carried
// beside what it proves. Lines: "c2sp.org/tlog-proof@v1", optional "extra <base64>",
// "index <N>", the inclusion proof (one base64 hash a line), a blank line, then the checkpoint.

export const TLOG_PROOF_HEADER = 'c2sp.org/tlog-proof@v1';
/** A proof in a tree of up to 2^63 leaves has at most 63 hashes. */
const MAX_HASHES = 63;

export interface TlogProof {
  index: number;
  proof: Hash[];
  /** The checkpoint note, verbatim. */
  checkpoint: Uint8Array;
}

const enc = new TextEncoder();

export function formatTlogProof(p: TlogProof): Uint8Array {
  const head = [TLOG_PROOF_HEADER, `index ${p.index}`, ...p.proof.map(toBase64), '', ''].join('\n');
  const h = enc.encode(head);
  const out = new Uint8Array(h.length + p.checkpoint.length);
  out.set(h, 0);
  out.set(p.checkpoint, h.length);
  return out;
}

/** A tlog proof, or why the bytes are not one. */
export function parseTlogProof(bytes: Uint8Array): TlogProof | string {
  if (bytes.length > 128 << 10) return 'it is over 128 KiB';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'it is not UTF-8';
  }
  const lines = text.split('\n');
  if (lines[0] !== TLOG_PROOF_HEADER) return `its first line is not "${TLOG_PROOF_HEADER}"`;
  let at = 1;
  if (lines[at]?.startsWith('extra ')) {
    if (!fromBase64(lines[at]!.slice(6))) return 'its extra line is not base64';
    at++;
  }
  const m = /^index (0|[1-9][0-9]{0,15})$/.exec(lines[at] ?? '');
  if (!m || !Number.isSafeInteger(Number(m[1]))) return 'it has no "index N" line';
  at++;
  const proof: Hash[] = [];
  for (; lines[at] !== '' && at < lines.length; at++) {
    const h = fromBase64(lines[at]!);
    if (!h || h.length !== 32) return `line ${at + 1} is not a base64 SHA-256 hash`;
    if (proof.length === MAX_HASHES) return 'its inclusion proof is too long';
    proof.push(h);
  }
  if (at >= lines.length) return 'it holds no checkpoint after a blank line';
  const before = enc.encode(lines.slice(0, at + 1).join('\n') + '\n').length;
  return { index: Number(m[1]), proof, checkpoint: bytes.slice(before) };
}
