import {
  Asn1Error,
  body,
  child,
  decodeOid,
  readDer,
  TAG,
  timeOf,
  whole,
  type Tlv,
} from '../asn1/reader.js';
import { digest, toHex, type CryptoProvider } from '../crypto.js';
import { DocprovError } from '../errors.js';
import { OID } from '../oids.js';
import { publicKeyInfo, type PublicKeyInfo } from './algorithms.js';

// X.509 certificates read with the strict DER reader: the verifier parses hostile bytes, and
// needs no general ASN.1 library (node-forge's history of DER bugs; and its load time).

/** What docprov needs to know of an X.509 certificate. */
export interface Certificate {
  der: Uint8Array;
  subject: string;
  issuer: string;
  /** The serial number's bytes as hex. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** `present` is false when the certificate has no keyUsage extension (any use allowed). */
  keyUsage: {
    present: boolean;
    digitalSignature: boolean;
    nonRepudiation: boolean;
    keyCertSign: boolean;
    crlSign: boolean;
  };
  extKeyUsage: string[];
  /** Whether the extended key usage extension is marked critical. */
  extKeyUsageCritical: boolean;
  isCA: boolean;
  pathLen: number | undefined;
  key: PublicKeyInfo;
  /** DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  /** DER of the issuer and subject Names and the serial INTEGER (CMS IssuerAndSerialNumber). */
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
  serialDer: Uint8Array;
  subjectKeyId: Uint8Array | undefined;
  authorityKeyId: Uint8Array | undefined;
  /** URLs of CRL distribution points and OCSP responders the certificate names. */
  crlUrls: string[];
  ocspUrls: string[];
  /** id-pkix-ocsp-nocheck: an OCSP responder certificate that is not itself checked. */
  ocspNoCheck: boolean;
  /** The signed part, and the signature over it, for checking who issued it. */
  tbs: Uint8Array;
  signatureAlgorithm: Tlv;
  signatureValue: Uint8Array;
  /** Critical extensions docprov does not understand: RFC 5280 says such a certificate is unusable. */
  unknownCritical: string[];
  /** SHA-256 of the DER, hex: the fingerprint users pin. */
  fingerprint: string;
}

const NAMES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.5': 'serialNumber',
  '2.5.4.97': 'organizationIdentifier',
  '1.2.840.113549.1.9.1': 'E',
};
const KNOWN_EXTENSIONS = new Set<string>([
  OID.keyUsage,
  OID.extKeyUsage,
  OID.basicConstraints,
  OID.subjectKeyIdentifier,
  OID.authorityKeyIdentifier,
  OID.subjectAltName,
  OID.certificatePolicies,
  OID.crlDistributionPoints,
  OID.authorityInfoAccess,
  OID.ocspNoCheck,
]);

function text(der: Uint8Array, t: Tlv): string {
  const b = body(der, t);
  if (t.tag === 0x0c) return new TextDecoder('utf-8', { fatal: true }).decode(b);
  if (t.tag === 0x1e) {
    let s = '';
    for (let i = 0; i + 1 < b.length; i += 2) s += String.fromCharCode((b[i]! << 8) | b[i + 1]!);
    return s;
  }
  return String.fromCharCode(...b);
}

/** A Name as "CN=..., O=..." (strings as given: printing them safely is the edge's job). */
export function nameText(der: Uint8Array, t: Tlv): string {
  if (t.tag !== TAG.SEQUENCE) throw new Asn1Error('expected a Name');
  return t.children
    .flatMap((rdn) =>
      rdn.children.map((atv) => {
        const type = decodeOid(body(der, child(atv, 0, TAG.OID, 'an attribute type')));
        return `${NAMES[type] ?? type}=${text(der, atv.children[1]!)}`;
      }),
    )
    .join(', ');
}

/** URIs ([6] IA5String) inside GeneralNames found anywhere below `t`. */
function uris(der: Uint8Array, t: Tlv, out: string[] = []): string[] {
  if (t.tag === 0x86) out.push(String.fromCharCode(...body(der, t)));
  for (const c of t.children) uris(der, c, out);
  return out;
}

/** Parses a DER certificate. Throws `bad-certificate` for anything it cannot read. */
export function parseCertificate(der: Uint8Array, crypto: CryptoProvider): Certificate {
  try {
    const root = readDer(der);
    const tbs = child(root, 0, TAG.SEQUENCE, 'tbsCertificate');
    const signatureAlgorithm = child(root, 1, TAG.SEQUENCE, 'the signature algorithm');
    const signatureBits = body(der, child(root, 2, TAG.BIT_STRING, 'the signature value'));
    if (signatureBits[0] !== 0) throw new Asn1Error('the signature value has unused bits');
    let i = tbs.children[0]?.tag === 0xa0 ? 1 : 0;
    const serial = child(tbs, i++, TAG.INTEGER, 'the serial number');
    child(tbs, i++, TAG.SEQUENCE, 'the signature algorithm');
    const issuer = child(tbs, i++, TAG.SEQUENCE, 'the issuer');
    const validity = child(tbs, i++, TAG.SEQUENCE, 'the validity');
    const subject = child(tbs, i++, TAG.SEQUENCE, 'the subject');
    const spki = child(tbs, i++, TAG.SEQUENCE, 'the public key');
    const keyUsage = {
      present: false,
      digitalSignature: false,
      nonRepudiation: false,
      keyCertSign: false,
      crlSign: false,
    };
    const extKeyUsage: string[] = [];
    let extKeyUsageCritical = false;
    let isCA = false;
    let pathLen: number | undefined;
    let subjectKeyId: Uint8Array | undefined;
    let authorityKeyId: Uint8Array | undefined;
    let crlUrls: string[] = [];
    const ocspUrls: string[] = [];
    let ocspNoCheck = false;
    const unknownCritical: string[] = [];
    const seen = new Set<string>();
    const exts = tbs.children.find((c) => c.tag === 0xa3);
    for (const ext of exts?.children[0]?.children ?? []) {
      const id = decodeOid(body(der, child(ext, 0, TAG.OID, 'an extension id')));
      if (seen.has(id)) throw new Asn1Error(`the extension ${id} appears twice`);
      seen.add(id);
      const critical = ext.children[1]?.tag === TAG.BOOLEAN && body(der, ext.children[1])[0] !== 0;
      const value = body(
        der,
        child(ext, ext.children.length - 1, TAG.OCTET_STRING, 'an extension value'),
      );
      const inner = () => readDer(value);
      if (id === OID.keyUsage) {
        const b = body(value, inner());
        keyUsage.present = true;
        keyUsage.digitalSignature = !!((b[1] ?? 0) & 0x80);
        keyUsage.nonRepudiation = !!((b[1] ?? 0) & 0x40);
        keyUsage.keyCertSign = !!((b[1] ?? 0) & 0x04);
        keyUsage.crlSign = !!((b[1] ?? 0) & 0x02);
      } else if (id === OID.extKeyUsage) {
        extKeyUsage.push(...inner().children.map((o) => decodeOid(body(value, o))));
        extKeyUsageCritical = critical;
      } else if (id === OID.basicConstraints) {
        for (const f of inner().children) {
          if (f.tag === TAG.BOOLEAN) isCA = body(value, f)[0] !== 0;
          if (f.tag === TAG.INTEGER) pathLen = body(value, f).reduce((n, x) => n * 256 + x, 0);
        }
      } else if (id === OID.subjectKeyIdentifier) subjectKeyId = body(value, inner());
      else if (id === OID.authorityKeyIdentifier) {
        const k = inner().children.find((c) => c.tag === 0x80);
        authorityKeyId = k ? body(value, k) : undefined;
      } else if (id === OID.crlDistributionPoints) crlUrls = uris(value, inner());
      else if (id === OID.authorityInfoAccess) {
        for (const ad of inner().children)
          if (decodeOid(body(value, ad.children[0]!)) === OID.ocspAccess)
            ocspUrls.push(...uris(value, ad));
      } else if (id === OID.ocspNoCheck) ocspNoCheck = true;
      else if (critical && !KNOWN_EXTENSIONS.has(id)) unknownCritical.push(id);
    }
    const spkiDer = whole(der, spki);
    return {
      der,
      subject: nameText(der, subject),
      issuer: nameText(der, issuer),
      serial: toHex(body(der, serial)),
      notBefore: timeOf(der, validity.children[0], 'notBefore'),
      notAfter: timeOf(der, validity.children[1], 'notAfter'),
      keyUsage,
      extKeyUsage,
      extKeyUsageCritical,
      isCA,
      pathLen,
      key: publicKeyInfo(spkiDer),
      spki: spkiDer,
      issuerDer: whole(der, issuer),
      subjectDer: whole(der, subject),
      serialDer: whole(der, serial),
      subjectKeyId,
      authorityKeyId,
      crlUrls,
      ocspUrls,
      ocspNoCheck,
      tbs: whole(der, tbs),
      signatureAlgorithm,
      signatureValue: signatureBits.subarray(1),
      unknownCritical,
      fingerprint: toHex(digest(crypto, 'SHA-256', der)),
    };
  } catch (e) {
    if (e instanceof DocprovError) throw e;
    throw new DocprovError(
      'bad-certificate',
      `cannot read a certificate: ${(e as Error).message}`,
      { cause: e },
    );
  }
}

/** Splits PEM text into DER blocks of the given label. */
export function pemBlocks(pem: string, label = 'CERTIFICATE'): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...pem.matchAll(re)].map((m) =>
    Uint8Array.from(atob(m[1]!.replace(/\s+/g, '')), (c) => c.charCodeAt(0)),
  );
}
