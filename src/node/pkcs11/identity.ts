import { createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import type { Signer } from '../../core/cms/build.js';
import { sameBytes } from '../../core/crypto.js';
import { parseCertificate, type Certificate } from '../../core/pki/certificate.js';
import { nodeCrypto } from '../crypto.js';
import { checkIdentity, keyError, parseChain, type RsaPadding } from '../key-policy.js';
import { tokenPublicKey, tokenSigner } from './signer.js';
import { openTokenKey, type TokenKey } from './token.js';

// A signing identity whose key is on a token: the chain from DOCPROV_SIGNING_CERT, or else from
// the certificates stored on the token beside the key. The token's public key is checked against
// the certificate like a PEM key's, and one signature over a random challenge, verified with the
// certificate's key, proves the token holds the matching private key before anything is signed.

export interface TokenIdentity {
  signer: Signer;
  certificate: Certificate;
  chain: Certificate[];
  key: TokenKey;
}

/** The token's certificates as a chain: the key's own first, then each issuer found. */
function chainFromToken(key: TokenKey, variable: string): Certificate[] {
  const certs = key.certificates.map((der) => parseCertificate(der, nodeCrypto));
  if (certs.length === 0)
    throw keyError(
      'no-certificate',
      `DOCPROV_SIGNING_CERT is not set, and there is no certificate on the token beside the key ${variable} names (${key.name})`,
      'set DOCPROV_SIGNING_CERT to the certificate issued for the token key and its chain (PEM), or store the certificate on the token with the same id',
    );
  const chain = [certs[0]!];
  for (;;) {
    const last = chain[chain.length - 1]!;
    const issuer = certs.find((c) => !chain.includes(c) && sameBytes(c.subjectDer, last.issuerDer));
    if (!issuer || sameBytes(last.subjectDer, last.issuerDer)) return chain;
    chain.push(issuer);
  }
}

/** Opens the token key `value` (a pkcs11: URI) names and checks it against its chain. */
export async function tokenIdentity(
  value: string,
  variable: string,
  chainPem: string | undefined,
  when: Date,
  padding: RsaPadding,
  env: NodeJS.ProcessEnv,
): Promise<TokenIdentity> {
  const key = openTokenKey(value, variable, env);
  const chain =
    chainPem !== undefined
      ? parseChain(chainPem, 'DOCPROV_SIGNING_CERT')
      : chainFromToken(key, variable);
  const certSource =
    chainPem !== undefined ? 'DOCPROV_SIGNING_CERT' : `the token's certificates (${key.name})`;
  // An EC token may keep no public key object: then the certificate stored with the key speaks
  // for it, and the challenge signature below is what ties the two.
  const publicKey: KeyObject =
    tokenPublicKey(key) ??
    createPublicKey({ key: Buffer.from(chain[0]!.spki), format: 'der', type: 'spki' });
  const certificate = checkIdentity(publicKey, chain, when, certSource);
  const ordered = [certificate, ...chain.filter((c) => c !== certificate)];
  // PSS when asked for, or when the certificate's key is id-RSASSA-PSS (and, in tokenSigner,
  // when the token allows the key PSS only).
  const pss = padding === 'pss' || (certificate.key.type === 'rsa' && certificate.key.pssOnly);
  const signer = tokenSigner(key, ordered, pss ? 'pss' : 'pkcs1', variable);
  const challenge = randomBytes(32);
  if (
    !(await nodeCrypto.verify(certificate.spki, signer.scheme, challenge, signer.sign(challenge)))
  )
    throw keyError(
      'key-mismatch',
      `the private key on the token (${key.name}) does not match the certificate "${certificate.subject}": a signature it made does not verify with the certificate's key`,
      'name the private key of the pair the certificate was issued for (object= or id= in the URI)',
    );
  return { signer, certificate, chain: ordered, key };
}
