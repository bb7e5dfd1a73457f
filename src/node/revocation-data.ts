import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Certificate } from '../core/pki/certificate.js';
import { pemBlocks } from '../core/pki/certificate.js';
import { ocspRequest, parseOcspResponse } from '../core/pki/ocsp.js';
import { parseCrl } from '../core/pki/crl.js';
import { DocprovError } from '../core/errors.js';
import { nodeCrypto } from './crypto.js';
import { readInput } from './files.js';
import { PACKAGE_ROOT } from './package-root.js';

// Revocation data for the DSS: from the certificates' own CRL distribution points and OCSP
// responders when they name them (HTTP), else from files given to the build (--revocation).

const TIMEOUT_MS = 15_000;

/** CRLs (PEM or DER) and OCSP responses (DER) from files. */
export function revocationFiles(paths: string[]): { crls: Uint8Array[]; ocsps: Uint8Array[] } {
  const crls: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  const parses = (f: () => unknown) => {
    try {
      f();
      return true;
    } catch {
      return false;
    }
  };
  for (const p of paths) {
    const bytes = readInput(p, 64 << 20);
    const text = new TextDecoder().decode(bytes.subarray(0, 64));
    if (text.includes('-----BEGIN X509 CRL-----'))
      crls.push(...pemBlocks(new TextDecoder().decode(bytes), 'X509 CRL'));
    else if (parses(() => parseCrl(bytes))) crls.push(bytes);
    else if (parses(() => parseOcspResponse(bytes, nodeCrypto))) ocsps.push(bytes);
    // A file that is neither would be weighed as nothing, in silence: said instead.
    else
      throw new DocprovError(
        'not-revocation-data',
        `${p} is neither a CRL nor an OCSP response (PEM or DER)`,
        {
          severity: 'unusable',
          hint: 'give --revocation the CRL (or OCSP response) the certificate authority issued',
        },
      );
  }
  return { crls, ocsps };
}

/** The public CRLs shipped in trust/revocation/: what a renewal may put in the DSS offline. */
export function shippedRevocationFiles(): string[] {
  const dir = join(PACKAGE_ROOT, 'trust', 'revocation');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((n) => /\.(pem|crl|der)$/.test(n))
    .sort()
    .map((n) => join(dir, n));
}

async function get(url: string, init?: RequestInit): Promise<Uint8Array> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  return new Uint8Array(await res.arrayBuffer());
}

/** Fetches what the certificates name: each CRL distribution point and OCSP responder (HTTP only). */
export async function fetchRevocation(
  certs: Certificate[],
): Promise<{ crls: Uint8Array[]; ocsps: Uint8Array[] }> {
  const crls: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  for (const cert of certs) {
    const issuer = certs.find((c) => c !== cert && c.subject === cert.issuer);
    if (!issuer) continue;
    for (const url of cert.ocspUrls.filter(
      (u) => u.startsWith('http://') || u.startsWith('https://'),
    ))
      try {
        ocsps.push(
          await get(url, {
            method: 'POST',
            headers: { 'content-type': 'application/ocsp-request' },
            body: Buffer.from(ocspRequest(cert, issuer, nodeCrypto)),
          }),
        );
      } catch (e) {
        throw new DocprovError(
          'revocation-fetch-failed',
          `the OCSP responder ${url} of "${cert.subject}" did not answer: ${(e as Error).message}`,
          {
            severity: 'unusable',
            hint: 'check the network, or give the revocation data with --revocation FILE',
          },
        );
      }
    for (const url of cert.crlUrls.filter(
      (u) => u.startsWith('http://') || u.startsWith('https://'),
    ))
      try {
        const bytes = await get(url);
        const text = new TextDecoder().decode(bytes.subarray(0, 32));
        crls.push(
          ...(text.startsWith('-----BEGIN')
            ? pemBlocks(new TextDecoder().decode(bytes), 'X509 CRL')
            : [bytes]),
        );
      } catch (e) {
        throw new DocprovError(
          'revocation-fetch-failed',
          `the CRL distribution point ${url} of "${cert.subject}" did not answer: ${(e as Error).message}`,
          {
            severity: 'unusable',
            hint: 'check the network, or give the revocation data with --revocation FILE',
          },
        );
      }
  }
  return { crls, ocsps };
}
