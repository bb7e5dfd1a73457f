import { randomBytes } from 'node:crypto';
import type { Timestamper } from '../core/cms/build.js';
import { toHex, type CryptoProvider } from '../core/crypto.js';
import { DocprovError } from '../core/errors.js';
import { tsaUsageProblem } from '../core/pki/chain.js';
import { parseTimeStampResponse, timeStampRequest } from '../core/tsp/request.js';
import { checkTimestampToken } from '../core/tsp/token.js';

// The RFC 3161 client: DOCPROV_TSA_URL names one or more time-stamping authorities, tried in
// order. Every answer is checked before it is used; any failure is a clear error, and the build
// writes nothing.

const TIMEOUT_MS = 15_000;
/** Room reserved for a token: a TSA certificate or two, a signature, a TSTInfo. */
export const TOKEN_RESERVE = 16 << 10;

export function tsaUrls(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.DOCPROV_TSA_URL ?? '').split(/[\s,]+/u).filter((u) => u !== '');
}

const tsaError = (message: string, hint: string) =>
  new DocprovError('tsa-failed', message, { severity: 'unusable', hint });

/** One request to one TSA; throws a sentence saying what was wrong. */
async function ask(
  url: string,
  imprint: Uint8Array,
  crypto: CryptoProvider,
  now: () => Date,
): Promise<Uint8Array> {
  const nonce = new Uint8Array(randomBytes(8));
  nonce[0]! &= 0x7f; // a positive INTEGER, minimal: no leading zero octet needed
  if (nonce[0] === 0) nonce[0] = 1;
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/timestamp-query' },
      body: Buffer.from(timeStampRequest(imprint, nonce)),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (e) {
    // The network's reason (ECONNREFUSED, ENOTFOUND, a bad URL), never an internal type name.
    const c = (e as { cause?: { code?: string; message?: string } }).cause;
    const cause =
      (e as Error).name === 'TimeoutError'
        ? 'TimeoutError'
        : (c?.code ?? c?.message ?? (e as Error).message);
    throw new Error(
      cause === 'TimeoutError'
        ? `no answer within ${TIMEOUT_MS / 1000} s`
        : `unreachable (${cause})`,
    );
  }
  if (!res.ok) throw new Error(`HTTP ${res.status} ${res.statusText}`);
  const body = new Uint8Array(await res.arrayBuffer());
  let resp;
  try {
    resp = parseTimeStampResponse(body);
  } catch (e) {
    throw new Error(`the answer is not an RFC 3161 TimeStampResp (${(e as Error).message})`);
  }
  if (resp.status > 1 || !resp.token)
    throw new Error(
      `it refused: status ${resp.status}${resp.statusText ? ` "${resp.statusText}"` : ''}${resp.failInfo.length ? ` (${resp.failInfo.join(', ')})` : ''}`,
    );
  let f;
  try {
    f = await checkTimestampToken(resp.token, crypto, {
      digestOf: (alg) => (alg === 'SHA-256' ? imprint : new Uint8Array(0)),
    });
  } catch (e) {
    throw new Error(`its token cannot be read (${(e as Error).message})`);
  }
  if (f.tst.nonce !== toHex(nonce))
    throw new Error(
      'its token carries another nonce than the request (a replayed or foreign answer)',
    );
  if (!f.ok) throw new Error(`its token does not hold: ${f.problems.join('; ')}`);
  const tsa = f.signer.signer!;
  const usage = tsaUsageProblem(tsa);
  if (usage) throw new Error(`its certificate may not time-stamp: ${usage}`);
  const t = now();
  if (t < tsa.notBefore || t > tsa.notAfter)
    throw new Error(
      `its certificate "${tsa.subject}" is not valid now (${tsa.notBefore.toISOString()} to ${tsa.notAfter.toISOString()})`,
    );
  if (Math.abs(f.tst.genTime.getTime() - t.getTime()) > 10 * 60_000)
    throw new Error(
      `its time ${f.tst.genTime.toISOString()} is more than 10 minutes from this machine's clock`,
    );
  return resp.token;
}

/** A timestamper over the given TSAs; `reuse` holds tokens already published, by imprint. */
export function httpTimestamper(
  urls: string[],
  crypto: CryptoProvider,
  reuse: Map<string, Uint8Array> = new Map(),
  now: () => Date = () => new Date(),
): Timestamper {
  return {
    reserve: TOKEN_RESERVE,
    async timestamp(imprint) {
      const known = reuse.get(toHex(imprint));
      if (known) return known;
      if (urls.length === 0)
        throw tsaError(
          'a timestamp is needed and no time-stamping authority is configured',
          'set DOCPROV_TSA_URL to an RFC 3161 service (node pipeline/tsa-server.mjs runs one for the demo publisher)',
        );
      const failures: string[] = [];
      for (const url of urls) {
        try {
          return await ask(url, imprint, crypto, now);
        } catch (e) {
          failures.push(`${url}: ${(e as Error).message}`);
        }
      }
      throw tsaError(
        `no time-stamping authority gave a usable timestamp: ${failures.join('; ')}`,
        'check DOCPROV_TSA_URL and that the service is up; nothing was written',
      );
    },
  };
}
