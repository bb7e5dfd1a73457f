// A PDF's signature rebuilt by hand, with chosen signed attributes, properly signed with the
// test key: for the checks no ordinary writer would fail (a digest wrong in its last byte, an
// ESS binding to another certificate, algorithm protection naming other algorithms).
import { createHash, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  algorithm,
  concat,
  explicit,
  int,
  nul,
  octets,
  oid,
  seq,
  setOf,
  tlv,
  type Der,
} from '../../src/core/asn1/writer.js';
import { OID } from '../../src/core/oids.js';
import { parseCertificate, pemBlocks, type Certificate } from '../../src/core/pki/certificate.js';
import { nodeCrypto } from '../../src/node/crypto.js';
import { cmsOf, withCms } from './cms-edit.js';
import { pkiDir } from './pki.js';

export const attr = (type: string, value: Der): Der => seq([oid(type), setOf([value])]);
export const sha256 = (b: Uint8Array): Uint8Array =>
  new Uint8Array(createHash('sha256').update(b).digest());
export const essV2 = (cert: Certificate): Der => seq([seq([seq([octets(sha256(cert.der))])])]);

export const certOf = (name: string, dir = pkiDir()): Certificate =>
  parseCertificate(pemBlocks(readFileSync(join(dir, `${name}.pem`), 'utf8'))[0]!, nodeCrypto);

/**
 * A CMS SignedData (ContentInfo) with one RSA SignerInfo over `attrs` (SHA-256), by `cert`'s
 * `key`: detached (id-data), or encapsulating `content` of `contentType` (a TSTInfo).
 */
export function rsaSignedData(o: {
  attrs: Der[];
  key: KeyObject;
  cert: Certificate;
  certs: Certificate[];
  content?: { type: string; bytes: Uint8Array };
  more?: Der[];
}): Uint8Array {
  const signature = new Uint8Array(sign('sha256', setOf(o.attrs), o.key));
  const si = seq([
    int(1),
    seq([o.cert.issuerDer, o.cert.serialDer]),
    algorithm(OID.sha256),
    setOf(o.attrs, 0xa0),
    algorithm(OID.rsaEncryption, nul()),
    octets(signature),
  ]);
  const sd = seq([
    int(o.content ? 3 : 1),
    setOf([algorithm(OID.sha256)]),
    o.content
      ? seq([oid(o.content.type), explicit(0, octets(o.content.bytes))])
      : seq([oid(OID.data)]),
    tlv(0xa0, concat(o.certs.map((c) => c.der))),
    setOf([si, ...(o.more ?? [])]),
  ]);
  return seq([oid(OID.signedData), explicit(0, sd)]);
}

/** The SHA-256 digest of a signed PDF's byte ranges (its first signature's). */
export function rangesDigest(pdf: Uint8Array): Uint8Array {
  const { at, room } = cmsOf(pdf);
  const b = at - 1;
  const c = b + 2 + 2 * room;
  return sha256(concat([pdf.subarray(0, b), pdf.subarray(c)]));
}

export interface Custom {
  /** The signed attributes, given the correct digest and the signer's certificate. */
  attributes?: (digest: Uint8Array, cert: Certificate) => Der[];
  /** Extra SignerInfos after the real one. */
  moreSignerInfos?: Der[];
}

/** The signed PDF with its CMS replaced by one signed by `signer` over custom attributes. */
export function withCustomCms(pdf: Uint8Array, signer: string, o: Custom = {}): Uint8Array {
  const cert = certOf(signer);
  const root = certOf('root');
  const digest = rangesDigest(pdf);
  const attrs = o.attributes?.(digest, cert) ?? [
    attr(OID.contentType, oid(OID.data)),
    attr(OID.messageDigest, octets(digest)),
    attr(OID.signingCertificateV2, essV2(cert)),
  ];
  const key = createPrivateKey(readFileSync(join(pkiDir(), `${signer}.key`)));
  return withCms(
    pdf,
    rsaSignedData({ attrs, key, cert, certs: [cert, root], more: o.moreSignerInfos ?? [] }),
  );
}
