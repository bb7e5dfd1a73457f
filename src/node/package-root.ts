import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// dist/node/*.js and src/node/*.ts both sit two folders below the package root.
export const PACKAGE_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(`${PACKAGE_ROOT}package.json`, 'utf8')) as {
    version: string;
  };
  return pkg.version;
}
