import { readdirSync, statSync } from 'node:fs';
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
