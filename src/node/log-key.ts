import { createPrivateKey, createPublicKey, sign, type KeyObject } from 'node:crypto';
import { DocprovError } from '../core/errors.js';
import { nodeCrypto } from './crypto.js';
import { validKeyName, verifierKey, type NoteSigner } from '../core/tlog/note.js';
import { devKeysDir, ensureDevLogKey, pemOrPath, readDevFile } from './keys.js';
import { openTokenEd25519 } from './pkcs11/ed25519.js';
import { isPkcs11Uri } from './pkcs11/uri.js';

// The transparency log's key signs the log's checkpoints and nothing else: an Ed25519 key of
// its own, never the document signing key, so that a reader comparing checkpoints can tell a
// rewritten log from a re-signed document. From DOCPROV_LOG_KEY (PEM text or a path), else a
// development log key made once beside the development signing keys, said loudly.

export interface LogIdentity {
  signer: NoteSigner;
  /** The verifier key a reader pins: origin+keyid+base64. */
  vkey: string;
  development: boolean;
  /** Where it came from: DOCPROV_LOG_KEY, or the development key file. */
  source: string;
}

export const DEFAULT_LOG_ORIGIN = 'localhost/docprov-log';

const keyError = (code: string, message: string, hint: string, cause?: unknown) =>
  new DocprovError(code, message, { severity: 'unusable', hint, cause });

function ed25519Key(pem: string, variable: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: 'pem' });
  } catch (e) {
    throw keyError(
      'bad-log-key',
      `${variable} does not hold a readable private key (PKCS#8 PEM)`,
      'make one with: openssl genpkey -algorithm ed25519 -out log.key',
      e,
    );
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw keyError(
      'unsupported-log-key',
      `${variable} is a ${key.asymmetricKeyType ?? 'unknown'} key; a transparency log signs its checkpoints with Ed25519`,
      'make one with: openssl genpkey -algorithm ed25519 -out log.key',
    );
  return key;
}

function identity(
  key: KeyObject,
  origin: string,
  development: boolean,
  source: string,
): LogIdentity {
  // An Ed25519 SubjectPublicKeyInfo is 12 bytes of header, then the 32-byte key.
  const spki = createPublicKey(key).export({ type: 'spki', format: 'der' });
  return signerIdentity(
    new Uint8Array(spki.subarray(spki.length - 32)),
    (message) => new Uint8Array(sign(null, message, key)),
    origin,
    development,
    source,
  );
}

function signerIdentity(
  publicKey: Uint8Array,
  signWith: (message: Uint8Array) => Uint8Array,
  origin: string,
  development: boolean,
  source: string,
): LogIdentity {
  if (!validKeyName(origin))
    throw keyError(
      'bad-log-origin',
      `the log origin "${origin}" has a space or a "+": it cannot name a signed-note key`,
      'name the log as a URL without its scheme, e.g. example.org/docprov/log',
    );
  const signer: NoteSigner = { name: origin, publicKey, sign: signWith };
  return { signer, vkey: verifierKey(nodeCrypto, signer), development, source };
}

/** The log key to sign checkpoints of the log `origin` with. */
export function loadLogKey(
  origin: string,
  env: NodeJS.ProcessEnv = process.env,
  allowDevelopment = true,
): LogIdentity {
  const value = env.DOCPROV_LOG_KEY;
  // On a token (an RFC 7512 URI): an Ed25519 key that signs there and is never read out.
  if (value && isPkcs11Uri(value)) {
    const token = openTokenEd25519(value, 'DOCPROV_LOG_KEY', env);
    return signerIdentity(
      token.publicKey,
      (message) => token.sign(message),
      origin,
      false,
      `a PKCS#11 token (DOCPROV_LOG_KEY=${token.uri})`,
    );
  }
  if (value)
    return identity(
      ed25519Key(pemOrPath('DOCPROV_LOG_KEY', value), 'DOCPROV_LOG_KEY'),
      origin,
      false,
      'DOCPROV_LOG_KEY',
    );
  if (!allowDevelopment)
    throw keyError(
      'no-log-key',
      "a release is entered in the publisher's transparency log, and DOCPROV_LOG_KEY is not set",
      "set DOCPROV_LOG_KEY to the log's Ed25519 key (PEM text or a path), e.g. ../shared/release-signing/log/log.key",
    );
  const dir = devKeysDir(env);
  const { path } = ensureDevLogKey(dir);
  return identity(ed25519Key(readDevFile(dir, 'log.key'), path), origin, true, path);
}
