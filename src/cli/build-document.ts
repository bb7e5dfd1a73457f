import { buildTools } from '../node/build-tools.js';
import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { buildDocument, type StageReport } from '../core/build/index.js';
import type { LongTerm } from '../core/build/build.js';
import { notAnArtifactSet } from '../core/build/artifact-set.js';
import { publishedSignatures, reusingSigner } from '../core/build/published-signatures.js';
import { PROVENANCE_FILE } from '../core/provenance/statement.js';
import { DocprovError, type Problem } from '../core/errors.js';
import type { Certificate } from '../core/pki/certificate.js';
import { harvestTokens } from '../core/tsp/harvest.js';
import { LOG_PROOF_FILE } from '../core/verify/log-inclusion.js';
import { developmentCrls } from '../node/dev-revocation.js';
import { fileError } from '../node/files.js';
import { DEFAULT_LOG_ORIGIN, loadLogKey, type LogIdentity } from '../node/log-key.js';
import { provenanceInput, type ProvenanceSource } from '../node/provenance-input.js';
import { logReader, openLog } from '../node/transparency-log.js';
import { prepareFolder, writeFolderAtomically } from '../node/atomic.js';
import { nodeCrypto } from '../node/crypto.js';
import { readInput } from '../node/files.js';
import { bodyFont, rtlFont } from '../node/fonts.js';
import { harfbuzzWasm } from '../node/harfbuzz.js';
import { fileDigests, inputDigest, isCurrent, stampText } from '../node/inputs.js';
import { sha256Hex } from '../node/digest.js';
import { loadSigningIdentity, type SigningIdentity } from '../node/keys.js';
import {
  fetchRevocation,
  revocationFiles,
  shippedRevocationFiles,
} from '../node/revocation-data.js';
import { loadSchema } from '../node/schemas.js';
import { signingTime } from '../node/signing-time.js';
import { loadLogKeys, loadTrustAnchors } from '../node/trust-store.js';
import { httpTimestamper, tsaUrls } from '../node/tsa-client.js';
import { note, warn, type Io } from './io.js';

// One document from its source folder into its published folder: what `docprov build` does for
// one, and what each worker (a thread of the pool, a queue worker) does for many.

export interface BuildOptions {
  release: boolean;
  revocation: string[];
  trust: string[];
  reuseTimestamps?: string;
  renewTimestamps: boolean;
  /** SOURCE_DATE_EPOCH for this run ('' for the clock); when absent, the environment's. */
  releaseTime?: string;
  /** The transparency log's folder (default: "log" beside the output folder). */
  log?: string;
  /** The name of a new log (default: the log's own, else DEFAULT_LOG_ORIGIN). */
  logOrigin?: string;
}

/** A document's two source files, with the names its messages give them. */
export interface SourceFiles {
  source: Uint8Array;
  metadata: Uint8Array;
  sourceName: string;
  metadataName: string;
  /** Where the provenance says they come from, when their folder is elsewhere (a queue job). */
  provenance?: ProvenanceSource;
}

export function readSources(dir: string): SourceFiles {
  const sourceName = join(dir, 'source.txt');
  const metadataName = join(dir, 'metadata.json');
  return {
    sourceName,
    metadataName,
    source: readInput(sourceName),
    metadata: readInput(metadataName),
  };
}

/** What every document of a run shares: the signing identity, its time, the self-check's roots. */
export interface BuildSetup {
  options: BuildOptions;
  identity: SigningIdentity;
  /** SOURCE_DATE_EPOCH as it applies to this run, if any. */
  sourceDateEpoch: string | undefined;
  when: Date;
  anchors: Certificate[];
  /** The B-B warning is said once a run. */
  saidNoTimestamp: boolean;
}

export async function buildSetup(options: BuildOptions): Promise<BuildSetup> {
  const sourceDateEpoch =
    options.releaseTime === undefined
      ? process.env.SOURCE_DATE_EPOCH
      : options.releaseTime || undefined;
  const when = signingTime({ SOURCE_DATE_EPOCH: sourceDateEpoch });
  const identity = await loadSigningIdentity(when, process.env, !options.release);
  const anchors = [
    ...loadTrustAnchors(options.trust),
    ...(options.release ? [] : identity.chain.slice(-1)),
  ];
  // Renewing changes the PDF's bytes, so manifest.json and SHA256SUMS are signed again: that
  // needs a certificate valid now, not only at the release time.
  const now = new Date();
  const cert = identity.certificate;
  if (options.renewTimestamps && !(cert.notBefore <= now && now <= cert.notAfter))
    throw new DocprovError(
      'renewal-needs-current-key',
      `renewing re-signs manifest.json and SHA256SUMS (the PDF's bytes change), and the signing certificate "${cert.subject}" is not valid now: it is valid from ${cert.notBefore.toISOString()} to ${cert.notAfter.toISOString()}`,
      {
        severity: 'unusable',
        hint: 'rotate the key: a current certificate under the same root in DOCPROV_SIGNING_KEY/DOCPROV_SIGNING_CERT, then npm run regenerate -- --new-release-time (README, "Rotating the key"); the new release is time-stamped afresh',
      },
    );
  return { options, identity, sourceDateEpoch, when, anchors, saidNoTimestamp: false };
}

const NO_TSA_HINT = 'set DOCPROV_TSA_URL to an RFC 3161 service for long-term (B-LTA) signatures';

/** Says once that the signatures will be B-B (no TSA), or refuses a release without one. */
export function sayNoTimestamp(setup: BuildSetup, io: Io): void {
  if (setup.saidNoTimestamp) return;
  if (setup.options.release)
    throw new DocprovError('no-tsa', 'a release is time-stamped, and DOCPROV_TSA_URL is not set', {
      severity: 'unusable',
      hint: "set DOCPROV_TSA_URL to the publisher's RFC 3161 service (node pipeline/tsa-server.mjs runs the demo one)",
    });
  warn(io, [
    {
      code: 'no-timestamp',
      message:
        'DOCPROV_TSA_URL is not set: the signatures are PAdES B-B, without timestamps, and stop proving anything once the signer certificate expires',
      hint: NO_TSA_HINT,
    },
  ]);
  setup.saidNoTimestamp = true;
}

interface Published {
  pdf?: Uint8Array;
  p7s: Uint8Array[];
  /** The provenance envelope, whose signature is reused where it signs the same statement. */
  envelopes: Uint8Array[];
}

/** A published folder's PDF and detached signatures (none when the folder does not exist). */
function readPublished(dir: string): Published {
  if (!existsSync(dir)) return { p7s: [], envelopes: [] };
  const names = readdirSync(dir);
  const name = names.find((n) => n.endsWith('.pdf'));
  return {
    ...(name ? { pdf: readInput(join(dir, name)) } : {}),
    p7s: names.filter((n) => n.endsWith('.p7s')).map((n) => readInput(join(dir, n))),
    envelopes: names.filter((n) => n === PROVENANCE_FILE).map((n) => readInput(join(dir, n))),
  };
}

/** PAdES B-LTA when a TSA is configured or published tokens can be reused; else B-B. */
async function longTermFor(
  setup: BuildSetup,
  published: Published | undefined,
  io: Io,
): Promise<LongTerm | undefined> {
  const { options } = setup;
  const urls = tsaUrls();
  const reuse = published ? await harvestTokens(published, nodeCrypto) : new Map();
  if (urls.length === 0 && reuse.size === 0) {
    sayNoTimestamp(setup, io);
    return undefined;
  }
  const files = revocationFiles(options.revocation);
  return {
    timestamper: httpTimestamper(urls, nodeCrypto, reuse),
    anchors: [...setup.anchors, ...setup.identity.chain],
    now: new Date(),
    ...(published?.pdf ? { published: published.pdf } : {}),
    renew: options.renewTimestamps,
    async revocation(certs) {
      const fetched = await fetchRevocation(certs);
      return {
        crls: [...fetched.crls, ...files.crls, ...developmentCrls(setup.identity)],
        ocsps: [...fetched.ocsps, ...files.ocsps],
      };
    },
  };
}

/** The origin an existing log states in its checkpoint's first line (checked when it is read). */
function existingOrigin(logDir: string): string | undefined {
  const note = logReader(logDir)('checkpoint');
  return note ? new TextDecoder().decode(note).split('\n')[0] || undefined : undefined;
}

/** The transparency log a document built into `out` is entered in, and its key. */
export function logFor(options: BuildOptions, out: string): { dir: string; id: LogIdentity } {
  const dir = resolve(options.log ?? join(dirname(resolve(out)), 'log'));
  const id = loadLogKey(
    options.logOrigin ?? existingOrigin(dir) ?? DEFAULT_LOG_ORIGIN,
    process.env,
    !options.release,
  );
  return { dir, id };
}

/** A release never publishes a synthetic letter (npm run synthetic marks each with testData). */
function refuseTestData(metadata: Uint8Array, metadataName: string): void {
  let testData: unknown;
  try {
    testData = (JSON.parse(new TextDecoder().decode(metadata)) as { testData?: unknown }).testData;
  } catch {
    return; // not JSON: the build says so, with the position
  }
  if (testData !== undefined)
    throw new DocprovError(
      'test-data',
      `${metadataName}: the letter is synthetic test data ("testData" in its metadata), and test data is never published`,
      { hint: 'build it without --release, into a folder that is not published' },
    );
}

export interface Built {
  id: string;
  out: string;
  /** 'current': another worker had published this very build meanwhile; nothing was written. */
  status: 'written' | 'current';
  stages: StageReport[];
  files: { name: string; size: number }[];
  verdict: string | undefined;
  development: boolean;
  /** The key that signed the log's checkpoint. */
  logId: LogIdentity;
}

/**
 * Builds the document in `sources` (a source folder, or its files' bytes) into `out`, replacing it as a whole (src/node/atomic.ts).
 * With `digest`, the inputs' record is written beside the folder as part of the publish, and a
 * folder that already holds this build (published meanwhile by another worker) is kept, unless
 * `force`.
 */
export async function buildInto(
  setup: BuildSetup,
  sources: string | SourceFiles,
  out: string,
  io: Io,
  digest?: string,
  force = false,
): Promise<Built> {
  const say = (message: string) => note(io, message);
  // Before any work: an interrupted publish is finished, a folder that is not ours refused.
  prepareFolder(out, notAnArtifactSet, say);
  const {
    source,
    metadata,
    sourceName,
    metadataName,
    provenance: provenanceSource,
  } = typeof sources === 'string' ? readSources(sources) : sources;
  if (setup.options.release) refuseTestData(metadata, metadataName);
  const { identity: id, when, options } = setup;
  const published = options.reuseTimestamps ? readPublished(options.reuseTimestamps) : undefined;
  // Signature values this key already published over the same bytes are reused (PSS and a
  // token's ECDSA are randomised): unchanged content then keeps its bytes and its timestamps.
  const signer = published
    ? reusingSigner(id.signer, await publishedSignatures(published, id.signer, nodeCrypto))
    : id.signer;
  const longTerm = await longTermFor(setup, published, io);
  // The log is written before the folder: a folder that cannot be written is said first.
  const parent = dirname(resolve(out));
  if (existsSync(parent))
    try {
      accessSync(parent, constants.W_OK);
    } catch (e) {
      throw fileError(e, 'write', out);
    }
  const { dir: logDir, id: logId } = logFor(options, out);
  const log = openLog(logDir, logId, say);
  // A published folder's proof of the same entry is kept, so regenerating changes no byte.
  const publishedProof = (() => {
    try {
      return readInput(join(out, LOG_PROOF_FILE));
    } catch {
      return undefined;
    }
  })();
  const sde = setup.sourceDateEpoch;
  const warnings: Problem[] = [];
  let result;
  try {
    result = await buildDocument({
      source,
      metadata,
      ...buildTools(),
      signing: {
        signer,
        certificate: id.certificate,
        development: id.development,
        time: when,
        ...(longTerm ? { longTerm } : {}),
      },
      // The self-check trusts the shipped roots and, except for a release, the signing chain's root.
      selfCheck: {
        anchors: setup.anchors,
        manifestSchema: loadSchema('manifest'),
        now: new Date(Math.max(Date.now(), when.getTime())),
        // A release's log key must be the one the shipped trust store pins for its log.
        ...(options.release ? { logKeys: loadLogKeys() } : {}),
        revocation: (() => {
          const r = revocationFiles([...shippedRevocationFiles(), ...options.revocation]);
          return { crls: [...r.crls, ...developmentCrls(id)], ocsps: r.ocsps };
        })(),
      },
      provenance: provenanceInput(
        provenanceSource ?? dirname(sourceName),
        { 'source.txt': source, 'metadata.json': metadata },
        process.env,
        warnings,
      ),
      log: {
        key: logId.signer,
        enter: async (entry) => log.enter(entry, publishedProof),
      },
      ...(sde !== undefined ? { sourceDateEpoch: sde } : {}),
      sourceName,
      metadataName,
    });
    warn(io, [...warnings, ...result.warnings]);
    // The log first: a folder is never published with a proof its log does not hold yet. The
    // log is then let go: the folder's own lock keeps its publish whole, and other documents
    // (other threads, other workers) may enter the log meanwhile.
    log.commit();
  } finally {
    log.release();
  }
  const status = writeFolderAtomically(
    out,
    result.files,
    notAnArtifactSet,
    say,
    digest === undefined
      ? {}
      : {
          stamp: stampText(digest, result.files.get('manifest.json')!),
          ...(force ? {} : { current: () => isCurrent(out, digest) }),
        },
  );
  return {
    id: result.id,
    out,
    status,
    stages: result.stages,
    files: [...result.files].map(([name, data]) => ({ name, size: data.length })),
    verdict: result.verification?.verdict,
    development: id.development,
    logId,
  };
}

/**
 * The digest of a document's build inputs under `setup` (src/node/inputs.ts): its sources, the
 * fonts and HarfBuzz, the code, the signing certificate, the release time, and the options that
 * change the bytes (release mode, the TSA, revocation data, the log's name). Not in it: where the
 * provenance says the build ran (the builder, the sources' commit), which names the build but is
 * no input of the document: a rebuild only for those is asked for with --force.
 */
export function buildDigester(
  setup: Pick<BuildSetup, 'options' | 'sourceDateEpoch'> & { chain: Certificate[] },
): (files: Pick<SourceFiles, 'source' | 'metadata'>) => string {
  const hb = harfbuzzWasm();
  const fonts = fileDigests([bodyFont(), rtlFont(), hb.shape, hb.subset]);
  const { options } = setup;
  const chosen = {
    release: options.release,
    tsa: tsaUrls(),
    revocation: options.revocation.map((p) => sha256Hex(readInput(p, 64 << 20))),
    logOrigin: options.logOrigin ?? null,
  };
  const chain = setup.chain.map((c) => c.der);
  return (files) =>
    inputDigest({
      source: files.source,
      metadata: files.metadata,
      fonts,
      chain,
      releaseTime: setup.sourceDateEpoch,
      options: chosen,
    });
}
