import {
  constants,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as rsaSign,
  type KeyObject,
} from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { p256, p384, p521 } from '@noble/curves/nist.js';
import type { Signer } from '../core/cms/build.js';
import type { DigestAlgorithm } from '../core/crypto.js';
import { DocprovError } from '../core/errors.js';
import type { Certificate } from '../core/pki/certificate.js';
import { OID } from '../core/oids.js';
import { writeFileDurably } from './durable.js';
import { fileError } from './files.js';
import { acquireLock } from './lock.js';
import { checkIdentity, keyError, parseChain, rsaPadding, type RsaPadding } from './key-policy.js';
import { tokenIdentity } from './pkcs11/identity.js';
import { closeTokens } from './pkcs11/session.js';
import { tokenPublicKey, tokenSigner } from './pkcs11/signer.js';
import { openTokenKey } from './pkcs11/token.js';
import { isPkcs11Uri } from './pkcs11/uri.js';

// Keys come from the environment (DOCPROV_SIGNING_KEY / DOCPROV_SIGNING_CERT: PEM text or a
// path, or for the key an RFC 7512 pkcs11: URI naming a key on a token) or, when neither is set,
// from a local development CA. A private key or PIN is never printed, logged or put into an
// error message: messages name the variable, never its value.

export interface SigningIdentity {
  signer: Signer;
  certificate: Certificate;
  chain: Certificate[];
  /** Where it came from: "environment" or the development key folder. */
  source: string;
  development: boolean;
  /** The key on a token, when DOCPROV_SIGNING_KEY is a pkcs11: URI. */
  token?: { uri: string; name: string; sensitive: boolean; extractable: boolean };
}

const DEV_VALIDITY = {
  notBefore: new Date('2000-01-01T00:00:00Z'),
  notAfter: new Date('2100-01-01T00:00:00Z'),
};

/** PEM text as given, or the contents of the file the value names. */
export function pemOrPath(variable: string, value: string): string {
  if (value.includes('-----BEGIN ')) return value;
  try {
    return readFileSync(value, 'utf8');
  } catch (e) {
    // The value is a path here (it holds no PEM), so naming it leaks nothing.
    throw keyError(
      'unreadable-key',
      `${variable} names a file that cannot be read: ${value}`,
      `set ${variable} to PEM text or the path of a PEM file`,
      e,
    );
  }
}

function privateKey(pem: string, passphrase: string | undefined): KeyObject {
  try {
    return createPrivateKey(
      passphrase === undefined
        ? { key: pem, format: 'pem' }
        : { key: pem, format: 'pem', passphrase },
    );
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (
      /passphrase|decrypt|bad decrypt/i.test(String((e as Error).message)) ||
      code === 'ERR_MISSING_PASSPHRASE'
    )
      throw keyError(
        'bad-passphrase',
        'the signing key is encrypted and the passphrase is missing or wrong',
        "set DOCPROV_SIGNING_KEY_PASSPHRASE to the key's passphrase",
      );
    throw keyError(
      'bad-key',
      'DOCPROV_SIGNING_KEY does not hold a readable private key (PKCS#8 or PKCS#1 PEM)',
      'export the key as PEM: openssl pkey -in KEY -out key.pem',
    );
  }
}

// EC keys sign with deterministic ECDSA (RFC 6979, @noble/curves): node:crypto's ECDSA is
// randomised, and the same inputs and key must give the same bytes.
const CURVES: Record<string, { curve: typeof p256; hash: DigestAlgorithm }> = {
  prime256v1: { curve: p256, hash: 'SHA-256' },
  secp384r1: { curve: p384, hash: 'SHA-384' },
  secp521r1: { curve: p521, hash: 'SHA-512' },
};

function identity(
  key: KeyObject,
  chainPem: string,
  when: Date,
  source: string,
  development: boolean,
  padding: RsaPadding,
): SigningIdentity {
  const chain = parseChain(chainPem, source);
  const cert = checkIdentity(key, chain, when);
  const ordered = [cert, ...chain.filter((c) => c !== cert)];
  return {
    certificate: cert,
    chain: ordered,
    source,
    development,
    signer: signerFor(key, ordered, padding),
  };
}

const PSS = { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 };

function signerFor(key: KeyObject, chain: Certificate[], padding: RsaPadding): Signer {
  const ec = CURVES[key.asymmetricKeyDetails?.namedCurve ?? ''];
  if (key.asymmetricKeyType === 'ec' && ec) {
    const d = Buffer.from(key.export({ format: 'jwk' }).d!, 'base64url');
    return {
      chain,
      scheme: { kind: 'ecdsa', hash: ec.hash },
      sign: (data) => ec.curve.sign(data, d, { format: 'der' }),
    };
  }
  // An id-RSASSA-PSS key (its certificate says so too) signs with PSS only.
  if (padding === 'pss' || key.asymmetricKeyType === 'rsa-pss')
    return {
      chain,
      scheme: { kind: 'rsa-pss', hash: 'SHA-256', saltLength: PSS.saltLength },
      sign: (data) => new Uint8Array(rsaSign('sha256', data, { key, ...PSS })),
    };
  return {
    chain,
    scheme: { kind: 'rsa-pkcs1', hash: 'SHA-256' },
    sign: (data) => new Uint8Array(rsaSign('sha256', data, key)),
  };
}

/**
 * The key DOCPROV_SIGNING_KEY names (a token's or a PEM), with its public key, and no
 * certificate yet: for a certification request, which is how a token key gets its certificate.
 */
export function loadSigningKey(env: NodeJS.ProcessEnv = process.env): {
  signer: Pick<Signer, 'scheme' | 'sign'>;
  spki: Uint8Array;
} {
  const value = env.DOCPROV_SIGNING_KEY;
  if (!value)
    throw keyError(
      'no-signing-key',
      'DOCPROV_SIGNING_KEY is not set: it names the key the request is for',
      'set DOCPROV_SIGNING_KEY to the pkcs11: URI of the key on the token (or a PEM key)',
    );
  const padding = rsaPadding(env);
  if (isPkcs11Uri(value)) {
    const key = openTokenKey(value, 'DOCPROV_SIGNING_KEY', env);
    const pub = tokenPublicKey(key);
    if (!pub)
      throw keyError(
        'no-public-key',
        `the token shows no public key for ${key.name} (no public key object with its id or label)`,
        'generate the key pair on the token (pkcs11-tool --keypairgen), which keeps the public key beside it',
      );
    return {
      signer: tokenSigner(key, [], padding, 'DOCPROV_SIGNING_KEY'),
      spki: new Uint8Array(pub.export({ type: 'spki', format: 'der' })),
    };
  }
  const key = privateKey(
    pemOrPath('DOCPROV_SIGNING_KEY', value),
    env.DOCPROV_SIGNING_KEY_PASSPHRASE,
  );
  return {
    signer: signerFor(key, [], padding),
    spki: new Uint8Array(createPublicKey(key).export({ type: 'spki', format: 'der' })),
  };
}

export function devKeysDir(env: NodeJS.ProcessEnv = process.env): string {
  return resolve(env.DOCPROV_DEV_KEYS_DIR ?? join(process.cwd(), '.docprov', 'dev-keys'));
}

/** Writes a file whole (temporary sibling, fsync, rename); a failure leaves no temporary file. */
function writeWhole(path: string, data: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  try {
    writeFileDurably(tmp, data, mode);
    chmodSync(tmp, mode);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

const DEV_KEYS_HINT =
  'set DOCPROV_DEV_KEYS_DIR to a folder you may write to, or set DOCPROV_SIGNING_KEY and DOCPROV_SIGNING_CERT';

/** Creates the development CA and signer once (RSA-3072, key files mode 0600); returns the folder. */
export async function ensureDevKeys(
  dir: string,
  force = false,
): Promise<{ dir: string; created: boolean }> {
  const complete = () => existsSync(join(dir, 'signer.key')) && existsSync(join(dir, 'chain.pem'));
  if (!force && complete()) return { dir, created: false };
  try {
    mkdirSync(dirname(dir), { recursive: true });
    // Threads and processes starting at once (a worker pool, queue workers) make the keys once:
    // the first under the lock; the others wait, then find them complete.
    const lock = acquireLock(`${dir}.lock`, () => {});
    try {
      if (!force && complete()) return { dir, created: false };
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      await writeDevKeys(dir);
    } finally {
      lock.release();
    }
  } catch (e) {
    if (e instanceof DocprovError) throw e;
    const err = fileError(e, 'create the development keys in', dir);
    throw new DocprovError('dev-keys-unwritable', err.message, {
      severity: 'unusable',
      hint: DEV_KEYS_HINT,
      cause: e,
    });
  }
  return { dir, created: true };
}

async function writeDevKeys(dir: string): Promise<void> {
  // node-forge issues the certificates: loaded only on the rare run that makes keys.
  const { issueCertificate, newRsaKey } = await import('./pki.js');
  const ca = newRsaKey(3072);
  const caCert = issueCertificate({
    subject: {
      commonName: 'docprov Development CA (local, not trusted)',
      organizationName: 'docprov development',
    },
    publicKeyPem: ca.publicKeyPem,
    selfKeyPem: ca.privateKeyPem,
    serial: '01',
    ...DEV_VALIDITY,
    ca: { pathLen: 0 },
  });
  const signer = newRsaKey(3072);
  const signerCert = issueCertificate({
    subject: {
      commonName: 'docprov Development Signer (local, not trusted)',
      organizationName: 'docprov development',
    },
    publicKeyPem: signer.publicKeyPem,
    issuer: { certPem: caCert, keyPem: ca.privateKeyPem },
    serial: '02',
    ...DEV_VALIDITY,
    keyUsage: { digitalSignature: true, nonRepudiation: true },
    extKeyUsage: [OID.documentSigning, 'emailProtection', OID.adobeAuthenticDocuments],
  });
  writeWhole(join(dir, 'ca.key'), ca.privateKeyPem, 0o600);
  writeWhole(join(dir, 'signer.key'), signer.privateKeyPem, 0o600);
  writeWhole(join(dir, 'ca.pem'), caCert, 0o644);
  writeWhole(join(dir, 'signer.pem'), signerCert, 0o644);
  writeWhole(
    join(dir, 'README'),
    'docprov development keys: made by `docprov keys init`, never trusted by default, never to be committed.\n',
    0o644,
  );
  // Written last: its presence (with signer.key) is what says the keys are complete.
  writeWhole(join(dir, 'chain.pem'), signerCert + caCert, 0o644);
}

/** The development log key (Ed25519, PKCS#8, mode 0600), made once beside the others. */
export function ensureDevLogKey(dir: string): { path: string; created: boolean } {
  const path = join(dir, 'log.key');
  if (existsSync(path)) return { path, created: false };
  try {
    mkdirSync(dirname(dir), { recursive: true });
    // Made once, as the signing keys are, whoever asks first (threads, processes).
    const lock = acquireLock(`${dir}.lock`, () => {});
    try {
      if (existsSync(path)) return { path, created: false };
      mkdirSync(dir, { recursive: true, mode: 0o700 });
      const { privateKey } = generateKeyPairSync('ed25519');
      writeWhole(path, privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, 0o600);
    } finally {
      lock.release();
    }
  } catch (e) {
    if (e instanceof DocprovError) throw e;
    const err = fileError(e, 'create the development log key in', dir);
    throw new DocprovError('dev-keys-unwritable', err.message, {
      severity: 'unusable',
      hint: DEV_KEYS_HINT,
      cause: e,
    });
  }
  return { path, created: true };
}

/** Reads a development key file; an unreadable one is a could-not-run error naming it. */
export function readDevFile(dir: string, name: string): string {
  try {
    return readFileSync(join(dir, name), 'utf8');
  } catch (e) {
    const err = fileError(e, 'read', join(dir, name));
    throw new DocprovError('dev-keys-unreadable', err.message, {
      severity: 'unusable',
      hint: DEV_KEYS_HINT,
      cause: e,
    });
  }
}

/**
 * The identity to sign with at `when`: from the environment, else the development keys, made on
 * first use unless `createDevelopment` is false (for commands that only look).
 */
export async function loadSigningIdentity(
  when: Date,
  env: NodeJS.ProcessEnv = process.env,
  allowDevelopment = true,
  createDevelopment = true,
): Promise<SigningIdentity> {
  const keyVar = env.DOCPROV_SIGNING_KEY;
  const certVar = env.DOCPROV_SIGNING_CERT;
  if (keyVar && isPkcs11Uri(keyVar)) {
    // The certificate may live on the token beside the key.
    const chainPem = certVar ? pemOrPath('DOCPROV_SIGNING_CERT', certVar) : undefined;
    const padding = rsaPadding(env);
    try {
      const id = await tokenIdentity(keyVar, 'DOCPROV_SIGNING_KEY', chainPem, when, padding, env);
      return {
        signer: id.signer,
        certificate: id.certificate,
        chain: id.chain,
        source: id.key.uri,
        development: false,
        token: {
          uri: id.key.uri,
          name: id.key.name,
          sensitive: id.key.sensitive,
          extractable: id.key.extractable,
        },
      };
    } catch (e) {
      closeTokens();
      throw e;
    }
  }
  if (keyVar || certVar) {
    if (!keyVar || !certVar)
      throw keyError(
        'incomplete-key-config',
        `${keyVar ? 'DOCPROV_SIGNING_CERT' : 'DOCPROV_SIGNING_KEY'} is not set, but ${keyVar ? 'DOCPROV_SIGNING_KEY' : 'DOCPROV_SIGNING_CERT'} is`,
        'set both DOCPROV_SIGNING_KEY and DOCPROV_SIGNING_CERT, or neither for development keys',
      );
    const key = privateKey(
      pemOrPath('DOCPROV_SIGNING_KEY', keyVar),
      env.DOCPROV_SIGNING_KEY_PASSPHRASE,
    );
    return identity(
      key,
      pemOrPath('DOCPROV_SIGNING_CERT', certVar),
      when,
      'DOCPROV_SIGNING_CERT',
      false,
      rsaPadding(env),
    );
  }
  if (!allowDevelopment)
    throw keyError(
      'no-signing-key',
      'no signing key is configured, and development keys are refused here',
      'set DOCPROV_SIGNING_KEY and DOCPROV_SIGNING_CERT to the publisher key and chain',
    );
  const dir = devKeysDir(env);
  if (createDevelopment) await ensureDevKeys(dir);
  else if (!existsSync(join(dir, 'signer.key')) || !existsSync(join(dir, 'chain.pem')))
    throw keyError(
      'no-signing-identity',
      `no signing key is configured, and there are no development keys in ${dir} yet`,
      'run "docprov keys init" to make them, or set DOCPROV_SIGNING_KEY and DOCPROV_SIGNING_CERT',
    );
  const key = privateKey(readDevFile(dir, 'signer.key'), undefined);
  return identity(key, readDevFile(dir, 'chain.pem'), when, dir, true, rsaPadding(env));
}

/**
 * The signing certificate chain alone: what names the key to those who do not sign (the queue's
 * enqueuer). From DOCPROV_SIGNING_CERT, else the development keys (made on first use).
 */
export async function signingChain(env: NodeJS.ProcessEnv = process.env): Promise<Certificate[]> {
  const certVar = env.DOCPROV_SIGNING_CERT;
  if (certVar)
    return parseChain(pemOrPath('DOCPROV_SIGNING_CERT', certVar), 'DOCPROV_SIGNING_CERT');
  const dir = devKeysDir(env);
  await ensureDevKeys(dir);
  return parseChain(readDevFile(dir, 'chain.pem'), dir);
}
