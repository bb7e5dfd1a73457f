import {
  Asn1Error,
  body,
  child,
  oidOf,
  readAsn1,
  smallInt,
  stringBytes,
  TAG,
  whole,
  type Tlv,
} from '../asn1/reader.js';
import type { CryptoProvider } from '../crypto.js';
import { OID } from '../oids.js';
import { parseCertificate, type Certificate } from '../pki/certificate.js';
import { parseCrl } from '../pki/crl.js';
import { parseOcspResponse } from '../pki/ocsp.js';

// CMS SignedData (RFC 5652), read whole from a downloaded file: every field is parsed or the
// container is refused, so nothing can ride inside a signature unseen. BER is accepted (NSS
// writes it), within the reader's bounds.

export class CmsError extends Error {}

export interface Attribute {
  oid: string;
  values: Tlv[];
}

export interface SignerInfo {
  version: number;
  sid: { issuer: Uint8Array; serial: Uint8Array } | { keyId: Uint8Array };
  digestOid: string;
  /** The signed attributes as the SET the signature covers, when present. */
  signedAttributes?: { bytes: Uint8Array; list: Attribute[] };
  signatureAlgorithm: Tlv;
  signature: Uint8Array;
  unsignedAttributes: Attribute[];
}

export interface SignedData {
  /** The bytes every Tlv here indexes. */
  der: Uint8Array;
  /** Whether any part uses an encoding DER forbids (BER is accepted, and reported). */
  ber: boolean;
  contentType: string;
  /** Encapsulated content (a time-stamp token's TSTInfo); undefined when detached. */
  content?: Uint8Array;
  certificates: Certificate[];
  /** DER CertificateLists and OCSP responses carried in the crls field. */
  crls: Uint8Array[];
  ocspResponses: Uint8Array[];
  signerInfos: SignerInfo[];
}

/**
 * An AlgorithmIdentifier whose parameters are absent or NULL (digests, RSA PKCS#1, ECDSA): any
 * other parameter would be bytes that nothing signs and nothing reads. Returns its OID.
 */
function plainAlgorithm(der: Uint8Array, t: Tlv | undefined, what: string): string {
  if (t?.tag !== TAG.SEQUENCE) throw new CmsError(`malformed ${what}`);
  const oid = oidOf(der, t.children[0], what);
  const p = t.children[1];
  if (t.children.length > 2 || (p && (p.tag !== TAG.NULL || p.length !== 0)))
    throw new CmsError(`${what} ${oid} carries parameters it does not have (only NULL or none)`);
  return oid;
}

/** RSASSA-PSS-params (RFC 4055): each field once, in order, and nothing else. */
function pssParameters(der: Uint8Array, t: Tlv | undefined): void {
  if (t?.tag !== TAG.SEQUENCE) throw new CmsError('RSA-PSS without its parameters');
  let last = 0x9f;
  for (const f of t.children) {
    const inner = f.children[0];
    if (f.tag <= last || f.tag > 0xa3 || f.children.length !== 1 || !inner)
      throw new CmsError('malformed RSA-PSS parameters');
    last = f.tag;
    if (f.tag === 0xa0) plainAlgorithm(der, inner, 'the RSA-PSS hash');
    else if (f.tag === 0xa1) {
      if (inner.tag !== TAG.SEQUENCE || inner.children.length !== 2)
        throw new CmsError('malformed RSA-PSS mask generation');
      oidOf(der, inner.children[0], 'the RSA-PSS mask generation');
      plainAlgorithm(der, inner.children[1], 'the RSA-PSS mask hash');
    } else if (inner.tag !== TAG.INTEGER) throw new CmsError('malformed RSA-PSS parameters');
  }
}

function attributes(der: Uint8Array, t: Tlv, which: string): Attribute[] {
  const list: Attribute[] = [];
  const seen = new Set<string>();
  for (const a of t.children) {
    if (a.tag !== TAG.SEQUENCE) throw new CmsError(`malformed ${which} attribute`);
    const oid = oidOf(der, a.children[0], 'an attribute type');
    const values = child(a, 1, TAG.SET, 'attribute values');
    if (a.children.length !== 2) throw new CmsError(`malformed ${which} attribute ${oid}`);
    // Every attribute docprov reads has one value (RFC 5652 11, RFC 3161, RFC 5035); a second
    // would be data that no check reads.
    if (values.children.length !== 1)
      throw new CmsError(
        `the ${which} attribute ${oid} has ${values.children.length} values, not one`,
      );
    if (seen.has(oid)) throw new CmsError(`the ${which} attribute ${oid} appears twice`);
    seen.add(oid);
    list.push({ oid, values: values.children });
  }
  return list;
}

/** DER of a SET for the signed attributes, from their [0] IMPLICIT form (RFC 5652 5.4). */
function signedAttributeSet(der: Uint8Array, t: Tlv): Uint8Array {
  if (t.ber)
    throw new CmsError(
      'the signed attributes are not DER-encoded, so their signature cannot be checked',
    );
  const out = new Uint8Array(whole(der, t));
  out[0] = TAG.SET;
  return out;
}

function signerInfo(der: Uint8Array, si: Tlv): SignerInfo {
  if (si.tag !== TAG.SEQUENCE) throw new CmsError('malformed SignerInfo');
  const version = smallInt(der, si.children[0], 'the SignerInfo version');
  const s = si.children[1];
  let sid: SignerInfo['sid'];
  if (s?.tag === TAG.SEQUENCE && s.children.length === 2)
    sid = {
      issuer: whole(der, child(s, 0, TAG.SEQUENCE, 'the signer issuer')),
      serial: whole(der, child(s, 1, TAG.INTEGER, 'the signer serial')),
    };
  else if (s?.tag === 0x80) sid = { keyId: body(der, s) };
  else throw new CmsError('malformed signer identifier');
  const digestOid = plainAlgorithm(der, si.children[2], 'the digest algorithm');
  let i = 3;
  let signedAttributes: SignerInfo['signedAttributes'];
  if (si.children[i]?.tag === 0xa0) {
    const t = si.children[i++]!;
    signedAttributes = { bytes: signedAttributeSet(der, t), list: attributes(der, t, 'signed') };
  }
  const signatureAlgorithm = child(si, i++, TAG.SEQUENCE, 'the signature algorithm');
  if (oidOf(der, signatureAlgorithm.children[0], 'the signature algorithm') === OID.rsassaPss) {
    if (signatureAlgorithm.children.length !== 2)
      throw new CmsError('malformed RSA-PSS signature algorithm');
    pssParameters(der, signatureAlgorithm.children[1]);
  } else plainAlgorithm(der, signatureAlgorithm, 'the signature algorithm');
  const sig = si.children[i++];
  if (!sig || (sig.tag !== TAG.OCTET_STRING && sig.tag !== 0x24))
    throw new CmsError('expected the signature value');
  const signature = stringBytes(der, sig);
  let unsignedAttributes: Attribute[] = [];
  if (si.children[i]?.tag === 0xa1)
    unsignedAttributes = attributes(der, si.children[i++]!, 'unsigned');
  if (si.children.length !== i) throw new CmsError('unexpected fields after the SignerInfo');
  return {
    version,
    sid,
    digestOid,
    ...(signedAttributes ? { signedAttributes } : {}),
    signatureAlgorithm,
    signature,
    unsignedAttributes,
  };
}

function readable(d: Uint8Array, parse: (d: Uint8Array) => unknown, what: string): Uint8Array {
  try {
    parse(d);
  } catch (e) {
    throw new CmsError(
      `the signature carries ${what} that cannot be read (${(e as Error).message})`,
    );
  }
  return d;
}

/** Parses a ContentInfo holding SignedData. Throws CmsError or Asn1Error with a sentence. */
export function parseSignedData(der: Uint8Array, crypto: CryptoProvider): SignedData {
  const root = readAsn1(der, { ber: true });
  if (root.tag !== TAG.SEQUENCE) throw new CmsError('the signature is not a CMS ContentInfo');
  const type = oidOf(der, root.children[0], 'a content type');
  if (type !== OID.signedData)
    throw new CmsError(`the signature's content type is ${type}, not SignedData`);
  const wrapper = child(root, 1, 0xa0, 'the [0] SignedData');
  if (root.children.length !== 2 || wrapper.children.length !== 1)
    throw new CmsError('malformed ContentInfo');
  const sd = child(wrapper, 0, TAG.SEQUENCE, 'SignedData');
  smallInt(der, sd.children[0], 'the SignedData version');
  let i = 1;
  const algs = child(sd, i++, TAG.SET, 'digestAlgorithms');
  for (const a of algs.children) plainAlgorithm(der, a, 'a digest algorithm');
  const encap = child(sd, i++, TAG.SEQUENCE, 'encapContentInfo');
  const contentType = oidOf(der, encap.children[0], 'the content type');
  let content: Uint8Array | undefined;
  if (encap.children.length === 2) {
    const e = child(encap, 1, 0xa0, 'the [0] content');
    const os = e.children[0];
    if (!os || e.children.length !== 1 || (os.tag !== TAG.OCTET_STRING && os.tag !== 0x24))
      throw new CmsError('malformed encapsulated content');
    content = stringBytes(der, os);
  } else if (encap.children.length !== 1) throw new CmsError('malformed encapContentInfo');
  const certificates: Certificate[] = [];
  if (sd.children[i]?.tag === 0xa0) {
    for (const c of sd.children[i++]!.children) {
      // Attribute certificates and other formats are not used by PDF signatures: refused.
      if (c.tag !== TAG.SEQUENCE)
        throw new CmsError(`the signature carries a certificate of another format (tag ${c.tag})`);
      certificates.push(parseCertificate(new Uint8Array(whole(der, c)), crypto));
    }
  }
  const crls: Uint8Array[] = [];
  const ocspResponses: Uint8Array[] = [];
  if (sd.children[i]?.tag === 0xa1) {
    for (const c of sd.children[i++]!.children) {
      // Carried revocation data must parse too: nothing rides in a signature unread.
      if (c.tag === TAG.SEQUENCE)
        crls.push(readable(new Uint8Array(whole(der, c)), (d) => parseCrl(d), 'a CRL'));
      else if (
        c.tag === 0xa1 &&
        oidOf(der, c.children[0], 'a revocation format') === OID.riOcspResponse
      ) {
        const r = new Uint8Array(whole(der, child(c, 1, TAG.SEQUENCE, 'an OCSP response')));
        ocspResponses.push(readable(r, (d) => parseOcspResponse(d, crypto), 'an OCSP response'));
      } else throw new CmsError('the signature carries revocation data of an unknown format');
    }
  }
  const infos = child(sd, i++, TAG.SET, 'signerInfos');
  if (sd.children.length !== i) throw new CmsError('unexpected fields after signerInfos');
  return {
    der,
    ber: root.ber,
    contentType,
    ...(content ? { content } : {}),
    certificates,
    crls,
    ocspResponses,
    signerInfos: infos.children.map((si) => signerInfo(der, si)),
  };
}

/** The certificate a SignerInfo names, from a pool. */
export function findSigner(si: SignerInfo, pool: readonly Certificate[]): Certificate | undefined {
  const same = (a: Uint8Array, b: Uint8Array) =>
    a.length === b.length && a.every((x, k) => x === b[k]);
  const sid = si.sid;
  return 'keyId' in sid
    ? pool.find((c) => c.subjectKeyId !== undefined && same(c.subjectKeyId, sid.keyId))
    : pool.find((c) => same(c.issuerDer, sid.issuer) && same(c.serialDer, sid.serial));
}

export const attribute = (list: readonly Attribute[] | undefined, oid: string) =>
  list?.find((a) => a.oid === oid);

export { Asn1Error };
