import { cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.js';
import { laterCrl, pkiDir } from './pki.js';

/** A copy of the project (built code, sources, trust store), to regenerate without touching ours. */
export function projectCopy(trustTestRoot = true): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'docprov-project-')), 'project');
  mkdirSync(dir);
  for (const p of ['bin', 'dist', 'schemas', 'trust', 'pipeline', 'package.json'])
    cpSync(join(ROOT, p), join(dir, p), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'));
  // "Add a root" as trust/README.md says: the test root joins the shipped store of this copy.
  // Its CRL too (trust/revocation/), one issued after every time the suite proves.
  if (trustTestRoot) {
    cpSync(join(pkiDir(), 'root.pem'), join(dir, 'trust', 'roots', 'docprov-test-root.pem'));
    cpSync(laterCrl(), join(dir, 'trust', 'revocation', 'docprov-test-root.crl.pem'));
  }
  return dir;
}
