import { digest, type CryptoProvider, type DigestAlgorithm } from '../crypto.js';
import { OID } from '../oids.js';
import { parseCertificate, type Certificate } from '../pki/certificate.js';
import { body, child, decodeOid, DerError, readDer, TAG, whole, type Tlv } from './der-reader.js';

// CMS SignedData (RFC 5652) as a verifier must read it from a downloaded file: strictly, one
// SignerInfo, detached, content type id-data, nothing it does not understand silently accepted.

export const DIGESTS: Record<string, DigestAlgorithm> = {
  [OID.sha256]: 'SHA-256',
  [OID.sha384]: 'SHA-384',
  [OID.sha512]: 'SHA-512',
};
const REFUSED_DIGESTS: Record<string, string> = { [OID.sha1]: 'SHA-1', [OID.md5]: 'MD5' };
const SIGNATURE_ALGORITHMS: Record<string, DigestAlgorithm | 'any'> = {
  [OID.rsaEncryption]: 'any',
  [OID.sha256WithRSA]: 'SHA-256',
  [OID.sha384WithRSA]: 'SHA-384',
  [OID.sha512WithRSA]: 'SHA-512',
};

export interface ParsedCms {
  /** The digest OID as found, and its name when docprov accepts it. */
  digestOid: string;
  digestAlgorithm: DigestAlgorithm | undefined;
  refusedDigest: string | undefined;
  certificates: Certificate[];
  signer: Certificate | undefined;
  /** DER of the signed attributes re-tagged as a SET: the bytes the signature covers. */
  signedAttributes: Uint8Array;
  attributes: Map<string, Tlv[]>;
  der: Uint8Array;
  signatureAlgorithm: string;
  signature: Uint8Array;
}

export class CmsError extends Error {}

function algorithmOid(der: Uint8Array, t: Tlv): string {
  if (t.tag !== TAG.SEQUENCE || !t.children[0] || t.children[0].tag !== TAG.OID)
    throw new DerError('expected an AlgorithmIdentifier');
  return decodeOid(body(der, t.children[0]));
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** Parses a detached CMS SignedData. Throws CmsError/DerError with a sentence for anything else. */
export function parseCms(der: Uint8Array, crypto: CryptoProvider): ParsedCms {
  const root = readDer(der);
  if (root.tag !== TAG.SEQUENCE) throw new CmsError('the signature is not a CMS ContentInfo');
  const type = decodeOid(body(der, child(root, 0, TAG.OID, 'a content type')));
  if (type !== OID.signedData)
    throw new CmsError(`the signature's content type is ${type}, not SignedData`);
  const wrapper = child(root, 1, 0xa0, 'the [0] SignedData');
  const sd = wrapper.children[0];
  if (!sd || sd.tag !== TAG.SEQUENCE || wrapper.children.length !== 1)
    throw new CmsError('malformed SignedData');
  let i = 1; // version
  child(sd, 0, TAG.INTEGER, 'the SignedData version');
  child(sd, i++, TAG.SET, 'digestAlgorithms');
  const encap = child(sd, i++, TAG.SEQUENCE, 'encapContentInfo');
  const eType = decodeOid(body(der, child(encap, 0, TAG.OID, 'eContentType')));
  if (eType !== OID.data) throw new CmsError(`the signed content type is ${eType}, not id-data`);
  if (encap.children.length !== 1)
    throw new CmsError('the CMS embeds content; a PDF signature must be detached');
  const certificates: Certificate[] = [];
  if (sd.children[i]?.tag === 0xa0) {
    for (const c of sd.children[i]!.children) {
      if (c.tag !== TAG.SEQUENCE) continue; // other certificate formats are not used
      certificates.push(parseCertificate(whole(der, c), crypto));
    }
    i++;
  }
  if (sd.children[i]?.tag === 0xa1) i++; // CRLs: not used for the decision
  const infos = child(sd, i, TAG.SET, 'signerInfos');
  if (infos.children.length !== 1)
    throw new CmsError(`the CMS has ${infos.children.length} SignerInfos; exactly one is allowed`);
  if (sd.children.length !== i + 1) throw new CmsError('unexpected fields after signerInfos');
  const si = infos.children[0]!;
  if (si.tag !== TAG.SEQUENCE) throw new CmsError('malformed SignerInfo');
  const sid = si.children[1];
  let signer: Certificate | undefined;
  if (sid?.tag === TAG.SEQUENCE) {
    const issuer = whole(der, child(sid, 0, TAG.SEQUENCE, 'the signer issuer'));
    const serial = whole(der, child(sid, 1, TAG.INTEGER, 'the signer serial'));
    signer = certificates.find(
      (c) => sameBytes(c.issuerDer, issuer) && sameBytes(c.serialDer, serial),
    );
  } else if (sid?.tag === 0x80) {
    const ski = body(der, sid);
    signer = certificates.find(
      (c) => c.subjectKeyId !== undefined && sameBytes(c.subjectKeyId, ski),
    );
  } else throw new CmsError('malformed signer identifier');
  const digestOid = algorithmOid(der, si.children[2]!);
  const attrsTlv = si.children[3];
  if (!attrsTlv || attrsTlv.tag !== 0xa0)
    throw new CmsError('the SignerInfo has no signed attributes');
  const attributes = new Map<string, Tlv[]>();
  for (const a of attrsTlv.children) {
    const oid = decodeOid(body(der, child(a, 0, TAG.OID, 'an attribute type')));
    const values = child(a, 1, TAG.SET, 'attribute values');
    if (attributes.has(oid)) throw new CmsError(`the signed attribute ${oid} appears twice`);
    attributes.set(oid, values.children);
  }
  // The signature covers the attributes encoded as a SET (tag 0x31), not as [0] (RFC 5652 5.4).
  const signedAttributes = new Uint8Array(whole(der, attrsTlv));
  signedAttributes[0] = TAG.SET;
  const signatureAlgorithm = algorithmOid(der, si.children[4]!);
  const signature = body(der, child(si, 5, TAG.OCTET_STRING, 'the signature value'));
  if (si.children.length > 7 || (si.children[6] && si.children[6].tag !== 0xa1))
    throw new CmsError('malformed SignerInfo tail');
  return {
    digestOid,
    digestAlgorithm: DIGESTS[digestOid],
    refusedDigest: REFUSED_DIGESTS[digestOid],
    certificates,
    signer,
    signedAttributes,
    attributes,
    der,
    signatureAlgorithm,
    signature,
  };
}

export interface CmsFindings {
  messageDigestOk: boolean;
  signatureOk: boolean;
  /** undefined when the attribute is absent. */
  signingCertificateOk: boolean | undefined;
  problems: string[];
}

/** Checks the signed attributes and the signature against the digest of the signed content. */
export function checkCms(
  cms: ParsedCms,
  contentDigest: Uint8Array,
  crypto: CryptoProvider,
): CmsFindings {
  const der = cms.der;
  const problems: string[] = [];
  const one = (oid: string, name: string): Tlv | undefined => {
    const v = cms.attributes.get(oid);
    if (!v) problems.push(`the ${name} attribute is missing`);
    else if (v.length !== 1) problems.push(`the ${name} attribute has ${v.length} values`);
    return v?.length === 1 ? v[0] : undefined;
  };
  const ct = one(OID.contentType, 'content-type');
  if (ct && (ct.tag !== TAG.OID || decodeOid(body(der, ct)) !== OID.data))
    problems.push('the content-type attribute is not id-data');
  const md = one(OID.messageDigest, 'message-digest');
  const messageDigestOk =
    !!md && md.tag === TAG.OCTET_STRING && sameBytes(body(der, md), contentDigest);

  let signatureOk = false;
  const sigAlg = SIGNATURE_ALGORITHMS[cms.signatureAlgorithm];
  if (!cms.signer) problems.push('the signer certificate is not in the signature');
  else if (!sigAlg)
    problems.push(
      `the signature algorithm ${cms.signatureAlgorithm} is not supported (RSA PKCS#1 v1.5 only)`,
    );
  else if (sigAlg !== 'any' && sigAlg !== cms.digestAlgorithm)
    problems.push('the signature algorithm and the digest algorithm disagree');
  else if (cms.digestAlgorithm)
    signatureOk = crypto.verifyRsa(
      cms.signer.spki,
      cms.digestAlgorithm,
      cms.signedAttributes,
      cms.signature,
    );

  let signingCertificateOk: boolean | undefined;
  const scv2 = cms.attributes.get(OID.signingCertificateV2);
  if (scv2 && cms.signer) {
    signingCertificateOk = false;
    try {
      // SigningCertificateV2 ::= SEQUENCE { certs SEQUENCE OF ESSCertIDv2, ... }
      const certs = child(scv2[0]!, 0, TAG.SEQUENCE, 'certs');
      const first = certs.children[0]!;
      let k = 0;
      let alg: DigestAlgorithm = 'SHA-256';
      if (first.children[0]?.tag === TAG.SEQUENCE) {
        const a = DIGESTS[algorithmOid(der, first.children[0])];
        if (!a) throw new DerError('unsupported hash in signing-certificate-v2');
        alg = a;
        k = 1;
      }
      const hash = body(der, child(first, k, TAG.OCTET_STRING, 'certHash'));
      signingCertificateOk = sameBytes(hash, digest(crypto, alg, cms.signer.der));
    } catch {
      signingCertificateOk = false;
    }
  }
  return { messageDigestOk, signatureOk, signingCertificateOk, problems };
}
