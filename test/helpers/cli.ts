import { spawn, spawnSync } from 'node:child_process';
import { ROOT } from './paths.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * An ordinary user's ids when the suite runs as root (as in a container), where permissions
 * would not stop a write: a read-only folder is read-only only for someone else.
 */
export const UNPRIVILEGED =
  process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : ({} as { uid?: number; gid?: number });

let unprivilegedWhy: string | undefined | null = null;
/**
 * Why the CLI cannot run as that other user here, or undefined when it can: a clone under /root
 * or a private temporary folder is not readable by anyone else. Tests that need the other user
 * then say by name why they did not run, instead of failing for a reason that is not theirs.
 */
export function unprivilegedProblem(): string | undefined {
  if (unprivilegedWhy !== null) return unprivilegedWhy;
  if (UNPRIVILEGED.uid === undefined) return (unprivilegedWhy = undefined);
  const probe = spawnSync(
    process.execPath,
    [`${ROOT}bin/docprov.cjs`, 'normalise', `${ROOT}pipeline/sources/khalaf-2017-03-17/source.txt`],
    { encoding: 'utf8', timeout: 60_000, ...UNPRIVILEGED },
  );
  unprivilegedWhy =
    probe.status === 0
      ? undefined
      : `docprov in ${ROOT} cannot run as uid ${UNPRIVILEGED.uid} (a folder above it is not readable by other users: ${(probe.stderr || String(probe.error ?? '')).split('\n')[0]}); clone it where every user may read (e.g. under /tmp or /srv) to run it`;
  return unprivilegedWhy;
}

/** Runs the built CLI as a separate process, as a user would. */
export function docprov(
  args: string[],
  opts: {
    cwd?: string;
    input?: string | Uint8Array;
    env?: NodeJS.ProcessEnv;
    unprivileged?: boolean;
  } = {},
): Run {
  const r = spawnSync(process.execPath, [`${ROOT}bin/docprov.cjs`, ...args], {
    cwd: opts.cwd ?? ROOT,
    input: opts.input,
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    encoding: 'utf8',
    timeout: 120_000,
    ...(opts.unprivileged ? UNPRIVILEGED : {}),
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** A stack trace in user-facing output is a bug. */
export function hasStackTrace(text: string): boolean {
  return /\n\s+at .+\(.+:\d+:\d+\)/.test(text) || /^\s+at /m.test(text);
}

/** The CLI run without blocking this process: for tests that serve it (a TSA) from here. */
export function docprovAsync(
  args: string[],
  opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {},
): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [`${ROOT}bin/docprov.cjs`, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...opts.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
