import { canonicalJson } from '../canonical-json.js';
import { digest, toHex, type CryptoProvider } from '../crypto.js';
import type { Certificate } from '../pki/certificate.js';
import { COMPARISON_FORM, type Layout } from '../text/compare.js';

export const MANIFEST_FORMAT = 'docprov-manifest/1';

export interface FileDigest {
  name: string;
  mediaType: string;
  size: number;
  sha256: string;
  sha512: string;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  document: { id: string; title: string };
  artifacts: FileDigest[];
  sources: { text: FileDigest; metadata: FileDigest; canonicalText: FileDigest };
  normalisation: string;
  /** How text copies are compared with the canonical text, and the PDF layout that needs. */
  comparison: { form: string } & Layout;
  tool: { name: string; version: string };
  signer: { fingerprint: string; subject: string; issuer: string; development: boolean };
  buildTime: string;
  /** The transparency log the set is entered in: its origin and verifier key. */
  log?: { origin: string; key: string };
}

export function fileDigest(
  name: string,
  mediaType: string,
  bytes: Uint8Array,
  crypto: CryptoProvider,
): FileDigest {
  return {
    name,
    mediaType,
    size: bytes.length,
    sha256: toHex(digest(crypto, 'SHA-256', bytes)),
    sha512: toHex(digest(crypto, 'SHA-512', bytes)),
  };
}

export function mediaTypeOf(name: string): string {
  if (name.endsWith('.pdf')) return 'application/pdf';
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.p7s')) return 'application/pkcs7-signature';
  return 'text/plain; charset=utf-8';
}

export interface ManifestInput {
  id: string;
  title: string;
  artifacts: ReadonlyMap<string, Uint8Array>;
  source: Uint8Array;
  metadata: Uint8Array;
  canonicalText: Uint8Array;
  layout: Layout;
  normalisation: string;
  toolVersion: string;
  signer: Certificate;
  development: boolean;
  buildTime: Date;
  log?: { origin: string; key: string };
}

/** The manifest as RFC 8785 canonical JSON: what was built, from what, by whom, when. */
export function buildManifest(
  m: ManifestInput,
  crypto: CryptoProvider,
): { manifest: Manifest; bytes: Uint8Array } {
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    document: { id: m.id, title: m.title },
    artifacts: [...m.artifacts]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([name, bytes]) => fileDigest(name, mediaTypeOf(name), bytes, crypto)),
    sources: {
      text: fileDigest('source.txt', 'text/plain', m.source, crypto),
      metadata: fileDigest('metadata.json', 'application/json', m.metadata, crypto),
      canonicalText: fileDigest(
        `${m.id}.txt`,
        'text/plain; charset=utf-8',
        m.canonicalText,
        crypto,
      ),
    },
    normalisation: m.normalisation,
    comparison: { form: COMPARISON_FORM, ...m.layout },
    tool: { name: 'docprov', version: m.toolVersion },
    signer: {
      fingerprint: m.signer.fingerprint,
      subject: m.signer.subject,
      issuer: m.signer.issuer,
      development: m.development,
    },
    buildTime: m.buildTime.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    ...(m.log ? { log: m.log } : {}),
  };
  return { manifest, bytes: new TextEncoder().encode(canonicalJson(manifest)) };
}

/** coreutils `sha256sum` format: "<hex>  <name>", sorted by name, for `sha256sum -c`. */
export function sha256sums(
  files: ReadonlyMap<string, Uint8Array>,
  crypto: CryptoProvider,
): Uint8Array {
  const lines = [...files.keys()]
    .sort()
    .map((name) => `${toHex(digest(crypto, 'SHA-256', files.get(name)!))}  ${name}\n`);
  return new TextEncoder().encode(lines.join(''));
}
