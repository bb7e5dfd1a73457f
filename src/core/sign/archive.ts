import type { CryptoProvider } from '../crypto.js';
import type { Problem } from '../errors.js';
import type { LongTerm } from '../build/build.js';
import { addDocTimestamp } from './doc-timestamp.js';
import { addDss } from './dss.js';
import { certificatesToValidate, revocationFor } from './validation-data.js';

/** Validation data for every signature and timestamp in the PDF: a DSS update, if anything is new. */
async function addValidationData(
  pdf: Uint8Array,
  longTerm: LongTerm,
  crypto: CryptoProvider,
  warnings?: Problem[],
): Promise<Uint8Array> {
  const { certs, newest } = await certificatesToValidate(pdf, longTerm.anchors, crypto);
  const given = await longTerm.revocation(certs);
  const at = newest ?? longTerm.now;
  const { data, missing, stale } = await revocationFor(certs, given, at, crypto);
  for (const subject of missing)
    warnings?.push({
      code: 'no-revocation-data',
      message: `no revocation data for "${subject}": verifiers cannot show it was not revoked, so the copy will not verify as authentic`,
      hint: "give its issuer's CRL with --revocation FILE, or use certificates that name a CRL distribution point or OCSP responder",
    });
  for (const subject of stale)
    warnings?.push({
      code: 'revocation-not-fresh',
      message: `the revocation data for "${subject}" was all issued before ${at.toISOString()}: verifiers will call the copy "not yet proven" until data issued after that time is added`,
      hint: 'once its CA has issued a later CRL or OCSP response, renew: docprov timestamp (or npm run regenerate -- --renew-timestamps) with it in --revocation',
    });
  return addDss(pdf, data);
}

/**
 * PAdES B-LT then B-LTA: validation data for every signature and timestamp in the PDF (a DSS
 * update), a document timestamp over all of it, then the validation data its own TSA needs,
 * issued after it (after the last timestamp only validation data may follow). Run again later,
 * it renews the archive.
 */
export async function archive(
  pdf: Uint8Array,
  longTerm: LongTerm,
  crypto: CryptoProvider,
  warnings: Problem[],
): Promise<Uint8Array> {
  const stamped = await addDocTimestamp(
    await addValidationData(pdf, longTerm, crypto),
    longTerm.timestamper,
    crypto,
  );
  return addValidationData(stamped, longTerm, crypto, warnings);
}
