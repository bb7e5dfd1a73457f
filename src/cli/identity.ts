import type { SigningIdentity } from '../node/keys.js';
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
