import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// A real Redis (Debian's redis-server) on 127.0.0.1, on a free port, in a folder of its own,
// with an append-only file so that a restart keeps the queue, as a production Redis would.

export interface RedisServer {
  url: string;
  port: number;
  dir: string;
  /** SIGTERM (Redis saves and exits), then waits for it to be gone. */
  stop(): Promise<void>;
  /** Starts it again on the same port and folder. */
  start(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port });
    c.once('error', () => resolve(false));
    c.once('connect', () => c.write('PING\r\n'));
    c.once('data', (d) => {
      c.destroy();
      resolve(d.toString().startsWith('+PONG'));
    });
  });
}

export async function startRedis(): Promise<RedisServer> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'docprov-redis-'));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      'redis-server',
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--appendonly',
        'yes',
        '--appendfsync',
        'always',
        '--save',
        '',
      ],
      // Redis keeps real time: under faketime (the suite's run at 2030) a stopped clock would
      // stop its event loop; the clients' dates are what the test moves, not the server's.
      {
        stdio: 'ignore',
        env: Object.fromEntries(
          Object.entries(process.env).filter(
            ([k]) => k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME'),
          ),
        ),
      },
    );
    let failed: Error | undefined;
    child.once('error', (e) => (failed = e));
    for (let i = 0; i < 200 && !failed; i++) {
      if (await answersPing(port)) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    // One that never answered is not left running behind the failed test.
    child.kill('SIGKILL');
    throw new Error(
      `redis-server did not answer on port ${port}${failed ? `: ${failed.message} (.ci/run installs it)` : ''}`,
    );
  };
  const stop = async () => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      c.once('exit', () => resolve());
      c.kill('SIGTERM');
    });
  };
  await start();
  return { url: `redis://127.0.0.1:${port}`, port, dir, stop, start };
}
