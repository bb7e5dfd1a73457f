import type { SigningIdentity } from '../node/keys.js';
import type { LogIdentity } from '../node/log-key.js';
import type { Io } from './io.js';
import { printable } from './printable.js';

/** Says loudly on stderr when the output is development-signed: call it once something was signed. */
export function announceIdentity(io: Io, id: SigningIdentity): void {
  if (!id.development) return;
  io.err(
    [
      'docprov: warning: DEVELOPMENT-SIGNED: no signing key is configured (DOCPROV_SIGNING_KEY, DOCPROV_SIGNING_CERT),',
      `docprov: warning: so the local development CA in ${printable(id.source)} signed this output.`,
      'docprov: warning: Readers will not trust it: verify with --trust on that CA, or sign with the publisher key.',
      '',
    ].join('\n'),
  );
}

/** Says loudly when the transparency log's checkpoints were signed with the development log key. */
export function announceLogKey(io: Io, log: LogIdentity, signingDevelopment: boolean): void {
  if (!log.development) return;
  io.err(
    [
      `docprov: warning: DEVELOPMENT LOG KEY: DOCPROV_LOG_KEY is not set, so the development log key in`,
      `docprov: warning: ${printable(log.source)} signed the transparency log's checkpoint (${printable(log.vkey)}).`,
      signingDevelopment
        ? 'docprov: warning: Like the development CA, nobody else trusts it.'
        : "docprov: warning: Readers who pin the publisher's log key will refuse it: set DOCPROV_LOG_KEY.",
      '',
    ].join('\n'),
  );
}
