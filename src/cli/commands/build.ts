import { join } from 'node:path';
import { buildDocument } from '../../core/build/index.js';
import { nodeCrypto } from '../../node/crypto.js';
import { readInput } from '../../node/files.js';
import { bodyFont } from '../../node/fonts.js';
import { packageVersion } from '../../node/package-root.js';
import { loadSchema } from '../../node/schemas.js';
import { loadTrustAnchors } from '../../node/trust-store.js';
import { loadSigningIdentity } from '../../node/keys.js';
import { signingTime } from '../../node/signing-time.js';
import { writeFolderAtomically } from '../../node/atomic.js';
import { announceIdentity } from '../identity.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError, warn } from '../io.js';

export const buildCommand: Command = {
  name: 'build',
  help: `Usage: docprov build SOURCE_DIR -o OUT_DIR [--json] [--release]

Reads SOURCE_DIR/source.txt and SOURCE_DIR/metadata.json, normalises, validates, typesets and
signs them, writes the manifest and SHA256SUMS with their detached signatures, and finally runs
the reader's verifier on the result. Only then is OUT_DIR replaced, as a whole: a failed build
leaves OUT_DIR as it was. Files: <id>.pdf (signed), <id>.txt, <id>.metadata.json,
manifest.json(.p7s), SHA256SUMS(.p7s).

Dates: the PDF's own dates come from SOURCE_DATE_EPOCH, or the letter's date when unset; the
signing time from SOURCE_DATE_EPOCH, or now. Keys: as for "docprov sign".

Options:
  -o, --out OUT_DIR   where the artifacts go (required)
  --release           refuse the development keys: sign with DOCPROV_SIGNING_KEY/_CERT only
  --json              print the build report (stages, timings, files) as JSON
  --help              show this help

Exit: 0 built, 1 the sources are invalid, 2 could not run (keys, files).
`,
  async run(args, io) {
    const { values, positionals } = parse('build', args, {
      out: { type: 'string', short: 'o' },
      json: { type: 'boolean' },
      release: { type: 'boolean' },
    });
    if (positionals.length !== 1 || !values.out)
      throw usageError('build takes SOURCE_DIR and -o OUT_DIR', 'run "docprov build --help"');
    const dir = positionals[0]!;
    const sourceName = join(dir, 'source.txt');
    const metadataName = join(dir, 'metadata.json');
    const source = readInput(sourceName);
    const metadata = readInput(metadataName);
    const when = signingTime(process.env);
    const id = await loadSigningIdentity(when, process.env, !values.release);
    announceIdentity(io, id);
    const sde = process.env.SOURCE_DATE_EPOCH;
    const result = await buildDocument({
      source,
      metadata,
      metadataSchema: loadSchema('letter-metadata'),
      font: bodyFont(),
      toolVersion: packageVersion(),
      crypto: nodeCrypto,
      signing: {
        signer: id.signer,
        certificate: id.certificate,
        development: id.development,
        time: when,
      },
      // The self-check trusts the shipped roots and, except for a release, the signing chain's root.
      selfCheck: {
        anchors: [...loadTrustAnchors(), ...(values.release ? [] : id.chain.slice(-1))],
        manifestSchema: loadSchema('manifest'),
        now: new Date(Math.max(Date.now(), when.getTime())),
      },
      ...(sde !== undefined ? { sourceDateEpoch: sde } : {}),
      sourceName,
      metadataName,
    });
    warn(io, result.warnings);
    writeFolderAtomically(values.out, result.files);
    const files = [...result.files].map(([name, data]) => ({ name, size: data.length }));
    if (values.json)
      io.out(
        JSON.stringify(
          {
            id: result.id,
            out: values.out,
            stages: result.stages,
            files,
            verdict: result.verification?.verdict,
            development: id.development,
          },
          null,
          2,
        ) + '\n',
      );
    else {
      for (const s of result.stages) io.out(`${s.stage.padEnd(10)} ok  ${s.ms.toFixed(1)} ms\n`);
      io.out(`built ${result.id} into ${values.out}: ${files.map((f) => f.name).join(', ')}\n`);
    }
    return EXIT.ok;
  },
};
