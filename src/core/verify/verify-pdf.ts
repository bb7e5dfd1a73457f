import { Asn1Error } from '../asn1/reader.js';
import { CmsError } from '../cms/signed-data.js';
import { finish } from '../crypto.js';
import { DocprovError } from '../errors.js';
import type { Certificate } from '../pki/certificate.js';
import type { RevocationSources } from '../pki/revocation.js';
import { InflateError } from '../pdf/inflate.js';
import { PdfSyntaxError } from '../pdf/lexer.js';
import { PdfObjects } from '../pdf/objects.js';
import {
  findSignatureDicts,
  scanSignatureDicts,
  type FoundDict,
  type SignatureDict,
} from '../pdf/signature-dict.js';
import { latin1, type ByteSource } from '../pdf/source.js';
import { readXrefChain, XrefError, type XrefChain } from '../pdf/xref.js';
import type { VerifyContext } from './context.js';
import { Checks, type Check, type SignatureSummary, type SignerInfo } from './report.js';
import { signatureChecks, signingTimeOf, validationCerts } from './signature-checks.js';
import {
  documentTimestampTsa,
  judgeTimestamps,
  readValidationData,
  signatureTimestampOf,
} from './timestamps.js';
import { judgeSigner, prepareSignature, type PdfRun, type SignatureRun } from './signature-run.js';
import { structureChecks } from './structure.js';

// A PDF's verification: parse strictly, find every signature through the xref, hash every
// signature's byte ranges in one pass over the file, then judge each signature.

export interface PdfVerification {
  checks: Checks;
  /** The document's signer (its first signature that is not a document timestamp). */
  signer?: Certificate;
  signingTime?: Date;
  timeProven?: boolean;
  signatures: SignatureSummary[];
  /** The parsed file, for reading what the signatures cover (attached sources). */
  objects?: PdfObjects;
  /** Whether every byte of the file is covered by a signature or is validation data. */
  whole: boolean;
  /** The revocation data the file carries (its DSS, its signatures' CMS), for a manifest beside it. */
  revocation?: RevocationSources;
}

/** A problem of the document (as opposed to a bug, which must surface as exit 2). */
export const isDocumentError = (e: unknown): e is Error =>
  e instanceof PdfSyntaxError ||
  e instanceof XrefError ||
  e instanceof InflateError ||
  e instanceof Asn1Error ||
  e instanceof CmsError ||
  (e instanceof DocprovError && e.code === 'bad-certificate');

/** One pass over the file, feeding each signature's hasher its byte ranges. */
async function hashPass(src: ByteSource, runs: SignatureRun[]): Promise<void> {
  const jobs = runs.filter((r) => r.hasher);
  if (jobs.length === 0) return;
  const end = Math.min(src.size, Math.max(...jobs.map((j) => j.covered)));
  let pos = 0;
  for await (const chunk of src.chunks(0, end)) {
    const chunkEnd = pos + chunk.length;
    for (const j of jobs) {
      const [, b, c, d] = j.range;
      for (const [from, to] of [
        [0, b],
        [c, c + d],
      ] as const) {
        const s = Math.max(from, pos);
        const e = Math.min(to, chunkEnd);
        if (s < e) j.hasher!.update(chunk.subarray(s - pos, e - pos));
      }
    }
    pos = chunkEnd;
  }
  for (const j of jobs) j.digest = await finish(j.hasher!);
}

export const signerInfo = (cert: Certificate): SignerInfo => ({
  subject: cert.subject,
  issuer: cert.issuer,
  fingerprint: cert.fingerprint,
  serial: cert.serial,
  notBefore: cert.notBefore.toISOString(),
  notAfter: cert.notAfter.toISOString(),
});

async function parseChecks(src: ByteSource, c: Checks): Promise<XrefChain | undefined> {
  const head = latin1(await src.read(0, 1024));
  const header = /^%PDF-\d\.\d/.test(head);
  let chain: XrefChain | undefined;
  let problem = '';
  try {
    chain = await readXrefChain(src);
  } catch (e) {
    if (!isDocumentError(e)) throw e;
    problem = `the PDF's cross-reference structure cannot be read strictly: ${e.message}`;
  }
  if (!header)
    c.fail(
      'pdf-parse',
      'integrity',
      'not-a-pdf',
      `the file does not start with a PDF header (%PDF-)${problem ? `, and ${problem}` : ''}`,
    );
  else if (!chain) c.fail('pdf-parse', 'integrity', 'unreadable-structure', problem);
  else
    c.pass(
      'pdf-parse',
      'integrity',
      `the file parses as a PDF with ${chain.sections.length} cross-reference section(s)`,
    );
  return chain;
}

/**
 * A file rewritten whole by another program (qpdf, mutool clean, a viewer's "save"): one
 * cross-reference section, and every signature's well-formed /ByteRange still names the old
 * offsets, none where its /Contents now lies.
 */
const resaved = (runs: SignatureRun[], chain: XrefChain | undefined) =>
  !!chain &&
  chain.sections.length === 1 &&
  runs.every((r) => {
    const [z, b, c] = r.range;
    return (
      r.dict.byteRange?.length === 4 && z === 0 && b > 0 && c > b && r.dict.contentsStart !== b
    );
  });

async function findSignatures(
  src: ByteSource,
  chain: XrefChain | undefined,
  c: Checks,
): Promise<SignatureRun[]> {
  let found: FoundDict[];
  try {
    // A file whose xref cannot be read is scanned, only to say what is wrong with its signatures.
    found = chain ? await findSignatureDicts(src, chain) : await scanSignatureDicts(src);
  } catch (e) {
    if (!isDocumentError(e)) throw e;
    c.fail('signatures-found', 'integrity', 'too-many-signatures', e.message);
    return [];
  }
  const broken = found.filter((d): d is { error: string; objectStart: number } => 'error' in d);
  const runs: SignatureRun[] = found
    .filter((d): d is SignatureDict => !('error' in d))
    .map((d, index) => {
      const range = (d.byteRange?.length === 4 ? d.byteRange : [0, 0, 0, 0]) as [
        number,
        number,
        number,
        number,
      ];
      return {
        index,
        dict: d,
        range,
        covered: range[2] + range[3],
        kind:
          d.type === 'DocTimeStamp' || d.subFilter === 'ETSI.RFC3161'
            ? 'document-timestamp'
            : 'signature',
      };
    });
  if (broken.length)
    c.fail(
      'signatures-found',
      'integrity',
      'broken-signature-dictionary',
      broken
        .map(
          (b) =>
            `the object at byte ${b.objectStart} holds /ByteRange but does not parse strictly (${b.error})`,
        )
        .join('; '),
    );
  else if (runs.length === 0)
    c.fail('signatures-found', 'integrity', 'no-signature', 'the PDF carries no signature');
  else if (runs.every((r) => r.kind === 'document-timestamp'))
    c.fail(
      'signatures-found',
      'integrity',
      'not-signed',
      `the PDF carries no signature, only ${runs.length === 1 ? 'a document timestamp' : `${runs.length} document timestamps`}: a timestamp proves when the file existed, never who made it`,
    );
  else if (resaved(runs, chain))
    c.fail(
      'signatures-found',
      'integrity',
      'resaved',
      "the PDF was saved again by another program after it was signed (qpdf, mutool clean, a viewer's Save): its signatures' byte ranges no longer line up with where their signatures now lie, so no signature can hold; get the file as it was published",
    );
  else {
    const ts = runs.filter((r) => r.kind === 'document-timestamp').length;
    c.pass(
      'signatures-found',
      'integrity',
      `${runs.length - ts} signature(s)${ts ? ` and ${ts} document timestamp(s)` : ''} found`,
    );
  }
  return runs;
}

export async function verifyPdf(src: ByteSource, ctx: VerifyContext): Promise<PdfVerification> {
  const c = new Checks();
  const chain = await parseChecks(src, c);
  if (chain) await structureChecks(src, chain, c);
  else
    c.skip(
      'pdf-structure',
      'integrity',
      'not-parsed',
      'the structure was not checked: the file does not parse',
    );
  const runs = await findSignatures(src, chain, c);
  if (runs.length === 0) return { checks: c, signatures: [], whole: false };

  for (const r of runs) prepareSignature(r, ctx, src.size);
  await hashPass(src, runs);
  runs.sort((a, b) => a.covered - b.covered || a.dict.objectStart - b.dict.objectStart);
  const objects = chain ? new PdfObjects(src, chain) : undefined;
  const run: PdfRun = {
    src,
    ...(chain && objects ? { chain, objects } : {}),
    ctx,
    signatures: runs,
  };
  const subject = (s: SignatureRun, i: number) =>
    `${s.kind === 'document-timestamp' ? 'document timestamp' : 'signature'} ${i + 1} of ${runs.length} (object ${s.dict.objectNumber})`;
  const unreadable = new Map<SignatureRun, string>();
  const own = new Map<SignatureRun, Check[]>();
  for (const s of runs)
    try {
      await judgeSigner(s, run);
    } catch (e) {
      if (!isDocumentError(e)) throw e;
      unreadable.set(s, e.message);
    }
  try {
    const data = await readValidationData(run);
    run.revocation = data.sources;
    validationCerts.set(run, data.certs);
    await judgeTimestamps(run, data.certs);
  } catch (e) {
    if (!isDocumentError(e)) throw e;
    c.fail(
      'pdf-structure',
      'integrity',
      'unreadable-structure',
      `the validation data (DSS) cannot be read strictly: ${e.message}`,
    );
  }
  for (const [i, s] of runs.entries()) {
    const sc = new Checks(
      runs.length > 1 ? subject(s, i) : undefined,
      s.kind === 'signature' ? 'signature' : 'timestamp',
    );
    try {
      const problem = unreadable.get(s);
      if (problem) throw new XrefError(problem);
      await signatureChecks(s, run, sc);
    } catch (e) {
      if (!isDocumentError(e)) throw e;
      sc.fail(
        'signed-revision',
        'integrity',
        'unreadable-structure',
        `the signed revision cannot be read strictly: ${e.message}`,
      );
    }
    own.set(s, sc.list);
    c.list.push(...sc.list);
  }

  const main = runs.find((r) => r.kind === 'signature' && r.findings?.signer);
  const time = main ? signingTimeOf(main) : undefined;
  return {
    checks: c,
    ...(main?.findings?.signer ? { signer: main.findings.signer } : {}),
    ...(time ? { signingTime: time.at, timeProven: time.proven } : {}),
    signatures: runs.map((s) => summary(s, src.size, own.get(s) ?? [])),
    ...(objects ? { objects } : {}),
    whole: !c.broken,
    ...(run.revocation ? { revocation: run.revocation } : {}),
  };
}

/** The checks that say a signature's own bytes are exactly what was signed. */
const INTACT: readonly string[] = [
  'byte-range',
  'contents-gap',
  'signed-revision',
  'message-digest',
  'signature-value',
];

function summary(s: SignatureRun, size: number, checks: readonly Check[]): SignatureSummary {
  const t = signingTimeOf(s);
  const signer = s.findings?.signer;
  const own = checks.filter((c) => INTACT.includes(c.id));
  const st = signatureTimestampOf(s);
  const tsa = st?.findings?.ok && st.tsa?.ok ? st.findings.signer.signer : undefined;
  return {
    kind: s.kind,
    covers: s.covered === size ? 'the whole file' : `the revision ending at byte ${s.covered}`,
    revisionEnd: s.covered,
    intact: own.length === INTACT.length && own.every((c) => c.status === 'pass'),
    subFilter: s.dict.subFilter ?? '(none)',
    ...(signer ? { signer: signerInfo(signer) } : {}),
    ...(tsa ? { timestampAuthority: signerInfo(tsa) } : {}),
    ...(t && !t.proven ? { claimedTime: t.at.toISOString() } : {}),
    ...(t?.proven && (s.kind === 'signature' || documentTimestampTsa(s)?.ok)
      ? { provenTime: t.at.toISOString() }
      : {}),
    ...(s.dict.docMdp !== undefined ? { certification: s.dict.docMdp } : {}),
  };
}
