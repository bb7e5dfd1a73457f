import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { readInput } from '../node/files.js';
import { PACKAGE_ROOT } from '../node/package-root.js';

// The published verification page must be the one npm run build makes from these sources.

export const PAGE = 'verify.html';
// A clone rebuilds the page with npm; an installed package ships it as dist/verify.html.
const PAGE_FIX = existsSync(join(PACKAGE_ROOT, 'pipeline', 'regenerate.mjs'))
  ? 'npm run regenerate -- --page-only'
  : `copy ${PACKAGE_ROOT}dist/${'verify.html'} over it`;

/** Why artifacts/verify.html is not current (with the fix), or undefined when it is. */
export function pageProblem(artifacts: string): string | undefined {
  const built = `${PACKAGE_ROOT}dist/${PAGE}`;
  if (!existsSync(built)) return `cannot be compared: ${built} is missing; fix: npm run build`;
  const published = join(artifacts, PAGE);
  if (!existsSync(published)) return `is missing; fix: ${PAGE_FIX}`;
  const a = readInput(published, 64 << 20);
  const b = readInput(built, 64 << 20);
  const same = a.length === b.length && a.every((x, i) => x === b[i]);
  return same
    ? undefined
    : `is stale: it differs from dist/${PAGE}, which the sources build; fix: ${PAGE_FIX}`;
}
