import { createPublicKey, type KeyObject } from 'node:crypto';
import { DocprovError } from '../core/errors.js';
import { parseCertificate, pemBlocks, type Certificate } from '../core/pki/certificate.js';
import { nodeCrypto } from './crypto.js';

// The rules a signing key and its certificate chain must meet, wherever the key lives (a PEM
// file or a token): the key's public half is what is checked, so a token key is held to the
// same rules without its private half ever being read.

export const MIN_RSA_BITS = 2048;
/** node:crypto's names of the curves docprov signs on. */
export const SIGNING_CURVES = ['prime256v1', 'secp384r1', 'secp521r1'];

export const keyError = (code: string, message: string, hint: string, cause?: unknown) =>
  new DocprovError(code, message, { severity: 'unusable', hint, cause });

export type RsaPadding = 'pkcs1' | 'pss';

/** The RSA padding to sign with: DOCPROV_SIGNING_PADDING (pkcs1, the default, or pss). */
export function rsaPadding(env: NodeJS.ProcessEnv): RsaPadding {
  const v = env.DOCPROV_SIGNING_PADDING;
  if (v === undefined || v === '' || v === 'pkcs1') return 'pkcs1';
  if (v === 'pss') return 'pss';
  throw keyError(
    'bad-padding',
    `DOCPROV_SIGNING_PADDING is "${v}"; it is pkcs1 (RSA PKCS#1 v1.5, the default) or pss (RSA-PSS)`,
    'unset it, or set it to pkcs1 or pss',
  );
}

/** Certificates from PEM text; `source` names where they came from, for messages. */
export function parseChain(pem: string, source: string): Certificate[] {
  let chain: Certificate[];
  try {
    chain = pemBlocks(pem).map((der) => parseCertificate(der, nodeCrypto));
  } catch (e) {
    throw keyError(
      'bad-certificate',
      `the certificate chain from ${source} cannot be read: ${(e as Error).message}`,
      'DOCPROV_SIGNING_CERT must hold PEM certificates, signer first',
      e,
    );
  }
  if (chain.length === 0)
    throw keyError(
      'bad-certificate',
      `no PEM certificate found in ${source}`,
      'DOCPROV_SIGNING_CERT must hold PEM certificates, signer first',
    );
  return chain;
}

/**
 * Checks a key (its public half is enough) and its chain against the rules for signing at
 * `when`; returns the key's certificate. `certSource` names where the chain came from.
 */
export function checkIdentity(
  key: KeyObject,
  chain: Certificate[],
  when: Date,
  certSource = 'DOCPROV_SIGNING_CERT',
): Certificate {
  const type = key.asymmetricKeyType;
  if (type === 'ec') {
    const curve = key.asymmetricKeyDetails?.namedCurve ?? 'unknown';
    if (!SIGNING_CURVES.includes(curve))
      throw keyError(
        'unsupported-key',
        `the signing key is on the elliptic curve ${curve}; docprov signs with P-256, P-384 or P-521`,
        'use an RSA key of 3072 bits or an ECDSA key on P-256 or P-384',
      );
  } else if (type !== 'rsa' && type !== 'rsa-pss')
    throw keyError(
      'unsupported-key',
      `the signing key is ${type ?? 'unknown'}; docprov signs with RSA or ECDSA (P-256, P-384, P-521)`,
      'use an RSA key of 3072 bits or an ECDSA key on P-256 or P-384',
    );
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (type !== 'ec' && bits < MIN_RSA_BITS)
    throw keyError(
      'weak-key',
      `the signing key is RSA-${bits}; docprov refuses keys under ${MIN_RSA_BITS} bits`,
      'make a new key of 3072 bits and have a certificate issued for it',
    );
  const pub = key.type === 'public' ? key : createPublicKey(key);
  const spki = new Uint8Array(pub.export({ type: 'spki', format: 'der' }));
  const cert = chain.find(
    (c) => c.spki.length === spki.length && c.spki.every((b, i) => b === spki[i]),
  );
  if (!cert)
    throw keyError(
      'key-mismatch',
      `the signing key does not match any certificate in ${certSource}`,
      'point DOCPROV_SIGNING_CERT at the certificate issued for this key (and its chain)',
    );
  if (!cert.keyUsage.digitalSignature && !cert.keyUsage.nonRepudiation)
    throw keyError(
      'key-usage',
      `the certificate "${cert.subject}" does not allow digitalSignature or nonRepudiation`,
      'have a signing certificate issued with keyUsage digitalSignature, nonRepudiation',
    );
  if (cert.isCA)
    throw keyError(
      'key-usage',
      `the certificate "${cert.subject}" is a CA certificate, not a signing certificate`,
      'sign with an end-entity certificate',
    );
  if (when < cert.notBefore || when > cert.notAfter)
    throw keyError(
      when > cert.notAfter ? 'cert-expired' : 'cert-not-yet-valid',
      `the certificate "${cert.subject}" is valid from ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()}, not at the signing time ${when.toISOString()}`,
      when > cert.notAfter
        ? 'renew the signing certificate (see README: rotating keys)'
        : "check SOURCE_DATE_EPOCH: the signing time must lie inside the certificate's validity",
    );
  return cert;
}
