import { CLOCK_SKEW_MS } from '../clock.js';
import type { Certificate } from '../pki/certificate.js';
import {
  buildChain,
  pathProblems,
  signerUsageProblem,
  weakestKey,
  type ChainResult,
} from '../pki/chain.js';
import type { VerifyContext } from './context.js';
import type { Checks } from './report.js';

export interface SigningTime {
  at: Date;
  /** Proven by a trusted timestamp, or only claimed by the signer. */
  proven: boolean;
}

/** A fingerprint as users write it: hex with or without colons, or openssl's "sha256 Fingerprint=AA:BB:..." form. */
export const normalisePin = (pin: string): string =>
  pin
    .replace(/^\s*sha256\s+fingerprint\s*=\s*/i, '')
    .toLowerCase()
    .replace(/[^0-9a-f]/g, '');

/**
 * The trust checks for a signer: chain, validity at the signing time, key usage, key policy, pin.
 * Returns the chain, so the caller can tell which certificates played a part.
 */
export async function trustChecks(
  signer: Certificate,
  pool: readonly Certificate[],
  when: SigningTime | undefined,
  ctx: VerifyContext,
  c: Checks,
  usage: (cert: Certificate) => string | undefined = signerUsageProblem,
  /** For a timestamp: the certificates must still be valid then (the next proof's time, or now). */
  until?: Date,
): Promise<ChainResult> {
  const built = await buildChain(signer, pool, ctx.anchors, ctx.crypto);
  c.expect(
    !!built.anchor,
    'chain',
    'trust',
    `the chain reaches the trusted root "${built.anchor?.subject ?? ''}" (${built.path.length} certificate(s))`,
    'untrusted',
    built.untrustedReason ?? 'the chain does not reach a trusted root',
  );
  const at = when?.at ?? ctx.now;
  const probs = pathProblems(built.path, at);
  if (until)
    probs.validity.push(
      ...pathProblems(built.path, until).validity.map(
        (v) => `${v} (the time this timestamp must still be trusted)`,
      ),
    );
  const future = when !== undefined && when.at.getTime() > ctx.now.getTime() + CLOCK_SKEW_MS;
  // Without a proof of time, a signature is only as good as its certificate is today.
  const expiredNow = !when?.proven && ctx.now > signer.notAfter;
  // And so is every issuer on its path: a retired CA key must not mint signers of any claimed date.
  if (!when?.proven && !expiredNow)
    probs.validity.push(
      ...pathProblems(built.path.slice(1), ctx.now).validity.map(
        (v) => `${v} (now: no timestamp proves when it signed)`,
      ),
    );
  const kind = when?.proven ? 'proven' : 'claimed';
  c.expect(
    !!when && !future && probs.validity.length === 0 && !expiredNow,
    'certificate-validity',
    'trust',
    until
      ? `every certificate was valid when it stamped (${when?.at.toISOString() ?? ''}) and ${until.getTime() === ctx.now.getTime() ? 'still is now' : `still was when the next document timestamp was made (${until.toISOString()})`}`
      : `every certificate was valid at the ${kind} signing time ${when?.at.toISOString() ?? ''}`,
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
        ? `the ${kind} signing time ${when.at.toISOString()} lies in the future`
        : expiredNow
          ? `the signer certificate expired on ${signer.notAfter.toISOString()}, and no timestamp that still holds proves when it signed (a timestamp holds while its TSA certificate is valid, or while a later timestamp vouches for it)`
          : probs.validity.join('; '),
  );
  const usageProblem = usage(signer);
  c.expect(
    !usageProblem && probs.constraints.length === 0,
    'key-usage',
    'trust',
    'the signer may make this signature, and each issuer is a CA allowed to issue',
    'bad-key-usage',
    [usageProblem, ...probs.constraints].filter(Boolean).join('; '),
  );
  c.expect(
    probs.keys.length === 0,
    'key-size',
    'trust',
    `every key is strong enough (the weakest: ${weakestKey(built.path)})`,
    'refused-by-policy',
    `refused by policy: ${probs.keys.join('; ')}`,
  );
  if (ctx.signerPin !== undefined) {
    const pin = normalisePin(ctx.signerPin);
    c.expect(
      pin === signer.fingerprint,
      'signer-pin',
      'trust',
      `the signer is the expected ${pin.slice(0, 16)}…`,
      'unexpected-signer',
      `the signer's fingerprint ${signer.fingerprint} is not the expected ${pin}`,
    );
  }
  return built;
}
