import { spawnSync } from 'node:child_process';

export interface ToolRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs an independent judge (a Debian tool). Its exit code alone proves little: parse output. */
export function judge(cmd: string, args: string[], input?: Uint8Array): ToolRun {
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    input,
    maxBuffer: 64 * 1024 * 1024,
    timeout: 120_000,
  });
  if (r.error)
    throw new Error(
      `${cmd} could not run (is it installed? .ci/run installs it): ${r.error.message}`,
    );
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** mutool prints this for its own build, whatever the file: it says nothing about ours. */
const MUTOOL_ENVIRONMENT = /^warning: ICC support is not available$/;

/** Renders every page with mupdf; returns its warnings and errors (an empty list is a clean render). */
export function mutoolWarnings(pdf: string, outDir: string): string[] {
  const r = judge('mutool', ['draw', '-q', '-r', '50', '-o', `${outDir}/page-%d.png`, pdf]);
  return (r.stdout + r.stderr)
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^page /.test(l) && !MUTOOL_ENVIRONMENT.test(l));
}
