import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { DocprovError } from '../../core/errors.js';
import { CKK, openTokenKey, type KeyUse } from './token.js';

// An Ed25519 key on a token (CKK_EC_EDWARDS, signing with CKM_EDDSA), for a key that signs
// bytes rather than documents: the transparency log's checkpoints (DOCPROV_LOG_KEY, issue 20).
// Ed25519 is deterministic, on a token as in software: the same message gives the same bytes.

const CKM_EDDSA = 0x1057;
const ED25519_USE: KeyUse = {
  types: [CKK.ecEdwards],
  what: 'Ed25519',
  hint: 'generate an Ed25519 key pair on the token (pkcs11-tool --keypairgen --key-type EC:edwards25519)',
};
// CKA_EC_PARAMS names the curve as a PrintableString (PKCS#11 3.0, SoftHSM2) or by its OID.
const ED25519_PARAMS = ['130c656477617264733235353139', '06032b6570'];
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export interface TokenEd25519 {
  /** The raw 32-byte public key. */
  publicKey: Uint8Array;
  /** The URI with any PIN hidden, and the token and object, for messages. */
  uri: string;
  name: string;
  sign(message: Uint8Array): Uint8Array;
}

const edError = (code: string, message: string, hint: string) =>
  new DocprovError(code, message, { severity: 'unusable', hint });

/** The 32 bytes inside CKA_EC_POINT: a DER OCTET STRING as PKCS#11 says, or raw. */
function rawPoint(point: Uint8Array | undefined): Uint8Array | undefined {
  if (point?.length === 34 && point[0] === 0x04 && point[1] === 32) return point.subarray(2);
  return point?.length === 32 ? point : undefined;
}

/** Opens the Ed25519 key `value` (a pkcs11: URI) names, and proves it signs for its public key. */
export function openTokenEd25519(
  value: string,
  variable: string,
  env: NodeJS.ProcessEnv,
): TokenEd25519 {
  const key = openTokenKey(value, variable, env, ED25519_USE);
  const params = key.ecParams ? Buffer.from(key.ecParams).toString('hex') : '';
  if (!ED25519_PARAMS.includes(params))
    throw edError(
      'unsupported-key',
      `the private key (${key.name}) is an EdDSA key on another curve (Ed448?); ${variable} signs with Ed25519`,
      ED25519_USE.hint,
    );
  const publicKey = rawPoint(key.ecPoint);
  if (!publicKey)
    throw edError(
      'no-public-key',
      `the token shows no Ed25519 public key for ${key.name} (no public key object with its id or label)`,
      'generate the key pair on the token (pkcs11-tool --keypairgen), which keeps the public key beside it',
    );
  const sign = (message: Uint8Array) => key.sign({ mechanism: CKM_EDDSA }, message, 64);
  const spki = createPublicKey({
    key: Buffer.concat([SPKI_PREFIX, publicKey]),
    format: 'der',
    type: 'spki',
  });
  const challenge = randomBytes(32);
  if (!verify(null, challenge, spki, sign(challenge)))
    throw edError(
      'key-mismatch',
      `the private key on the token (${key.name}) does not match the public key beside it: a signature it made does not verify`,
      'name the private key of one key pair (object= or id= in the URI)',
    );
  return { publicKey, uri: key.uri, name: key.name, sign };
}
