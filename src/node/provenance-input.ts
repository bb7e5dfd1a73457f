import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import type { Problem } from '../core/errors.js';
import { gitBlob, LOCAL_BUILDER, type ProvenanceInput } from '../core/provenance/statement.js';
import { nodeCrypto } from './crypto.js';
import { bodyFont, BODY_FONT } from './fonts.js';
import { harfbuzzWasm } from './harfbuzz.js';
import { PACKAGE_ROOT, packageVersion } from './package-root.js';

// What the provenance says about where a build ran and from what: the sources' folder and the
// commit that last changed them (git, when the folder is in a checkout and its files are as
// committed), the builder (the CI workflow on GitHub Actions, else docprov's local id), and the
// tools and fonts the build read. Nothing here depends on the clock or the machine.

const require = createRequire(import.meta.url);

function git(cwd: string, args: string[]): string | undefined {
  const r = spawnSync('git', ['-C', cwd, ...args], {
    encoding: 'utf8',
    // Read-only: git must not refresh the index (or take its lock) of the repository it reads.
    env: { ...process.env, GIT_OPTIONAL_LOCKS: '0' },
    timeout: 10_000,
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

const posix = (p: string) => p.split(sep).join('/');

/** The version of the package a file resolves into (its package.json may not be exported). */
function packageAt(name: string, file: string): { version: string } {
  let dir = dirname(require.resolve(`${name}/${file}`));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string };
}

/** GitHub Actions names its workflow run; elsewhere the build is a local one. */
export function builderOf(env: NodeJS.ProcessEnv): ProvenanceInput['builder'] {
  if (env.GITHUB_ACTIONS !== 'true' || !env.GITHUB_WORKFLOW_REF) return { id: LOCAL_BUILDER };
  const server = env.GITHUB_SERVER_URL || 'https://github.com';
  return {
    id: `${server}/${env.GITHUB_WORKFLOW_REF}`,
    ...(env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? {
          invocationId: `${server}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}/attempts/${env.GITHUB_RUN_ATTEMPT || '1'}`,
        }
      : {}),
  };
}

/** Where the provenance says the sources come from: their folder, and the commit, if any. */
export interface ProvenanceSource {
  sourcePath: string;
  gitCommit?: string;
}

/** The source folder as the repository names it, and the commit its files are from, if any. */
export function sourceOf(
  dir: string,
  files: Record<string, Uint8Array>,
  warnings: Problem[],
): ProvenanceSource {
  const top = git(dir, ['rev-parse', '--show-toplevel']);
  const abs = realpathSync(resolve(dir));
  if (!top) {
    const rel = relative(process.cwd(), abs);
    return {
      sourcePath: posix(rel === '' ? '.' : rel.startsWith('..') || isAbsolute(rel) ? abs : rel),
    };
  }
  const sourcePath = posix(relative(realpathSync(top), abs)) || '.';
  // The commit that last changed the folder: stable across later commits (unlike HEAD), so a
  // regeneration of unchanged sources writes the same provenance.
  const commit = git(top, ['log', '-1', '--format=%H', '--', sourcePath]);
  if (!commit) return { sourcePath };
  const changed = Object.entries(files).filter(
    ([name, bytes]) =>
      git(top, ['rev-parse', `${commit}:${sourcePath}/${name}`]) !== gitBlob(nodeCrypto, bytes),
  );
  if (changed.length === 0) return { sourcePath, gitCommit: commit };
  warnings.push({
    code: 'uncommitted-sources',
    message: `${changed.map(([n]) => `${sourcePath}/${n}`).join(' and ')} differ from commit ${commit.slice(0, 12)}: the provenance names no commit, only the files' digests`,
    hint: 'commit the sources before a release, so that the provenance names the commit they come from',
  });
  return { sourcePath };
}

/**
 * `source` is the sources' folder, or where they came from as their folder's machine said it (a
 * queue job's sources are read where the job was added, and built elsewhere).
 */
export function provenanceInput(
  source: string | ProvenanceSource,
  files: { 'source.txt': Uint8Array; 'metadata.json': Uint8Array },
  env: NodeJS.ProcessEnv,
  warnings: Problem[],
): ProvenanceInput {
  const hb = harfbuzzWasm();
  const fonts = packageAt('@expo-google-fonts/source-serif-4', BODY_FONT).version;
  const harfbuzz = packageAt('harfbuzzjs', 'dist/harfbuzz.wasm').version;
  const lock = `${PACKAGE_ROOT}package-lock.json`;
  return {
    ...(typeof source === 'string' ? sourceOf(source, files, warnings) : source),
    builder: builderOf(env),
    dependencies: [
      {
        name: BODY_FONT.split('/').pop()!,
        uri: `pkg:npm/%40expo-google-fonts/source-serif-4@${fonts}#${BODY_FONT}`,
        bytes: bodyFont(),
      },
      {
        name: 'harfbuzz.wasm',
        uri: `pkg:npm/harfbuzzjs@${harfbuzz}#dist/harfbuzz.wasm`,
        bytes: hb.shape,
      },
      {
        name: 'harfbuzz-subset.wasm',
        uri: `pkg:npm/harfbuzzjs@${harfbuzz}#dist/harfbuzz-subset.wasm`,
        bytes: hb.subset,
      },
      // The exact versions of every package docprov ran with; absent from an installed package.
      ...(existsSync(lock)
        ? [
            {
              name: 'package-lock.json',
              uri: `pkg:npm/docprov@${packageVersion()}#package-lock.json`,
              bytes: new Uint8Array(readFileSync(lock)),
            },
          ]
        : []),
    ],
  };
}
