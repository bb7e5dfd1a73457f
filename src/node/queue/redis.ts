import { createRequire } from 'node:module';
import type * as BullMQ from 'bullmq';
import { DocprovError } from '../../core/errors.js';

// The queue's engine: BullMQ on Redis (DOCPROV_REDIS_URL). bullmq is required at run time, only
// by the queue's commands, never bundled: the other commands do not carry it.

const require = createRequire(import.meta.url);

export type Bull = typeof BullMQ;

export function bullmq(): Bull {
  return require('bullmq') as Bull;
}

const URL_HINT =
  'set DOCPROV_REDIS_URL to the Redis every worker shares, e.g. redis://127.0.0.1:6379 (redis-server, Debian)';

/** The Redis the queue lives in, as ioredis options, from DOCPROV_REDIS_URL (redis:// or rediss://). */
export function redisOptions(env: NodeJS.ProcessEnv = process.env): {
  url: string;
  options: BullMQ.RedisOptions;
} {
  const url = env.DOCPROV_REDIS_URL;
  if (!url)
    throw new DocprovError('no-redis', 'the queue needs Redis, and DOCPROV_REDIS_URL is not set', {
      severity: 'unusable',
      hint: URL_HINT,
    });
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    u = new URL('invalid:');
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:')
    throw new DocprovError('bad-redis-url', `DOCPROV_REDIS_URL "${url}" is not a redis:// URL`, {
      severity: 'unusable',
      hint: URL_HINT,
    });
  const db = u.pathname.replace(/^\//, '');
  // The password never reaches a message: messages name the host and port alone.
  const shown = `redis://${u.hostname}:${u.port || 6379}${db ? `/${db}` : ''}`;
  return {
    url: shown,
    options: {
      host: u.hostname,
      port: Number(u.port || 6379),
      ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
      ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
      ...(db ? { db: Number(db) } : {}),
      ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    },
  };
}

/** A Redis that cannot be reached, said plainly. */
export function unreachable(url: string, e: unknown): DocprovError {
  const why = (e as { code?: string; message?: string }).code ?? (e as Error).message;
  return new DocprovError('redis-unreachable', `cannot reach Redis at ${url}: ${why}`, {
    severity: 'unusable',
    hint: 'start it (redis-server), or point DOCPROV_REDIS_URL at the one the workers share',
    cause: e,
  });
}

/** Connection options for a command that asks once: no offline queue, no reconnecting, 5 s to connect. */
export const askOnce = (options: BullMQ.RedisOptions): BullMQ.RedisOptions => ({
  ...options,
  enableOfflineQueue: false,
  connectTimeout: 5_000,
  retryStrategy: () => null,
});

/** Waits until `queue` has connected, or throws that Redis cannot be reached, plainly. */
export async function whenReady(queue: BullMQ.Queue, url: string): Promise<void> {
  let lost: unknown;
  queue.on('error', (e) => (lost ??= e));
  try {
    await queue.waitUntilReady();
  } catch (e) {
    throw unreachable(url, lost ?? e);
  }
}

/**
 * Throws a plain error unless Redis answers now: a run that starts with no Redis at all is a
 * mistake to say at once (a worker would otherwise wait for a Redis it never had).
 */
export async function reachRedis(
  bull: Bull,
  url: string,
  options: BullMQ.RedisOptions,
): Promise<void> {
  const queue = new bull.Queue('docprov-probe', { connection: askOnce(options) });
  try {
    await whenReady(queue, url);
  } finally {
    await queue.close().catch(() => undefined);
  }
}
