// Inputs that are not regular files: a FIFO nobody writes to (opening it blocks forever) and
// /dev/zero (reading it never ends), in every place verify takes a path. Each must be refused
// before it is opened (exit 2); `-` is the one way to read a pipe, and it has a size cap.
import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../helpers/paths.js';
import type { HostileCase, Made } from './case.js';

const PUBLISHED = join(ROOT, 'artifacts', 'khalaf-2017-03-17');
const PDF = join(PUBLISHED, 'khalaf-2017-03-17.pdf');
const MANIFEST = join(PUBLISHED, 'manifest.json');

function fifo(dir: string): string {
  const path = join(dir, 'fifo');
  if (!existsSync(path)) execFileSync('mkfifo', [path]);
  return path;
}

type Place = (path: string) => string[];
const PLACES: [string, Place][] = [
  ['as-file', (p) => [p]],
  ['as-text', (p) => ['--text', p, '--manifest', MANIFEST]],
  ['as-manifest', (p) => [PDF, '--manifest', p]],
  ['as-trust', (p) => [PDF, '--trust', p]],
];

export function specialCases(): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const [kind, path] of [
    ['fifo', fifo],
    ['dev-zero', () => '/dev/zero'],
  ] as [string, (dir: string) => string][])
    for (const [where, args] of PLACES)
      cases.push({
        name: `${kind}-${where}`,
        why: `${kind === 'fifo' ? 'a FIFO with no writer' : '/dev/zero'} given ${where.replace('as-', 'as ')}`,
        expect: 'could-not-run',
        make: (dir): Made => {
          const p = path(dir);
          return { file: p, args: args(p) };
        },
      });
  // Text copies of one long line: 80 KB is compared word by word (linear, columns and all);
  // 250 KB, far larger than the 4 KB text, is refused before any word is read.
  for (const kb of [80, 250])
    cases.push({
      name: `text-one-line-${kb}k`,
      why: `a text copy of one ${kb} KB line`,
      expect: 'invalid',
      make: (dir): Made => {
        const file = join(dir, `one-line-${kb}k.txt`);
        const word = 'résolution ';
        writeFileSync(file, word.repeat(Math.ceil((kb * 1024) / Buffer.byteLength(word))));
        return { file, args: ['--text', file, '--manifest', MANIFEST] };
      },
    });
  cases.push({
    name: 'stdin-dev-zero',
    why: '"verify -" reading an endless standard input (/dev/zero): the size cap must stop it',
    expect: 'could-not-run',
    make: () => ({ file: '-', args: ['-'], stdin: '/dev/zero' }),
  });
  return cases;
}
