import type { CryptoProvider } from '../../core/crypto.js';
import { DocprovError } from '../../core/errors.js';
import { parseCertificate, pemBlocks, type Certificate } from '../../core/pki/certificate.js';
import { parseVerifierKey, type NoteKey } from '../../core/tlog/note.js';
import type { NamedFile } from '../protocol.js';

// The trust anchors: the roots built into the page (the CLI's trust/roots/), then any root file
// the reader adds, which must hold PEM certificates as the CLI's --trust requires.

export async function trustAnchors(
  extra: NamedFile[],
  crypto: CryptoProvider,
): Promise<Certificate[]> {
  const certs = (pem: string, origin: string) => {
    const ders = pemBlocks(pem);
    if (ders.length === 0)
      throw new DocprovError('bad-trust-root', `${origin} holds no PEM certificate`, {
        severity: 'unusable',
        hint: 'a trust root is a PEM file beginning with -----BEGIN CERTIFICATE-----',
      });
    return ders.map((d) => parseCertificate(d, crypto));
  };
  const added = await Promise.all(
    extra.map(async (f) => certs(await f.file.text(), `the root file ${f.name}`)),
  );
  return [
    ...DOCPROV_TRUST_ROOTS.flatMap((r) => certs(r.pem, `the built-in root ${r.name}`)),
    ...added.flat(),
  ];
}

/** The transparency log keys built into the page (the CLI's trust/logs/): pinned as there. */
export function pinnedLogKeys(crypto: CryptoProvider): NoteKey[] {
  return DOCPROV_TRUST_LOGS.flatMap((l) => parseVerifierKey(crypto, l.vkey) ?? []);
}
