import type { ValidateFunction } from 'ajv';
import { CostError, digest, toHex } from '../crypto.js';
import type { Manifest } from '../manifest/manifest.js';
import { parseJsonWithPositions } from '../metadata/json-source.js';
import type { ByteSource } from '../pdf/source.js';
import { buildReport } from './build-report.js';
import type { VerifyContext } from './context.js';
import { digestSource, refusedForCost, verifyFolderPdf } from './pdf-file.js';
import { LOG_PROOF_FILE, logInclusionCheck } from './log-inclusion.js';
import { manifestSigner, provenanceCheck } from './provenance.js';
import { PROVENANCE_FILE } from '../provenance/statement.js';
import { Checks, type LogPosition, type ProvenanceSummary, type Report } from './report.js';
import { verifyDetached } from './signed-file.js';
import { withBudget } from './budget.js';
import { withPending } from './pending.js';
import { cannotCheck } from './cannot-check.js';
import { isFileManagerFile } from './file-managers.js';

export interface FolderInput {
  name: string;
  /** The folder's small files by name (everything but the PDF). */
  files: Map<string, Uint8Array>;
  pdf?: { name: string; source: ByteSource };
  schema: ValidateFunction;
  /**
   * Entries that are not regular files, by name, said in words ("a FIFO", "a symbolic link to
   * nothing"): each is a failing check of its own, never an abort of the whole check.
   */
  odd?: Map<string, string>;
  /** Sub-folders that hold a manifest.json: the folder given is above the document folders. */
  documentFolders?: string[];
}

const dec = new TextDecoder();

/** Files every artifact folder has besides what the manifest lists (the log proof comes after it). */
const FOLDER_FILES = new Set([
  LOG_PROOF_FILE,
  'manifest.json',
  'manifest.json.p7s',
  'SHA256SUMS',
  'SHA256SUMS.p7s',
]);

/** SHA256SUMS and its signature, for people without docprov: they must agree with the files too. */
async function sha256sums(
  input: FolderInput,
  manifest: Manifest,
  pdfSha: () => Promise<string>,
  ctx: VerifyContext,
  c: Checks,
): Promise<void> {
  const sums = input.files.get('SHA256SUMS')!;
  const sig = input.files.get('SHA256SUMS.p7s')!;
  const sc = new Checks('SHA256SUMS', 'folder');
  const signer = await verifyDetached('SHA256SUMS', sums, sig, ctx, new Checks(), 'sha256sums');
  const wrong: string[] = [];
  for (const line of dec
    .decode(sums)
    .split('\n')
    .filter((l) => l !== '')) {
    const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
    if (!m) wrong.push(`unreadable line "${line.slice(0, 40)}"`);
    else {
      const bytes = input.files.get(m[2]!);
      const actual =
        m[2] === input.pdf?.name
          ? await pdfSha()
          : bytes
            ? toHex(digest(ctx.crypto, 'SHA-256', bytes))
            : undefined;
      if (actual !== m[1]) wrong.push(`${m[2]} ${actual ? 'differs' : 'is missing'}`);
    }
  }
  const sigOk = !!signer && signer.fingerprint === manifest.signer?.fingerprint;
  sc.expect(
    sigOk && wrong.length === 0,
    'sha256sums',
    'integrity',
    'SHA256SUMS is signed by the same signer and every line matches its file',
    'sha256sums-mismatch',
    [sigOk ? '' : 'SHA256SUMS.p7s does not verify for this SHA256SUMS and signer', ...wrong]
      .filter(Boolean)
      .join('; '),
  );
  c.list.push(...sc.list);
}

/** What a folder lacks to be checked at all: said as "cannot check", never as a verdict. */
function incomplete(input: FolderInput, manifest: Manifest | undefined): void {
  // Present in some form: a file, the PDF, or an odd entry (which the checks report).
  const has = (n: string) => input.files.has(n) || input.odd?.has(n) || input.pdf?.name === n;
  if (!input.files.has('manifest.json')) {
    const docs = input.documentFolders ?? [];
    if (docs.length)
      throw cannotCheck(
        `${input.name} holds document folders (${docs.slice(0, 3).join(', ')}${docs.length > 3 ? ', ...' : ''}), not one document's files`,
        `give one of them (docprov verify ${input.name.replace(/\/$/, '')}/${docs[0]}), or check them all with docprov check`,
      );
    throw cannotCheck(
      `${input.name} has no manifest.json, so it is not a docprov document folder`,
      input.pdf
        ? `verify the PDF alone: docprov verify ${input.pdf.name}; or give the folder as it was published`
        : 'give the document folder as it was published (its manifest.json, the PDF and their signatures), or a PDF',
    );
  }
  const missing = [
    ...(manifest?.artifacts ?? [])
      .map((a) => a.name)
      .filter((n) => n !== input.pdf?.name && !has(n)),
    ...[...FOLDER_FILES].filter(
      // The log proof is needed where the signed manifest names a log (older folders have none).
      (n) => n !== 'manifest.json' && (n !== LOG_PROOF_FILE || !!manifest?.log) && !has(n),
    ),
  ];
  const listedPdf = manifest?.artifacts.find((a) => a.mediaType === 'application/pdf')?.name;
  if (!input.pdf && !(listedPdf && input.odd?.has(listedPdf)))
    missing.unshift(listedPdf ?? 'the PDF');
  if (missing.length)
    throw cannotCheck(
      `${input.name} is incomplete: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`,
      `download the whole folder again${input.pdf ? `, or verify the PDF alone: docprov verify ${input.name.replace(/\/$/, '')}/${input.pdf.name}` : ''}`,
    );
}

/** A downloaded artifact folder: the manifest, its signatures, SHA256SUMS and every file. */
export async function verifyFolder(input: FolderInput, ctx: VerifyContext): Promise<Report> {
  ctx = withBudget(ctx);
  try {
    return await withPending(ctx, (c) => verifyFolderWithin(input, c));
  } catch (e) {
    if (e instanceof CostError) return refusedForCost('folder', input.name, e, ctx);
    throw e;
  }
}

async function verifyFolderWithin(input: FolderInput, ctx: VerifyContext): Promise<Report> {
  const c = new Checks(undefined, 'folder');
  const manifestBytes = input.files.get('manifest.json');
  let manifest: Manifest | undefined;
  try {
    manifest = manifestBytes
      ? (parseJsonWithPositions(dec.decode(manifestBytes)).value as Manifest)
      : undefined;
  } catch {
    manifest = undefined; // reported by manifest-schema
  }
  incomplete(input, manifest);
  const p7s = input.files.get('manifest.json.p7s')!;
  const pdf = input.pdf;
  const pdfReport = pdf
    ? await verifyFolderPdf(
        {
          name: pdf.name,
          source: pdf.source,
          manifest: { bytes: manifestBytes!, p7s, schema: input.schema },
        },
        ctx,
      )
    : undefined;
  if (pdfReport)
    c.list.push(...pdfReport.checks.map((x) => (x.subject ? x : { ...x, subject: pdf!.name })));
  const listed = new Set(
    (Array.isArray(manifest?.artifacts) ? manifest.artifacts : []).map((a) => a.name),
  );
  const problems: string[] = [];
  for (const a of Array.isArray(manifest?.artifacts) ? manifest.artifacts : []) {
    const odd = input.odd?.get(a.name);
    if (odd) problems.push(`${a.name} is ${odd}, not a file`);
    else if (a.name === pdf?.name) continue;
    else {
      const bytes = input.files.get(a.name)!;
      if (
        toHex(digest(ctx.crypto, 'SHA-256', bytes)) !== a.sha256 ||
        toHex(digest(ctx.crypto, 'SHA-512', bytes)) !== a.sha512
      )
        problems.push(`${a.name} differs from the manifest`);
    }
  }
  c.expect(
    !!manifest && problems.length === 0,
    'artifacts',
    'integrity',
    `all ${listed.size} artifacts listed in the manifest are present and unchanged`,
    'artifact-mismatch',
    manifest ? problems.join('; ') : 'the manifest cannot be read',
  );
  const names = new Set([
    ...input.files.keys(),
    ...(pdf ? [pdf.name] : []),
    ...(input.odd?.keys() ?? []),
  ]);
  const extra = [...names].filter((n) => !listed.has(n) && !FOLDER_FILES.has(n));
  // What a file manager leaves on its own (Finder opening the folder, Windows Explorer): said,
  // not held against the copy, when its name and its content are that file manager's.
  const managers = extra.filter(
    (n) => !input.odd?.has(n) && isFileManagerFile(n, input.files.get(n), listed),
  );
  const unlisted = extra.filter((n) => !managers.includes(n));
  const stray = unlisted.filter((n) => input.odd?.has(n));
  c.expect(
    unlisted.length === 0,
    'unlisted-files',
    'integrity',
    `the folder holds no file beyond those the manifest lists${managers.length ? ` (ignored: ${managers.map((n) => `"${n}"`).join(', ')}, a file manager's own ${managers.length === 1 ? 'file' : 'files'}, not part of the publication)` : ''}`,
    stray.length ? 'stray-entry' : 'unlisted-file',
    `the folder also holds ${unlisted.map((n) => `"${n}"${input.odd?.has(n) ? ` (${input.odd.get(n)})` : ''}`).join(', ')}, which the manifest does not list: not signed by the publisher`,
  );
  let provenance: ProvenanceSummary | undefined;
  let log: LogPosition | undefined;
  if (manifest) {
    // The PDF (possibly large) is read once for the digests both checks need.
    let sha: Promise<string> | undefined;
    const pdfSha = () =>
      (sha ??= pdf ? digestSource(pdf.source, ctx).then((d) => d.sha256) : Promise.resolve(''));
    await sha256sums(input, manifest, pdfSha, ctx, c);
    if (pdf)
      provenance = await provenanceCheck(
        input.files,
        { name: pdf.name, sha256: await pdfSha() },
        manifest,
        manifestSigner(p7s, manifest, ctx),
        ctx,
        c,
      );
    log = logInclusionCheck(input.files, manifest, ctx, c);
  }
  // Provenance and the log are required where the signed manifest declares them.
  const declared = {
    provenance: !!manifest?.artifacts?.some((a) => a.name === PROVENANCE_FILE),
    log: !!manifest?.log,
  };
  return buildReport(
    'folder',
    input.name,
    c,
    ctx,
    {
      ...(provenance ? { provenance } : {}),
      ...(log ? { log } : {}),
      ...(pdfReport?.document ? { document: pdfReport.document } : {}),
      ...(pdfReport?.signer ? { signer: pdfReport.signer } : {}),
      ...(pdfReport?.signingTime
        ? { signingTime: pdfReport.signingTime, timeProven: !!pdfReport.timeProven }
        : {}),
      ...(pdfReport?.signatures ? { signatures: pdfReport.signatures } : {}),
    },
    declared,
  );
}
