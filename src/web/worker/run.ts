import { DocprovError } from '../../core/errors.js';
import { combineReports } from '../../core/verify/combine.js';
import type { Report } from '../../core/verify/report.js';
import { normalisePin } from '../../core/verify/trust.js';
import {
  verifyFolder,
  verifyPdfFile,
  verifyTextCopy,
  type VerifyContext,
} from '../../core/verify/verify.js';
import manifestSchema from 'docprov:manifest-schema';
import { blobSource } from '../blob-source.js';
import { webCrypto } from '../crypto.js';
import type { NamedFile, VerifyJob } from '../protocol.js';
import { canonicalName, folderPdf, readSmall } from './inputs.js';
import { pinnedLogKeys, trustAnchors } from './trust.js';

// One verification, chosen as the CLI chooses: a pasted text with its manifest, a folder (the
// files include manifest.json), or each file as a PDF. The same core calls, the same report.

export interface Outcome {
  report: Report;
  /** The index of the PDF verified, in job.files. */
  pdf?: number;
}

const usage = (message: string, hint: string) =>
  new DocprovError('usage', message, { severity: 'unusable', hint });

async function context(job: VerifyJob): Promise<VerifyContext> {
  // Browsers give WebCrypto only to secure pages: https://, localhost, a file on disk.
  if (!globalThis.crypto?.subtle)
    throw usage(
      'this browser withholds the signature checks (WebCrypto) from a page at a plain http:// address',
      'open the page from https://, or save it and open the file',
    );
  const pin = job.signerPin?.trim();
  if (pin && !/^[0-9a-f]{64}$/.test(normalisePin(pin)))
    throw usage(
      'the signer pin is not a SHA-256 fingerprint (64 hex digits, colons allowed)',
      'openssl x509 -fingerprint -sha256 prints the fingerprint of a certificate',
    );
  const now = job.now ? new Date(job.now) : new Date();
  if (Number.isNaN(now.getTime())) throw usage(`the clock "${job.now}" is not a date`, 'ISO 8601');
  const trust = await trustAnchors(job.roots, webCrypto);
  return {
    crypto: webCrypto,
    anchors: trust.anchors,
    revocation: trust.revocation,
    logKeys: pinnedLogKeys(webCrypto),
    now,
    ...(pin ? { signerPin: pin } : {}),
  };
}

async function verifyText(job: VerifyJob, ctx: VerifyContext): Promise<Outcome> {
  const files = await readSmall(job.files);
  const bytes = files.get('manifest.json');
  if (!bytes)
    throw usage(
      'to check a text, choose the manifest.json of the downloaded folder too',
      'choose manifest.json, manifest.json.p7s and the .txt file (or the whole folder)',
    );
  const p7s = files.get('manifest.json.p7s');
  const txt = canonicalName(bytes);
  const canonical = txt ? files.get(txt) : undefined;
  const report = await verifyTextCopy(
    {
      name: 'the pasted text',
      copy: new TextEncoder().encode(job.text),
      manifest: { bytes, schema: manifestSchema, ...(p7s ? { p7s } : {}) },
      ...(canonical ? { canonical } : {}),
    },
    ctx,
  );
  return { report };
}

async function verifyFiles(
  job: VerifyJob,
  ctx: VerifyContext,
  onProgress: (done: number, total: number) => void,
): Promise<Outcome> {
  const source = (f: NamedFile) => blobSource(f.file, (end) => onProgress(end, f.file.size));
  const manifestAt = job.files.findIndex((f) => f.name === 'manifest.json');
  if (manifestAt >= 0) {
    const manifest = new Uint8Array(await job.files[manifestAt]!.file.arrayBuffer());
    const pdf = folderPdf(job.files, manifest);
    const report = await verifyFolder(
      {
        name: job.label,
        files: await readSmall(job.files.filter((_, i) => i !== pdf)),
        ...(pdf >= 0
          ? { pdf: { name: job.files[pdf]!.name, source: source(job.files[pdf]!) } }
          : {}),
        schema: manifestSchema,
      },
      ctx,
    );
    return { report, ...(pdf >= 0 ? { pdf } : {}) };
  }
  if (job.files.length === 0) throw usage('no file was chosen', 'choose a PDF');
  const reports: Report[] = [];
  for (const f of job.files)
    reports.push(await verifyPdfFile({ name: f.name, source: source(f) }, ctx));
  return reports.length === 1
    ? { report: reports[0]!, pdf: 0 }
    : { report: combineReports(reports, ctx) };
}

export async function runJob(
  job: VerifyJob,
  onProgress: (done: number, total: number) => void,
): Promise<Outcome> {
  const ctx = await context(job);
  return job.text !== undefined ? verifyText(job, ctx) : verifyFiles(job, ctx, onProgress);
}
