// Detached CMS signatures made by `openssl cms -sign`, with the options each variant needs.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CmsMaker } from './fill-signature.js';

/** The clock every tool signs at: signingTime and /M agree, runs repeat. */
export const SIGNING_TIME = '2026-11-18 11:06:40';

/** `faketime -f` with an absolute time freezes the clock (the plain form lets it run on). */
export const frozenClock = (cmd: string, args: string[]): [string, string[]] => [
  'faketime',
  ['-f', SIGNING_TIME, cmd, ...args],
];
export const UTC = { ...process.env, TZ: 'UTC' };
export const PDF_DATE = 'D:20261118110640Z';

export interface OpensslCmsOptions {
  /** Test PKI identity: `name`.pem, `name`.key, root.pem in `pkiDir`. */
  signer: string;
  md?: 'sha1' | 'sha256' | 'sha384' | 'sha512';
  /** -cades: ESS signing-certificate (v1 with SHA-1, v2 otherwise, as openssl 3.0 decides). */
  cades?: boolean;
  /** -noattr: no signed attributes at all; the signature is over the content's digest. */
  noattr?: boolean;
  /** -keyopt pairs, e.g. rsa_padding_mode:pss. */
  keyopt?: string[];
}

export function opensslCms(pkiDir: string, o: OpensslCmsOptions): CmsMaker {
  return (signed) => {
    const dir = mkdtempSync(join(tmpdir(), 'docprov-cms-'));
    try {
      writeFileSync(join(dir, 'in.bin'), signed);
      const args = ['cms', '-sign', '-binary', '-outform', 'DER', '-md', o.md ?? 'sha256'];
      args.push('-in', join(dir, 'in.bin'), '-out', join(dir, 'out.der'));
      args.push('-signer', join(pkiDir, `${o.signer}.pem`));
      args.push('-inkey', join(pkiDir, `${o.signer}.key`));
      args.push('-certfile', join(pkiDir, 'root.pem'));
      if (o.cades) args.push('-cades');
      if (o.noattr) args.push('-noattr');
      for (const k of o.keyopt ?? []) args.push('-keyopt', k);
      // faketime fixes the signingTime attribute; RSA PKCS#1 v1.5 then repeats byte for byte.
      execFileSync(...frozenClock('openssl', args), {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: UTC,
      });
      return new Uint8Array(readFileSync(join(dir, 'out.der')));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}
