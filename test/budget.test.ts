// Issue 18, part 4: cost follows work, not size. Each distinct public-key operation is done once
// and counted; past the budget the verification ends with a refusal, never a wrong "does not
// verify". RSA keys made to cost time (huge exponents, huge moduli) are refused before any use.
import { describe, expect, it } from 'vitest';
import { algorithm, int, nul, seq, tlv } from '../src/core/asn1/writer.js';
import { CostError, type CryptoProvider, type SignatureScheme } from '../src/core/crypto.js';
import { readDer } from '../src/core/asn1/reader.js';
import { OID } from '../src/core/oids.js';
import { costlyKey, publicKeyInfo, signatureScheme } from '../src/core/pki/algorithms.js';
import { budgeted, MAX_PUBLIC_KEY_OPERATIONS } from '../src/core/verify/budget.js';
import { nodeCrypto } from '../src/node/crypto.js';

/** A provider that counts the verifications it is asked for. */
function counting(): CryptoProvider & { calls: number } {
  const p = {
    calls: 0,
    createHash: nodeCrypto.createHash,
    verify: async () => {
      p.calls++;
      return true;
    },
  };
  return p;
}
const scheme: SignatureScheme = { kind: 'rsa-pkcs1', hash: 'SHA-256' };
const bytes = (n: number) => new Uint8Array([n & 255, n >> 8]);

describe('the budget of public-key operations', () => {
  it('does each distinct operation once, however often it is asked', async () => {
    const inner = counting();
    const b = budgeted(inner);
    for (let i = 0; i < 1000; i++) await b.verify(bytes(1), scheme, bytes(2), bytes(3));
    expect(inner.calls).toBe(1);
  });
  it(`refuses past ${MAX_PUBLIC_KEY_OPERATIONS} distinct operations, with a CostError`, async () => {
    const inner = counting();
    const b = budgeted(inner);
    for (let i = 0; i < MAX_PUBLIC_KEY_OPERATIONS; i++)
      await b.verify(bytes(1), scheme, bytes(i), bytes(3));
    await expect(b.verify(bytes(1), scheme, bytes(99999), bytes(3))).rejects.toBeInstanceOf(
      CostError,
    );
    expect(inner.calls).toBe(MAX_PUBLIC_KEY_OPERATIONS);
    // What was done stays done: a repeat costs nothing and still answers.
    await expect(b.verify(bytes(1), scheme, bytes(0), bytes(3))).resolves.toBe(true);
  });
  it('tells apart operations that differ in key, data, signature or scheme', async () => {
    const inner = counting();
    const b = budgeted(inner);
    await b.verify(bytes(1), scheme, bytes(2), bytes(3));
    await b.verify(bytes(9), scheme, bytes(2), bytes(3));
    await b.verify(bytes(1), scheme, bytes(9), bytes(3));
    await b.verify(bytes(1), scheme, bytes(2), bytes(9));
    await b.verify(bytes(1), { kind: 'rsa-pkcs1', hash: 'SHA-384' }, bytes(2), bytes(3));
    expect(inner.calls).toBe(5);
  });
});

/** An RSA SubjectPublicKeyInfo with this modulus length and exponent (bytes). */
function rsaSpki(modulusBytes: number, exponent: Uint8Array): Uint8Array {
  const modulus = new Uint8Array(modulusBytes).fill(0xab);
  return seq([
    algorithm(OID.rsaEncryption, nul()),
    tlv(0x03, new Uint8Array([0, ...seq([int(new Uint8Array([0, ...modulus])), int(exponent)])])),
  ]);
}

describe('RSA keys made to cost a verifier time', () => {
  const sha256WithRsa = algorithm('1.2.840.113549.1.1.11', nul());
  const alg = readDer(sha256WithRsa);
  it.each([
    ['a 3,071-bit exponent', rsaSpki(384, new Uint8Array(384).fill(0x41)), /exponent of 3071 bits/],
    [
      'a 65-bit exponent',
      rsaSpki(384, new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0, 1])),
      /exponent of 65 bits/,
    ],
    ['an even exponent', rsaSpki(384, new Uint8Array([1, 0, 0])), /even or below 3/],
    ['an exponent of 1', rsaSpki(384, new Uint8Array([1])), /even or below 3/],
    ['a 16,392-bit modulus', rsaSpki(2049, new Uint8Array([1, 0, 1])), /at most 16384/],
  ])('%s is refused by policy before any verification', (_n, spki, says) => {
    const key = publicKeyInfo(spki);
    expect(costlyKey(key)).toMatch(says);
    expect(signatureScheme(sha256WithRsa, alg, key, undefined)).toMatchObject({
      ok: false,
      policy: true,
    });
  });
  it('65537 and a 3,072-bit modulus are fine', () => {
    expect(costlyKey(publicKeyInfo(rsaSpki(384, new Uint8Array([1, 0, 1]))))).toBeUndefined();
  });
});
