import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';

// Go's own sumdb/note and sumdb/tlog as the judge of docprov's log (test/tlog/checker.go), built
// into a temporary folder with Debian's Go and golang.org/x/mod (no module download).

const XMOD = '/usr/share/gocode/src/golang.org/x/mod/sumdb/tlog';
let built: string | undefined;

export function goChecker(): string {
  if (built) return built;
  if (spawnSync('go', ['version']).status !== 0 || !existsSync(XMOD))
    throw new Error(
      "Go's checker needs golang-go and golang-golang-x-mod-dev (apt-get install golang-go golang-golang-x-mod-dev; .ci/run installs them)",
    );
  const dir = mkdtempSync(join(tmpdir(), 'docprov-go-'));
  const out = join(dir, 'checker');
  const r = spawnSync('go', ['build', '-o', out, join(ROOT, 'test', 'tlog', 'checker.go')], {
    env: {
      ...process.env,
      GOPATH: '/usr/share/gocode',
      GO111MODULE: 'off',
      GOCACHE: join(dir, 'cache'),
      GOFLAGS: '',
      HOME: dir,
    },
    encoding: 'utf8',
    timeout: 240_000,
  });
  if (r.status !== 0) throw new Error(`go build of test/tlog/checker.go failed: ${r.stderr}`);
  return (built = out);
}

/** Runs the checker: its exit code and what it printed. */
export function judge(...args: string[]): { code: number; out: string } {
  const r = spawnSync(goChecker(), args, { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status ?? -1, out: r.stdout + r.stderr };
}
