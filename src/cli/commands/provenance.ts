import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DocprovError } from '../../core/errors.js';
import type { Manifest } from '../../core/manifest/manifest.js';
import { checkProvenance } from '../../core/provenance/check.js';
import { parseEnvelope } from '../../core/provenance/dsse.js';
import { LOCAL_BUILDER, PROVENANCE_FILE, type Statement } from '../../core/provenance/statement.js';
import { digest, toHex } from '../../core/crypto.js';
import { manifestSigner } from '../../core/verify/provenance.js';
import { nodeCrypto } from '../../node/crypto.js';
import { readInput } from '../../node/files.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../io.js';
import { jsonText, printable } from '../printable.js';

const short = (hex: string | undefined) => (hex ? `${hex.slice(0, 16)}…` : 'no digest');

export const provenanceCommand: Command = {
  name: 'provenance',
  help: `Usage: docprov provenance FOLDER [--json]

Says in plain words what a document folder's provenance.intoto.json (SLSA provenance v1, an
in-toto Statement in a DSSE envelope) states: which files were built, from which sources and
commit, with which docprov, fonts and tools, on which builder, and whether its signature is the
manifest signer's and its subjects are exactly the folder's files. Whether that signer is
trusted is docprov verify's question: run it too.

Options:
  --json   print the statement itself (the envelope's payload) as JSON
  --help   show this help

Exit: 0 signed by the manifest's signer and about these files, 1 not, 2 could not run.
`,
  async run(args, io) {
    const { values, positionals } = parse('provenance', args, { json: { type: 'boolean' } });
    if (positionals.length !== 1)
      throw usageError('provenance takes one FOLDER', 'run "docprov provenance --help"');
    // The statement's own file names its folder: the files it speaks of are there.
    const given = positionals[0]!;
    const dir = basename(given) === PROVENANCE_FILE ? dirname(given) : given;
    if (!existsSync(join(dir, PROVENANCE_FILE)))
      throw new DocprovError('no-provenance', `${dir} has no ${PROVENANCE_FILE}`, {
        severity: 'unusable',
        hint: 'give a document folder that docprov built (folders built before provenance have none)',
      });
    const bytes = readInput(join(dir, PROVENANCE_FILE));
    const manifestBytes = readInput(join(dir, 'manifest.json'));
    let manifest: Manifest;
    try {
      manifest = JSON.parse(new TextDecoder().decode(manifestBytes)) as Manifest;
    } catch {
      throw new DocprovError('bad-manifest', `${join(dir, 'manifest.json')} is not JSON`, {
        severity: 'unusable',
        hint: 'docprov verify FOLDER says what is wrong with the folder',
      });
    }
    const p7s = existsSync(join(dir, 'manifest.json.p7s'))
      ? readInput(join(dir, 'manifest.json.p7s'))
      : undefined;
    const ctx = { crypto: nodeCrypto, anchors: [], now: new Date() };
    const signer = manifestSigner(p7s, manifest, ctx);
    const files = new Map<string, string>();
    for (const name of readdirSync(dir).sort())
      if (
        (manifest.artifacts ?? []).some((a) => a.name === name) &&
        name !== PROVENANCE_FILE &&
        statSync(join(dir, name)).isFile()
      )
        files.set(name, toHex(digest(nodeCrypto, 'SHA-256', readInput(join(dir, name)))));
    for (const a of manifest.artifacts ?? [])
      if (a.name !== PROVENANCE_FILE && !files.has(a.name)) files.set(a.name, 'missing');
    const f = await checkProvenance(nodeCrypto, bytes, {
      document: manifest.document?.id ?? '',
      files,
      ...(signer ? { signer } : {}),
    });
    if (!f.statement) {
      io.out(printable(`${PROVENANCE_FILE} cannot be read: ${f.unreadable}`) + '\n');
      return EXIT.invalid;
    }
    const s: Statement = f.statement;
    if (values.json) {
      const env = parseEnvelope(bytes);
      io.out(typeof env === 'string' ? jsonText(s) : new TextDecoder().decode(env.payload) + '\n');
      return f.signed && f.problems.length === 0 ? EXIT.ok : EXIT.invalid;
    }
    const b = s.predicate?.buildDefinition;
    const ext = b?.externalParameters;
    const internal = b?.internalParameters;
    const builder = s.predicate?.runDetails?.builder?.id;
    const lines = [
      `${PROVENANCE_FILE}: SLSA provenance (${s.predicateType}) in an in-toto Statement`,
      f.signed
        ? `  ✓ signed (DSSE) by "${signer!.subject}", the signer of manifest.json (certificate SHA-256 ${signer!.fingerprint})`
        : `  ✗ its DSSE signature is not by the signer of manifest.json${signer ? ` ("${signer.subject}")` : ''}`,
      f.problems.length === 0
        ? `  ✓ it is about document "${ext?.document}" and names exactly its files, with their digests:`
        : `  ✗ it does not describe this folder: ${f.problems.join('; ')}`,
      ...(s.subject ?? []).map(
        (x) =>
          `      ${x.name.padEnd(40)} sha256 ${short(x.digest?.sha256)}${files.get(x.name) === x.digest?.sha256 ? '  (the file here)' : '  (NOT the file here)'}`,
      ),
      `  made from ${ext?.sourcePath}${ext?.gitCommit ? ` as of git commit ${ext.gitCommit}` : ' (no commit named: the sources were not as committed, or not in git)'}`,
      `  by docprov ${internal?.docprovVersion}${internal?.SOURCE_DATE_EPOCH ? `, with SOURCE_DATE_EPOCH=${internal.SOURCE_DATE_EPOCH} (${new Date(Number(internal.SOURCE_DATE_EPOCH) * 1000).toISOString()})` : ''}`,
      `  on ${builder}${builder === LOCAL_BUILDER ? " (docprov's id for a build on someone's own machine, not in CI)" : ''}${s.predicate?.runDetails?.metadata?.invocationId ? `, run ${s.predicate.runDetails.metadata.invocationId}` : ''}`,
      '  with these inputs (digests of the exact bytes read):',
      ...(b?.resolvedDependencies ?? []).map(
        (d) =>
          `      ${d.name.padEnd(40)} sha256 ${short(d.digest?.sha256)}${d.uri ? `  ${d.uri}` : ''}${d.digest?.gitBlob ? `  git blob ${d.digest.gitBlob.slice(0, 12)}` : ''}`,
      ),
      `  build type ${b?.buildType}`,
    ];
    io.out(lines.map((l) => printable(l)).join('\n') + '\n');
    return f.signed && f.problems.length === 0 ? EXIT.ok : EXIT.invalid;
  },
};
