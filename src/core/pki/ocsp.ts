import {
  Asn1Error,
  body,
  child,
  oidOf,
  readDer,
  smallInt,
  TAG,
  timeOf,
  whole,
  type Tlv,
} from '../asn1/reader.js';
import { algorithm, int, octets, seq } from '../asn1/writer.js';
import { digest, sameBytes, toHex, type CryptoProvider } from '../crypto.js';
import { OID } from '../oids.js';
import { parseCertificate, type Certificate } from './certificate.js';
import { DIGESTS } from './algorithms.js';

// OCSP (RFC 6960): a signed answer from a responder about one certificate's status at a time.

export interface OcspAnswer {
  /** Identifies the certificate: hash of the issuer's name and key, and the serial. */
  hash: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';
  issuerNameHash: Uint8Array;
  issuerKeyHash: Uint8Array;
  serial: string;
  status: 'good' | 'revoked' | 'unknown';
  revokedAt?: Date;
  thisUpdate: Date;
  nextUpdate?: Date;
}

export interface OcspResponse {
  der: Uint8Array;
  producedAt: Date;
  answers: OcspAnswer[];
  /** The signed part and its signature, checked against the responder's key by the caller. */
  tbs: Uint8Array;
  signatureAlgorithm: Tlv;
  signatureValue: Uint8Array;
  bytes: Uint8Array;
  certificates: Certificate[];
  responderName?: Uint8Array;
  responderKeyHash?: Uint8Array;
}

export function parseOcspResponse(der: Uint8Array, crypto: CryptoProvider): OcspResponse {
  const root = readDer(der);
  if (smallInt(der, root.children[0], 'the OCSP response status') !== 0)
    throw new Asn1Error('the OCSP response is not successful');
  const rb = child(child(root, 1, 0xa0, 'responseBytes'), 0, TAG.SEQUENCE, 'responseBytes');
  if (oidOf(der, rb.children[0], 'the response type') !== OID.ocspBasic)
    throw new Asn1Error('not a basic OCSP response');
  const basicDer = new Uint8Array(body(der, child(rb, 1, TAG.OCTET_STRING, 'the basic response')));
  const basic = readDer(basicDer);
  const tbs = child(basic, 0, TAG.SEQUENCE, 'tbsResponseData');
  const signatureAlgorithm = child(basic, 1, TAG.SEQUENCE, 'the OCSP signature algorithm');
  const sig = body(basicDer, child(basic, 2, TAG.BIT_STRING, 'the OCSP signature'));
  const certificates = (basic.children[3]?.children[0]?.children ?? []).map((c) =>
    parseCertificate(new Uint8Array(whole(basicDer, c)), crypto),
  );
  let i = tbs.children[0]?.tag === 0xa0 ? 1 : 0;
  const rid = tbs.children[i++]!;
  const producedAt = timeOf(basicDer, tbs.children[i++], 'producedAt');
  const answers: OcspAnswer[] = [];
  for (const r of child(tbs, i, TAG.SEQUENCE, 'responses').children) {
    const id = child(r, 0, TAG.SEQUENCE, 'a CertID');
    const hashOid = oidOf(basicDer, id.children[0]?.children[0], 'the CertID hash');
    const hash = hashOid === OID.sha1 ? 'SHA-1' : DIGESTS[hashOid];
    if (!hash) throw new Asn1Error(`unknown CertID hash ${hashOid}`);
    const st = r.children[1]!;
    const status = st.tag === 0x80 ? 'good' : st.tag === 0xa1 ? 'revoked' : 'unknown';
    let k = 2;
    const thisUpdate = timeOf(basicDer, r.children[k++], 'thisUpdate');
    const next =
      r.children[k]?.tag === 0xa0
        ? timeOf(basicDer, r.children[k]!.children[0], 'nextUpdate')
        : undefined;
    answers.push({
      hash,
      issuerNameHash: body(basicDer, child(id, 1, TAG.OCTET_STRING, 'issuerNameHash')),
      issuerKeyHash: body(basicDer, child(id, 2, TAG.OCTET_STRING, 'issuerKeyHash')),
      serial: toHex(body(basicDer, child(id, 3, TAG.INTEGER, 'the serial'))),
      status,
      ...(status === 'revoked'
        ? { revokedAt: timeOf(basicDer, st.children[0], 'revocationTime') }
        : {}),
      thisUpdate,
      ...(next ? { nextUpdate: next } : {}),
    });
  }
  return {
    der,
    producedAt,
    answers,
    tbs: whole(basicDer, tbs),
    signatureAlgorithm,
    signatureValue: sig.subarray(1),
    bytes: basicDer,
    certificates,
    ...(rid.tag === 0xa1 ? { responderName: whole(basicDer, rid.children[0]!) } : {}),
    ...(rid.tag === 0xa2 ? { responderKeyHash: body(basicDer, rid.children[0]!) } : {}),
  };
}

/** The hash of an issuer's public key bits (CertID, responder key id). */
export function keyHash(
  issuer: Certificate,
  crypto: CryptoProvider,
  alg: 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512',
): Uint8Array {
  const spki = readDer(issuer.spki);
  return digest(crypto, alg, body(issuer.spki, spki.children[1]!).subarray(1));
}

/** Whether an answer is about `cert`, issued by `issuer`. */
export function answerFor(
  a: OcspAnswer,
  cert: Certificate,
  issuer: Certificate,
  crypto: CryptoProvider,
): boolean {
  return (
    a.serial === cert.serial &&
    sameBytes(a.issuerNameHash, digest(crypto, a.hash, issuer.subjectDer)) &&
    sameBytes(a.issuerKeyHash, keyHash(issuer, crypto, a.hash))
  );
}

/** An OCSP request for one certificate (SHA-1 CertID, as responders universally expect). */
export function ocspRequest(
  cert: Certificate,
  issuer: Certificate,
  crypto: CryptoProvider,
): Uint8Array {
  const certId = seq([
    algorithm(OID.sha1, new Uint8Array([5, 0])),
    octets(digest(crypto, 'SHA-1', issuer.subjectDer)),
    octets(keyHash(issuer, crypto, 'SHA-1')),
    int(cert.serialDer.subarray(2)),
  ]);
  return seq([seq([seq([seq([certId])])])]);
}
