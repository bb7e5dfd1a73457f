import type { Tlv } from '../asn1/reader.js';
import { CostError, type CryptoProvider } from '../crypto.js';
import { signatureScheme, type PublicKeyInfo } from './algorithms.js';

/** Checks a signature made over `signed` (a certificate's TBS, a CRL's, an OCSP response's). */
export async function signedBy(
  crypto: CryptoProvider,
  issuer: { spki: Uint8Array; key: PublicKeyInfo },
  signed: Uint8Array,
  algDer: Uint8Array,
  alg: Tlv,
  signature: Uint8Array,
): Promise<boolean> {
  try {
    const r = signatureScheme(algDer, alg, issuer.key, undefined);
    // Issuers' SHA-1 signatures are refused outright: a forged certificate would need only that.
    if (!r.ok) return false;
    return await crypto.verify(issuer.spki, r.scheme, signed, signature);
  } catch (e) {
    if (e instanceof CostError) throw e;
    return false;
  }
}
