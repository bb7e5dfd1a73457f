import {
  body,
  child,
  decodeOid,
  DerError,
  readDer,
  TAG,
  whole,
  type Tlv,
} from '../cms/der-reader.js';
import { digest, toHex, type CryptoProvider } from '../crypto.js';
import { DocprovError } from '../errors.js';
import { OID } from '../oids.js';

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
  };
  extKeyUsage: string[];
  isCA: boolean;
  pathLen: number | undefined;
  /** RSA modulus size in bits, or 0 for a key that is not RSA. */
  rsaBits: number;
  /** DER SubjectPublicKeyInfo. */
  spki: Uint8Array;
  /** DER of the issuer and subject Names and the serial INTEGER (CMS IssuerAndSerialNumber). */
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
  serialDer: Uint8Array;
  subjectKeyId: Uint8Array | undefined;
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
const KNOWN_EXTENSIONS = new Set([
  '2.5.29.15',
  '2.5.29.37',
  '2.5.29.19',
  '2.5.29.14',
  '2.5.29.35',
  '2.5.29.17',
  '2.5.29.32',
  '2.5.29.31',
  '1.3.6.1.5.5.7.1.1',
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

function name(der: Uint8Array, t: Tlv): string {
  if (t.tag !== TAG.SEQUENCE) throw new DerError('expected a Name');
  return t.children
    .flatMap((rdn) =>
      rdn.children.map((atv) => {
        const type = decodeOid(body(der, child(atv, 0, TAG.OID, 'an attribute type')));
        return `${NAMES[type] ?? type}=${text(der, atv.children[1]!)}`;
      }),
    )
    .join(', ');
}

function time(der: Uint8Array, t: Tlv): Date {
  const s = String.fromCharCode(...body(der, t));
  const m =
    t.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : t.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
        : null;
  if (!m) throw new DerError(`bad certificate time "${s}"`);
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(
    Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])),
  );
}

function bitLength(n: Uint8Array): number {
  let i = 0;
  while (i < n.length && n[i] === 0) i++;
  if (i === n.length) return 0;
  return (n.length - i - 1) * 8 + (32 - Math.clz32(n[i]!));
}

/** Parses a DER certificate. Throws `bad-certificate` for anything it cannot read. */
export function parseCertificate(der: Uint8Array, crypto: CryptoProvider): Certificate {
  try {
    const root = readDer(der);
    const tbs = child(root, 0, TAG.SEQUENCE, 'tbsCertificate');
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
    };
    const extKeyUsage: string[] = [];
    let isCA = false;
    let pathLen: number | undefined;
    let subjectKeyId: Uint8Array | undefined;
    const unknownCritical: string[] = [];
    const exts = tbs.children.find((c) => c.tag === 0xa3);
    for (const ext of exts?.children[0]?.children ?? []) {
      const id = decodeOid(body(der, child(ext, 0, TAG.OID, 'an extension id')));
      const critical = ext.children[1]?.tag === 0x01 && body(der, ext.children[1])[0] !== 0;
      const value = body(der, ext.children[ext.children.length - 1]!);
      const inner = () => readDer(value);
      if (id === '2.5.29.15') {
        const bits = inner();
        const b = body(value, bits);
        keyUsage.present = true;
        keyUsage.digitalSignature = !!((b[1] ?? 0) & 0x80);
        keyUsage.nonRepudiation = !!((b[1] ?? 0) & 0x40);
        keyUsage.keyCertSign = !!((b[1] ?? 0) & 0x04);
      } else if (id === '2.5.29.37')
        extKeyUsage.push(...inner().children.map((o) => decodeOid(body(value, o))));
      else if (id === '2.5.29.19') {
        const bc = inner();
        for (const f of bc.children) {
          if (f.tag === 0x01) isCA = body(value, f)[0] !== 0;
          if (f.tag === TAG.INTEGER) pathLen = body(value, f).reduce((n, x) => n * 256 + x, 0);
        }
      } else if (id === '2.5.29.14') subjectKeyId = body(value, inner());
      else if (critical && !KNOWN_EXTENSIONS.has(id)) unknownCritical.push(id);
    }
    let rsaBits = 0;
    const keyAlg = decodeOid(body(der, spki.children[0]!.children[0]!));
    if (keyAlg === OID.rsaEncryption) {
      const bits = body(der, child(spki, 1, TAG.BIT_STRING, 'the key bits'));
      const rsa = readDer(bits, 1);
      rsaBits = bitLength(body(bits, child(rsa, 0, TAG.INTEGER, 'the RSA modulus')));
    }
    return {
      der,
      subject: name(der, subject),
      issuer: name(der, issuer),
      serial: toHex(body(der, serial)),
      notBefore: time(der, validity.children[0]!),
      notAfter: time(der, validity.children[1]!),
      keyUsage,
      extKeyUsage,
      isCA,
      pathLen,
      rsaBits,
      spki: whole(der, spki),
      issuerDer: whole(der, issuer),
      subjectDer: whole(der, subject),
      serialDer: whole(der, serial),
      subjectKeyId,
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
