import type { ValidateFunction } from 'ajv';
import type { Signer, Timestamper } from '../cms/build.js';
import { signDetached } from '../cms/build.js';
import { sameBytes, type CryptoProvider } from '../crypto.js';
import type { Problem } from '../errors.js';
import type { Letter } from '../letter/index.js';
import { buildManifest, sha256sums, type Manifest } from '../manifest/manifest.js';
import { validateMetadata, type LetterMetadata } from '../metadata/index.js';
import { decodeUtf8Strict, normalise, type NormaliseResult } from '../normalise/index.js';
import type { Certificate } from '../pki/certificate.js';
import { archive } from '../sign/archive.js';
import { signPdf } from '../sign/sign-pdf.js';
import { typesetLetter, type HarfBuzzWasm } from '../typeset/index.js';
import type { Layout } from '../text/compare.js';
import { memorySource } from '../pdf/source.js';
import type { Report } from '../verify/report.js';
import { verifyFolder } from '../verify/verify.js';
import { DocprovError, relocate } from '../errors.js';
import { buildDate } from './build-date.js';
import { signEnvelope, IN_TOTO_PAYLOAD_TYPE } from '../provenance/dsse.js';
import {
  buildStatement,
  PROVENANCE_FILE,
  statementBytes,
  type ProvenanceInput,
} from '../provenance/statement.js';
import { entryOfManifest, formatEntry } from '../tlog/entry.js';
import { verifierKey, type NoteKey } from '../tlog/note.js';
import { LOG_PROOF_FILE } from '../verify/log-inclusion.js';
import { parseSource } from './read-letter.js';

// The composition root of the pure stages: bytes in, named files and a report out. No I/O.

export interface Signing {
  signer: Signer;
  certificate: Certificate;
  development: boolean;
  /** Signing time (SOURCE_DATE_EPOCH or now), also the manifest's build time. */
  time: Date;
  /** PAdES B-LTA: timestamps, validation data, a document timestamp. Without it: B-B. */
  longTerm?: LongTerm;
}

export interface LongTerm {
  timestamper: Timestamper;
  /** Revocation data for these certificates (their distribution points, or files given). */
  revocation(certs: Certificate[]): Promise<{ crls: Uint8Array[]; ocsps: Uint8Array[] }>;
  /** Roots the chains end at (they go into the DSS too). */
  anchors: Certificate[];
  /** The time the validation data must cover (about now: the timestamps' time). */
  now: Date;
  /** The published PDF, whose later renewals are kept when it extends what this build makes. */
  published?: Uint8Array;
  /** Add a fresh document timestamp (archive renewal) after the ones already there. */
  renew?: boolean;
}

/** The transparency log a build enters its artifact set in (the edge keeps the log's files). */
export interface LogSink {
  /** The log's key: its name is the log's origin. */
  key: NoteKey;
  /** Finds or appends `entry`; its index and a tlog proof (c2sp.org/tlog-proof) of it. */
  enter(entry: Uint8Array): Promise<{ index: number; proof: Uint8Array }>;
}

export interface BuildInput {
  source: Uint8Array;
  metadata: Uint8Array;
  metadataSchema: ValidateFunction;
  /** The body font (TrueType). */
  font: Uint8Array;
  /** A font for right-to-left names (Arabic script) in the letter's single lines. */
  rtlFont?: Uint8Array;
  /** HarfBuzz's WebAssembly (shaping and subsetting), read by the caller. */
  harfbuzz: HarfBuzzWasm;
  /** SOURCE_DATE_EPOCH as given, if any. */
  sourceDateEpoch?: string;
  toolVersion: string;
  crypto: CryptoProvider;
  /** Without it the build stops after typesetting (no signature, no manifest). */
  signing?: Signing;
  /** SLSA provenance (provenance.intoto.json), signed with the signing key. */
  provenance?: ProvenanceInput;
  /** The transparency log (manifest.json.tlog-proof): entered after the manifest is signed. */
  log?: LogSink;
  /** The last stage: the reader's verifier run on the artifacts; a build that fails it fails. */
  selfCheck?: {
    anchors: Certificate[];
    manifestSchema: ValidateFunction;
    now: Date;
    /** Revocation data beside the artifacts (the trust store's CRLs, a development CA's). */
    revocation?: { crls: Uint8Array[]; ocsps: Uint8Array[] };
    logKeys?: NoteKey[];
  };
  /** Names used in messages only. */
  sourceName?: string;
  metadataName?: string;
}

export interface StageReport {
  stage: string;
  ms: number;
}

export interface BuildResult {
  id: string;
  metadata: LetterMetadata;
  letter: Letter;
  normalisation: NormaliseResult;
  date: Date;
  /** The deterministic unsigned PDF: a byte-for-byte prefix of the signed one. */
  basePdf: Uint8Array;
  layout: Layout;
  manifest?: Manifest;
  /** The self-check's report, when one ran. */
  verification?: Report;
  files: Map<string, Uint8Array>;
  stages: StageReport[];
  warnings: Problem[];
}

async function timed<T>(
  stages: StageReport[],
  stage: string,
  run: () => T | Promise<T>,
): Promise<T> {
  const t0 = performance.now();
  const value = await run();
  stages.push({ stage, ms: performance.now() - t0 });
  return value;
}

export async function buildDocument(input: BuildInput): Promise<BuildResult> {
  const { crypto } = input;
  const stages: StageReport[] = [];
  const enc = new TextEncoder();
  const normalisation = await timed(stages, 'normalise', () =>
    normalise(input.source, input.sourceName),
  );
  const { letter, textAt } = await timed(stages, 'parse', () =>
    parseSource(normalisation, input.sourceName),
  );
  const validated = await timed(stages, 'validate', () =>
    validateMetadata(
      decodeUtf8Strict(input.metadata, input.metadataName).replace(/^\uFEFF/, ''),
      letter,
      input.metadataSchema,
      input.metadataName,
      textAt,
    ),
  );
  const { metadata } = validated;
  const id = metadata.id;
  const canonicalText = enc.encode(normalisation.text);
  const canonicalMetadata = enc.encode(validated.canonical);
  const date = buildDate(input.sourceDateEpoch, metadata);
  const tool = `docprov ${input.toolVersion}`;
  const typeset = await timed(stages, 'typeset', () =>
    typesetLetter(
      {
        letter,
        metadata,
        canonicalText,
        canonicalMetadata,
        font: input.font,
        ...(input.rtlFont ? { rtlFont: input.rtlFont } : {}),
        harfbuzz: input.harfbuzz,
        date,
        tool,
      },
      crypto,
    ).catch((e: unknown) => {
      // Typesetting reports lines of the canonical text; people know the source's.
      if (!(e instanceof DocprovError)) throw e;
      throw relocate(e, input.sourceName, (n) => normalisation.sourceLines[n - 1] ?? n);
    }),
  );
  const files = new Map<string, Uint8Array>([
    [`${id}.txt`, canonicalText],
    [`${id}.metadata.json`, canonicalMetadata],
  ]);
  const result: BuildResult = {
    id,
    metadata,
    letter,
    normalisation,
    date,
    basePdf: typeset.pdf,
    layout: typeset.layout,
    files,
    stages,
    warnings: normalisation.warnings,
  };
  const signing = input.signing;
  if (!signing) {
    files.set(`${id}.pdf`, typeset.pdf);
    return result;
  }
  const longTerm = signing.longTerm;
  const timestamper = longTerm?.timestamper;
  let pdf = await timed(stages, 'sign', () =>
    signPdf(typeset.pdf, {
      signer: signing.signer,
      date: signing.time,
      crypto,
      ...(timestamper ? { timestamper } : {}),
    }),
  );
  if (longTerm) {
    pdf = await timed(stages, 'archive', () => archive(pdf, longTerm, crypto, result.warnings));
    // Renewals published since (later DSS updates and document timestamps) are kept as they are.
    const published = longTerm.published;
    if (
      published &&
      published.length > pdf.length &&
      sameBytes(published.subarray(0, pdf.length), pdf)
    )
      pdf = published;
    if (longTerm.renew)
      pdf = await timed(stages, 'renew', () => archive(pdf, longTerm, crypto, result.warnings));
  }
  files.set(`${id}.pdf`, pdf);
  const provenance = input.provenance;
  if (provenance)
    await timed(stages, 'provenance', () => {
      const statement = buildStatement(crypto, {
        document: id,
        subjects: files,
        source: input.source,
        metadata: input.metadata,
        toolVersion: input.toolVersion,
        ...(input.sourceDateEpoch ? { sourceDateEpoch: input.sourceDateEpoch } : {}),
        provenance,
      });
      files.set(
        PROVENANCE_FILE,
        signEnvelope(
          IN_TOTO_PAYLOAD_TYPE,
          statementBytes(statement),
          signing.signer,
          signing.certificate.fingerprint,
        ),
      );
    });
  const log = input.log;
  await timed(stages, 'manifest', async () => {
    const { manifest, bytes } = buildManifest(
      {
        id,
        title: metadata.title,
        artifacts: files,
        source: input.source,
        metadata: input.metadata,
        canonicalText,
        layout: typeset.layout,
        normalisation: normalisation.rules,
        toolVersion: input.toolVersion,
        signer: signing.certificate,
        development: signing.development,
        buildTime: signing.time,
        ...(log ? { log: { origin: log.key.name, key: verifierKey(crypto, log.key) } } : {}),
      },
      crypto,
    );
    result.manifest = manifest;
    files.set('manifest.json', bytes);
    files.set('manifest.json.p7s', await signDetached(bytes, signing.signer, crypto, timestamper));
    const sums = sha256sums(files, crypto);
    files.set('SHA256SUMS', sums);
    files.set('SHA256SUMS.p7s', await signDetached(sums, signing.signer, crypto, timestamper));
  });
  if (log)
    await timed(stages, 'log', async () => {
      const entry = entryOfManifest(crypto, files.get('manifest.json')!)!;
      files.set(LOG_PROOF_FILE, (await log.enter(formatEntry(entry))).proof);
    });
  const check = input.selfCheck;
  if (check) {
    const pdfName = `${id}.pdf`;
    const report = await timed(stages, 'verify', () =>
      verifyFolder(
        {
          name: id,
          files: new Map([...files].filter(([n]) => n !== pdfName)),
          pdf: { name: pdfName, source: memorySource(files.get(pdfName)!) },
          schema: check.manifestSchema,
        },
        // As a builder can judge: on the revocation data current now (data issued after the
        // signature cannot exist yet; a reader's verify waits for it, and says so).
        {
          crypto,
          anchors: check.anchors,
          now: check.now,
          freshness: 'current-at',
          ...(check.revocation ? { revocation: check.revocation } : {}),
          ...(check.logKeys ? { logKeys: check.logKeys } : {}),
        },
      ),
    );
    result.verification = report;
    // Revocation is the world's to show, not the build's: with no data at hand at all (no
    // distribution point, no file given), the build warns that readers will call it unproven.
    const unmet = report.facts?.filter((f) => f.status !== 'pass') ?? [];
    const noData =
      report.verdict === 'intact-untrusted' &&
      !report.checks.some((c) => c.status === 'fail') &&
      unmet.length > 0 &&
      unmet.every(
        (f) =>
          f.by?.check === 'revocation' &&
          (f.by.code === 'no-revocation-data' || f.by.code === 'time-not-proven'),
      );
    if (noData)
      result.warnings.push({
        code: 'no-revocation-data',
        message:
          "no revocation data for the signer is at hand: readers' verify will say the copy is intact but not proven",
        hint: "give the issuer's CRL with --revocation FILE, or sign with a time-stamping authority (DOCPROV_TSA_URL) and certificates that name a CRL distribution point",
      });
    else if (report.verdict !== 'authentic')
      throw new DocprovError(
        'self-check-failed',
        `the built artifacts do not verify: ${report.summary}`,
        {
          hint: 'this is a bug in docprov or its inputs; nothing was written',
          problems: report.checks
            .filter((c) => c.status === 'fail')
            .map((c) => ({ code: c.code, message: `${c.id}: ${c.message}` })),
        },
      );
  }
  return result;
}
