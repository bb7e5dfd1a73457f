import { CostError, digest, finish, toHex } from '../crypto.js';
import { withBudget } from './budget.js';
import { withPending } from './pending.js';
import { cannotCheck, companionKind } from './cannot-check.js';
import type { InputKind } from './policy.js';
import { latin1 } from '../pdf/source.js';
import type { Manifest } from '../manifest/manifest.js';
import { attachedFiles, infoTitle } from '../pdf/attachments.js';
import type { PdfObjects } from '../pdf/objects.js';
import type { ByteSource } from '../pdf/source.js';
import { buildReport } from './build-report.js';
import type { VerifyContext } from './context.js';
import { verifyManifest, type ManifestInput } from './manifest.js';
import { Checks, type Report } from './report.js';
import { isDocumentError, signerInfo, verifyPdf } from './verify-pdf.js';

export interface PdfInput {
  name: string;
  source: ByteSource;
  /** A manifest to check the PDF against (--manifest, or the folder's). */
  manifest?: ManifestInput;
}

const EMBEDDED_LIMIT = 32 << 20;
const dec = new TextDecoder();

export async function digestSource(
  src: ByteSource,
  ctx: VerifyContext,
): Promise<{ sha256: string; sha512: string }> {
  const a = ctx.crypto.createHash('SHA-256');
  const b = ctx.crypto.createHash('SHA-512');
  for await (const chunk of src.chunks(0, src.size)) {
    a.update(chunk);
    b.update(chunk);
  }
  return { sha256: toHex(await finish(a)), sha512: toHex(await finish(b)) };
}

/** The sources a docprov PDF carries, read only once its signatures hold (signed bytes by then). */
async function embeddedSources(
  objects: PdfObjects | undefined,
  size: number,
  manifest: Manifest | undefined,
  ctx: VerifyContext,
  c: Checks,
): Promise<Report['document']> {
  if (c.broken || !objects) {
    c.skip('embedded-sources', 'integrity', 'not-intact', 'not read: the PDF is not intact');
    return undefined;
  }
  if (size > EMBEDDED_LIMIT) {
    c.skip('embedded-sources', 'integrity', 'too-large', 'not read: the PDF is larger than 32 MiB');
    return undefined;
  }
  try {
    const files = await attachedFiles(objects);
    const metaEntry = [...files].find(([n]) => n.endsWith('.metadata.json'));
    if (!metaEntry) {
      c.skip(
        'embedded-sources',
        'integrity',
        'not-docprov',
        'no docprov sources attached: not a docprov document',
      );
      return undefined;
    }
    const meta = JSON.parse(dec.decode(metaEntry[1])) as { id: string; title: string };
    const text = files.get(`${meta.id}.txt`);
    const problems: string[] = [];
    if (!text) problems.push(`${meta.id}.txt is not attached`);
    if ((await infoTitle(objects)) !== meta.title)
      problems.push("the PDF title differs from the attached metadata's title");
    if (manifest) {
      const t = text ? toHex(digest(ctx.crypto, 'SHA-256', text)) : '';
      if (t !== manifest.sources.canonicalText.sha256)
        problems.push("the attached text differs from the manifest's canonical text");
      const listedMeta = manifest.artifacts.find((a) => a.name === metaEntry[0]);
      if (!listedMeta || listedMeta.sha256 !== toHex(digest(ctx.crypto, 'SHA-256', metaEntry[1])))
        problems.push("the attached metadata differs from the manifest's");
      if (manifest.document.id !== meta.id) problems.push('the manifest is for another document');
    }
    c.expect(
      problems.length === 0,
      'embedded-sources',
      'integrity',
      `the attached canonical text and metadata of ${meta.id} are present${manifest ? ' and match the manifest' : ''}`,
      'sources-mismatch',
      problems.join('; '),
    );
    return { id: meta.id, title: meta.title };
  } catch (e) {
    if (!isDocumentError(e) && !(e instanceof SyntaxError)) throw e;
    c.fail(
      'embedded-sources',
      'integrity',
      'unreadable-sources',
      `the attached sources cannot be read: ${e.message}`,
    );
    return undefined;
  }
}

/** A report that says the input was refused for what checking it would cost. */
export function refusedForCost(
  kind: InputKind,
  name: string,
  e: CostError,
  ctx: VerifyContext,
): Report {
  const c = new Checks();
  c.fail('verification-cost', 'integrity', 'too-costly', `refused: ${e.message}`);
  return buildReport(kind, name, c, ctx);
}

/** A file that is not a PDF but one of a docprov folder's other files: cannot check, say which. */
async function notThePdf(source: ByteSource, name: string): Promise<void> {
  if (source.size === 0)
    throw cannotCheck(`${name} is empty (0 bytes): there is nothing to check`, 'download it again');
  const head = await source.read(0, Math.min(source.size, 4096));
  if (latin1(head.subarray(0, 1024)).includes('%PDF-')) return;
  const kind = companionKind(head);
  if (kind === 'manifest')
    throw cannotCheck(
      `${name} is a docprov manifest, not a PDF`,
      'verify the whole folder (docprov verify FOLDER), or a text copy with --text COPY.txt --manifest manifest.json',
    );
  if (kind === 'metadata' || kind === 'provenance')
    throw cannotCheck(
      `${name} is ${kind === 'metadata' ? "a document's metadata (JSON)" : 'the provenance of a build (a DSSE envelope)'}, not a PDF`,
      'verify the whole folder (docprov verify FOLDER): it is checked there against the signed manifest',
    );
  if (kind === 'signature')
    throw cannotCheck(
      `${name} is a detached signature, not a PDF`,
      'verify the folder it belongs to (docprov verify FOLDER): the signature is checked with the file it signs',
    );
  if (kind === 'text')
    throw cannotCheck(
      `${name} is a text file, not a PDF`,
      'to check a copy of the text: docprov verify --text COPY.txt --manifest manifest.json (with manifest.json.p7s and the canonical .txt beside it)',
    );
}

export async function verifyPdfFile(input: PdfInput, ctx: VerifyContext): Promise<Report> {
  ctx = withBudget(ctx);
  await notThePdf(input.source, input.name);
  try {
    return await withPending(ctx, (c) => verifyPdfFileWithin(input, c));
  } catch (e) {
    if (e instanceof CostError)
      return refusedForCost(input.manifest ? 'pdf-with-manifest' : 'pdf', input.name, e, ctx);
    throw e;
  }
}

/** The PDF of a folder: checked as a PDF, its pending state and cost judged by the folder. */
export async function verifyFolderPdf(input: PdfInput, ctx: VerifyContext): Promise<Report> {
  await notThePdf(input.source, input.name);
  return verifyPdfFileWithin(input, ctx);
}

async function verifyPdfFileWithin(input: PdfInput, ctx: VerifyContext): Promise<Report> {
  const { source, name } = input;
  const pdf = await verifyPdf(source, ctx);
  const c = pdf.checks;
  const base = name.split('/').pop()!;
  let manifest: Manifest | undefined;
  if (input.manifest) {
    const mc = new Checks('manifest.json', 'manifest');
    manifest = (await verifyManifest(input.manifest, ctx, mc, pdf.revocation)).manifest;
    c.list.push(...mc.list);
    if (manifest) {
      const listed =
        manifest.artifacts.find((a) => a.name === base) ??
        manifest.artifacts.find((a) => a.mediaType === 'application/pdf');
      const d = await digestSource(source, ctx);
      c.expect(
        !!listed && listed.sha256 === d.sha256 && listed.sha512 === d.sha512,
        'manifest-lists-file',
        'integrity',
        `the manifest lists this file (${listed?.name}) with the same SHA-256 and SHA-512`,
        'not-in-manifest',
        listed
          ? `this file's SHA-256 ${d.sha256} differs from the manifest's ${listed.sha256} for ${listed.name}`
          : 'the manifest lists no PDF',
      );
      if (pdf.signer)
        c.expect(
          pdf.signer.fingerprint === manifest.signer.fingerprint,
          'manifest-signer',
          'integrity',
          'the PDF and the manifest name the same signer',
          'signer-mismatch',
          `the PDF was signed by ${pdf.signer.fingerprint}, the manifest names ${manifest.signer.fingerprint}`,
        );
    }
  }
  const document = await embeddedSources(pdf.objects, source.size, manifest, ctx, c);
  return buildReport(input.manifest ? 'pdf-with-manifest' : 'pdf', name, c, ctx, {
    ...(document ? { document } : manifest ? { document: manifest.document } : {}),
    ...(pdf.signer ? { signer: signerInfo(pdf.signer) } : {}),
    ...(pdf.signingTime
      ? { signingTime: pdf.signingTime.toISOString(), timeProven: !!pdf.timeProven }
      : {}),
    ...(pdf.signatures.length ? { signatures: pdf.signatures } : {}),
  });
}
