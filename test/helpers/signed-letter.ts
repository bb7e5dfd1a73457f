// The letter signed in this process, with timestamps and validation data at chosen times, and
// verified with chosen revocation data: for tests of what each fact of the verdict needs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCertificate, pemBlocks, type Certificate } from '../../src/core/pki/certificate.js';
import { memorySource } from '../../src/core/pdf/source.js';
import { addDocTimestamp } from '../../src/core/sign/doc-timestamp.js';
import { addDss } from '../../src/core/sign/dss.js';
import { signPdf } from '../../src/core/sign/sign-pdf.js';
import type { VerifyContext } from '../../src/core/verify/context.js';
import { verifyPdfFile } from '../../src/core/verify/pdf-file.js';
import type { Report } from '../../src/core/verify/report.js';
import { nodeCrypto } from '../../src/node/crypto.js';
import { issueCrl } from '../../src/node/crl.js';
import { timestamperAt } from './fake-tsa.js';
import { rawSigner } from './identity.js';
import { buildLetter } from './letter-build.js';
import { pkiDir } from './pki.js';

export const NOW = new Date('2026-12-01T00:00:00Z');
export const day = (iso: string): Date => new Date(`${iso}T00:00:00Z`);

let base: Uint8Array | undefined;
/** The unsigned letter, built once. */
export async function unsignedLetter(): Promise<Uint8Array> {
  base ??= (await buildLetter()).basePdf;
  return base;
}

export const testRoot = (): Certificate =>
  parseCertificate(pemBlocks(readFileSync(join(pkiDir(), 'root.pem'), 'utf8'))[0]!, nodeCrypto);

/** A CRL of the test root issued `at`, revoking `revoked`, signed with `key` (default: the root's). */
export const crl = (at: Date, revoked: [string, Date][] = [], key = 'root.key', number = 1) =>
  issueCrl({
    issuer: testRoot(),
    keyPem: readFileSync(join(pkiDir(), key), 'utf8'),
    thisUpdate: at,
    nextUpdate: day('2099-01-01'),
    revoked,
    number,
  });

export interface Make {
  signer: string;
  /** The signing time the signer claims (/M). */
  claimed: Date;
  /** A signature timestamp by this authority at this time (PAdES B-T). */
  sigTs?: [string, Date];
  /** A DSS with these CRLs, then a document timestamp by this authority at this time. */
  docTs?: [string, Date, Uint8Array[]];
  /** A last DSS update with these CRLs. */
  after?: Uint8Array[];
  /** The PDF to sign (default: the letter). */
  base?: Uint8Array;
}

export async function make(o: Make): Promise<Uint8Array> {
  let pdf = await signPdf(o.base ?? (await unsignedLetter()), {
    signer: rawSigner(o.signer),
    date: o.claimed,
    crypto: nodeCrypto,
    ...(o.sigTs ? { timestamper: timestamperAt(pkiDir(), ...o.sigTs) } : {}),
  });
  if (o.docTs) {
    const [tsa, at, crls] = o.docTs;
    pdf = await addDss(pdf, { certs: [], crls, ocsps: [] });
    pdf = await addDocTimestamp(pdf, timestamperAt(pkiDir(), tsa, at), nodeCrypto);
  }
  if (o.after) pdf = await addDss(pdf, { certs: [], crls: o.after, ocsps: [] });
  return pdf;
}

export const verifyLetter = (
  pdf: Uint8Array,
  crls: Uint8Array[] = [],
  more: Partial<VerifyContext> = {},
): Promise<Report> =>
  verifyPdfFile(
    { name: 'x.pdf', source: memorySource(pdf) },
    {
      crypto: nodeCrypto,
      anchors: [testRoot()],
      now: NOW,
      revocation: { crls, ocsps: [] },
      ...more,
    },
  );
