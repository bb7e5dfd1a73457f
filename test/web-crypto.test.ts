// The page's crypto provider (WebCrypto and @noble/hashes) against the CLI's (node:crypto): the
// same answer for every key type and signature scheme the core asks about, malformed input too.
import { createHash, generateKeyPairSync, sign, constants, type KeyObject } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { SignatureScheme } from '../src/core/crypto.js';
import { memorySource } from '../src/core/pdf/source.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { blobSource } from '../src/web/blob-source.js';
import { webCrypto } from '../src/web/crypto.js';
import { derToRaw } from '../src/web/ecdsa-raw.js';
import { webHasher } from '../src/web/hash.js';

const data = new TextEncoder().encode('the signed attributes of a docprov signature');
const spki = (k: KeyObject) => new Uint8Array(k.export({ type: 'spki', format: 'der' }));
const bytes = (b: Buffer) => new Uint8Array(b);

/** Both providers' answers on one signature; they must agree, and be `expected`. */
async function both(
  key: KeyObject,
  scheme: SignatureScheme,
  signature: Uint8Array,
  expected: boolean,
  message = data,
) {
  const web = await webCrypto.verify(spki(key), scheme, message, signature);
  const node = await nodeCrypto.verify(spki(key), scheme, message, signature);
  expect({ web, node }).toEqual({ web: expected, node: expected });
}

describe('signatures: WebCrypto says what node:crypto says', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
  it('RSA PKCS#1 v1.5: good, changed data, wrong length, wrong hash', async () => {
    const sig = bytes(sign('sha256', data, rsa.privateKey));
    await both(rsa.publicKey, { kind: 'rsa-pkcs1', hash: 'SHA-256' }, sig, true);
    await both(rsa.publicKey, { kind: 'rsa-pkcs1', hash: 'SHA-256' }, sig, false, data.slice(1));
    await both(rsa.publicKey, { kind: 'rsa-pkcs1', hash: 'SHA-384' }, sig, false);
    await both(
      rsa.publicKey,
      { kind: 'rsa-pkcs1', hash: 'SHA-256' },
      new Uint8Array([0, ...sig]),
      false,
    );
    await both(rsa.publicKey, { kind: 'rsa-pkcs1', hash: 'SHA-256' }, sig.subarray(1), false);
  });
  it('RSA-PSS with an rsaEncryption key: the salt length must be the one named', async () => {
    const sig = bytes(
      sign('sha256', data, {
        key: rsa.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 32,
      }),
    );
    await both(rsa.publicKey, { kind: 'rsa-pss', hash: 'SHA-256', saltLength: 32 }, sig, true);
    await both(rsa.publicKey, { kind: 'rsa-pss', hash: 'SHA-256', saltLength: 20 }, sig, false);
    await both(rsa.publicKey, { kind: 'rsa-pkcs1', hash: 'SHA-256' }, sig, false);
  });
  it('an RSASSA-PSS key: its restrictions hold, and it never verifies PKCS#1 v1.5', async () => {
    const pss = generateKeyPairSync('rsa-pss', {
      modulusLength: 2048,
      hashAlgorithm: 'sha256',
      mgf1HashAlgorithm: 'sha256',
      // @types/node 20 types this as a string; Node takes the number of bytes.
      saltLength: 32 as unknown as string,
    });
    const signWith = (hash: string, saltLength: number) =>
      bytes(
        sign(hash, data, {
          key: pss.privateKey,
          padding: constants.RSA_PKCS1_PSS_PADDING,
          saltLength,
        }),
      );
    await both(
      pss.publicKey,
      { kind: 'rsa-pss', hash: 'SHA-256', saltLength: 32 },
      signWith('sha256', 32),
      true,
    );
    await both(
      pss.publicKey,
      { kind: 'rsa-pss', hash: 'SHA-256', saltLength: 64 },
      signWith('sha256', 64),
      true,
    );
    const open = generateKeyPairSync('rsa-pss', { modulusLength: 2048 });
    const s384 = bytes(
      sign('sha384', data, {
        key: open.privateKey,
        padding: constants.RSA_PKCS1_PSS_PADDING,
        saltLength: 48,
      }),
    );
    await both(open.publicKey, { kind: 'rsa-pss', hash: 'SHA-384', saltLength: 48 }, s384, true);
    await both(open.publicKey, { kind: 'rsa-pkcs1', hash: 'SHA-384' }, s384, false);
  });
  it.each([
    ['P-256', 'SHA-256'],
    ['P-384', 'SHA-384'],
    ['P-521', 'SHA-512'],
  ] as const)('ECDSA %s: DER only, as OpenSSL takes it', async (curve, hash) => {
    const ec = generateKeyPairSync('ec', { namedCurve: curve });
    const sig = bytes(sign(hash.replace('-', '').toLowerCase(), data, ec.privateKey));
    const scheme = { kind: 'ecdsa', hash } as const;
    await both(ec.publicKey, scheme, sig, true);
    await both(ec.publicKey, scheme, sig, false, data.slice(1));
    await both(ec.publicKey, scheme, new Uint8Array([...sig, 0]), false);
    const rsaKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
    await both(rsaKey, scheme, sig, false);
  });
  it('derToRaw refuses every encoding but minimal DER', () => {
    const ok = new Uint8Array([0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07]);
    expect([...derToRaw(ok, 2)]).toEqual([0, 5, 0, 7]);
    for (const bad of [
      [0x30, 0x07, 0x02, 0x02, 0x00, 0x05, 0x02, 0x01, 0x07], // non-minimal r
      [0x30, 0x06, 0x02, 0x01, 0x85, 0x02, 0x01, 0x07], // negative r
      [0x30, 0x81, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07], // long form for a short length
      [0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07, 0x00], // trailing byte
      [0x30, 0x05, 0x02, 0x01, 0x05, 0x02, 0x01], // truncated
      [0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01], // shorter than said
    ])
      expect(() => derToRaw(new Uint8Array(bad), 2), JSON.stringify(bad)).toThrow();
    expect(() =>
      derToRaw(new Uint8Array([0x30, 0x07, 0x02, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07]), 1),
    ).toThrow('r or s too long');
  });
});

describe('digests and byte sources', () => {
  const big = new Uint8Array(3 << 20).map((_, i) => (i * 2654435761) >>> 24);
  const nodeHash = (alg: string, b: Uint8Array) => [...createHash(alg).update(b).digest()];
  it.each([
    ['SHA-1', 'sha1'],
    ['SHA-256', 'sha256'],
    ['SHA-384', 'sha384'],
    ['SHA-512', 'sha512'],
  ] as const)('%s: native, streamed, past the holding limit, and sync agree', async (alg, name) => {
    for (const size of [0, 100, 5000, big.length]) {
      const input = big.subarray(0, size);
      const feed = (limit?: number) => {
        const h = webHasher(alg, globalThis.crypto.subtle, limit);
        for (let at = 0; at < size || at === 0; at += 1 << 20) {
          // A reused buffer: the hasher must have copied what it keeps.
          const scratch = input.slice(at, at + (1 << 20));
          h.update(scratch);
          scratch.fill(0);
          if (size === 0) break;
        }
        return h;
      };
      const want = nodeHash(name, input);
      expect([...(await feed().digestAsync!())], `${alg} ${size}`).toEqual(want);
      expect([...(await feed(1 << 20).digestAsync!())], `${alg} ${size} streamed`).toEqual(want);
      expect([...feed().digest()], `${alg} ${size} sync`).toEqual(want);
    }
  });
  it('a Blob reads as the same bytes as memory, in chunks and at random', async () => {
    const blob = new Blob([big]);
    const seen: number[] = [];
    const b = blobSource(blob, (end) => seen.push(end), 1 << 20);
    const m = memorySource(big);
    const all = async (s: typeof b, from: number, to: number) => {
      const parts: Uint8Array[] = [];
      for await (const c of s.chunks(from, to)) parts.push(c.slice());
      return Buffer.concat(parts);
    };
    const read = await all(b, 5, big.length - 7);
    expect(read.equals(await all(m, 5, big.length - 7))).toBe(true);
    expect(read.length).toBe(big.length - 12);
    expect(seen.at(-1)).toBe(big.length - 7);
    expect([...(await b.read(big.length - 10, 100))]).toEqual([
      ...(await m.read(big.length - 10, 100)),
    ]);
    expect([...(await b.read(-5, 10))]).toEqual([...(await m.read(-5, 10))]);
  });
});
