import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadLogKey } from '../../src/node/log-key.js';
import { ROOT } from './paths.js';
import { laterCrl, pkiDir } from './pki.js';

/** The gitdir of this checkout, so that a copy reads the same history (read-only). */
function gitDir(): string | undefined {
  const dotGit = join(ROOT, '.git');
  if (!existsSync(dotGit)) return undefined;
  if (statSync(dotGit).isDirectory()) return dotGit;
  return /^gitdir: (.+)$/m.exec(readFileSync(dotGit, 'utf8'))?.[1];
}

/** A copy of the project (built code, sources, trust store), to regenerate without touching ours. */
export function projectCopy(trustTestRoot = true): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'docprov-project-')), 'project');
  mkdirSync(dir);
  for (const p of [
    'bin',
    'dist',
    'schemas',
    'trust',
    'pipeline',
    'package.json',
    'package-lock.json',
  ])
    cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  // The provenance names the commit that last changed a document's sources: the copy's git
  // commands read this checkout's history (a .git file naming its gitdir).
  const git = gitDir();
  if (git) writeFileSync(join(dir, '.git'), `gitdir: ${git}\n`);
  // "Add a root" as trust/README.md says: the test root joins the shipped store of this copy,
  // and the test log key is pinned for the copy's log.
  if (trustTestRoot) {
    cpSync(join(pkiDir(), 'root.pem'), join(dir, 'trust', 'roots', 'docprov-test-root.pem'));
    // Its CRL too (trust/revocation/), one issued after every time the suite proves.
    cpSync(laterCrl(), join(dir, 'trust', 'revocation', 'docprov-test-root.crl.pem'));
    const origin = JSON.parse(readFileSync(join(dir, 'pipeline', 'release.json'), 'utf8')).log
      .origin;
    writeFileSync(
      join(dir, 'trust', 'logs', 'docprov-test-log.vkey'),
      loadLogKey(origin, { DOCPROV_LOG_KEY: join(pkiDir(), 'log.key') }).vkey + '\n',
    );
  }
  return dir;
}
