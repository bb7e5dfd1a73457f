import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { judge } from './judges.js';

/** An NSS database trusting one root, for pdfsig. */
export function nssDbTrusting(rootPem: string): string {
  const db = mkdtempSync(join(tmpdir(), 'docprov-nss-'));
  judge('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  const r = judge('certutil', [
    '-A',
    '-n',
    'docprov-test-root',
    '-t',
    'CT,C,C',
    '-i',
    rootPem,
    '-d',
    `sql:${db}`,
  ]);
  if (r.code !== 0) throw new Error(`certutil failed: ${r.stderr}`);
  return db;
}
