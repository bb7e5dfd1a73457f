import { statSync } from 'node:fs';
import { join } from 'node:path';
import { buildInto, buildSetup, type BuildOptions } from '../build-document.js';
import { buildTree } from '../batch/build-tree.js';
import { sourceFolders } from '../../node/tree.js';
import { announceIdentity, announceLogKey } from '../identity.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../io.js';
import { jsonText, printable } from '../printable.js';
import { DEFAULT_LOG_ORIGIN } from '../../node/log-key.js';

const isFile = (path: string) => statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
const isDirectory = (path: string) =>
  statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;

export const buildCommand: Command = {
  name: 'build',
  help: `Usage: docprov build SOURCE_DIR -o OUT_DIR [--json] [--release]
       docprov build SOURCES -o OUT [--force] [--jobs N] [--json] [--release]

Reads SOURCE_DIR/source.txt and SOURCE_DIR/metadata.json, normalises, validates, typesets and
signs them, writes the manifest and SHA256SUMS with their detached signatures, and finally runs
the reader's verifier on the result. Only then is OUT_DIR replaced, as a whole: a failed build
leaves OUT_DIR as it was. Files: <id>.pdf (signed), <id>.txt, <id>.metadata.json,
manifest.json(.p7s), SHA256SUMS(.p7s), provenance.intoto.json, manifest.json.tlog-proof.

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

Many documents: when SOURCES holds source folders (SOURCES/<name>/source.txt), every document
is built into OUT/<name>/, in parallel on a pool of worker threads (one a core), and entered in
the log OUT/log, one at a time. A document whose inputs have not changed since its folder was
built (its sources, the fonts, docprov's code, the signing certificate, SOURCE_DATE_EPOCH, the
TSA, revocation and log options) is not built again: its folder is kept as it is
(OUT/.<name>.inputs records them). A progress bar on a terminal, else one line a document. A
document that fails is reported; the others go on.

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
  --json                     print the build report (stages, timings, files) as JSON; for
                             many documents, one report a document
  --force                    many documents: build every one, changed or not
  -j, --jobs N               many documents: N worker threads (default: one a core)
  --help                     show this help

Exit: 0 built, 1 the sources are invalid (many: any document failed), 2 could not run (keys,
files, the log).
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
      force: { type: 'boolean' },
      jobs: { type: 'string', short: 'j' },
    });
    if (positionals.length !== 1 || !values.out)
      throw usageError('build takes SOURCE_DIR and -o OUT_DIR', 'run "docprov build --help"');
    const dir = positionals[0]!;
    const options: BuildOptions = {
      release: !!values.release,
      revocation: values.revocation ?? [],
      trust: values.trust ?? [],
      renewTimestamps: !!values['renew-timestamps'],
      ...(values['reuse-timestamps'] ? { reuseTimestamps: values['reuse-timestamps'] } : {}),
      ...(values.log ? { log: values.log } : {}),
      ...(values['log-origin'] ? { logOrigin: values['log-origin'] } : {}),
    };
    // A folder of source folders: every document, on a pool of worker threads.
    if (!isFile(join(dir, 'source.txt')) && sourceFolders(dir).length > 0)
      return buildTree(dir, values.out, options, io, {
        force: !!values.force,
        json: !!values.json,
        ...(values.jobs !== undefined ? { jobs: values.jobs } : {}),
      });
    // Neither one source folder nor a folder of them: said as such, not as a missing file.
    if (!isFile(join(dir, 'source.txt')) && isDirectory(dir))
      throw usageError(
        `${dir} is neither a source folder (source.txt, metadata.json) nor a folder of source folders`,
        'give the folder of one document (it holds source.txt), or the folder that holds such folders (pipeline/sources)',
      );
    if (values.force || values.jobs !== undefined)
      throw usageError(
        `${values.force ? '--force' : '--jobs'} is for a folder of source folders; one document is always built`,
        'give the folder that holds the source folders, or leave the option out',
      );
    const setup = await buildSetup(options);
    const built = await buildInto(setup, dir, values.out, io);
    announceIdentity(io, setup.identity);
    announceLogKey(io, built.logId, setup.identity.development);
    if (values.json)
      io.out(
        jsonText({
          id: built.id,
          out: values.out,
          stages: built.stages,
          files: built.files,
          verdict: built.verdict,
          development: built.development,
        }),
      );
    else {
      for (const s of built.stages) io.out(`${s.stage.padEnd(10)} ok  ${s.ms.toFixed(1)} ms\n`);
      io.out(
        printable(
          `built ${built.id} into ${values.out}: ${built.files.map((f) => f.name).join(', ')}`,
        ) + '\n',
      );
    }
    return EXIT.ok;
  },
};
