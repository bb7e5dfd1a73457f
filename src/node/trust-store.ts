import { existsSync, readdirSync } from 'node:fs';
import { readInput } from './files.js';
import { join } from 'node:path';
import { DocprovError } from '../core/errors.js';
import { parseCertificate, pemBlocks, type Certificate } from '../core/pki/certificate.js';
import { parseVerifierKey, type NoteKey } from '../core/tlog/note.js';
import { nodeCrypto } from './crypto.js';
import { PACKAGE_ROOT } from './package-root.js';

// The trust store shipped with docprov: every PEM file in trust/roots/. `--trust FILE` adds more.

export const TRUST_DIR = join(PACKAGE_ROOT, 'trust', 'roots');

function certsFrom(path: string, origin: string): Certificate[] {
  const text = new TextDecoder().decode(readInput(path, 4 << 20));
  const ders = pemBlocks(text);
  if (ders.length === 0)
    throw new DocprovError('bad-trust-root', `${origin} ${path} holds no PEM certificate`, {
      severity: 'unusable',
      hint: 'a trust root is a PEM file beginning with -----BEGIN CERTIFICATE-----',
    });
  return ders.map((d) => parseCertificate(d, nodeCrypto));
}

export function loadTrustAnchors(extra: string[] = [], useShipped = true): Certificate[] {
  const shipped = useShipped
    ? readdirSync(TRUST_DIR)
        .filter((f) => f.endsWith('.pem'))
        .sort()
        .flatMap((f) => certsFrom(join(TRUST_DIR, f), 'the trust store file'))
    : [];
  return [...shipped, ...extra.flatMap((p) => certsFrom(p, '--trust'))];
}

// Transparency log keys pinned by the trust store: trust/logs/*.vkey, each a signed-note
// verifier key (origin+keyid+base64). A log named there is trusted with that key alone.
export const LOG_TRUST_DIR = join(PACKAGE_ROOT, 'trust', 'logs');

/** A verifier key from a file or given as text. */
export function logKeyFrom(textOrPath: string, origin: string): NoteKey {
  const text =
    textOrPath.includes('+') && !existsSync(textOrPath)
      ? textOrPath
      : new TextDecoder().decode(readInput(textOrPath, 64 << 10));
  const key = parseVerifierKey(nodeCrypto, text);
  if (!key)
    throw new DocprovError(
      'bad-log-key',
      `${origin} is not a log verifier key (origin+keyid+base64)`,
      {
        severity: 'unusable',
        hint: 'a verifier key is one line like example.org/log+1a2b3c4d+AU...; docprov keys show prints the one of DOCPROV_LOG_KEY',
      },
    );
  return key;
}

export function loadLogKeys(extra: string[] = []): NoteKey[] {
  const shipped = existsSync(LOG_TRUST_DIR)
    ? readdirSync(LOG_TRUST_DIR)
        .filter((f) => f.endsWith('.vkey'))
        .sort()
        .map((f) =>
          logKeyFrom(join(LOG_TRUST_DIR, f), `the trust store file ${join(LOG_TRUST_DIR, f)}`),
        )
    : [];
  return [...shipped, ...extra.map((k) => logKeyFrom(k, `--log-key ${k}`))];
}
