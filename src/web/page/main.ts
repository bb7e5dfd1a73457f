import type { Report } from '../../core/verify/report.js';
import type { NamedFile, WorkerMessage } from '../protocol.js';
import { fromDrop, fromList, type Chosen } from './collect.js';
import { byId, el } from './dom.js';
import { downloadReport } from './download.js';
import { showSignedRevision } from './preview.js';
import { checksBlock, factsBlock, verdictBlock } from './render-result.js';
import { signedRevision } from './signed-revision.js';
import { prepare, verify } from './verifier.js';

// The page: choose or drop files, or paste a text; the check runs in a worker; the verdict comes
// first, the signed pages beside it, then every check.

const files = byId<HTMLInputElement>('files');
const text = byId<HTMLTextAreaElement>('text');
const pin = byId<HTMLInputElement>('pin');
const progress = byId<HTMLProgressElement>('progress');
const status = byId('status');
const result = byId('result');
const verdict = byId('verdict');
const details = byId('details');

let chosen: Chosen = { files: [], label: '' };
const roots: NamedFile[] = [];
/** Each check's number: a result that arrives after a newer check began is dropped. */
let generation = 0;
// A fixed clock for tests and for checking as of a past date: ?now=ISO-8601, shown on the page.
const now = new URLSearchParams(location.search).get('now') ?? undefined;

byId('builtin-roots').textContent = DOCPROV_TRUST_ROOTS.map((r) => r.name).join(', ');
prepare();

function clear(message: string) {
  generation++;
  verdict.replaceChildren();
  details.replaceChildren();
  byId('preview').hidden = true;
  result.hidden = true;
  progress.hidden = true;
  status.textContent = message;
}

const isTextFile = (n: string) => /^manifest\.json(\.p7s)?$/.test(n) || n.endsWith('.txt');

function check() {
  const pasted = text.value.trim() ? text.value : undefined;
  if (chosen.files.length === 0)
    return clear(
      pasted ? 'Now choose the manifest.json of the downloaded folder.' : 'Choose a file first.',
    );
  // Files for a text check alone (no PDF) are not a folder to check: wait for the text.
  if (
    !pasted &&
    chosen.files.every((f) => isTextFile(f.name)) &&
    chosen.files.some((f) => f.name === 'manifest.json')
  )
    return clear(
      'Paste the text to check it against this manifest (with manifest.json.p7s and the .txt beside it), or choose every file of the folder.',
    );
  clear('Checking…');
  const mine = generation;
  const job = {
    files: chosen.files,
    label: chosen.label,
    ...(pasted !== undefined ? { text: pasted } : {}),
    roots,
    ...(pin.value.trim() ? { signerPin: pin.value.trim() } : {}),
    ...(now ? { now } : {}),
  };
  verify(job, (m) => {
    if (mine === generation) void show(m, mine);
  });
}

async function show(m: WorkerMessage, mine: number) {
  if (m.type === 'progress') {
    progress.hidden = false;
    progress.value = m.done / m.total;
    status.textContent = `Reading the file: ${Math.floor((100 * m.done) / m.total)}%`;
    return;
  }
  progress.hidden = true;
  if (m.type === 'error') {
    // The core's sentences speak to the command line: the page says the same without a shell.
    const message = m.message.replace(/^cannot check: /, '');
    status.textContent = `Cannot check: ${message}.${m.hint && !/docprov |npm /.test(m.hint) ? ` ${m.hint[0]!.toUpperCase()}${m.hint.slice(1)}.` : ''}`;
    return;
  }
  status.textContent = now ? `Checked as of ${now}, the time this page’s address sets.` : '';
  render(m.report);
  const pdf = m.pdf !== undefined ? chosen.files[m.pdf]?.file : undefined;
  await showSignedRevision(
    pdf ?? new Blob(),
    pdf ? signedRevision(m.report, pdf.size) : undefined,
    () => mine === generation,
  );
}

function render(r: Report) {
  result.hidden = false;
  verdict.replaceChildren(verdictBlock(r));
  const save = el('button', { type: 'button' }, 'Download the report (JSON)');
  save.addEventListener('click', () => downloadReport(r));
  details.replaceChildren(factsBlock(r), el('p', {}, save), checksBlock(r));
}

function choose(c: Chosen) {
  chosen = c;
  check();
}

files.addEventListener('change', () => choose(fromList(files.files ?? [])));
byId('check').addEventListener('click', check);
let typing: ReturnType<typeof setTimeout> | undefined;
text.addEventListener('input', () => {
  // The shown verdict is for other input now: gone at once; the new check after a pause.
  clear('');
  clearTimeout(typing);
  typing = setTimeout(() => chosen.files.length && check(), 400);
});
pin.addEventListener('change', () => chosen.files.length && check());

byId('add-root').addEventListener('click', () => {
  // Not in the document: the page's one file input stays the one for what to check.
  const input = el('input', { type: 'file', accept: '.pem,.crt,.cer,application/x-pem-file' });
  input.addEventListener('change', () => {
    for (const file of Array.from(input.files ?? [])) roots.push({ name: file.name, file });
    byId('added-roots').textContent = `Also trusted: ${roots.map((r) => r.name).join(', ')}`;
    if (chosen.files.length) check();
  });
  input.click();
});

document.addEventListener('dragover', (e) => {
  e.preventDefault();
  byId('drop').classList.add('over');
});
document.addEventListener('dragleave', () => byId('drop').classList.remove('over'));
document.addEventListener('drop', (e) => {
  e.preventDefault();
  byId('drop').classList.remove('over');
  if (e.dataTransfer) void fromDrop(e.dataTransfer).then(choose);
});
