import type { CryptoProvider } from '../crypto.js';
import type { Certificate } from '../pki/certificate.js';
import type { NoteKey } from '../tlog/note.js';

/** What a verification needs from where it runs: crypto, trust anchors, the clock. No I/O. */
export interface VerifyContext {
  crypto: CryptoProvider;
  /** Trusted roots: the shipped trust store plus --trust. */
  anchors: Certificate[];
  now: Date;
  /** --signer: the SHA-256 fingerprint the signer certificate must have. */
  signerPin?: string;
  /** Transparency log keys pinned by the trust store (trust/logs/): a log's key must be one. */
  logKeys?: NoteKey[];
}
