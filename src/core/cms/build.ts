import { digest, type CryptoProvider } from '../crypto.js';
import {
  asn1,
  decode,
  encode,
  explicit,
  int,
  nul,
  octets,
  OID,
  oid,
  seq,
  setOf,
  type Asn1,
} from '../der.js';
import type { Certificate } from '../pki/certificate.js';

/** Produces an RSA PKCS#1 v1.5 SHA-256 signature; the private key never leaves the edge. */
export interface RsaSigner {
  chain: Certificate[];
  sign(data: Uint8Array): Uint8Array;
}

const attribute = (type: string, value: Asn1) => seq([oid(type), setOf([value])]);

/** ESS signing-certificate-v2 (RFC 5035): binds the signature to the signer's certificate. */
function signingCertificateV2(cert: Certificate, crypto: CryptoProvider): Asn1 {
  const issuerSerial = seq([
    seq([explicit(4, decode(cert.issuerDer))]), // GeneralNames: directoryName [4]
    decode(cert.serialDer),
  ]);
  // hashAlgorithm is omitted: its DEFAULT is SHA-256, and DER leaves defaults out.
  const essCertIdV2 = seq([octets(digest(crypto, 'SHA-256', cert.der)), issuerSerial]);
  return seq([seq([essCertIdV2])]);
}

/**
 * A detached CMS SignedData (RFC 5652) over `content`, as PAdES B-B and CAdES B-B ask: SHA-256,
 * signed attributes content-type, message-digest and signing-certificate-v2, no signingTime
 * (the time lives in the PDF's /M), the whole chain included.
 */
export function buildDetachedCms(
  contentDigest: Uint8Array,
  signer: RsaSigner,
  crypto: CryptoProvider,
): Uint8Array {
  const cert = signer.chain[0]!;
  const attrs = [
    attribute(OID.contentType, oid(OID.data)),
    attribute(OID.messageDigest, octets(contentDigest)),
    attribute(OID.signingCertificateV2, signingCertificateV2(cert, crypto)),
  ];
  // The signature covers the attributes encoded as a DER SET; they travel as [0] IMPLICIT.
  const signedSet = setOf(attrs);
  const signature = signer.sign(encode(signedSet));
  const signedAttrs = setOf(attrs, asn1.Class.CONTEXT_SPECIFIC, 0);
  const sha256 = seq([oid(OID.sha256)]);
  const signerInfo = seq([
    int(1),
    seq([decode(cert.issuerDer), decode(cert.serialDer)]),
    sha256,
    signedAttrs,
    seq([oid(OID.rsaEncryption), nul()]),
    octets(signature),
  ]);
  const signedData = seq([
    int(1),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [sha256]),
    seq([oid(OID.data)]),
    asn1.create(
      asn1.Class.CONTEXT_SPECIFIC,
      0,
      true,
      signer.chain.map((c) => decode(c.der)),
    ),
    asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, [signerInfo]),
  ]);
  return encode(seq([oid(OID.signedData), explicit(0, signedData)]));
}

/** Detached CMS over a whole file (manifest.json.p7s, SHA256SUMS.p7s). */
export function signDetached(
  content: Uint8Array,
  signer: RsaSigner,
  crypto: CryptoProvider,
): Uint8Array {
  return buildDetachedCms(digest(crypto, 'SHA-256', content), signer, crypto);
}
