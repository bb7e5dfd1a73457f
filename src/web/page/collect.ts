import type { NamedFile } from '../protocol.js';

// The files a reader chose or dropped, dropped folders included, named as the CLI sees them in
// a folder: by base name. The folder's own name labels the report.

export interface Chosen {
  files: NamedFile[];
  label: string;
}

const label = (files: File[], folder?: string) =>
  folder ?? (files.length === 1 ? files[0]!.name : `${files.length} chosen files`);

export function fromList(list: FileList | File[]): Chosen {
  const files = Array.from(list);
  const folder = files[0]?.webkitRelativePath.split('/')[0] || undefined;
  return { files: files.map((file) => ({ name: file.name, file })), label: label(files, folder) };
}

function readEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const all: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    // readEntries answers in batches until it answers with none.
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) resolve(all);
        else {
          all.push(...batch);
          next();
        }
      }, reject);
    next();
  });
}

const fileOf = (entry: FileSystemFileEntry) =>
  new Promise<File>((resolve, reject) => entry.file(resolve, reject));

/** What was dropped: files, or the files directly inside a dropped folder (as the CLI reads one). */
export async function fromDrop(data: DataTransfer): Promise<Chosen> {
  const entries = Array.from(data.items)
    .map((i) => i.webkitGetAsEntry())
    .filter((e) => e !== null);
  const dir = entries.length === 1 && entries[0]!.isDirectory ? entries[0] : undefined;
  if (!dir) return fromList(data.files);
  const inside = await readEntries(dir as FileSystemDirectoryEntry);
  const files = await Promise.all(
    inside.filter((e) => e.isFile).map((e) => fileOf(e as FileSystemFileEntry)),
  );
  files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { files: files.map((file) => ({ name: file.name, file })), label: label(files, dir.name) };
}
