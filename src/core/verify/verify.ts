import type { ValidateFunction } from 'ajv';
import { checkCms, parseCms } from '../cms/verify.js';
import { digest, toHex, type CryptoProvider } from '../crypto.js';
import type { Manifest } from '../manifest/manifest.js';
import { parseJsonWithPositions } from '../metadata/json-source.js';
import type { ByteSource } from '../pdf/source.js';
import { comparisonWords, diffWords } from '../text/compare.js';
import { attachedFiles } from './embedded.js';
import { Checks, summaryOf, verdictOf, type Report } from './report.js';
import { trustChecks } from './trust.js';
import { verifyPdf, type VerifyContext } from './verify-pdf.js';

export type { VerifyContext } from './verify-pdf.js';

const EMBEDDED_LIMIT = 32 << 20;
const dec = new TextDecoder();

function report(
  kind: Report['kind'],
  file: string,
  checks: Checks,
  ctx: VerifyContext,
  extra: Partial<Report> = {},
): Report {
  const verdict = verdictOf(checks.list);
  return {
    format: 'docprov-verification/1',
    verdict,
    summary: summaryOf(verdict, checks.list, extra.signer),
    file,
    kind,
    checkedAt: ctx.now.toISOString(),
    ...extra,
    checks: checks.list,
  };
}

async function readAll(src: ByteSource): Promise<Uint8Array> {
  return src.read(0, src.size);
}

async function digestSource(
  src: ByteSource,
  crypto: CryptoProvider,
): Promise<{ sha256: string; sha512: string }> {
  const a = crypto.createHash('SHA-256');
  const b = crypto.createHash('SHA-512');
  for await (const chunk of src.chunks(0, src.size)) {
    a.update(chunk);
    b.update(chunk);
  }
  return { sha256: toHex(a.digest()), sha512: toHex(b.digest()) };
}

/** A signed manifest: its detached signature, its signer's trust, and its schema. */
function verifyManifest(
  bytes: Uint8Array,
  p7s: Uint8Array | undefined,
  schema: ValidateFunction,
  ctx: VerifyContext,
  c: Checks,
): Manifest | undefined {
  let manifest: Manifest | undefined;
  try {
    manifest = parseJsonWithPositions(dec.decode(bytes)).value as Manifest;
  } catch (e) {
    c.fail(
      'manifest-schema',
      'integrity',
      'bad-manifest',
      `manifest.json is not valid JSON: ${(e as Error).message}`,
    );
  }
  if (!p7s)
    c.fail(
      'manifest-signature',
      'integrity',
      'missing-signature',
      'manifest.json.p7s is missing: the manifest is not signed',
    );
  else {
    try {
      const cms = parseCms(p7s, ctx.crypto);
      const alg = cms.digestAlgorithm;
      const f = alg ? checkCms(cms, digest(ctx.crypto, alg, bytes), ctx.crypto) : undefined;
      c.expect(
        !!f?.messageDigestOk && f.signatureOk && f.signingCertificateOk !== false,
        'manifest-signature',
        'integrity',
        `manifest.json.p7s verifies: the manifest is exactly what "${cms.signer?.subject}" signed`,
        'bad-manifest-signature',
        !alg
          ? 'manifest.json.p7s uses a refused digest algorithm'
          : !f?.messageDigestOk
            ? 'manifest.json was changed after it was signed'
            : 'the manifest signature does not verify',
      );
      if (cms.signer)
        trustChecks(
          cms.signer,
          cms.certificates,
          manifest?.buildTime ? new Date(manifest.buildTime) : undefined,
          ctx,
          c,
        );
    } catch (e) {
      c.fail(
        'manifest-signature',
        'integrity',
        'bad-manifest-signature',
        `manifest.json.p7s is not a valid detached CMS signature: ${(e as Error).message}`,
      );
    }
  }
  if (manifest !== undefined) {
    const ok = schema(manifest);
    c.expect(
      ok,
      'manifest-schema',
      'integrity',
      'manifest.json matches schemas/manifest.schema.json',
      'bad-manifest',
      `manifest.json does not match its schema: ${(schema.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ')}`,
    );
    if (!ok) return undefined;
  }
  return manifest;
}

export interface PdfInput {
  name: string;
  source: ByteSource;
  /** A manifest to check the PDF against (--manifest, or the folder's). */
  manifest?: { bytes: Uint8Array; p7s?: Uint8Array; schema: ValidateFunction };
}

export async function verifyPdfFile(input: PdfInput, ctx: VerifyContext): Promise<Report> {
  const { source, name } = input;
  const pdf = await verifyPdf(source, ctx);
  const c = pdf.checks;
  const base = name.split('/').pop()!;
  let manifest: Manifest | undefined;
  if (input.manifest) {
    const mc = new Checks('manifest.json');
    manifest = verifyManifest(
      input.manifest.bytes,
      input.manifest.p7s,
      input.manifest.schema,
      ctx,
      mc,
    );
    c.list.push(...mc.list);
    if (manifest) {
      const listed =
        manifest.artifacts.find((a) => a.name === base) ??
        manifest.artifacts.find((a) => a.mediaType === 'application/pdf');
      const d = await digestSource(source, ctx.crypto);
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
  // The sources inside a docprov PDF, read only once its signature holds.
  let document: Report['document'];
  const intact = !c.list.some((x) => x.status === 'fail' && x.category === 'integrity');
  if (!intact)
    c.skip('embedded-sources', 'integrity', 'not-intact', 'not read: the PDF is not intact');
  else if (source.size > EMBEDDED_LIMIT)
    c.skip('embedded-sources', 'integrity', 'too-large', 'not read: the PDF is larger than 32 MiB');
  else {
    try {
      const { files, title } = await attachedFiles(await readAll(source));
      const metaEntry = [...files].find(([n]) => n.endsWith('.metadata.json'));
      if (!metaEntry)
        c.skip(
          'embedded-sources',
          'integrity',
          'not-docprov',
          'no docprov sources attached: not a docprov document',
        );
      else {
        const meta = JSON.parse(dec.decode(metaEntry[1])) as { id: string; title: string };
        const text = files.get(`${meta.id}.txt`);
        document = { id: meta.id, title: meta.title };
        const problems: string[] = [];
        if (!text) problems.push(`${meta.id}.txt is not attached`);
        if (title !== meta.title)
          problems.push("the PDF title differs from the attached metadata's title");
        if (manifest) {
          const t = text ? toHex(digest(ctx.crypto, 'SHA-256', text)) : '';
          const m = toHex(digest(ctx.crypto, 'SHA-256', metaEntry[1]));
          if (t !== manifest.sources.canonicalText.sha256)
            problems.push("the attached text differs from the manifest's canonical text");
          const listedMeta = manifest.artifacts.find((a) => a.name === metaEntry[0]);
          if (!listedMeta || listedMeta.sha256 !== m)
            problems.push("the attached metadata differs from the manifest's");
          if (manifest.document.id !== meta.id)
            problems.push('the manifest is for another document');
        }
        c.expect(
          problems.length === 0,
          'embedded-sources',
          'integrity',
          `the attached canonical text and metadata of ${meta.id} are present${manifest ? ' and match the manifest' : ''}`,
          'sources-mismatch',
          problems.join('; '),
        );
      }
    } catch (e) {
      c.fail(
        'embedded-sources',
        'integrity',
        'unreadable-sources',
        `the attached sources cannot be read: ${(e as Error).message}`,
      );
    }
  }
  const signer = pdf.signer;
  return report('pdf', name, c, ctx, {
    ...(document ? { document } : manifest ? { document: manifest.document } : {}),
    ...(signer
      ? {
          signer: {
            subject: signer.subject,
            issuer: signer.issuer,
            fingerprint: signer.fingerprint,
            serial: signer.serial,
            notBefore: signer.notBefore.toISOString(),
            notAfter: signer.notAfter.toISOString(),
          },
        }
      : {}),
    ...(pdf.signingTime ? { signingTime: pdf.signingTime.toISOString() } : {}),
  });
}

export interface FolderInput {
  name: string;
  /** The folder's small files by name (everything but the PDF). */
  files: Map<string, Uint8Array>;
  pdf?: { name: string; source: ByteSource };
  schema: ValidateFunction;
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
    return report('folder', input.name, c, ctx);
  }
  const pdfReport = await verifyPdfFile(
    {
      name: input.pdf.name,
      source: input.pdf.source,
      manifest: {
        bytes: manifestBytes,
        ...(input.files.get('manifest.json.p7s')
          ? { p7s: input.files.get('manifest.json.p7s')! }
          : {}),
        schema: input.schema,
      },
    },
    ctx,
  );
  c.list.push(...pdfReport.checks.map((x) => (x.subject ? x : { ...x, subject: input.pdf!.name })));
  const manifest = parseJsonWithPositions(dec.decode(manifestBytes)).value as Manifest;
  // Every other listed artifact is present and unchanged.
  const problems: string[] = [];
  for (const a of manifest.artifacts ?? []) {
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
    problems.length === 0,
    'artifacts',
    'integrity',
    `all ${manifest.artifacts?.length ?? 0} artifacts listed in the manifest are present and unchanged`,
    'artifact-mismatch',
    problems.join('; '),
  );
  // SHA256SUMS and its signature, for people without docprov: they must agree with the files too.
  const sums = input.files.get('SHA256SUMS');
  const sumsSig = input.files.get('SHA256SUMS.p7s');
  if (!sums || !sumsSig)
    c.fail(
      'sha256sums',
      'integrity',
      'missing-sha256sums',
      'SHA256SUMS or SHA256SUMS.p7s is missing',
    );
  else {
    const sc = new Checks('SHA256SUMS');
    let sigOk = false;
    try {
      const cms = parseCms(sumsSig, ctx.crypto);
      const f = cms.digestAlgorithm
        ? checkCms(cms, digest(ctx.crypto, cms.digestAlgorithm, sums), ctx.crypto)
        : undefined;
      sigOk =
        !!f?.messageDigestOk &&
        f.signatureOk &&
        cms.signer?.fingerprint === manifest.signer?.fingerprint;
    } catch {
      sigOk = false;
    }
    const wrong: string[] = [];
    const pdfSha = (await digestSource(input.pdf.source, ctx.crypto)).sha256;
    for (const line of dec
      .decode(sums)
      .split('\n')
      .filter((l) => l !== '')) {
      const m = /^([0-9a-f]{64}) [ *](.+)$/.exec(line);
      if (!m) wrong.push(`unreadable line "${line.slice(0, 40)}"`);
      else {
        const bytes = input.files.get(m[2]!);
        const actual =
          m[2] === input.pdf.name
            ? pdfSha
            : bytes
              ? toHex(digest(ctx.crypto, 'SHA-256', bytes))
              : undefined;
        if (actual !== m[1]) wrong.push(`${m[2]} ${actual ? 'differs' : 'is missing'}`);
      }
    }
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
  return report('folder', input.name, c, ctx, {
    ...(pdfReport.document ? { document: pdfReport.document } : {}),
    ...(pdfReport.signer ? { signer: pdfReport.signer } : {}),
    ...(pdfReport.signingTime ? { signingTime: pdfReport.signingTime } : {}),
  });
}

export interface TextInput {
  name: string;
  copy: Uint8Array;
  manifest: { bytes: Uint8Array; p7s?: Uint8Array; schema: ValidateFunction };
  /** The canonical text beside the manifest, if there, to say which words differ. */
  canonical?: Uint8Array;
}

/** A copy of the text (pasted from the PDF, a web page, re-wrapped) against the signed manifest. */
export async function verifyTextCopy(input: TextInput, ctx: VerifyContext): Promise<Report> {
  const c = new Checks();
  const manifest = verifyManifest(
    input.manifest.bytes,
    input.manifest.p7s,
    input.manifest.schema,
    ctx,
    c,
  );
  if (!manifest) return report('text', input.name, c, ctx);
  const copyText = dec.decode(input.copy);
  const words = comparisonWords(copyText);
  const form = words.map((w) => w.text).join(' ');
  const ok =
    toHex(digest(ctx.crypto, 'SHA-256', new TextEncoder().encode(form))) ===
    manifest.comparison.sha256;
  if (ok)
    c.pass(
      'text-match',
      'integrity',
      `the copy has exactly the words of ${manifest.document.id} (${words.length} words; wrapping, hyphens and quote styles aside)`,
    );
  else {
    let detail =
      'the canonical text is not beside the manifest, so the differing words cannot be shown';
    const canonical =
      input.canonical &&
      toHex(digest(ctx.crypto, 'SHA-256', input.canonical)) ===
        manifest.sources.canonicalText.sha256
        ? dec.decode(input.canonical)
        : undefined;
    if (canonical) {
      const changes = diffWords(words, comparisonWords(canonical), 5);
      detail = changes
        .map(
          (ch) =>
            `word ${ch.copyIndex + 1}${ch.line ? ` (line ${ch.line}, column ${ch.column})` : ''}: the copy has "${ch.copy.join(' ') || '(nothing)'}" where the original has "${ch.original.join(' ') || '(nothing)'}"`,
        )
        .join('; ');
    }
    c.fail(
      'text-match',
      'integrity',
      'text-changed',
      `the copy differs from the signed text: ${detail}`,
    );
  }
  return report('text', input.name, c, ctx, { document: manifest.document });
}
