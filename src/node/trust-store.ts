import { readdirSync } from 'node:fs';
import { readInput } from './files.js';
import { join } from 'node:path';
import { DocprovError } from '../core/errors.js';
import { parseCertificate, pemBlocks, type Certificate } from '../core/pki/certificate.js';
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
