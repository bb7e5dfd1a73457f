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
import { toHex } from '../crypto.js';
import { OID } from '../oids.js';
import { nameText } from './certificate.js';

// X.509 certificate revocation lists (RFC 5280 5): who issued it, when, and which serial
// numbers it revokes since when. Read strictly; its signature is checked by the caller.

export interface Crl {
  der: Uint8Array;
  issuer: string;
  issuerDer: Uint8Array;
  thisUpdate: Date;
  nextUpdate: Date | undefined;
  /** Revoked serial numbers (hex, as Certificate.serial) and when. */
  revoked: Map<string, Date>;
  tbs: Uint8Array;
  signatureAlgorithm: Tlv;
  signatureValue: Uint8Array;
  /** A delta CRL or one scoped by an issuing distribution point: docprov does not rely on those. */
  partial: boolean;
  unknownCritical: string[];
}

const KNOWN = new Set<string>([OID.authorityKeyIdentifier, OID.crlNumber]);

function extensions(
  der: Uint8Array,
  t: Tlv | undefined,
  out: { partial: boolean; unknownCritical: string[] },
): void {
  for (const ext of t?.children[0]?.children ?? []) {
    const id = decodeOid(body(der, child(ext, 0, TAG.OID, 'an extension id')));
    const critical = ext.children[1]?.tag === TAG.BOOLEAN && body(der, ext.children[1])[0] !== 0;
    if (id === OID.deltaCrlIndicator || id === OID.issuingDistributionPoint) out.partial = true;
    else if (critical && !KNOWN.has(id)) out.unknownCritical.push(id);
  }
}

export function parseCrl(der: Uint8Array): Crl {
  const root = readDer(der);
  const tbs = child(root, 0, TAG.SEQUENCE, 'tbsCertList');
  const signatureAlgorithm = child(root, 1, TAG.SEQUENCE, 'the CRL signature algorithm');
  const bits = body(der, child(root, 2, TAG.BIT_STRING, 'the CRL signature'));
  let i = tbs.children[0]?.tag === TAG.INTEGER ? 1 : 0;
  child(tbs, i++, TAG.SEQUENCE, 'the CRL signature algorithm');
  const issuer = child(tbs, i++, TAG.SEQUENCE, 'the CRL issuer');
  const thisUpdate = timeOf(der, tbs.children[i++], 'thisUpdate');
  let nextUpdate: Date | undefined;
  const n = tbs.children[i];
  if (n && (n.tag === TAG.UTC_TIME || n.tag === TAG.GENERALIZED_TIME)) {
    nextUpdate = timeOf(der, n, 'nextUpdate');
    i++;
  }
  const revoked = new Map<string, Date>();
  const ext = { partial: false, unknownCritical: [] as string[] };
  if (tbs.children[i]?.tag === TAG.SEQUENCE) {
    for (const entry of tbs.children[i++]!.children) {
      const serial = toHex(body(der, child(entry, 0, TAG.INTEGER, 'a revoked serial')));
      revoked.set(serial, timeOf(der, entry.children[1], 'a revocation date'));
      for (const e of entry.children[2]?.children ?? []) {
        const id = decodeOid(body(der, child(e, 0, TAG.OID, 'an entry extension id')));
        const critical = e.children[1]?.tag === TAG.BOOLEAN && body(der, e.children[1])[0] !== 0;
        if (critical && id !== OID.crlReason && id !== OID.invalidityDate)
          ext.unknownCritical.push(id);
      }
    }
  }
  if (tbs.children[i]?.tag === 0xa0) extensions(der, tbs.children[i++], ext);
  if (tbs.children.length !== i) throw new Asn1Error('unexpected fields in the CRL');
  return {
    der,
    issuer: nameText(der, issuer),
    issuerDer: whole(der, issuer),
    thisUpdate,
    nextUpdate,
    revoked,
    tbs: whole(der, tbs),
    signatureAlgorithm,
    signatureValue: bits.subarray(1),
    ...ext,
  };
}
