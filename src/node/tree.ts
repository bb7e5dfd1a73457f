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
const BOOKKEEPING = /^\.(.+)\.(?:lock(?:-\d+-.+)?|inputs|new|old|tmp-[A-Za-z0-9]{6}(?:\.old)?)$/;

/**
 * What a tree of document folders holds, docprov's own left out (its bookkeeping, the
 * transparency log `log/`, the queue's `ledger.jsonl`, what a file manager writes): the document
 * folders and everything else a reader may take for a document, which verify names rather than
 * pass over.
 */
export function treeEntries(dir: string): string[] {
  const names = readdirSync(dir);
  const listed = new Set(names);
  const small = (n: string) => {
    try {
      return statSync(join(dir, n)).size <= 65_536
        ? new Uint8Array(readFileSync(join(dir, n)))
        : undefined;
    } catch {
      return undefined; // a folder, or gone
    }
  };
  return names
    .filter(
      (n) =>
        !BOOKKEEPING.test(n) &&
        n !== 'ledger.jsonl' &&
        !(n === 'log' && existsSync(join(dir, n, 'checkpoint'))) &&
        !isFileManagerFile(n, small(n), listed),
    )
    .sort();
}

/** What a tree holds besides its document folders and docprov's own. */
export function otherEntries(dir: string): string[] {
  const docs = new Set(documentFolders(dir));
  return treeEntries(dir).filter((n) => !docs.has(n));
}
