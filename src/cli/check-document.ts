import { existsSync, readdirSync } from 'node:fs';
import { oddEntry } from '../node/entries.js';
import { buildTools } from '../node/build-tools.js';
import { join } from 'node:path';
import { buildDocument } from '../core/build/index.js';
import type { Certificate } from '../core/pki/certificate.js';
import { memorySource } from '../core/pdf/source.js';
import type { NoteKey } from '../core/tlog/note.js';
import { lastProof } from '../core/verify/last-proof.js';
import type { Report } from '../core/verify/report.js';
import { verifyFolder } from '../core/verify/verify.js';
import { nodeCrypto } from '../node/crypto.js';
import { readInput } from '../node/files.js';
import { packageVersion } from '../node/package-root.js';
import { loadSchema } from '../node/schemas.js';

// The work `docprov check` does for one published folder, on the pool's threads: it verifies
// as a reader would, and is rebuilt from its sources. What it finds is data; the command
// judges it in the folders' order, with the log it audited once (commands/check.ts).

export interface CheckContext {
  anchors: Certificate[];
  revocation: { crls: Uint8Array[]; ocsps: Uint8Array[] };
  logKeys: NoteKey[];
  now: Date;
}

export interface DocumentFindings {
  /** The verification could not run: why. */
  error?: string;
  report?: Report;
  /** Why the rebuilt document differs from the published one (empty: the same bytes). */
  stale?: string[];
  /** The sources are not there. */
  noSources?: string;
  /** The sources no longer build: why. */
  unbuildable?: string;
  /** The newest proof, as it will stand (a pending document's, once the CA's data arrives). */
  proof?: { until: string; what: string; subject: string };
}

const same = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  !!a && !!b && a.length === b.length && a.every((x, i) => x === b[i]);

export async function checkDocument(
  artifacts: string,
  id: string,
  sources: string,
  ctx: CheckContext,
): Promise<DocumentFindings> {
  const dir = join(artifacts, id);
  const files = new Map<string, Uint8Array>();
  // A stray entry (a folder, a FIFO, a dangling link) is reported as verify reports it.
  const odd = new Map<string, string>();
  for (const n of readdirSync(dir)) {
    const what = oddEntry(join(dir, n));
    if (what) odd.set(n, what);
    else files.set(n, readInput(join(dir, n)));
  }
  const pdfName = `${id}.pdf`;
  const pdf = files.get(pdfName);
  const folder = (freshness?: 'current-at') =>
    verifyFolder(
      {
        name: dir,
        files: new Map([...files].filter(([n]) => n !== pdfName)),
        ...(pdf ? { pdf: { name: pdfName, source: memorySource(pdf) } } : {}),
        schema: loadSchema('manifest'),
        ...(odd.size ? { odd } : {}),
      },
      {
        crypto: nodeCrypto,
        anchors: ctx.anchors,
        now: ctx.now,
        revocation: ctx.revocation,
        logKeys: ctx.logKeys,
        ...(freshness ? { freshness } : {}),
      },
    );
  const report = await folder().catch((e: unknown) => e as Error);
  if (report instanceof Error) return { error: report.message };
  const findings: DocumentFindings = { report };
  const proof = lastProof(report.pending ? await folder('current-at') : report);
  if (proof)
    findings.proof = {
      until: proof.until.toISOString(),
      what: proof.what,
      subject: proof.certificate.subject,
    };
  const src = join(sources, id);
  if (!existsSync(join(src, 'source.txt'))) return { ...findings, noSources: src };
  const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as {
    buildTime: string;
    tool: { version: string };
  };
  const epoch = String(Math.floor(new Date(manifest.buildTime).getTime() / 1000));
  const rebuilt = await buildDocument({
    source: readInput(join(src, 'source.txt')),
    metadata: readInput(join(src, 'metadata.json')),
    ...buildTools(),
    sourceDateEpoch: epoch,
  }).catch((e: Error) => e);
  if (rebuilt instanceof Error) return { ...findings, unbuildable: rebuilt.message };
  const stale: string[] = [];
  if (!pdf || !same(pdf.subarray(0, rebuilt.basePdf.length), rebuilt.basePdf))
    stale.push(
      `${pdfName}'s signed revision is not what the sources typeset to${manifest.tool.version !== packageVersion() ? ` (built by docprov ${manifest.tool.version}, this is ${packageVersion()})` : ''}`,
    );
  for (const n of [`${id}.txt`, `${id}.metadata.json`])
    if (!same(files.get(n), rebuilt.files.get(n)))
      stale.push(`${n} differs from the normalised sources`);
  return { ...findings, stale };
}
