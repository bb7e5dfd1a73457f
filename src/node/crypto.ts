import { constants, createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { CryptoProvider, DigestAlgorithm } from '../core/crypto.js';

const NODE_NAMES: Record<DigestAlgorithm, string> = {
  'SHA-1': 'sha1',
  'SHA-256': 'sha256',
  'SHA-384': 'sha384',
  'SHA-512': 'sha512',
};

const keys = new WeakMap<Uint8Array, KeyObject>();

/** node:crypto behind the core's seam (about 30x faster than a pure-JS digest). */
export const nodeCrypto: CryptoProvider = {
  createHash(algorithm) {
    const h = createHash(NODE_NAMES[algorithm]);
    return {
      update: (data) => void h.update(data),
      digest: () => new Uint8Array(h.digest()),
    };
  },
  async verify(spki, scheme, data, signature) {
    try {
      // A certificate's key is checked many times in one run (its chain, its CRLs, its tokens).
      let key = keys.get(spki);
      if (!key)
        keys.set(
          spki,
          (key = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' })),
        );
      const type = key.asymmetricKeyType;
      if (scheme.kind === 'ecdsa') {
        if (type !== 'ec') return false;
        return verify(NODE_NAMES[scheme.hash], data, { key, dsaEncoding: 'der' }, signature);
      }
      if (type !== 'rsa' && type !== 'rsa-pss') return false;
      if (scheme.kind === 'rsa-pss')
        return verify(
          NODE_NAMES[scheme.hash],
          data,
          { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: scheme.saltLength },
          signature,
        );
      if (type !== 'rsa') return false;
      return verify(
        NODE_NAMES[scheme.hash],
        data,
        { key, padding: constants.RSA_PKCS1_PADDING },
        signature,
      );
    } catch {
      return false;
    }
  },
};
