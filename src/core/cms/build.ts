import {
  algorithm,
  concat,
  explicit,
  int,
  octets,
  oid,
  seq,
  setOf,
  tlv,
  type Der,
} from '../asn1/writer.js';
import {
  digest,
  type CryptoProvider,
  type DigestAlgorithm,
  type SignatureScheme,
} from '../crypto.js';
import { OID } from '../oids.js';
import type { Certificate } from '../pki/certificate.js';

// CMS SignedData (RFC 5652) as docprov writes it, with its own DER writer: a detached signature
// with signed attributes content-type, message-digest and ESS signing-certificate-v2, no
// signingTime (PAdES keeps the time in /M), the whole chain included.

/** Makes signatures with the private key; the key itself never leaves the edge. */
export interface Signer {
  chain: Certificate[];
  /** RSA PKCS#1 v1.5, RSA-PSS (MGF1 with the same hash), or ECDSA on P-256/384/521. */
  scheme: SignatureScheme;
  sign(data: Uint8Array): Uint8Array;
}

const DIGEST_OIDS: Record<string, string> = {
  'SHA-256': OID.sha256,
  'SHA-384': OID.sha384,
  'SHA-512': OID.sha512,
};
const ECDSA_OIDS: Record<string, string> = {
  'SHA-256': OID.ecdsaWithSha256,
  'SHA-384': OID.ecdsaWithSha384,
  'SHA-512': OID.ecdsaWithSha512,
};

export const attributeOf = (type: string, value: Der): Der => seq([oid(type), setOf([value])]);

/** ESS signing-certificate-v2 (RFC 5035): binds the signature to the signer's certificate. */
function signingCertificateV2(cert: Certificate, crypto: CryptoProvider): Der {
  const issuerSerial = seq([seq([explicit(4, cert.issuerDer)]), cert.serialDer]);
  // hashAlgorithm is left out: its DEFAULT is SHA-256, and DER leaves defaults out.
  return seq([seq([seq([octets(digest(crypto, 'SHA-256', cert.der)), issuerSerial])])]);
}

/** RSASSA-PSS-params (RFC 4055): hash, MGF1 with the same hash, salt length; trailer 1 left out. */
export const pssParams = (hash: DigestAlgorithm, saltLength: number): Der =>
  seq([
    explicit(0, algorithm(DIGEST_OIDS[hash]!)),
    explicit(1, algorithm(OID.mgf1, algorithm(DIGEST_OIDS[hash]!))),
    explicit(2, int(saltLength)),
  ]);

const signatureAlgorithm = (s: Signer['scheme']): Der =>
  s.kind === 'ecdsa'
    ? algorithm(ECDSA_OIDS[s.hash]!)
    : s.kind === 'rsa-pss'
      ? algorithm(OID.rsassaPss, pssParams(s.hash, s.saltLength))
      : algorithm(OID.rsaEncryption, new Uint8Array([5, 0]));

/** Gets RFC 3161 time-stamp tokens (the edge does the HTTP; reuses tokens it already has). */
export interface Timestamper {
  /** A token over a SHA-256 imprint, checked by the edge before it is returned. */
  timestamp(imprint: Uint8Array): Promise<Uint8Array>;
  /** Room to reserve for a token, in bytes. */
  reserve: number;
}

/**
 * A detached CMS SignedData over content whose digest (with the signer's hash) is given. With a
 * timestamper, the signature value is time-stamped (PAdES B-T / CAdES-T): the token travels as
 * the unsigned attribute id-aa-signatureTimeStampToken.
 */
export async function buildDetachedCms(
  contentDigest: Uint8Array,
  signer: Signer,
  crypto: CryptoProvider,
  timestamper?: Timestamper,
): Promise<Uint8Array> {
  const cert = signer.chain[0]!;
  const attrs = [
    attributeOf(OID.contentType, oid(OID.data)),
    attributeOf(OID.messageDigest, octets(contentDigest)),
    attributeOf(OID.signingCertificateV2, signingCertificateV2(cert, crypto)),
  ];
  // The signature covers the attributes encoded as a DER SET; they travel as [0] IMPLICIT.
  const signature = signer.sign(setOf(attrs));
  const digestAlg = algorithm(DIGEST_OIDS[signer.scheme.hash]!);
  const extra = timestamper
    ? [
        attributeOf(
          OID.signatureTimeStampToken,
          await timestamper.timestamp(digest(crypto, 'SHA-256', signature)),
        ),
      ]
    : [];
  const signerInfo = seq([
    int(1),
    seq([cert.issuerDer, cert.serialDer]),
    digestAlg,
    setOf(attrs, 0xa0),
    signatureAlgorithm(signer.scheme),
    octets(signature),
    ...(extra.length ? [setOf(extra, 0xa1)] : []),
  ]);
  const signedData = seq([
    int(1),
    setOf([digestAlg]),
    seq([oid(OID.data)]),
    // In chain order, signer first, as before (byte-identical to the node-forge writer it replaced).
    tlv(0xa0, concat(signer.chain.map((c) => c.der))),
    setOf([signerInfo]),
  ]);
  return seq([oid(OID.signedData), explicit(0, signedData)]);
}

/** Detached CMS over a whole file (manifest.json.p7s, SHA256SUMS.p7s), time-stamped if it can be. */
export function signDetached(
  content: Uint8Array,
  signer: Signer,
  crypto: CryptoProvider,
  timestamper?: Timestamper,
): Promise<Uint8Array> {
  return buildDetachedCms(digest(crypto, signer.scheme.hash, content), signer, crypto, timestamper);
}
