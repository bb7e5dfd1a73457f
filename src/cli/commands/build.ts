import { accessSync, constants, existsSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { LongTerm } from '../../core/build/build.js';
import { DocprovError, type Problem } from '../../core/errors.js';
import { harvestTokens } from '../../core/tsp/harvest.js';
import {
  fetchRevocation,
  revocationFiles,
  shippedRevocationFiles,
} from '../../node/revocation-data.js';
import { developmentCrls } from '../../node/dev-revocation.js';
import { publishedSignatures, reusingSigner } from '../../core/build/published-signatures.js';
import { PROVENANCE_FILE } from '../../core/provenance/statement.js';
import { httpTimestamper, tsaUrls } from '../../node/tsa-client.js';
import { buildDocument } from '../../core/build/index.js';
import { nodeCrypto } from '../../node/crypto.js';
import { fileError, readInput } from '../../node/files.js';
import { bodyFont } from '../../node/fonts.js';
import { harfbuzzWasm } from '../../node/harfbuzz.js';
import { packageVersion } from '../../node/package-root.js';
import { loadSchema } from '../../node/schemas.js';
import { loadLogKeys, loadTrustAnchors } from '../../node/trust-store.js';
import { DEFAULT_LOG_ORIGIN, loadLogKey } from '../../node/log-key.js';
import { logReader, openLog } from '../../node/transparency-log.js';
import { provenanceInput } from '../../node/provenance-input.js';
import { LOG_PROOF_FILE } from '../../core/verify/log-inclusion.js';
import { loadSigningIdentity } from '../../node/keys.js';
import { signingTime } from '../../node/signing-time.js';
import { prepareFolder, writeFolderAtomically } from '../../node/atomic.js';
import { notAnArtifactSet } from '../../core/build/artifact-set.js';
import { announceIdentity, announceLogKey } from '../identity.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, note, usageError, warn, type Io } from '../io.js';
import { jsonText, printable } from '../printable.js';

/** PAdES B-LTA when a TSA is configured or published tokens can be reused; else B-B (said once). */
async function longTermFor(
  published: Published | undefined,
  revocation: string[],
  anchors: LongTerm['anchors'],
  release: boolean,
  renew: boolean,
  io: Io,
  issued: () => Uint8Array[] = () => [],
): Promise<LongTerm | undefined> {
  const urls = tsaUrls();
  const reuse = published ? await harvestTokens(published, nodeCrypto) : new Map();
  if (urls.length === 0 && reuse.size === 0) {
    if (release)
      throw new DocprovError(
        'no-tsa',
        'a release is time-stamped, and DOCPROV_TSA_URL is not set',
        {
          severity: 'unusable',
          hint: "set DOCPROV_TSA_URL to the publisher's RFC 3161 service (node pipeline/tsa-server.mjs runs the demo one)",
        },
      );
    warn(io, [
      {
        code: 'no-timestamp',
        message:
          'DOCPROV_TSA_URL is not set: the signatures are PAdES B-B, without timestamps, and stop proving anything once the signer certificate expires',
        hint: 'set DOCPROV_TSA_URL to an RFC 3161 service for long-term (B-LTA) signatures',
      },
    ]);
    return undefined;
  }
  const files = revocationFiles(revocation);
  return {
    timestamper: httpTimestamper(urls, nodeCrypto, reuse),
    anchors,
    now: new Date(),
    ...(published?.pdf ? { published: published.pdf } : {}),
    renew,
    async revocation(certs) {
      const fetched = await fetchRevocation(certs);
      return {
        crls: [...fetched.crls, ...files.crls, ...issued()],
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

export const buildCommand: Command = {
  name: 'build',
  help: `Usage: docprov build SOURCE_DIR -o OUT_DIR [--json] [--release]

Reads SOURCE_DIR/source.txt and SOURCE_DIR/metadata.json, normalises, validates, typesets and
signs them, writes the manifest and SHA256SUMS with their detached signatures, and finally runs
the reader's verifier on the result. Only then is OUT_DIR replaced, as a whole: a failed build
leaves OUT_DIR as it was. Files: <id>.pdf (signed), <id>.txt, <id>.metadata.json,
manifest.json(.p7s), SHA256SUMS(.p7s).

OUT_DIR must be new, empty, or a folder docprov built (exactly those files): anything else is
refused. The swap survives a crash at any instant: the next run finishes or undoes it, and says so.

Provenance: provenance.intoto.json is SLSA provenance (an in-toto Statement in a DSSE
envelope, signed with the signing key): the files made, the sources and the commit that last
changed them, the fonts and tools, the builder (the GitHub Actions workflow there, else
docprov's local builder id).

Transparency log: the artifact set (document, manifest digest, signer, time) is entered in the
log in --log DIR (default: "log" beside OUT_DIR), whose checkpoints DOCPROV_LOG_KEY signs
(Ed25519; without it, a development log key, said loudly); manifest.json.tlog-proof proves
the entry offline. An unchanged artifact set is found, not appended again.

Dates: the PDF's own dates come from SOURCE_DATE_EPOCH, or the letter's date when unset; the
signing time from SOURCE_DATE_EPOCH, or now. Keys: as for "docprov sign".

Long-term validation: with DOCPROV_TSA_URL (one or more RFC 3161 services, tried in order) the
PDF is PAdES B-LTA: its signature is time-stamped, a Document Security Store holds every
certificate and the revocation data (from the certificates' distribution points, else from
--revocation files), and a document timestamp covers it all; manifest.json.p7s and
SHA256SUMS.p7s are time-stamped too. Without it the signatures are B-B.

Options:
  -o, --out OUT_DIR          where the artifacts go (required)
  --release                  refuse the development keys: sign with DOCPROV_SIGNING_KEY/_CERT
                             only, and with timestamps
  --revocation FILE          a CRL (PEM or DER) or OCSP response for the DSS (repeatable)
  --reuse-timestamps DIR     reuse the time-stamp tokens of the artifacts in DIR where they
                             stamp the same bytes, the signature values this key made there
                             over the same signed attributes (RSA-PSS and a token's ECDSA are
                             randomised), and keep the archive renewals of DIR's PDF
                             (regenerating unchanged artifacts asks no TSA for anything)
  --renew-timestamps         add a fresh document timestamp (archive renewal), after refreshing
                             the validation data: before the last TSA certificate expires
  --trust ROOT.pem           a root the self-check and the DSS may end chains at (repeatable)
  --log DIR                  the transparency log folder (default: log beside OUT_DIR)
  --log-origin NAME          the name of a new log (default: the log's own, else
                             ${DEFAULT_LOG_ORIGIN}); its checkpoints' key is named so
  --json                     print the build report (stages, timings, files) as JSON
  --help                     show this help

Exit: 0 built, 1 the sources are invalid, 2 could not run (keys, files, the log).
`,
  async run(args, io) {
    const { values, positionals } = parse('build', args, {
      out: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      release: { type: 'boolean' },
      revocation: { type: 'string', multiple: true },
      'reuse-timestamps': { type: 'string' },
      'renew-timestamps': { type: 'boolean' },
      trust: { type: 'string', multiple: true },
      log: { type: 'string' },
      'log-origin': { type: 'string' },
    });
    if (positionals.length !== 1 || !values.out)
      throw usageError('build takes SOURCE_DIR and -o OUT_DIR', 'run "docprov build --help"');
    const dir = positionals[0]!;
    const say = (message: string) => note(io, message);
    // Before any work: an interrupted publish is finished, a folder that is not ours refused.
    prepareFolder(values.out, notAnArtifactSet, say);
    const sourceName = join(dir, 'source.txt');
    const metadataName = join(dir, 'metadata.json');
    const source = readInput(sourceName);
    const metadata = readInput(metadataName);
    const when = signingTime(process.env);
    const id = await loadSigningIdentity(when, process.env, !values.release);
    const sde = process.env.SOURCE_DATE_EPOCH;
    const anchors = [
      ...loadTrustAnchors(values.trust ?? []),
      ...(values.release ? [] : id.chain.slice(-1)),
    ];
    // Renewing changes the PDF's bytes, so manifest.json and SHA256SUMS are signed again: that
    // needs a certificate valid now, not only at the release time.
    const now = new Date();
    if (
      values['renew-timestamps'] &&
      !(id.certificate.notBefore <= now && now <= id.certificate.notAfter)
    )
      throw new DocprovError(
        'renewal-needs-current-key',
        `renewing re-signs manifest.json and SHA256SUMS (the PDF's bytes change), and the signing certificate "${id.certificate.subject}" is not valid now: it is valid from ${id.certificate.notBefore.toISOString()} to ${id.certificate.notAfter.toISOString()}`,
        {
          severity: 'unusable',
          hint: 'rotate the key: a current certificate under the same root in DOCPROV_SIGNING_KEY/DOCPROV_SIGNING_CERT, then npm run regenerate -- --new-release-time (README, "Rotating the key"); the new release is time-stamped afresh',
        },
      );
    const reuseDir = values['reuse-timestamps'];
    const published = reuseDir ? readPublished(reuseDir) : undefined;
    // Signature values this key already published over the same bytes are reused (PSS and a
    // token's ECDSA are randomised): unchanged content then keeps its bytes and its timestamps.
    const signer = published
      ? reusingSigner(id.signer, await publishedSignatures(published, id.signer, nodeCrypto))
      : id.signer;
    const longTerm = await longTermFor(
      published,
      values.revocation ?? [],
      [...anchors, ...id.chain],
      !!values.release,
      !!values['renew-timestamps'],
      io,
      () => developmentCrls(id),
    );
    // The log is written before the folder: a folder that cannot be written is said first.
    const parent = dirname(resolve(values.out));
    if (existsSync(parent))
      try {
        accessSync(parent, constants.W_OK);
      } catch (e) {
        throw fileError(e, 'write', values.out);
      }
    const logDir = resolve(values.log ?? join(dirname(resolve(values.out)), 'log'));
    const logId = loadLogKey(
      values['log-origin'] ?? existingOrigin(logDir) ?? DEFAULT_LOG_ORIGIN,
      process.env,
      !values.release,
    );
    const log = openLog(logDir, logId, say);
    // A published folder's proof of the same entry is kept, so regenerating changes no byte.
    const publishedProof = (() => {
      try {
        return readInput(join(values.out, LOG_PROOF_FILE));
      } catch {
        return undefined;
      }
    })();
    const warnings: Problem[] = [];
    try {
      const result = await buildDocument({
        source,
        metadata,
        metadataSchema: loadSchema('letter-metadata'),
        font: bodyFont(),
        harfbuzz: harfbuzzWasm(),
        toolVersion: packageVersion(),
        crypto: nodeCrypto,
        signing: {
          signer,
          certificate: id.certificate,
          development: id.development,
          time: when,
          ...(longTerm ? { longTerm } : {}),
        },
        // The self-check trusts the shipped roots and, except for a release, the signing chain's root.
        selfCheck: {
          anchors,
          manifestSchema: loadSchema('manifest'),
          now: new Date(Math.max(Date.now(), when.getTime())),
          // A release's log key must be the one the shipped trust store pins for its log.
          ...(values.release ? { logKeys: loadLogKeys() } : {}),
          revocation: (() => {
            const r = revocationFiles([...shippedRevocationFiles(), ...(values.revocation ?? [])]);
            return { crls: [...r.crls, ...developmentCrls(id)], ocsps: r.ocsps };
          })(),
        },
        provenance: provenanceInput(
          dir,
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
      // The log first: a folder is never published with a proof its log does not hold yet.
      log.commit();
      writeFolderAtomically(values.out, result.files, notAnArtifactSet, say);
      announceIdentity(io, id);
      announceLogKey(io, logId, id.development);
      const files = [...result.files].map(([name, data]) => ({ name, size: data.length }));
      if (values.json)
        io.out(
          jsonText({
            id: result.id,
            out: values.out,
            stages: result.stages,
            files,
            verdict: result.verification?.verdict,
            development: id.development,
          }),
        );
      else {
        for (const s of result.stages) io.out(`${s.stage.padEnd(10)} ok  ${s.ms.toFixed(1)} ms\n`);
        io.out(
          printable(
            `built ${result.id} into ${values.out}: ${files.map((f) => f.name).join(', ')}`,
          ) + '\n',
        );
      }
      return EXIT.ok;
    } finally {
      log.release();
    }
  },
};
