// Re-signs a PDF's byte ranges with openssl: interoperability, and digests docprov never writes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bytesOf, gap, replaceSameLength } from './edit.js';

/** The signer the corpus re-signs as. */
export interface PemSigner {
  signerKeyPem: string;
  signerCertPem: string;
}

/** `pdf` with its /Contents replaced by an openssl CMS signature over its byte ranges. */
export function opensslSigned(
  pdf: Uint8Array,
  fx: PemSigner,
  md: string,
  subFilter: string,
): Uint8Array {
  let base = pdf;
  if (subFilter !== 'ETSI.CAdES.detached')
    base = replaceSameLength(base, '/SubFilter /ETSI.CAdES.detached', `/SubFilter /${subFilter}`);
  const { b, c, len } = gap(base);
  const dir = mkdtempSync(join(tmpdir(), 'docprov-corpus-'));
  const content = Buffer.concat([
    Buffer.from(base.subarray(0, b)),
    Buffer.from(base.subarray(c, len)),
  ]);
  writeFileSync(join(dir, 'content.bin'), content);
  writeFileSync(join(dir, 'key.pem'), fx.signerKeyPem);
  writeFileSync(join(dir, 'cert.pem'), fx.signerCertPem);
  execFileSync('openssl', [
    'cms',
    '-sign',
    '-binary',
    '-md',
    md,
    '-in',
    join(dir, 'content.bin'),
    '-signer',
    join(dir, 'cert.pem'),
    '-inkey',
    join(dir, 'key.pem'),
    '-outform',
    'DER',
    '-out',
    join(dir, 'sig.der'),
  ]);
  const hex = readFileSync(join(dir, 'sig.der')).toString('hex').toUpperCase();
  const out = new Uint8Array(base);
  out.set(bytesOf(hex.padEnd(c - b - 2, '0')), b + 1);
  return out;
}
