import type { Certificate } from '../pki/certificate.js';
import { buildChain, pathProblems, signerUsageProblem } from '../pki/chain.js';
import type { Checks } from './report.js';
import type { VerifyContext } from './verify-pdf.js';

/** The trust checks for a signer: chain, validity at `when`, key usage, key size, pin. */
export function trustChecks(
  signer: Certificate,
  pool: Certificate[],
  when: Date | undefined,
  ctx: VerifyContext,
  c: Checks,
): void {
  const built = buildChain(signer, pool, ctx.anchors, ctx.crypto);
  c.expect(
    !!built.anchor,
    'chain',
    'trust',
    `the chain reaches the trusted root "${built.anchor?.subject ?? ''}" (${built.path.length} certificate(s))`,
    'untrusted',
    built.untrustedReason ?? 'the chain does not reach a trusted root',
  );
  const at = when ?? ctx.now;
  const probs = pathProblems(built.path, at);
  const future = when !== undefined && when.getTime() > ctx.now.getTime() + 5 * 60_000;
  const expiredNow = ctx.now > signer.notAfter;
  c.expect(
    !!when && !future && probs.validity.length === 0 && !expiredNow,
    'certificate-validity',
    'trust',
    `every certificate was valid at the signing time ${when?.toISOString() ?? ''}`,
    !when
      ? 'no-signing-time'
      : future
        ? 'signing-time-in-future'
        : expiredNow
          ? 'expired'
          : 'not-valid-at-signing-time',
    !when
      ? 'the signature has no readable signing time'
      : future
        ? `the claimed signing time ${when.toISOString()} lies in the future`
        : expiredNow
          ? `the signer certificate expired on ${signer.notAfter.toISOString()}; without a timestamp the claimed signing time cannot be proven`
          : probs.validity.join('; '),
  );
  const usage = signerUsageProblem(signer);
  c.expect(
    !usage && probs.constraints.length === 0,
    'key-usage',
    'trust',
    'the signer may sign documents, and each issuer is a CA allowed to issue',
    'bad-key-usage',
    [usage, ...probs.constraints].filter(Boolean).join('; '),
  );
  c.expect(
    probs.keySize.length === 0,
    'key-size',
    'trust',
    `every key is RSA-${Math.min(...built.path.map((x) => x.rsaBits))} or larger`,
    'weak-key',
    probs.keySize.join('; '),
  );
  if (ctx.signerPin !== undefined) {
    const pin = ctx.signerPin.toLowerCase().replace(/[^0-9a-f]/g, '');
    c.expect(
      pin === signer.fingerprint,
      'signer-pin',
      'trust',
      `the signer is the expected ${pin.slice(0, 16)}…`,
      'unexpected-signer',
      `the signer's fingerprint ${signer.fingerprint} is not the expected ${pin}`,
    );
  }
}
