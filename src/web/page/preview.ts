import { getDocument, GlobalWorkerOptions, PDFDataRangeTransport } from 'pdfjs-dist';
import { byId, el } from './dom.js';
import { workerUrl } from './worker-url.js';
import { revisionNote, type SignedRevision } from './signed-revision.js';

// Renders the signed revision's pages with pdf.js, whose worker comes from this page's own text
// (a data: URL): nothing is fetched. Only the signed bytes are given to it, and only the ranges
// it asks for are read (Blob.slice), so a 200 MB file is never held whole to show one page.

const MAX_PAGES = 12;
const FIRST = 64 << 10;

/** pdf.js's range loading, over the signed bytes of the chosen file. */
class BlobRanges extends PDFDataRangeTransport {
  constructor(
    private readonly blob: Blob,
    first: Uint8Array,
  ) {
    super(blob.size, first);
  }
  override requestDataRange(begin: number, end: number): void {
    void this.blob
      .slice(begin, end)
      .arrayBuffer()
      // A read that fails leaves the pages unshown; the verdict does not depend on them.
      .then(
        (b) => this.onDataRange(begin, new Uint8Array(b)),
        () => undefined,
      );
  }
}

let port: Worker | undefined;
function pdfWorker(): Worker {
  if (!port) {
    port = new Worker(workerUrl('pdf-worker'), { type: 'module', name: 'pdf.js' });
    GlobalWorkerOptions.workerPort = port;
  }
  return port;
}

async function renderPages(signed: Blob, into: HTMLElement, isCurrent: () => boolean) {
  pdfWorker();
  const first = new Uint8Array(await signed.slice(0, FIRST).arrayBuffer());
  const task = getDocument({
    range: new BlobRanges(signed, first),
    isEvalSupported: false,
    useWorkerFetch: false,
    disableAutoFetch: true,
    enableXfa: false,
    verbosity: 0,
  });
  const doc = await task.promise;
  try {
    const count = Math.min(doc.numPages, MAX_PAGES);
    for (let n = 1; n <= count && isCurrent(); n++) {
      const page = await doc.getPage(n);
      const scale = Math.min(2, Math.max(1, globalThis.devicePixelRatio || 1)) * 1.5;
      const viewport = page.getViewport({ scale });
      const canvas = el('canvas', {
        role: 'img',
        'aria-label': `Page ${n} of ${doc.numPages}, as signed`,
        class: 'page',
      });
      canvas.width = Math.ceil(viewport.width);
      canvas.height = Math.ceil(viewport.height);
      into.append(canvas);
      await page.render({ canvas, canvasContext: canvas.getContext('2d')!, viewport }).promise;
    }
    if (doc.numPages > count)
      into.append(el('p', {}, `and ${doc.numPages - count} more page(s), not shown here`));
  } finally {
    await task.destroy();
  }
}

/** Shows the signed revision of `file` beside the verdict; says why when it cannot. */
export async function showSignedRevision(
  file: Blob,
  rev: SignedRevision | undefined,
  isCurrent: () => boolean,
): Promise<void> {
  const box = byId('preview');
  const pages = byId('pages');
  const note = byId('preview-note');
  pages.replaceChildren();
  box.hidden = !rev;
  if (!rev) return;
  note.textContent = revisionNote(rev);
  box.setAttribute('aria-busy', 'true');
  try {
    if (isCurrent()) await renderPages(file.slice(0, rev.end), pages, isCurrent);
  } catch (e) {
    if (isCurrent())
      pages.append(
        el('p', {}, `The pages cannot be shown: ${e instanceof Error ? e.message : String(e)}`),
      );
  } finally {
    box.removeAttribute('aria-busy');
  }
}
