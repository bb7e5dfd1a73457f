import { createPrivateKey, sign } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Signer } from '../../src/core/cms/build.js';
import { parseCertificate, pemBlocks } from '../../src/core/pki/certificate.js';
import { nodeCrypto } from '../../src/node/crypto.js';
import { pkiDir } from './pki.js';

/** A signer from the test PKI with none of the edge's checks: tests need bad signers too. */
export function rawSigner(
  name: string,
  dir = pkiDir(),
): Signer & { keyPem: string; certPem: string } {
  const keyPem = readFileSync(join(dir, `${name}.key`), 'utf8');
  const chainPem = readFileSync(join(dir, `${name}-chain.pem`), 'utf8');
  const key = createPrivateKey(keyPem);
  return {
    keyPem,
    certPem: readFileSync(join(dir, `${name}.pem`), 'utf8'),
    chain: pemBlocks(chainPem).map((d) => parseCertificate(d, nodeCrypto)),
    scheme: { kind: 'rsa-pkcs1', hash: 'SHA-256' },
    sign: (data) => new Uint8Array(sign('sha256', data, key)),
  };
}
