import { get, type PdfValue } from './lexer.js';
import type { PdfObjects } from './objects.js';
import { textString } from './text-string.js';

// The files attached to a PDF (the /EmbeddedFiles name tree), read with the verifier's own
// strict object reader: bounded in count, depth and size, and without pdf-lib.

const MAX_FILES = 64;
const MAX_NODES = 1024;
const MAX_FILE = 32 << 20;

export async function attachedFiles(objects: PdfObjects): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const names = await objects.lookup(await objects.catalog(), 'Names');
  const root = await objects.lookup(names, 'EmbeddedFiles');
  let nodes = 0;
  const walk = async (node: PdfValue | undefined, depth: number): Promise<void> => {
    if (node?.kind !== 'dict' || depth > 16 || ++nodes > MAX_NODES) return;
    const pairs = await objects.lookup(node, 'Names');
    if (pairs?.kind === 'array')
      for (let i = 0; i + 1 < pairs.items.length && files.size < MAX_FILES; i += 2) {
        const spec = await objects.resolve(pairs.items[i + 1]);
        const name = (await objects.lookup(spec, 'UF')) ?? (await objects.lookup(spec, 'F'));
        const ref = get(await objects.lookup(spec, 'EF'), 'F');
        if (name?.kind !== 'string' || ref?.kind !== 'ref') continue;
        const stream = await objects.get(ref.num);
        if (stream?.stream)
          files.set(textString(name.bytes), await objects.streamData(stream, MAX_FILE));
      }
    const kids = await objects.lookup(node, 'Kids');
    if (kids?.kind === 'array')
      for (const k of kids.items) await walk(await objects.resolve(k), depth + 1);
  };
  await walk(root, 0);
  return files;
}

/** The document's title from its /Info dictionary. */
export async function infoTitle(objects: PdfObjects): Promise<string | undefined> {
  const title = await objects.lookup(await objects.resolve(get(objects.trailer, 'Info')), 'Title');
  return title?.kind === 'string' ? textString(title.bytes) : undefined;
}
