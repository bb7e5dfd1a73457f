import { digest, toHex, type CryptoProvider } from '../crypto.js';

// One log entry per published artifact set: which document, which signed manifest, whose key,
// and the release time the manifest states. Text, so that anyone can rebuild it from a folder
// (a few lines of Go do, in test/tlog/checker.go). Every field comes from manifest.json.

export const ENTRY_FORMAT = 'docprov-log-entry/1';

export interface LogEntry {
  document: string;
  /** SHA-256 of manifest.json's bytes, hex. */
  manifest: string;
  /** SHA-256 of the signing certificate, hex (the manifest's signer.fingerprint). */
  signer: string;
  /** The manifest's buildTime. */
  time: string;
}

export function formatEntry(e: LogEntry): Uint8Array {
  return new TextEncoder().encode(
    `${ENTRY_FORMAT}\ndocument ${e.document}\nmanifest sha256:${e.manifest}\nsigner sha256:${e.signer}\ntime ${e.time}\n`,
  );
}

/** The entry of a manifest: undefined when the manifest lacks a field the entry needs. */
export function entryOfManifest(
  crypto: CryptoProvider,
  manifestBytes: Uint8Array,
): LogEntry | undefined {
  let m: { document?: { id?: unknown }; signer?: { fingerprint?: unknown }; buildTime?: unknown };
  try {
    m = JSON.parse(new TextDecoder().decode(manifestBytes)) as typeof m;
  } catch {
    return undefined;
  }
  const [id, fp, time] = [m?.document?.id, m?.signer?.fingerprint, m?.buildTime];
  if (typeof id !== 'string' || typeof fp !== 'string' || typeof time !== 'string')
    return undefined;
  // The manifest schema fixes these forms; an entry is never built from anything looser.
  if (
    !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id) ||
    !/^[0-9a-f]{64}$/.test(fp) ||
    !/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(time)
  )
    return undefined;
  return {
    document: id,
    manifest: toHex(digest(crypto, 'SHA-256', manifestBytes)),
    signer: fp,
    time,
  };
}

/** An entry's fields, or undefined for bytes that are not a docprov entry. */
export function parseEntry(bytes: Uint8Array): LogEntry | undefined {
  const m =
    /^docprov-log-entry\/1\ndocument ([a-z0-9-]{1,64})\nmanifest sha256:([0-9a-f]{64})\nsigner sha256:([0-9a-f]{64})\ntime (\S{20})\n$/.exec(
      new TextDecoder().decode(bytes),
    );
  return m ? { document: m[1]!, manifest: m[2]!, signer: m[3]!, time: m[4]! } : undefined;
}
