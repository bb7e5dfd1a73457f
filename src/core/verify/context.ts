import type { CryptoProvider } from '../crypto.js';
import type { Certificate } from '../pki/certificate.js';
import type { Freshness } from '../pki/revocation.js';
import type { NoteKey } from '../tlog/note.js';

/** What a verification needs from where it runs: crypto, trust anchors, the clock. No I/O. */
export interface VerifyContext {
  crypto: CryptoProvider;
  /** Trusted roots: the shipped trust store plus --trust. */
  anchors: Certificate[];
  now: Date;
  /** --signer: the SHA-256 fingerprint the signer certificate must have. */
  signerPin?: string;
  /**
   * Revocation data from outside the input, weighed with what the input carries: the CRLs the
   * trust store ships (trust/revocation) and those the reader gives (--revocation).
   */
  revocation?: { crls: Uint8Array[]; ocsps: Uint8Array[] };
  /** Which revocation data may say "good" (default: only data issued at or after the time). */
  freshness?: Freshness;
  /** Transparency log keys pinned by the trust store (trust/logs/): a log's key must be one. */
  logKeys?: NoteKey[];
}
