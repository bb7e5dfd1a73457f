import { CostError, toHex, type CryptoProvider, type SignatureScheme } from '../crypto.js';
import type { VerifyContext } from './context.js';

// Cost follows work, not size: a 57 KB file can ask for thousands of public-key operations
// (one OCSP response referenced a thousand times, a thousand issuer candidates). Each distinct
// operation is done once and remembered; past a budget per verification, the input is refused.

/** Distinct signature verifications one verification may make (a docprov folder needs ~30). */
export const MAX_PUBLIC_KEY_OPERATIONS = 256;

const BUDGETED = Symbol('budgeted');
type Budgeted = CryptoProvider & { [BUDGETED]: { used: number } };

/** A provider that verifies each distinct (key, scheme, data, signature) once, within a budget. */
export function budgeted(crypto: CryptoProvider, max = MAX_PUBLIC_KEY_OPERATIONS): CryptoProvider {
  if ((crypto as Partial<Budgeted>)[BUDGETED]) return crypto;
  const state = { used: 0 };
  const seen = new Map<string, Promise<boolean>>();
  const key = (spki: Uint8Array, scheme: SignatureScheme, data: Uint8Array, sig: Uint8Array) => {
    const h = crypto.createHash('SHA-256');
    for (const part of [spki, data, sig]) {
      h.update(new TextEncoder().encode(`${part.length}:`));
      h.update(part);
    }
    return `${JSON.stringify(scheme)}:${toHex(h.digest())}`;
  };
  const wrapped: Budgeted = {
    [BUDGETED]: state,
    createHash: (alg) => crypto.createHash(alg),
    verify(spki, scheme, data, signature) {
      const k = key(spki, scheme, data, signature);
      let p = seen.get(k);
      if (!p) {
        if (++state.used > max)
          return Promise.reject(
            new CostError(
              `checking it would take more than ${max} distinct public-key operations (a file built to exhaust verifiers, or far more certificates and revocation data than any signature needs)`,
            ),
          );
        p = crypto.verify(spki, scheme, data, signature);
        seen.set(k, p);
      }
      return p;
    },
  };
  return wrapped;
}

/** The context with its crypto budgeted (once: nested verifications share the budget). */
export const withBudget = (ctx: VerifyContext): VerifyContext =>
  (ctx.crypto as Partial<Budgeted>)[BUDGETED] ? ctx : { ...ctx, crypto: budgeted(ctx.crypto) };
