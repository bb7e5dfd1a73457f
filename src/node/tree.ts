import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { isFileManagerFile } from '../core/verify/file-managers.js';
import { join } from 'node:path';

// Folders of folders: the sources of many documents, and the published folders of many.
// Hidden entries (".NAME.lock", ".NAME.inputs", a publish in progress) are never documents.

function subfolders(dir: string, holding: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const holds = (n: string) => {
    try {
      return statSync(join(dir, n, holding)).isFile();
    } catch {
      return false; // no such file, or n is a file itself (ledger.jsonl)
    }
  };
  return names.filter((n) => !n.startsWith('.') && holds(n)).sort();
}

/** The names of the source folders in `dir`: those holding a source.txt. */
export function sourceFolders(dir: string): string[] {
  return subfolders(dir, 'source.txt');
}

/** The names of the document folders in `dir`: those holding a manifest.json. */
export function documentFolders(dir: string): string[] {
  return subfolders(dir, 'manifest.json');
}

/** docprov's own bookkeeping beside published folders: locks, input records, a publish in progress. */
export const isBookkeeping = (name: string) => BOOKKEEPING.test(name);
const BOOKKEEPING = /^\.(.+)\.(?:lock(?:-\d+-.+)?|inputs|new|old|tmp-[A-Za-z0-9]{6}(?:\.old)?)$/;

/**
 * What a tree of document folders holds besides them and docprov's own (its bookkeeping, the
 * transparency log `log/`, the queue's `ledger.jsonl`, what a file manager writes): each is
 * something a reader may take for a document, so verify names it rather than pass over it.
 */
export function otherEntries(dir: string): string[] {
  const names = readdirSync(dir);
  const docs = new Set(documentFolders(dir));
  const small = (n: string) => {
    try {
      return statSync(join(dir, n)).size <= 65_536
        ? new Uint8Array(readFileSync(join(dir, n)))
        : undefined;
    } catch {
      return undefined;
    }
  };
  return names
    .filter(
      (n) =>
        !docs.has(n) &&
        !BOOKKEEPING.test(n) &&
        n !== 'ledger.jsonl' &&
        !(n === 'log' && existsSync(join(dir, n, 'checkpoint'))) &&
        !isFileManagerFile(n, small(n), new Set(names)),
    )
    .sort();
}
