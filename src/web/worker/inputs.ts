import type { NamedFile } from '../protocol.js';

// Which files the reader gave, sorted into what each verification needs, as the CLI sorts a
// folder: the PDF the manifest lists (else the first .pdf), and every other file by name.

/** Small files are read whole; a larger one is listed empty, so the folder check names it. */
const SMALL = 64 << 20;

const dec = new TextDecoder();

export const isPdfName = (name: string): boolean => name.toLowerCase().endsWith('.pdf');

export async function readSmall(files: NamedFile[]): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for (const f of files)
    out.set(
      f.name,
      f.file.size <= SMALL ? new Uint8Array(await f.file.arrayBuffer()) : new Uint8Array(0),
    );
  return out;
}

function manifestField<T>(bytes: Uint8Array | undefined, pick: (m: unknown) => T): T | undefined {
  try {
    return pick(JSON.parse(dec.decode(bytes)));
  } catch {
    return undefined;
  }
}

/** The PDF of a folder: the one the manifest lists, else the first by name. */
export function folderPdf(files: NamedFile[], manifest: Uint8Array | undefined): number {
  const listed = manifestField(
    manifest,
    (m) =>
      (m as { artifacts?: { name?: string; mediaType?: string }[] }).artifacts?.find(
        (a) => a.mediaType === 'application/pdf',
      )?.name,
  );
  const byName = [...files.keys()].sort((a, b) =>
    files[a]!.name < files[b]!.name ? -1 : files[a]!.name > files[b]!.name ? 1 : 0,
  );
  const named = byName.find((i) => files[i]!.name === listed);
  return named ?? byName.find((i) => isPdfName(files[i]!.name)) ?? -1;
}

/** The canonical text beside a manifest: <document id>.txt, as the CLI reads it. */
export function canonicalName(manifest: Uint8Array): string | undefined {
  const id = manifestField(manifest, (m) => (m as { document?: { id?: string } }).document?.id);
  return id && /^[a-z0-9-]+$/.test(id) ? `${id}.txt` : undefined;
}
