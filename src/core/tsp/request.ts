import { Asn1Error, body, child, readDer, smallInt, TAG } from '../asn1/reader.js';
import { algorithm, bool, int, octets, seq } from '../asn1/writer.js';
import { OID } from '../oids.js';

// RFC 3161 TimeStampReq and TimeStampResp: what a client sends a time-stamping authority, and
// what it answers. SHA-256 imprints, a random nonce, and the TSA's certificate asked for.

export function timeStampRequest(imprint: Uint8Array, nonce: Uint8Array): Uint8Array {
  return seq([
    int(1),
    seq([algorithm(OID.sha256, new Uint8Array([5, 0])), octets(imprint)]),
    int(nonce),
    bool(true),
  ]);
}

export interface TimeStampResponse {
  /** 0 granted, 1 granted with modifications, 2 rejection, 3 waiting, 4/5 revocation notices. */
  status: number;
  statusText: string;
  failInfo: string[];
  token?: Uint8Array;
}

/** PKIFailureInfo bits (RFC 3161 2.4.2), by bit number. */
const FAIL_INFO: Record<number, string> = {
  0: 'badAlg',
  2: 'badRequest',
  5: 'badDataFormat',
  14: 'timeNotAvailable',
  15: 'unacceptedPolicy',
  16: 'unacceptedExtension',
  17: 'addInfoNotAvailable',
  25: 'systemFailure',
};

export function parseTimeStampResponse(der: Uint8Array): TimeStampResponse {
  const root = readDer(der);
  const info = child(root, 0, TAG.SEQUENCE, 'PKIStatusInfo');
  const status = smallInt(der, info.children[0], 'the PKI status');
  const text = info.children.find((c) => c.tag === TAG.SEQUENCE);
  const statusText = text
    ? text.children.map((s) => new TextDecoder().decode(body(der, s))).join(' ')
    : '';
  const bits = info.children.find((c) => c.tag === TAG.BIT_STRING);
  const failInfo: string[] = [];
  if (bits) {
    const b = body(der, bits).subarray(1);
    b.forEach((byte, i) => {
      for (let k = 0; k < 8; k++)
        if (byte & (0x80 >> k)) failInfo.push(FAIL_INFO[i * 8 + k] ?? `bit ${i * 8 + k}`);
    });
  }
  const token = root.children[1];
  if (root.children.length > 2) throw new Asn1Error('unexpected fields in TimeStampResp');
  return {
    status,
    statusText,
    failInfo,
    ...(token ? { token: new Uint8Array(der.subarray(token.start, token.end)) } : {}),
  };
}
