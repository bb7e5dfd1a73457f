// Runs the docprov CLI as a user does (the default launcher), measuring wall time and peak RSS
// with /usr/bin/time, and killing the whole process group if it outlives the deadline.
import { spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.js';

export interface MeasuredRun {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
  /** Peak resident set size in MB; undefined when the run was killed. */
  rssMb: number | undefined;
  killed: boolean;
}

/** Output beyond this is cut: a hostile file must not make the test hold gigabytes. */
const OUTPUT_CAP = 4 << 20;

export async function measuredDocprov(
  args: string[],
  killAfterSeconds: number,
  stdinFile?: string,
): Promise<MeasuredRun> {
  const dir = mkdtempSync(join(tmpdir(), 'docprov-run-'));
  const timeFile = join(dir, 'time');
  const stdin = stdinFile === undefined ? 'ignore' : openSync(stdinFile, 'r');
  const t0 = performance.now();
  // `timeout` signals its whole process group: node dies with /usr/bin/time.
  const child = spawn(
    'timeout',
    ['-s', 'KILL', `${killAfterSeconds}`, '/usr/bin/time', '-f', '%e %M', '-o', timeFile].concat([
      process.execPath,
      join(ROOT, 'bin', 'docprov.cjs'),
      ...args,
    ]),
    { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' }, stdio: [stdin, 'pipe', 'pipe'] },
  );
  if (typeof stdin === 'number') closeSync(stdin);
  const out = { stdout: '', stderr: '' };
  for (const name of ['stdout', 'stderr'] as const)
    child[name]!.on('data', (d: Buffer) => {
      if (out[name].length < OUTPUT_CAP) out[name] += d.toString('utf8');
    });
  const code = await new Promise<number>((resolve) =>
    child.on('close', (c, signal) => resolve(c ?? (signal ? 128 : -1))),
  );
  const seconds = (performance.now() - t0) / 1000;
  let rssMb: number | undefined;
  try {
    // The last line holds "%e %M"; a killed child leaves "Command terminated by signal" lines.
    const last = readFileSync(timeFile, 'utf8').trim().split('\n').pop()!;
    const m = /^([\d.]+) (\d+)$/.exec(last);
    rssMb = m ? Number(m[2]) / 1024 : undefined;
  } catch {
    rssMb = undefined;
  }
  rmSync(dir, { recursive: true, force: true });
  return { code, ...out, seconds, rssMb, killed: rssMb === undefined };
}
