// A SHA-256 CMS carrying the older ESS signing-certificate (v1, RFC 2634) attribute. openssl 3.0
// writes v1 only with SHA-1 (`-cades -md sha1`) and no signing CLI at hand writes it with SHA-256,
// so this one is assembled here: the structure older CAdES signers (and SHA-1-era PAdES) used.
import { createHash, createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  asn1,
  decode,
  encode,
  explicit,
  int,
  nul,
  octets,
  oid,
  seq,
  setOf,
  type Asn1,
} from '../../src/core/der.js';
import { OID } from '../../src/core/oids.js';
import { parseCertificate, pemBlocks } from '../../src/core/pki/certificate.js';
import { nodeCrypto } from '../../src/node/crypto.js';
import type { CmsMaker } from './fill-signature.js';

const attribute = (type: string, value: Asn1) => seq([oid(type), setOf([value])]);
const sha = (alg: string, data: Uint8Array) =>
  new Uint8Array(createHash(alg).update(data).digest());

export function essV1Cms(pkiDir: string, signer: string, signingTime: Date): CmsMaker {
  const [cert, root] = [`${signer}.pem`, 'root.pem'].map((f) =>
    parseCertificate(pemBlocks(readFileSync(join(pkiDir, f), 'utf8'))[0]!, nodeCrypto),
  ) as [ReturnType<typeof parseCertificate>, ReturnType<typeof parseCertificate>];
  const key = createPrivateKey(readFileSync(join(pkiDir, `${signer}.key`)));
  // ESSCertID ::= SEQUENCE { certHash (SHA-1 of the certificate), issuerSerial }
  const issuerSerial = seq([seq([explicit(4, decode(cert.issuerDer))]), decode(cert.serialDer)]);
  const essCertId = seq([octets(sha('sha1', cert.der)), issuerSerial]);
  return (signed) => {
    const attrs = [
      attribute(OID.contentType, oid(OID.data)),
      attribute(
        OID.signingTime,
        asn1.create(
          asn1.Class.UNIVERSAL,
          asn1.Type.UTCTIME,
          false,
          asn1.dateToUtcTime(signingTime),
        ),
      ),
      attribute(OID.messageDigest, octets(sha('sha256', signed))),
      attribute(OID.signingCertificate, seq([seq([essCertId])])),
    ];
    const signature = sign('sha256', encode(setOf(attrs)), key);
    const sha256 = seq([oid(OID.sha256)]);
    const signerInfo = seq([
      int(1),
      seq([decode(cert.issuerDer), decode(cert.serialDer)]),
      sha256,
      setOf(attrs, asn1.Class.CONTEXT_SPECIFIC, 0),
      seq([oid(OID.rsaEncryption), nul()]),
      octets(new Uint8Array(signature)),
    ]);
    const set = (items: Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, items);
    const signedData = seq([
      int(1),
      set([sha256]),
      seq([oid(OID.data)]),
      asn1.create(asn1.Class.CONTEXT_SPECIFIC, 0, true, [decode(cert.der), decode(root.der)]),
      set([signerInfo]),
    ]);
    return encode(seq([oid(OID.signedData), explicit(0, signedData)]));
  };
}
