import { Asn1Error, body, child, oidOf, TAG, timeOf, whole, type Tlv } from '../asn1/reader.js';
import {
  digest,
  sameBytes,
  type CryptoProvider,
  type DigestAlgorithm,
  type SignatureScheme,
} from '../crypto.js';
import { OID } from '../oids.js';
import { DIGESTS, REFUSED_DIGESTS, signatureScheme } from '../pki/algorithms.js';
import type { Certificate } from '../pki/certificate.js';
import { attribute, findSigner, type SignedData, type SignerInfo } from './signed-data.js';

// What one SignerInfo proves about some content: the message digest, the signature value, the
// certificate it binds (ESS signing-certificate v2 or v1), and the signing time it states.

export interface SignerFindings {
  signer: Certificate | undefined;
  digestOid: string;
  /** The digest the content must be hashed with (SHA-1 too: refused by policy, still checked). */
  digestAlgorithm: DigestAlgorithm | undefined;
  /** A broken digest algorithm's name: refused by policy. */
  refusedDigest: string | undefined;
  messageDigest: 'ok' | 'mismatch' | 'missing' | 'unsigned-attributes';
  signature: { ok: boolean; scheme?: SignatureScheme; policy?: string; problem?: string };
  signingCertificate: { status: 'ok' | 'mismatch' | 'absent'; version?: 1 | 2 };
  signingTime: Date | undefined;
  contentTypeOk: boolean;
  /** Signed attributes docprov does not interpret (they are covered by the signature). */
  otherSignedAttributes: string[];
  problems: string[];
  /**
   * Of the problems, those with the signed attributes themselves (an attribute with several
   * values, algorithm protection naming other algorithms, an unreadable signing-time): each
   * one fails the container's structure, whatever else verifies.
   */
  attributeProblems: string[];
}

/** The digest algorithm a SignerInfo asks for, or why it is refused. */
export function signerDigest(si: SignerInfo): { algorithm?: DigestAlgorithm; refused?: string } {
  const d = DIGESTS[si.digestOid];
  if (d) return { algorithm: d };
  const refused = REFUSED_DIGESTS[si.digestOid];
  return refused === 'SHA-1' ? { algorithm: 'SHA-1', refused } : refused ? { refused } : {};
}

const KNOWN_SIGNED = new Set<string>([
  OID.contentType,
  OID.messageDigest,
  OID.signingTime,
  OID.signingCertificate,
  OID.signingCertificateV2,
  OID.cmsAlgorithmProtection,
]);

/** ESS signing-certificate (v1: SHA-1 ESSCertID; v2: ESSCertIDv2, SHA-256 by default). */
function essMatches(
  der: Uint8Array,
  value: Tlv,
  signer: Certificate,
  version: 1 | 2,
  crypto: CryptoProvider,
): boolean {
  const certs = child(value, 0, TAG.SEQUENCE, 'certs');
  const first = certs.children[0];
  if (!first || first.tag !== TAG.SEQUENCE) throw new Asn1Error('an empty signing-certificate');
  let k = 0;
  let alg: DigestAlgorithm = version === 1 ? 'SHA-1' : 'SHA-256';
  if (version === 2 && first.children[0]?.tag === TAG.SEQUENCE) {
    const a = DIGESTS[oidOf(der, first.children[0].children[0], 'a hash algorithm')];
    if (!a) throw new Asn1Error('an unsupported hash in signing-certificate-v2');
    alg = a;
    k = 1;
  }
  const hash = body(der, child(first, k, TAG.OCTET_STRING, 'certHash'));
  if (!sameBytes(hash, digest(crypto, alg, signer.der))) return false;
  const issuerSerial = first.children[k + 1];
  if (issuerSerial) {
    const serial = child(issuerSerial, 1, TAG.INTEGER, 'the serial number');
    if (!sameBytes(whole(der, serial), signer.serialDer)) return false;
  }
  return true;
}

export interface Content {
  /** The content's digest with the SignerInfo's digest algorithm. */
  digest: Uint8Array | undefined;
  /** The content itself, for a signature without signed attributes (undefined: too large). */
  bytes: () => Promise<Uint8Array | undefined>;
}

export async function checkSigner(
  sd: SignedData,
  si: SignerInfo,
  content: Content,
  crypto: CryptoProvider,
  expectedContentType: string = OID.data,
): Promise<SignerFindings> {
  const der = sd.der;
  const problems: string[] = [];
  const attributeProblems: string[] = [];
  const signer = findSigner(si, sd.certificates);
  const d = signerDigest(si);
  const attrs = si.signedAttributes?.list;
  const one = (oid: string, name: string): Tlv | undefined => {
    const a = attribute(attrs, oid);
    if (a && a.values.length !== 1) {
      problems.push(`the ${name} attribute has ${a.values.length} values`);
      attributeProblems.push(`the ${name} attribute has ${a.values.length} values`);
    }
    return a?.values.length === 1 ? a.values[0] : undefined;
  };
  let messageDigest: SignerFindings['messageDigest'] = 'unsigned-attributes';
  let contentTypeOk = true;
  if (attrs) {
    const ct = one(OID.contentType, 'content-type');
    contentTypeOk =
      !!ct && ct.tag === TAG.OID && oidOf(der, ct, 'content type') === expectedContentType;
    if (!contentTypeOk)
      problems.push('the content-type attribute is missing or names other content');
    const md = one(OID.messageDigest, 'message-digest');
    messageDigest = !md
      ? 'missing'
      : md.tag === TAG.OCTET_STRING && content.digest && sameBytes(body(der, md), content.digest)
        ? 'ok'
        : 'mismatch';
    if (!md) problems.push('the message-digest attribute is missing');
  } else if (sd.contentType !== OID.data) contentTypeOk = false;

  let signature: SignerFindings['signature'] = { ok: false };
  if (!signer) signature = { ok: false, problem: 'the signer certificate is not in the signature' };
  else {
    const r = signatureScheme(der, si.signatureAlgorithm, signer.key, d.algorithm);
    const scheme = r.ok ? r.scheme : r.scheme;
    if (!r.ok && !r.policy) signature = { ok: false, problem: `${r.reason} is not supported` };
    else if (scheme) {
      const data = attrs ? si.signedAttributes!.bytes : await content.bytes();
      const ok = data ? await crypto.verify(signer.spki, scheme, data, si.signature) : false;
      signature = {
        ok,
        scheme,
        ...(r.ok ? {} : { policy: r.reason }),
        ...(data
          ? {}
          : {
              problem:
                'the signed content is too large to check a signature without signed attributes (64 MiB)',
            }),
      };
    } else signature = { ok: false, policy: r.ok ? undefined : r.reason };
  }

  let signingCertificate: SignerFindings['signingCertificate'] = { status: 'absent' };
  for (const [oid, version] of [
    [OID.signingCertificateV2, 2],
    [OID.signingCertificate, 1],
  ] as const) {
    const v = one(oid, `signing-certificate${version === 2 ? '-v2' : ''}`);
    if (!v || !signer || signingCertificate.status !== 'absent') continue;
    let ok = false;
    try {
      ok = essMatches(der, v, signer, version, crypto);
    } catch {
      ok = false;
    }
    signingCertificate = { status: ok ? 'ok' : 'mismatch', version };
  }

  const protection = one(OID.cmsAlgorithmProtection, 'CMS algorithm protection');
  if (protection) {
    const digestAlg = protection.children[0];
    const sigAlg = protection.children.find((c) => c.tag === 0xa1);
    const same = (a: Tlv | undefined, b: Tlv) =>
      !!a &&
      oidOf(der, a.children[0], 'an algorithm') === oidOf(der, b.children[0], 'an algorithm');
    if (
      !digestAlg ||
      oidOf(der, digestAlg.children[0], 'an algorithm') !== si.digestOid ||
      (sigAlg && !same(sigAlg, si.signatureAlgorithm))
    ) {
      const p =
        'the CMS algorithm protection attribute names other algorithms than the signature uses';
      problems.push(p);
      attributeProblems.push(p);
    }
  }

  const st = one(OID.signingTime, 'signing-time');
  let signingTime: Date | undefined;
  if (st) {
    try {
      signingTime = timeOf(der, st, 'the signing time');
    } catch {
      problems.push('the signing-time attribute cannot be read');
      attributeProblems.push('the signing-time attribute cannot be read');
    }
  }
  return {
    signer,
    digestOid: si.digestOid,
    digestAlgorithm: d.algorithm,
    refusedDigest: d.refused,
    messageDigest,
    signature,
    signingCertificate,
    signingTime,
    contentTypeOk,
    otherSignedAttributes: (attrs ?? []).map((a) => a.oid).filter((o) => !KNOWN_SIGNED.has(o)),
    problems,
    attributeProblems,
  };
}
