// A SHA-256 CMS carrying the older ESS signing-certificate (v1, RFC 2634) attribute. openssl 3.0
// writes v1 only with SHA-1 (`-cades -md sha1`) and no signing CLI at hand writes it with SHA-256,
// so this one is assembled here: the structure older CAdES signers (and SHA-1-era PAdES) used.
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
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
} from '../../src/core/asn1/writer.js';
import { OID } from '../../src/core/oids.js';
import { parseCertificate, pemBlocks } from '../../src/core/pki/certificate.js';
import { nodeCrypto } from '../../src/node/crypto.js';
import type { CmsMaker } from './fill-signature.js';

const attribute = (type: string, value: Der) => seq([oid(type), setOf([value])]);
const sha = (alg: string, data: Uint8Array) =>
  new Uint8Array(createHash(alg).update(data).digest());
const utcTime = (d: Date) =>
  tlv(0x17, new TextEncoder().encode(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`));

export function essV1Cms(pkiDir: string, signer: string, signingTime: Date): CmsMaker {
  const [cert, root] = [`${signer}.pem`, 'root.pem'].map((f) =>
    parseCertificate(pemBlocks(readFileSync(join(pkiDir, f), 'utf8'))[0]!, nodeCrypto),
  ) as [ReturnType<typeof parseCertificate>, ReturnType<typeof parseCertificate>];
  const key = createPrivateKey(readFileSync(join(pkiDir, `${signer}.key`)));
  // ESSCertID ::= SEQUENCE { certHash (SHA-1 of the certificate), issuerSerial }
  const issuerSerial = seq([seq([explicit(4, cert.issuerDer)]), cert.serialDer]);
  const essCertId = seq([octets(sha('sha1', cert.der)), issuerSerial]);
  return (signed) => {
    const attrs = [
      attribute(OID.contentType, oid(OID.data)),
      attribute(OID.signingTime, utcTime(signingTime)),
      attribute(OID.messageDigest, octets(sha('sha256', signed))),
      attribute(OID.signingCertificate, seq([seq([essCertId])])),
    ];
    const signature = sign('sha256', setOf(attrs), key);
    const sha256 = algorithm(OID.sha256);
    const signerInfo = seq([
      int(1),
      seq([cert.issuerDer, cert.serialDer]),
      sha256,
      setOf(attrs, 0xa0),
      algorithm(OID.rsaEncryption, new Uint8Array([5, 0])),
      octets(new Uint8Array(signature)),
    ]);
    const signedData = seq([
      int(1),
      setOf([sha256]),
      seq([oid(OID.data)]),
      tlv(0xa0, concat([cert.der, root.der])),
      setOf([signerInfo]),
    ]);
    return seq([oid(OID.signedData), explicit(0, signedData)]);
  };
}
