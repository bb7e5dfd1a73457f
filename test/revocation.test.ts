// Issue 18, part 2: revocation judged on proof, in any order. A signer revoked at R is trusted
// only where a trusted timestamp proves the signature existed before R; a claimed time (/M) or
// a document timestamp made after R proves nothing earlier; every validly signed CRL is weighed,
// so their order cannot matter; "good" counts only from data issued at or after the proven time.
import { describe, expect, it } from 'vitest';
import type { Report } from '../src/core/verify/report.js';
import { crl, day, make, verifyLetter } from './helpers/signed-letter.js';

/** When the "revoked" signer's certificate (serial 1010) was revoked, in these tests. */
const R = new Date('2026-06-01T00:00:00Z');
const verify = verifyLetter;

/** The signer's revocation check (the first signature's). */
const signerRevocation = (r: Report) =>
  r.checks.find((c) => c.id === 'revocation' && c.role === 'signature')!;
const fact = (r: Report, id: string) => r.facts!.find((f) => f.id === id)!;

describe('a revoked signer', () => {
  const revokedAtR = (at: Date) => crl(at, [['1010', R]]);

  it('is not saved by a claimed signing time before the revocation (B-B, /M backdated)', async () => {
    const pdf = await make({ signer: 'revoked', claimed: day('2026-01-01') });
    const r = await verify(pdf, [revokedAtR(day('2026-07-01'))]);
    expect(r.verdict).toBe('invalid');
    expect(signerRevocation(r)).toMatchObject({ status: 'fail', code: 'revoked' });
    expect(signerRevocation(r).message).toMatch(/was revoked on 2026-06-01/);
  });
  it('holds where a trusted signature timestamp proves it signed before the revocation', async () => {
    const pdf = await make({
      signer: 'revoked',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-03-01')],
    });
    const r = await verify(pdf, [revokedAtR(day('2026-07-01'))]);
    expect(r.verdict, r.summary).toBe('authentic');
    expect(r.timeProven).toBe(true);
    expect(signerRevocation(r)).toMatchObject({ status: 'pass' });
    expect(signerRevocation(r).message).toMatch(/revoked later, on 2026-06-01/);
  });
  it('is not saved by a document timestamp made after the revocation', async () => {
    const pdf = await make({
      signer: 'revoked',
      claimed: day('2026-01-01'),
      docTs: ['tsa', day('2026-08-01'), [revokedAtR(day('2026-07-01'))]],
      after: [revokedAtR(day('2026-09-01'))],
    });
    const r = await verify(pdf);
    expect(r.verdict).toBe('invalid');
    expect(signerRevocation(r)).toMatchObject({ status: 'fail', code: 'revoked' });
    expect(signerRevocation(r).message).toMatch(/at or before 2026-08-01/);
  });
  it('is revoked whatever the order of the CRLs: one that omits the revocation does not undo it', async () => {
    const pdf = await make({
      signer: 'revoked',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-08-01')],
    });
    const silent = crl(day('2026-09-01'), [], 'root.key', 7);
    const says = crl(day('2026-09-01'), [['1010', R]], 'root.key', 8);
    const a = await verify(pdf, [silent, says]);
    const b = await verify(pdf, [says, silent]);
    for (const r of [a, b]) {
      expect(r.verdict).toBe('invalid');
      expect(signerRevocation(r)).toMatchObject({ status: 'fail', code: 'revoked' });
    }
    expect(a.checks.map((c) => [c.id, c.status])).toEqual(b.checks.map((c) => [c.id, c.status]));
    // In the DSS, in either order, the same.
    for (const order of [
      [silent, says],
      [says, silent],
    ]) {
      const inDss = await make({
        signer: 'revoked',
        claimed: day('2026-01-01'),
        sigTs: ['tsa', day('2026-08-01')],
        docTs: ['tsa2', day('2026-10-01'), order],
        after: [crl(day('2026-10-02'))],
      });
      expect((await verify(inDss)).verdict).toBe('invalid');
    }
  });
  it("is revoked even when its certificate carries id-pkix-ocsp-nocheck (an OCSP responder's exemption)", async () => {
    for (const crls of [[crl(day('2026-07-01'), [['1011', R]])], []]) {
      const pdf = await make({ signer: 'revoked-nocheck', claimed: day('2026-01-01') });
      const r = await verify(pdf, crls);
      expect(r.verdict).not.toBe('authentic');
      expect(signerRevocation(r).message).not.toMatch(/id-pkix-ocsp-nocheck/);
      if (crls.length)
        expect(signerRevocation(r)).toMatchObject({ status: 'fail', code: 'revoked' });
    }
  });
  it('a CRL that does not verify with the issuer key counts for nothing, either way', async () => {
    const pdf = await make({
      signer: 'revoked',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-08-01')],
    });
    // A forged "revoked" proves nothing: with a genuine fresh CRL beside it, authentic.
    const forgedRevoked = crl(day('2026-09-01'), [['1010', R]], 'other.key');
    expect((await verify(pdf, [forgedRevoked, crl(day('2026-09-01'))])).verdict).toBe('authentic');
    // A forged "good" issued later does not hide a genuine revocation.
    const forgedGood = crl(day('2026-11-01'), [], 'other.key');
    expect((await verify(pdf, [forgedGood, revokedAtR(day('2026-09-01'))])).verdict).toBe(
      'invalid',
    );
    // And a forged "good" alone shows nothing: not established.
    const r = await verify(pdf, [forgedGood]);
    expect(r.verdict).toBe('intact-untrusted');
    expect(fact(r, 'signer-not-revoked').status).toBe('not-established');
  });
});

describe('"good" counts only from data issued at or after the proven time', () => {
  it('a CRL issued before the signature timestamp shows nothing: not yet proven, and said so', async () => {
    const pdf = await make({
      signer: 'signer',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-08-01')],
    });
    const r = await verify(pdf, [crl(day('2026-07-01'))]);
    expect(r.verdict).toBe('intact-untrusted');
    expect(fact(r, 'signer-not-revoked').status).toBe('not-established');
    expect(signerRevocation(r).status).toBe('skip');
    expect(r.pending).toMatch(/only revocation data issued after 2026-08-01T00:00:00.000Z/);
    expect(r.summary).toMatch(/^Intact, not yet proven:/);
    // The same CRL issued a day after the timestamp: authentic.
    const fresh = await verify(pdf, [crl(day('2026-08-02'))]);
    expect(fresh.verdict, fresh.summary).toBe('authentic');
    expect(fresh.pending).toBeUndefined();
  });
  it('without a timestamp a signature is judged now, which no data at hand can speak for', async () => {
    const pdf = await make({ signer: 'signer', claimed: day('2026-01-01') });
    const r = await verify(pdf, [crl(day('2026-11-30'))]);
    expect(r.verdict).toBe('intact-untrusted');
    expect(signerRevocation(r)).toMatchObject({ status: 'skip', code: 'time-not-proven' });
    expect(r.pending).toBeUndefined(); // waiting cannot prove it: nothing proves when it signed
    expect(fact(r, 'signer-not-revoked').status).toBe('not-established');
  });
  it('with no revocation data at all the signer is not shown unrevoked: never authentic', async () => {
    const pdf = await make({
      signer: 'signer',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-08-01')],
    });
    const r = await verify(pdf);
    expect(r.verdict).toBe('intact-untrusted');
    expect(signerRevocation(r).status).toBe('skip');
    expect(fact(r, 'signer-not-revoked').status).toBe('not-established');
  });
});

describe("a time-stamping authority's own revocation", () => {
  const tsaRevoked = (at: Date) => crl(at, [['4001', R]]);
  it('revoked after its token: the token holds only where a later trusted timestamp shows it existed before', async () => {
    const alone = await make({
      signer: 'signer',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-03-01')],
    });
    const r = await verify(alone, [tsaRevoked(day('2026-07-01'))]);
    expect(r.verdict).toBe('intact-untrusted');
    const stamp = r.checks.find((c) => c.id === 'signature-timestamp')!;
    expect(stamp.status).toBe('skip');
    expect(stamp.message).toMatch(
      /revoked on 2026-06-01.*nothing trusted proves it was used before/,
    );
    // A document timestamp by another authority at 2026-04-01 proves the token existed then.
    const proven = await make({
      signer: 'signer',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-03-01')],
      docTs: ['tsa2', day('2026-04-01'), []],
    });
    const p = await verify(proven, [tsaRevoked(day('2026-07-01'))]);
    expect(p.verdict, p.summary).toBe('authentic');
    expect(p.signingTime).toBe('2026-03-01T00:00:00.000Z');
  });
  it('revoked before its token: the token proves nothing, and a later proof takes its place', async () => {
    const pdf = await make({
      signer: 'signer',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-07-01')],
      docTs: ['tsa2', day('2026-08-01'), []],
    });
    const r = await verify(pdf, [tsaRevoked(day('2026-09-01'))]);
    const stamp = r.checks.find((c) => c.id === 'signature-timestamp')!;
    expect(stamp.status).toBe('skip');
    expect(stamp.message).toMatch(/was revoked on 2026-06-01/);
    // The document timestamp (another authority) proves the signature existed by 2026-08-01,
    // and the signer was not revoked then: that proof stands on its own.
    expect(r.verdict, r.summary).toBe('authentic');
    expect(r.timeProven).toBe(true);
    expect(r.signingTime).toBe('2026-08-01T00:00:00.000Z');
    // Without it, nothing proves when the signer signed.
    const alone = await make({
      signer: 'signer',
      claimed: day('2026-01-01'),
      sigTs: ['tsa', day('2026-07-01')],
    });
    const a = await verify(alone, [tsaRevoked(day('2026-09-01'))]);
    expect(a.verdict).toBe('intact-untrusted');
    expect(signerRevocation(a)).toMatchObject({ status: 'skip', code: 'time-not-proven' });
  });
});
