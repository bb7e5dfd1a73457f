import { fromBase64, toBase64 } from '../base64.js';
import { canonicalJson } from '../canonical-json.js';
import type { Signer } from '../cms/build.js';
import type { CryptoProvider, DigestAlgorithm, SignatureScheme } from '../crypto.js';
import type { Certificate } from '../pki/certificate.js';

// DSSE (github.com/secure-systems-lab/dsse, envelope v1): a signature over the
// pre-authentication encoding PAE(type, payload) = "DSSEv1" SP LEN(type) SP type SP LEN(payload)
// SP payload, so that the payload's type is signed too. The envelope is JSON:
//   {"payload": base64, "payloadType": type, "signatures": [{"keyid": id, "sig": base64}]}

export const IN_TOTO_PAYLOAD_TYPE = 'application/vnd.in-toto+json';
const enc = new TextEncoder();

export function pae(payloadType: string, payload: Uint8Array): Uint8Array {
  const type = enc.encode(payloadType);
  const head = enc.encode(`DSSEv1 ${type.length} ${payloadType} ${payload.length} `);
  const out = new Uint8Array(head.length + payload.length);
  out.set(head, 0);
  out.set(payload, head.length);
  return out;
}

export interface Envelope {
  payloadType: string;
  payload: Uint8Array;
  signatures: { keyid?: string; sig: Uint8Array }[];
}

/** The envelope of `payload`, signed by `signer`: RFC 8785 JSON, the same bytes every time. */
export function signEnvelope(
  payloadType: string,
  payload: Uint8Array,
  signer: Signer,
  keyid: string,
): Uint8Array {
  const sig = signer.sign(pae(payloadType, payload));
  return enc.encode(
    canonicalJson({
      payload: toBase64(payload),
      payloadType,
      signatures: [{ keyid, sig: toBase64(sig) }],
    }),
  );
}

/** An envelope, or why the bytes are not one. */
export function parseEnvelope(bytes: Uint8Array): Envelope | string {
  let v: unknown;
  try {
    v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return 'it is not JSON';
  }
  const e = v as { payload?: unknown; payloadType?: unknown; signatures?: unknown };
  if (typeof e !== 'object' || e === null || Array.isArray(e)) return 'it is not a JSON object';
  if (typeof e.payloadType !== 'string') return 'it has no payloadType';
  const payload = typeof e.payload === 'string' ? fromBase64(e.payload) : undefined;
  if (!payload) return 'its payload is not base64';
  if (!Array.isArray(e.signatures) || e.signatures.length === 0) return 'it has no signatures';
  const signatures: Envelope['signatures'] = [];
  for (const s of e.signatures as { keyid?: unknown; sig?: unknown }[]) {
    const sig = typeof s?.sig === 'string' ? fromBase64(s.sig) : undefined;
    if (!sig || sig.length === 0) return 'a signature is not base64';
    signatures.push({ ...(typeof s.keyid === 'string' ? { keyid: s.keyid } : {}), sig });
  }
  return { payloadType: e.payloadType, payload, signatures };
}

/**
 * How a docprov signer's key may sign an envelope (DSSE names no algorithm): RSA with PKCS#1
 * v1.5 or PSS (SHA-256, a 32-byte salt: what the signers write; an RSA-PSS-only key, PSS alone),
 * ECDSA with its curve's hash. Each is a sound signature by the same key.
 */
export function schemesFor(cert: Certificate): SignatureScheme[] {
  const k = cert.key;
  const pss: SignatureScheme = { kind: 'rsa-pss', hash: 'SHA-256', saltLength: 32 };
  if (k.type === 'rsa') return k.pssOnly ? [pss] : [{ kind: 'rsa-pkcs1', hash: 'SHA-256' }, pss];
  if (k.type === 'ec') {
    const hash: Record<number, DigestAlgorithm> = {
      256: 'SHA-256',
      384: 'SHA-384',
      521: 'SHA-512',
    };
    return hash[k.bits] ? [{ kind: 'ecdsa', hash: hash[k.bits]! }] : [];
  }
  return [];
}

/** Whether a signature of the envelope verifies with the certificate's key. */
export async function envelopeSignedBy(
  env: Envelope,
  cert: Certificate,
  crypto: CryptoProvider,
): Promise<boolean> {
  const data = pae(env.payloadType, env.payload);
  for (const scheme of schemesFor(cert))
    for (const s of env.signatures)
      if (await crypto.verify(cert.spki, scheme, data, s.sig)) return true;
  return false;
}
