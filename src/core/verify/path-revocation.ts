import { sameBytes, type CryptoProvider } from '../crypto.js';
import type { Certificate } from '../pki/certificate.js';
import type { Checks } from './report.js';
import {
  revocationStatus,
  type Freshness,
  type RevocationSources,
  type Status,
} from '../pki/revocation.js';

// Revocation of a whole certification path, judged at one time. A certificate revoked after
// that time harms nothing only where something trusted proves the signature (or token) existed
// before the revocation: `existedBy`, a proven time; a signer's or TSA's own word is no proof.

export interface PathRevocation {
  /** Every certificate below the anchor was good at the time, shown by data that may say so. */
  ok: boolean;
  statuses: { cert: Certificate; status: Status }[];
  /** Why not, in words (empty when ok). */
  problems: string[];
  /** A certificate was revoked at or before the time (the signature or token is invalid). */
  revoked?: { cert: Certificate; at: Date; source: string };
}

export async function judgePathRevocation(
  path: readonly Certificate[],
  anchor: Certificate | undefined,
  at: Date,
  existedBy: Date | undefined,
  sources: RevocationSources,
  pool: readonly Certificate[],
  crypto: CryptoProvider,
  freshness: Freshness = 'issued-after',
): Promise<PathRevocation> {
  const statuses: PathRevocation['statuses'] = [];
  const problems: string[] = [];
  let revoked: PathRevocation['revoked'];
  for (const [i, cert] of path.entries()) {
    const issuer = path[i + 1];
    if (!issuer || (anchor && sameBytes(cert.der, anchor.der))) continue;
    const status = await revocationStatus(cert, issuer, at, pool, sources, crypto, freshness);
    statuses.push({ cert, status });
    if (status.status === 'revoked') {
      revoked ??= { cert, at: status.at, source: status.source };
      problems.push(
        `"${cert.subject}" was revoked on ${status.at.toISOString()}, at or before ${at.toISOString()} (${status.source})`,
      );
    } else if (status.status === 'unknown') problems.push(status.reason);
    else if (status.revokedLater && !(existedBy && existedBy < status.revokedLater))
      problems.push(
        `"${cert.subject}" was revoked on ${status.revokedLater.toISOString()}, and nothing trusted proves it was used before then`,
      );
  }
  // A path that is its anchor alone (a certificate trusted as it is) has nothing to check: it
  // is withdrawn by taking it out of the trust store.
  return { ok: problems.length === 0, statuses, problems, ...(revoked ? { revoked } : {}) };
}

/**
 * Records the revocation check of a signature or timestamp judged at `at`: revoked is a failure
 * (for a signature, of integrity: it is invalid); not shown either way is a skip, never a pass.
 */
export function recordRevocation(
  c: Checks,
  r: PathRevocation,
  at: Date,
  what: 'signature' | 'timestamp',
  proven: boolean,
  /** Why the time is not proven, when it is not (a timestamp that is not relied on). */
  unproven = 'no trusted timestamp proves when it was signed',
): void {
  if (r.revoked)
    c.fail(
      'revocation',
      what === 'timestamp' ? 'trust' : 'integrity',
      'revoked',
      `"${r.revoked.cert.subject}" was revoked on ${r.revoked.at.toISOString()}, at or before ${at.toISOString()}${proven && what === 'signature' ? ', the time a trusted timestamp proves' : ''} (${r.revoked.source}): the ${what} is invalid`,
    );
  else if (r.ok)
    c.pass(
      'revocation',
      'trust',
      r.statuses.length === 0
        ? 'the certificate is itself a trust anchor: it is withdrawn by taking it out of the trust store'
        : `not revoked at ${at.toISOString()}${proven ? '' : ' (now)'}: ${r.statuses.map((x) => (x.status.status === 'good' ? `"${x.cert.subject}" by ${x.status.source}${x.status.revokedLater ? ` (revoked later, on ${x.status.revokedLater.toISOString()}, after that proven time)` : ''}` : '')).join('; ')}`,
    );
  else {
    const stale = r.statuses.some((x) => x.status.status === 'unknown' && x.status.stale);
    c.skip(
      'revocation',
      'trust',
      !proven ? 'time-not-proven' : stale ? 'revocation-not-fresh' : 'no-revocation-data',
      `not established: ${
        !proven
          ? `${unproven} (a claimed time proves nothing against a revocation), so it is judged now, and no revocation data at hand was issued now or later`
          : r.problems.join('; ')
      }`,
    );
  }
}
