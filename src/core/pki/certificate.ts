import forge from 'node-forge';
import { digest, toHex, type CryptoProvider } from '../crypto.js';
import { decode, encode, toBinary } from '../der.js';
import { DocprovError } from '../errors.js';

/** What docprov needs to know of an X.509 certificate. */
export interface Certificate {
  der: Uint8Array;
  subject: string;
  issuer: string;
  /** Hex, as in the certificate (two's complement, no leading zero byte stripped). */
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
  /** DER of the issuer Name and the serial INTEGER, for CMS IssuerAndSerialNumber. */
  issuerDer: Uint8Array;
  subjectDer: Uint8Array;
  serialDer: Uint8Array;
  /** SHA-256 of the DER, hex: the fingerprint users pin. */
  fingerprint: string;
  forge: forge.pki.Certificate;
}

function dn(attrs: forge.pki.CertificateField[]): string {
  return attrs.map((a) => `${a.shortName ?? a.name ?? a.type}=${String(a.value)}`).join(', ');
}

/** Parses a DER certificate. Throws `bad-certificate` for anything it cannot read. */
export function parseCertificate(der: Uint8Array, crypto: CryptoProvider): Certificate {
  let cert: forge.pki.Certificate;
  let node: forge.asn1.Asn1;
  try {
    node = decode(der, true);
    cert = forge.pki.certificateFromAsn1(node);
  } catch (e) {
    throw new DocprovError(
      'bad-certificate',
      `cannot read a certificate: ${(e as Error).message}`,
      { cause: e },
    );
  }
  const tbs = (node.value as forge.asn1.Asn1[])[0]!;
  const fields = tbs.value as forge.asn1.Asn1[];
  // tbsCertificate: [0] version, serialNumber, signature, issuer, ...
  const offset = fields[0]!.tagClass === forge.asn1.Class.CONTEXT_SPECIFIC ? 1 : 0;
  const ku = cert.getExtension('keyUsage') as {
    digitalSignature?: boolean;
    nonRepudiation?: boolean;
    keyCertSign?: boolean;
  } | null;
  const eku = cert.getExtension('extKeyUsage') as Record<string, unknown> | null;
  const bc = cert.getExtension('basicConstraints') as {
    cA?: boolean;
    pathLenConstraint?: number;
  } | null;
  const key = cert.publicKey as forge.pki.rsa.PublicKey;
  const spki = encode(forge.pki.publicKeyToAsn1(key));
  return {
    der,
    subject: dn(cert.subject.attributes),
    issuer: dn(cert.issuer.attributes),
    serial: cert.serialNumber,
    notBefore: cert.validity.notBefore,
    notAfter: cert.validity.notAfter,
    keyUsage: {
      present: !!ku,
      digitalSignature: !!ku?.digitalSignature,
      nonRepudiation: !!ku?.nonRepudiation,
      keyCertSign: !!ku?.keyCertSign,
    },
    extKeyUsage: eku ? ekuOids(cert) : [],
    isCA: !!bc?.cA,
    pathLen: bc?.pathLenConstraint,
    rsaBits: key?.n ? key.n.bitLength() : 0,
    spki,
    issuerDer: encode(fields[offset + 2]!),
    subjectDer: encode(fields[offset + 4]!),
    serialDer: encode(fields[offset]!),
    fingerprint: toHex(digest(crypto, 'SHA-256', der)),
    forge: cert,
  };
}

function ekuOids(cert: forge.pki.Certificate): string[] {
  const ext = cert.extensions.find((e: { name?: string }) => e.name === 'extKeyUsage') as
    { value?: string } | undefined;
  if (!ext?.value) return [];
  const seq = forge.asn1.fromDer(ext.value);
  return (seq.value as forge.asn1.Asn1[]).map((o) => forge.asn1.derToOid(o.value as string));
}

/** Splits PEM text into DER blocks of the given label. */
export function pemBlocks(pem: string, label = 'CERTIFICATE'): Uint8Array[] {
  const re = new RegExp(`-----BEGIN ${label}-----([\\s\\S]*?)-----END ${label}-----`, 'g');
  return [...pem.matchAll(re)].map((m) =>
    Uint8Array.from(atob(m[1]!.replace(/\s+/g, '')), (c) => c.charCodeAt(0)),
  );
}

export function toPem(der: Uint8Array, label = 'CERTIFICATE'): string {
  const b64 = btoa(toBinary(der));
  return `-----BEGIN ${label}-----\n${b64.replace(/(.{64})/g, '$1\n').replace(/\n$/, '')}\n-----END ${label}-----\n`;
}
