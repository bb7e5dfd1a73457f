import type { ValidateFunction } from 'ajv';
import { digest, toHex } from '../crypto.js';
import type { Manifest } from '../manifest/manifest.js';
import { parseJsonWithPositions } from '../metadata/json-source.js';
import type { ByteSource } from '../pdf/source.js';
import { buildReport } from './build-report.js';
import type { VerifyContext } from './context.js';
import { digestSource, verifyPdfFile } from './pdf-file.js';
import { LOG_PROOF_FILE, logInclusionCheck } from './log-inclusion.js';
import { manifestSigner, provenanceCheck } from './provenance.js';
import { Checks, type LogPosition, type ProvenanceSummary, type Report } from './report.js';
import { verifyDetached } from './signed-file.js';

export interface FolderInput {
  name: string;
  /** The folder's small files by name (everything but the PDF). */
  files: Map<string, Uint8Array>;
  pdf?: { name: string; source: ByteSource };
  schema: ValidateFunction;
}

const dec = new TextDecoder();
/** Files that file managers write into any folder they show. */
const FILE_MANAGER_FILES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini', '.directory']);

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
  const sums = input.files.get('SHA256SUMS');
  const sig = input.files.get('SHA256SUMS.p7s');
  if (!sums || !sig) {
    c.fail(
      'sha256sums',
      'integrity',
      'missing-sha256sums',
      'SHA256SUMS or SHA256SUMS.p7s is missing',
    );
    return;
  }
  const sc = new Checks('SHA256SUMS');
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

/** A downloaded artifact folder: the manifest, its signatures, SHA256SUMS and every file. */
export async function verifyFolder(input: FolderInput, ctx: VerifyContext): Promise<Report> {
  const c = new Checks();
  const manifestBytes = input.files.get('manifest.json');
  if (!manifestBytes || !input.pdf) {
    c.fail(
      'folder',
      'integrity',
      'incomplete-folder',
      `the folder lacks ${!manifestBytes ? 'manifest.json' : 'a PDF'}: not a docprov artifact folder`,
    );
    return buildReport('folder', input.name, c, ctx);
  }
  const p7s = input.files.get('manifest.json.p7s');
  const pdfReport = await verifyPdfFile(
    {
      name: input.pdf.name,
      source: input.pdf.source,
      manifest: { bytes: manifestBytes, ...(p7s ? { p7s } : {}), schema: input.schema },
    },
    ctx,
  );
  c.list.push(...pdfReport.checks.map((x) => (x.subject ? x : { ...x, subject: input.pdf!.name })));
  let manifest: Manifest | undefined;
  try {
    manifest = parseJsonWithPositions(dec.decode(manifestBytes)).value as Manifest;
  } catch {
    manifest = undefined; // reported by manifest-schema
  }
  const listed = new Set((manifest?.artifacts ?? []).map((a) => a.name));
  const problems: string[] = [];
  for (const a of manifest?.artifacts ?? []) {
    if (a.name === input.pdf.name) continue;
    const bytes = input.files.get(a.name);
    if (!bytes) problems.push(`${a.name} is missing`);
    else if (
      toHex(digest(ctx.crypto, 'SHA-256', bytes)) !== a.sha256 ||
      toHex(digest(ctx.crypto, 'SHA-512', bytes)) !== a.sha512
    )
      problems.push(`${a.name} differs from the manifest`);
  }
  c.expect(
    !!manifest && problems.length === 0,
    'artifacts',
    'integrity',
    `all ${listed.size} artifacts listed in the manifest are present and unchanged`,
    'artifact-mismatch',
    manifest ? problems.join('; ') : 'the manifest cannot be read',
  );
  const extra = [...input.files.keys(), input.pdf.name].filter(
    (n) => !listed.has(n) && !FOLDER_FILES.has(n),
  );
  // What a file manager leaves on its own (Finder opening the folder, Windows Explorer): said,
  // not held against the copy. Only these names; an AppleDouble "._X" only beside a listed X.
  const managers = extra.filter(
    (n) => FILE_MANAGER_FILES.has(n) || (n.startsWith('._') && listed.has(n.slice(2))),
  );
  const unlisted = extra.filter((n) => !managers.includes(n));
  c.expect(
    unlisted.length === 0,
    'unlisted-files',
    'integrity',
    `the folder holds no file beyond those the manifest lists${managers.length ? ` (ignored: ${managers.map((n) => `"${n}"`).join(', ')}, a file manager's own ${managers.length === 1 ? 'file' : 'files'}, not part of the publication)` : ''}`,
    'unlisted-file',
    `the folder also holds ${unlisted.map((n) => `"${n}"`).join(', ')}, which the manifest does not list: not signed by the publisher`,
  );
  let provenance: ProvenanceSummary | undefined;
  let log: LogPosition | undefined;
  if (manifest) {
    // The PDF (possibly large) is read once for the digests both checks need.
    let sha: Promise<string> | undefined;
    const pdfSha = () => (sha ??= digestSource(input.pdf!.source, ctx).then((d) => d.sha256));
    await sha256sums(input, manifest, pdfSha, ctx, c);
    provenance = await provenanceCheck(
      input.files,
      { name: input.pdf.name, sha256: await pdfSha() },
      manifest,
      manifestSigner(p7s, manifest, ctx),
      ctx,
      c,
    );
    log = logInclusionCheck(input.files, manifest, ctx, c);
  }
  return buildReport('folder', input.name, c, ctx, {
    ...(provenance ? { provenance } : {}),
    ...(log ? { log } : {}),
    ...(pdfReport.document ? { document: pdfReport.document } : {}),
    ...(pdfReport.signer ? { signer: pdfReport.signer } : {}),
    ...(pdfReport.signingTime
      ? { signingTime: pdfReport.signingTime, timeProven: !!pdfReport.timeProven }
      : {}),
    ...(pdfReport.signatures ? { signatures: pdfReport.signatures } : {}),
  });
}
