import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { docprov } from './cli.js';

/**
 * A CRL the development CA in `keysDir` issues now (docprov keys crl), written beside its keys,
 * and the time to verify at: a development-signed B-B document is judged when it is verified,
 * so "not revoked" needs data issued then (a claimed signing time proves nothing).
 */
export function freshDevCrl(keysDir: string): { file: string; now: string; args: string[] } {
  const r = docprov(['keys', 'crl'], { env: { DOCPROV_DEV_KEYS_DIR: keysDir } });
  if (r.code !== 0) throw new Error(`docprov keys crl failed: ${r.stderr}`);
  const now = /at (\S+Z) \(give verify --now/.exec(r.stderr)![1]!;
  const file = join(keysDir, 'fresh.crl');
  writeFileSync(file, r.stdout);
  return {
    file,
    now,
    args: ['--trust', join(keysDir, 'ca.pem'), '--revocation', file, '--now', now],
  };
}
