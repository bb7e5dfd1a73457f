import { createPrivateKey, sign } from 'node:crypto';
import { algorithm, explicit, int, octets, oid, seq, tlv } from '../core/asn1/writer.js';
import type { Certificate } from '../core/pki/certificate.js';

// Issues v2 CRLs (RFC 5280 5) with the project's DER writer: the development CA's (so that a
// development build can prove its signer was not revoked), and the test suite's CA services.

const SHA256_WITH_RSA = '1.2.840.113549.1.1.11';
const CRL_NUMBER = '2.5.29.20';

/** UTCTime before 2050, GeneralizedTime from then on (RFC 5280 5.1.2.4). */
const time = (d: Date) =>
  d.getUTCFullYear() < 2050
    ? tlv(0x17, new TextEncoder().encode(`${d.toISOString().slice(2, 19).replace(/[-:T]/g, '')}Z`))
    : tlv(0x18, new TextEncoder().encode(`${d.toISOString().slice(0, 19).replace(/[-:T]/g, '')}Z`));

export interface CrlOptions {
  issuer: Certificate;
  /** The issuer's RSA private key, PEM. */
  keyPem: string;
  thisUpdate: Date;
  nextUpdate: Date;
  /** Revoked serials (hex, as Certificate.serial) and their revocation dates. */
  revoked?: [string, Date][];
  number?: number;
}

/** A CRL signed with SHA-256 and RSA, DER. */
export function issueCrl(o: CrlOptions): Uint8Array {
  const alg = algorithm(SHA256_WITH_RSA, new Uint8Array([5, 0]));
  const entries = (o.revoked ?? []).map(([serial, date]) =>
    seq([int(Uint8Array.from(Buffer.from(serial, 'hex'))), time(date)]),
  );
  const tbs = seq([
    int(1),
    alg,
    o.issuer.subjectDer,
    time(o.thisUpdate),
    time(o.nextUpdate),
    ...(entries.length ? [seq(entries)] : []),
    explicit(0, seq([seq([oid(CRL_NUMBER), octets(int(o.number ?? 1))])])),
  ]);
  const signature = sign('sha256', tbs, createPrivateKey(o.keyPem));
  return seq([tbs, alg, tlv(0x03, Uint8Array.from([0, ...signature]))]);
}

/** A CRL as PEM text. */
export function crlPem(der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')
    .trim();
  return `-----BEGIN X509 CRL-----\n${b64}\n-----END X509 CRL-----\n`;
}
