// Signatures made by pdfsig (poppler, through an NSS database) and by mutool (mupdf, from a
// PKCS#12), both with the clock frozen so that /M and the CMS signing time repeat.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// @ts-expect-error: a plain .mjs script, shared with the test PKI
import { P12_PASSWORD } from '../pki/openssl-leaves.mjs';
import { frozenClock, UTC } from './openssl-cms.js';

const frozen = (cmd: string, args: string[]) =>
  spawnSync(...frozenClock(cmd, args), { encoding: 'utf8', env: UTC, timeout: 60_000 });

/** An NSS database holding the key and certificate of `pkiDir`/`name`.p12. */
export function nssDbWithKey(pkiDir: string, name: string): string {
  const db = mkdtempSync(join(tmpdir(), `docprov-nss-${name}-`));
  execFileSync('certutil', ['-N', '-d', `sql:${db}`, '--empty-password']);
  const p12 = join(pkiDir, `${name}.p12`);
  execFileSync('pk12util', ['-i', p12, '-d', `sql:${db}`, '-W', P12_PASSWORD], { stdio: 'pipe' });
  return db;
}

export interface PdfsigOptions {
  db: string;
  nick: string;
  field: string;
  etsi?: boolean;
}

/**
 * `pdfsig -add-signature`. poppler 22.12 sizes /Contents from a trial signature; an ECDSA value
 * may come out a byte or two longer ("unable update signature", a broken file), so retry.
 */
export function pdfsigSign(dir: string, input: Uint8Array, o: PdfsigOptions): Uint8Array {
  const inFile = join(dir, 'pdfsig-in.pdf');
  const outFile = join(dir, 'pdfsig-out.pdf');
  writeFileSync(inFile, input);
  const args = ['-add-signature', '-nssdir', `sql:${o.db}`, '-nick', o.nick];
  args.push('-new-signature-field-name', o.field, ...(o.etsi ? ['-etsi'] : []), inFile, outFile);
  let last = '';
  for (let attempt = 0; attempt < 12; attempt++) {
    const r = frozen('pdfsig', args);
    last = r.stdout + r.stderr;
    // It prints "NSS_Shutdown failed" after every run, good or bad: only signDocument errors count.
    if (!/signDocument|error/i.test(last)) return new Uint8Array(readFileSync(outFile));
  }
  throw new Error(`pdfsig could not sign: ${last}`);
}

/**
 * `mutool sign` of the existing empty field `widget` with `pkiDir`/`name`.p12. mupdf 1.21 also
 * sizes /Contents from a trial signature: a longer ECDSA value leaves /Contents all zeros, with
 * exit 0 and "Signing signature N." all the same, so each result is checked and retried.
 */
export function mutoolSign(
  dir: string,
  input: Uint8Array,
  pkiDir: string,
  name: string,
  widget: number,
): Uint8Array {
  const inFile = join(dir, 'mutool-in.pdf');
  const outFile = join(dir, 'mutool-out.pdf');
  writeFileSync(inFile, input);
  const p12 = join(pkiDir, `${name}.p12`);
  const args = ['sign', '-s', p12, '-P', P12_PASSWORD, '-o', outFile, inFile, `${widget}`];
  let last = '';
  for (let attempt = 0; attempt < 12; attempt++) {
    const r = frozen('mutool', args);
    const check = spawnSync('mutool', ['sign', '-v', outFile], { encoding: 'utf8' });
    last = r.stdout + r.stderr + check.stdout;
    const signed = r.stdout.includes(`Signing signature ${widget}.`);
    if (signed && check.stdout.includes('The document is unchanged since signing.'))
      return new Uint8Array(readFileSync(outFile));
  }
  throw new Error(`mutool could not sign: ${last}`);
}
