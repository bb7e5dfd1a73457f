import type { CryptoProvider } from '../crypto.js';
import type { Problem } from '../errors.js';
import type { LongTerm } from '../build/build.js';
import { addDocTimestamp } from './doc-timestamp.js';
import { addDss } from './dss.js';
import { certificatesToValidate, revocationFor } from './validation-data.js';

/**
 * PAdES B-LT then B-LTA: validation data for every signature and timestamp in the PDF (a DSS
 * update), then a document timestamp over all of it. Run again later, it renews the archive.
 */
export async function archive(
  pdf: Uint8Array,
  longTerm: LongTerm,
  crypto: CryptoProvider,
  warnings: Problem[],
): Promise<Uint8Array> {
  const { certs, newest } = await certificatesToValidate(pdf, longTerm.anchors, crypto);
  const given = await longTerm.revocation(certs);
  const { data, missing } = await revocationFor(certs, given, newest ?? longTerm.now, crypto);
  for (const subject of missing)
    warnings.push({
      code: 'no-revocation-data',
      message: `no revocation data for "${subject}": verifiers will record its revocation check as not done`,
      hint: "give its issuer's CRL with --revocation FILE, or use certificates that name a CRL distribution point",
    });
  return addDocTimestamp(await addDss(pdf, data), longTerm.timestamper, crypto);
}
