import type { CryptoProvider } from '../../core/crypto.js';
import { DocprovError } from '../../core/errors.js';
import { parseCertificate, pemBlocks, type Certificate } from '../../core/pki/certificate.js';
import { parseVerifierKey, type NoteKey } from '../../core/tlog/note.js';
import type { NamedFile } from '../protocol.js';

// The trust anchors: the roots built into the page (the CLI's trust/roots/), then any file the
// reader adds, which must hold PEM certificates (as the CLI's --trust) or CRLs (as its
// --revocation). The built-in CRLs (trust/revocation/) are weighed as the CLI weighs them.

export interface Trust {
  anchors: Certificate[];
  revocation: { crls: Uint8Array[]; ocsps: Uint8Array[] };
}

export async function trustAnchors(extra: NamedFile[], crypto: CryptoProvider): Promise<Trust> {
  const certs = (pem: string, origin: string, crlsToo: boolean) => {
    const ders = pemBlocks(pem);
    if (ders.length === 0 && !(crlsToo && pemBlocks(pem, 'X509 CRL').length))
      throw new DocprovError('bad-trust-root', `${origin} holds no PEM certificate`, {
        severity: 'unusable',
        hint: 'a trust root is a PEM file beginning with -----BEGIN CERTIFICATE-----; a CRL, with -----BEGIN X509 CRL-----',
      });
    return ders.map((d) => parseCertificate(d, crypto));
  };
  const texts = await Promise.all(
    extra.map(async (f) => ({ name: f.name, text: await f.file.text() })),
  );
  return {
    anchors: [
      ...DOCPROV_TRUST_ROOTS.flatMap((r) => certs(r.pem, `the built-in root ${r.name}`, false)),
      ...texts.flatMap((t) => certs(t.text, `the file ${t.name}`, true)),
    ],
    revocation: {
      crls: [...DOCPROV_TRUST_CRLS, ...texts].flatMap((c) =>
        pemBlocks('pem' in c ? c.pem : c.text, 'X509 CRL'),
      ),
      ocsps: [],
    },
  };
}

/** The transparency log keys built into the page (the CLI's trust/logs/): pinned as there. */
export function pinnedLogKeys(crypto: CryptoProvider): NoteKey[] {
  return DOCPROV_TRUST_LOGS.flatMap((l) => parseVerifierKey(crypto, l.vkey) ?? []);
}
