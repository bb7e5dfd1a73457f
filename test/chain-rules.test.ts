// The certification-path rules of src/core/pki/chain.ts, each pinned by a case where only that
// rule decides: the survivors of a mutation run of chain.ts (npm run mutate) that weakened a
// check (a TSA's usage, a CA's constraints, a validity bound, an anchor matched by name) each
// have a case here. Real certificates from the test PKI where a signature matters; elsewhere a
// certificate with only the field under test changed.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { OID } from '../src/core/oids.js';
import { parseCertificate, pemBlocks, type Certificate } from '../src/core/pki/certificate.js';
import {
  buildChain,
  pathProblems,
  signerUsageProblem,
  tsaUsageProblem,
} from '../src/core/pki/chain.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { pkiDir } from './helpers/pki.js';

const load = (name: string): Certificate =>
  parseCertificate(pemBlocks(readFileSync(join(pkiDir(), `${name}.pem`), 'utf8'))[0]!, nodeCrypto);
let root: Certificate;
let signer: Certificate;
let tsa: Certificate;
let strangerRoot: Certificate;
let stranger: Certificate;
beforeAll(() => {
  root = load('root');
  signer = load('signer');
  tsa = load('tsa');
  strangerRoot = load('untrusted-root');
  stranger = load('stranger');
});
/** A copy of `c` with some fields changed (the rule functions read fields, not signatures). */
const like = (c: Certificate, change: Partial<Certificate>): Certificate => ({ ...c, ...change });
const at = new Date('2026-06-01T00:00:00Z');

describe('buildChain', () => {
  it('reaches the anchor through the issuer whose signature is on the child', async () => {
    const r = await buildChain(signer, [], [root], nodeCrypto);
    expect(r.anchor).toBe(root);
    expect(r.path).toEqual([signer, root]);
  });
  it('an anchor is matched by its key, never by its name alone', async () => {
    // The stranger's root, renamed as the trusted root: same name, another key.
    const impostor = like(strangerRoot, { subjectDer: root.subjectDer, subject: root.subject });
    const r = await buildChain(
      stranger,
      [impostor],
      [like(root, { der: new Uint8Array(0) })],
      nodeCrypto,
    );
    expect(r.anchor).toBeUndefined();
    expect(r.untrustedReason).toBeDefined();
  });
  it('an anchor given as the same name and key (another encoding) is the anchor', async () => {
    const r = await buildChain(signer, [], [like(root, { der: new Uint8Array([1]) })], nodeCrypto);
    expect(r.anchor?.subject).toBe(root.subject);
  });
  it('an issuer named rightly whose signature is not on the child is not the issuer', async () => {
    const forged = like(strangerRoot, { subjectDer: root.subjectDer, subject: root.subject });
    const r = await buildChain(signer, [forged], [], nodeCrypto);
    expect(r.path).toEqual([signer]);
    expect(r.untrustedReason).toMatch(/no certificate for the issuer .* was found/);
  });
  it('a chain that ends at a root nobody trusts says so', async () => {
    const r = await buildChain(stranger, [strangerRoot], [root], nodeCrypto);
    expect(r.anchor).toBeUndefined();
    expect(r.path).toEqual([stranger, strangerRoot]);
    expect(r.untrustedReason).toBe(
      `the chain ends at "${strangerRoot.subject}", a root that is not in the trust store`,
    );
  });
});

describe('pathProblems', () => {
  it('a good path at a time inside every validity has no problem', () => {
    expect(pathProblems([signer, root], at)).toEqual({ validity: [], constraints: [], keys: [] });
  });
  it('before notBefore and after notAfter are both outside validity', () => {
    const early = new Date(signer.notBefore.getTime() - 1);
    const late = new Date(signer.notAfter.getTime() + 1);
    expect(pathProblems([signer], early).validity).toHaveLength(1);
    expect(pathProblems([signer], late).validity).toHaveLength(1);
    expect(pathProblems([signer], signer.notBefore).validity).toHaveLength(0);
    expect(pathProblems([signer], signer.notAfter).validity).toHaveLength(0);
  });
  it('an unknown critical extension is a constraint problem, on any certificate of the path', () => {
    const p = pathProblems([like(signer, { unknownCritical: ['1.2.3.4'] }), root], at);
    expect(p.constraints).toEqual([
      `"${signer.subject}" has critical extension(s) docprov does not know (1.2.3.4)`,
    ]);
  });
  it('an issuer that is not a CA, or lacks keyCertSign, may not issue', () => {
    expect(pathProblems([signer, like(root, { isCA: false })], at).constraints).toEqual([
      `"${root.subject}" issues certificates but is not a CA (basicConstraints)`,
    ]);
    const noSign = like(root, {
      keyUsage: { ...root.keyUsage, present: true, keyCertSign: false },
    });
    expect(pathProblems([signer, noSign], at).constraints).toEqual([
      `"${root.subject}" issues certificates without keyCertSign`,
    ]);
    // The end entity itself is not held to a CA's constraints.
    expect(pathProblems([like(signer, { isCA: false }), root], at).constraints).toEqual([]);
  });
  it('pathLen counts the intermediates below a CA, not the end entity', () => {
    const mid = like(root, { subject: 'mid' });
    expect(pathProblems([signer, mid, like(root, { pathLen: 0 })], at).constraints).toEqual([
      `"${root.subject}" allows 0 intermediate(s) below it, the path has 1`,
    ]);
    expect(pathProblems([signer, mid, like(root, { pathLen: 1 })], at).constraints).toEqual([]);
    expect(pathProblems([signer, like(root, { pathLen: 0 })], at).constraints).toEqual([]);
  });
  it('a key refused by policy is named', () => {
    const weak = like(signer, { key: { type: 'rsa', bits: 1024 } as Certificate['key'] });
    expect(pathProblems([weak], at).keys).toHaveLength(1);
  });
});

describe('signerUsageProblem and tsaUsageProblem', () => {
  const ku = (c: Certificate, change: Partial<Certificate['keyUsage']>) =>
    like(c, { keyUsage: { ...c.keyUsage, present: true, ...change } });
  it('a signer needs digitalSignature or nonRepudiation, is no CA, and its EKUs allow signing', () => {
    expect(signerUsageProblem(signer)).toBeUndefined();
    expect(
      signerUsageProblem(ku(signer, { digitalSignature: false, nonRepudiation: false })),
    ).toMatch(/neither digitalSignature nor nonRepudiation/);
    expect(
      signerUsageProblem(ku(signer, { digitalSignature: false, nonRepudiation: true })),
    ).toBeUndefined();
    expect(
      signerUsageProblem(ku(signer, { digitalSignature: true, nonRepudiation: false })),
    ).toBeUndefined();
    expect(signerUsageProblem(like(signer, { isCA: true }))).toMatch(/is a CA certificate/);
    expect(signerUsageProblem(like(signer, { extKeyUsage: [OID.timeStamping] }))).toMatch(
      /exclude document signing/,
    );
    expect(
      signerUsageProblem(like(signer, { extKeyUsage: [OID.timeStamping, OID.documentSigning] })),
    ).toBeUndefined();
    expect(signerUsageProblem(like(signer, { extKeyUsage: [] }))).toBeUndefined();
  });
  it('a TSA needs timeStamping, critical, alone, and digitalSignature or nonRepudiation', () => {
    expect(tsaUsageProblem(tsa)).toBeUndefined();
    expect(tsaUsageProblem(like(tsa, { extKeyUsage: [OID.emailProtection] }))).toMatch(
      /lacks the extended key usage timeStamping/,
    );
    expect(tsaUsageProblem(like(tsa, { extKeyUsageCritical: false }))).toMatch(
      /not marked critical/,
    );
    expect(
      tsaUsageProblem(like(tsa, { extKeyUsage: [OID.timeStamping, OID.emailProtection] })),
    ).toMatch(/other extended key usages beside timeStamping/);
    expect(tsaUsageProblem(ku(tsa, { digitalSignature: false, nonRepudiation: false }))).toMatch(
      /neither digitalSignature nor nonRepudiation/,
    );
    expect(
      tsaUsageProblem(ku(tsa, { digitalSignature: false, nonRepudiation: true })),
    ).toBeUndefined();
    expect(
      tsaUsageProblem(
        like(tsa, {
          keyUsage: {
            ...tsa.keyUsage,
            present: false,
            digitalSignature: false,
            nonRepudiation: false,
          },
        }),
      ),
    ).toBeUndefined();
  });
});
