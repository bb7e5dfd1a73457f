import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { DocprovError } from '../../core/errors.js';
import { memorySource } from '../../core/pdf/source.js';
import type { Report } from '../../core/verify/report.js';
import { combineReports } from '../../core/verify/combine.js';
import { normalisePin } from '../../core/verify/trust.js';
import {
  verifyFolder,
  verifyPdfFile,
  verifyTextCopy,
  type VerifyContext,
} from '../../core/verify/verify.js';
import { nodeCrypto } from '../../node/crypto.js';
import { openFileSource } from '../../node/file-source.js';
import { readInput } from '../../node/files.js';
import { checkOutputFile, PDF_OUTPUT, writeFileAtomically } from '../../node/output-file.js';
import { loadTrustAnchors } from '../../node/trust-store.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError, type Io } from '../io.js';
import { jsonText, printable } from '../printable.js';
import { renderReport } from '../render-report.js';
import { poolSize } from '../batch/pool.js';
import type { VerifyTask } from '../batch/tasks.js';
import { verify } from '../batch/verify-task.js';
import { verifyTree } from '../batch/verify-tree.js';
import { documentFolders, treeEntries } from '../../node/tree.js';
import { oddEntry } from '../../node/entries.js';
import { cannotCheck } from '../../core/verify/cannot-check.js';
import { REQUIRED_FACTS, type InputKind } from '../../core/verify/policy.js';
import { revocationFiles, shippedRevocationFiles } from '../../node/revocation-data.js';

const SMALL = 64 << 20;
/** A PDF read from standard input is held in memory: up to this size. */
const STDIN_PDF = 64 << 20;

// ajv and the manifest schema are needed for a folder, a manifest or a text copy, never for a
// bare PDF: loaded on first use (inside the bundle, lazily initialised).
async function manifestSchema() {
  return (await import('../../node/schemas.js')).loadSchema('manifest');
}

function optional(path: string): Uint8Array | undefined {
  try {
    return statSync(path).isFile() ? readInput(path) : undefined;
  } catch {
    return undefined;
  }
}

export async function verifyDir(path: string, ctx: VerifyContext): Promise<Report> {
  const files = new Map<string, Uint8Array>();
  const odd = new Map<string, string>();
  const names = readdirSync(path).sort();
  for (const name of names) {
    const what = oddEntry(join(path, name));
    if (what) odd.set(name, what);
  }
  const manifest = odd.has('manifest.json') ? undefined : optional(join(path, 'manifest.json'));
  let listedPdf: string | undefined;
  try {
    const m = JSON.parse(new TextDecoder().decode(manifest)) as {
      artifacts?: { name?: string; mediaType?: string }[];
    };
    listedPdf = m.artifacts?.find((a) => a.mediaType === 'application/pdf')?.name;
  } catch {
    listedPdf = undefined;
  }
  const regular = names.filter((n) => !odd.has(n));
  const pdfName =
    listedPdf && regular.includes(listedPdf) ? listedPdf : regular.find((n) => n.endsWith('.pdf'));
  for (const name of regular) {
    if (name === pdfName) continue;
    const full = join(path, name);
    const s = statSync(full);
    if (s.size <= SMALL) files.set(name, readInput(full));
    else files.set(name, new Uint8Array(0)); // listed, so an unlisted or odd entry is reported
  }
  // Sub-folders that are document folders: the folder given is the one above them.
  const documentFolders = [...odd]
    .filter(([n, what]) => what === 'a folder' && existsSync(join(path, n, 'manifest.json')))
    .map(([n]) => n);
  const pdf = pdfName ? { name: pdfName, source: openFileSource(join(path, pdfName)) } : undefined;
  try {
    return await verifyFolder(
      {
        name: path,
        files,
        ...(pdf ? { pdf } : {}),
        schema: await manifestSchema(),
        ...(odd.size ? { odd } : {}),
        ...(documentFolders.length ? { documentFolders } : {}),
      },
      ctx,
    );
  } finally {
    pdf?.source.close();
  }
}

export async function verifyPath(
  path: string,
  manifestPath: string | undefined,
  ctx: VerifyContext,
): Promise<Report> {
  if (path !== '-') {
    let st;
    try {
      st = statSync(path);
    } catch {
      // A publish killed mid-swap leaves the folder as .NAME.new or .NAME.old beside it.
      const parent = dirname(resolve(path));
      const left = [`.${basename(path)}.new`, `.${basename(path)}.old`].filter((n) =>
        existsSync(join(parent, n)),
      );
      throw new DocprovError('unreadable-file', `cannot read ${path}: no such file or folder`, {
        severity: 'unusable',
        hint: left.length
          ? `an interrupted build left ${left.join(' and ')} beside it: run the build again (or docprov check) to finish it, then verify`
          : 'check the path',
      });
    }
    if (st.isDirectory()) return verifyDir(path, ctx);
    if (!st.isFile())
      throw cannotCheck(
        `${path} is ${oddEntry(path) ?? 'not a regular file'}, not a file`,
        'give the PDF file itself, or the folder it is in',
      );
  }
  const manifest = manifestPath
    ? {
        bytes: readInput(manifestPath),
        schema: await manifestSchema(),
        ...(optional(`${manifestPath}.p7s`) ? { p7s: optional(`${manifestPath}.p7s`)! } : {}),
      }
    : undefined;
  if (path === '-') {
    const bytes = readInput('-', STDIN_PDF);
    if (bytes.length === 0)
      throw new DocprovError('empty-input', 'standard input is empty: there is no PDF to verify', {
        severity: 'unusable',
        hint: 'give the PDF on standard input (docprov verify - < FILE.pdf), or its path',
      });
    return verifyPdfFile(
      {
        name: 'standard input',
        source: memorySource(bytes),
        ...(manifest ? { manifest } : {}),
      },
      ctx,
    );
  }
  const source = openFileSource(path);
  try {
    return await verifyPdfFile({ name: path, source, ...(manifest ? { manifest } : {}) }, ctx);
  } finally {
    source.close();
  }
}

async function verifyText(
  copyPath: string,
  manifestPath: string,
  ctx: VerifyContext,
): Promise<Report> {
  const bytes = readInput(manifestPath);
  let id: string | undefined;
  try {
    id = (JSON.parse(new TextDecoder().decode(bytes)) as { document?: { id?: string } }).document
      ?.id;
  } catch {
    id = undefined;
  }
  const p7s = optional(`${manifestPath}.p7s`);
  const canonical =
    id && /^[a-z0-9-]+$/.test(id) ? optional(join(dirname(manifestPath), `${id}.txt`)) : undefined;
  return verifyTextCopy(
    {
      name: copyPath === '-' ? 'standard input' : copyPath,
      copy: readInput(copyPath, 16 << 20),
      manifest: { bytes, schema: await manifestSchema(), ...(p7s ? { p7s } : {}) },
      ...(canonical ? { canonical } : {}),
    },
    ctx,
  );
}

/** A folder that is not a document folder itself, but holds document folders. */
function isTree(path: string): boolean {
  return (
    path !== '-' &&
    (statSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false) &&
    !existsSync(join(path, 'manifest.json')) &&
    documentFolders(path).length > 0
  );
}

/** The required facts of each kind of input, as `docprov help verify` lists them. */
function factsHelp(): string {
  const kinds: [InputKind, string][] = [
    ['pdf', 'A PDF'],
    ['folder', "A folder: the PDF's facts, and"],
    ['text', 'A text copy'],
  ];
  const pdf = new Set(REQUIRED_FACTS.pdf.map((f) => f.id));
  return kinds
    .map(([kind, title]) => {
      const facts = REQUIRED_FACTS[kind].filter((f) => kind !== 'folder' || !pdf.has(f.id));
      const width = Math.max(...facts.map((f) => f.id.length));
      return `${title}:\n${facts.map((f) => `  ${f.id.padEnd(width)}  ${f.says}${f.pinned ? ' (only with --signer)' : ''}`).join('\n')}`;
    })
    .join('\n');
}

export const verifyCommand: Command = {
  name: 'verify',
  help: `Usage: docprov verify FILE.pdf... [--manifest manifest.json]
       docprov verify DIR             (a downloaded artifact folder)
       docprov verify --text COPY.txt --manifest manifest.json
       docprov verify -               (a PDF on standard input)
       docprov verify TREE            (a folder of artifact folders, checked in parallel)

Checks a copy found anywhere and says, check by check, whether it is authentic. Fully offline.
  - a PDF: its structure, that its signatures cover every byte, each CMS signature, the
    signer's chain to a trusted root, and, for a docprov document, the sources it carries;
  - a folder: the signed manifest, every file it lists, SHA256SUMS, and the PDF;
  - a text copy (pasted from the PDF, a web page, re-wrapped): its words against the signed
    text; a changed word is shown with its position; a paragraph verifies as an excerpt;
  - a tree (a folder of artifact folders, e.g. the output of docprov build SOURCES -o OUT):
    every folder, in parallel on one thread a core, then a table: verdict, signer, the checks
    that failed. Exit 0 when every one is authentic, 2 when one could not be checked, else 1.

Verdicts: authentic (exit 0); intact-untrusted, the bytes are exactly what was signed but the
signer is not trusted, or not proven trustworthy (exit 1); invalid, the bytes were changed or
the signature is broken (exit 1). Exit 2: could not run, or cannot check (a companion file is
missing, the folder is not a document folder): the message says what to give instead.

Authentic is earned: every required fact below must pass; a check that could not be done
(skipped) never counts as passed.

${factsHelp()}

Revocation: a signer counts as not revoked only when CRLs or OCSP responses issued at or after
the time a trusted timestamp proves it signed say so; all of them are weighed together, and a
revocation any of them shows stands. No such data means not proven (intact-untrusted), never
authentic: a claimed signing time (/M, signing-time) proves nothing against a revocation, and a
signature without a timestamp can only be judged now, which no data at hand can speak for.

Options:
  --manifest FILE      a manifest.json to check against (its .p7s is read from beside it)
  --text COPY          verify a copy of the text ("-" reads it from standard input)
  --trust ROOT.pem     trust this root too (repeatable); the shipped trust store is trust/roots/
  --signer SHA256      require the signer certificate to have this SHA-256 fingerprint
                       (hex, with or without colons, or openssl's "sha256 Fingerprint=AA:BB:...")
  --revocation FILE    a CRL (PEM or DER) or OCSP response (.ocsp) to weigh with the file's own
                       revocation data (repeatable); the CRLs in trust/revocation/ always are
  --now DATE           check as of this time (ISO 8601), instead of the clock
  --json               print the report as JSON (schemas/verification-report.schema.json);
                       for a TREE, a list of one report a document folder
  --signed-revision OUT.pdf
                       write the bytes the document's signature covers (what Acrobat calls
                       "view signed version"): the letter as signed, whatever was added later
  --help               show this help
`,
  async run(args, io: Io) {
    const { values, positionals } = parse('verify', args, {
      manifest: { type: 'string' },
      text: { type: 'string' },
      trust: { type: 'string', multiple: true },
      signer: { type: 'string' },
      now: { type: 'string' },
      json: { type: 'boolean' },
      'signed-revision': { type: 'string' },
      revocation: { type: 'string', multiple: true },
    });
    if (values.text ? positionals.length > 0 || !values.manifest : positionals.length === 0)
      throw usageError(
        values.text
          ? 'verify --text COPY needs --manifest manifest.json and no other files'
          : 'verify needs a FILE, a DIR, or --text COPY --manifest manifest.json',
        'run "docprov verify --help"',
      );
    if (values.signer !== undefined && !/^[0-9a-f]{64}$/.test(normalisePin(values.signer)))
      throw usageError(
        '--signer takes a SHA-256 fingerprint (64 hex digits, colons allowed)',
        'docprov keys show prints the fingerprint of a signer; openssl x509 -fingerprint -sha256 does too',
      );
    let now = new Date();
    if (values.now !== undefined) {
      now = new Date(values.now);
      if (Number.isNaN(now.getTime()))
        throw usageError(
          `--now "${values.now}" is not a date`,
          'write it as ISO 8601, e.g. 2027-01-01T00:00:00Z',
        );
    }
    if (
      positionals.filter((p) => p === '-').length > 1 ||
      (values.text === '-' && positionals.includes('-'))
    )
      throw usageError(
        'standard input ("-") can be read only once',
        'give the other inputs as files',
      );
    // A tree of document folders: each verified on the pool, then a table (src/cli/batch).
    const trees = values.text ? [] : positionals.filter(isTree);
    if (trees.length > 0) {
      if (values.manifest || values['signed-revision'])
        throw usageError(
          `${values.manifest ? '--manifest' : '--signed-revision'} is for one document, not a tree of document folders`,
          'give that document folder or PDF alone',
        );
      const tasks: VerifyTask[] = positionals.flatMap((p) =>
        // Everything the tree holds is verified or said: a folder that is not a document
        // folder, a loose file, is a row that cannot be checked, never passed over.
        (isTree(p) ? treeEntries(p).map((n) => join(p, n)) : [p]).map((path) => ({
          name: path,
          path,
          trust: (values.trust ?? []).map((t) => resolve(t)),
          revocation: (values.revocation ?? []).map((r) => resolve(r)),
          ...(values.signer ? { signer: values.signer } : {}),
          now: now.toISOString(),
        })),
      );
      return verifyTree(tasks, io, { json: !!values.json, threads: poolSize(undefined) }, verify);
    }
    const ctx: VerifyContext = {
      crypto: nodeCrypto,
      anchors: loadTrustAnchors(values.trust ?? []),
      now,
      revocation: revocationFiles([...shippedRevocationFiles(), ...(values.revocation ?? [])]),
      ...(values.signer ? { signerPin: values.signer } : {}),
    };
    const reports: Report[] = [];
    if (values.text) reports.push(await verifyText(values.text, values.manifest!, ctx));
    else for (const p of positionals) reports.push(await verifyPath(p, values.manifest, ctx));
    const report = reports.length === 1 ? reports[0]! : combineReports(reports, ctx);
    if (values.json) io.out(jsonText(report));
    else for (const r of reports) io.out(renderReport(r, colourFor(process.stdout)) + '\n');
    const revision = values['signed-revision'];
    if (revision) {
      await writeSignedRevision(positionals, report, revision);
      if (!values.json) io.out(`signed revision written to ${printable(revision)}\n`);
    }
    return report.verdict === 'authentic' ? EXIT.ok : EXIT.invalid;
  },
};

/** The signed revision of the one PDF given: [0, end) of its document signature, if intact. */
async function writeSignedRevision(inputs: string[], report: Report, out: string): Promise<void> {
  if (inputs.length !== 1 || report.kind !== 'pdf' || inputs[0] === '-')
    throw usageError(
      '--signed-revision takes one PDF file',
      'run "docprov verify FILE.pdf --signed-revision OUT.pdf"',
    );
  const sigs = report.signatures ?? [];
  const main =
    sigs.find((x) => x.kind === 'signature' && x.signer) ??
    sigs.find((x) => x.kind === 'signature');
  // The check that keeps the signature from being intact is the reason, said as it failed.
  const why = report.checks.find(
    (c) =>
      c.status === 'fail' &&
      [
        'byte-range',
        'contents-gap',
        'signed-revision',
        'message-digest',
        'signature-value',
      ].includes(c.id),
  );
  if (!main || !main.intact)
    throw new DocprovError(
      'no-signed-revision',
      main
        ? `the signed revision cannot be written: ${why ? `${why.id}: ${why.message}` : "the signature's own bytes do not check out"}`
        : 'the PDF carries no signature, so it has no signed revision',
      { hint: 'the report above says what is wrong' },
    );
  checkOutputFile(out, PDF_OUTPUT);
  const source = openFileSource(inputs[0]!);
  try {
    const bytes = new Uint8Array(main.revisionEnd);
    let at = 0;
    for await (const chunk of source.chunks(0, main.revisionEnd)) {
      bytes.set(chunk, at);
      at += chunk.length;
    }
    writeFileAtomically(out, bytes, PDF_OUTPUT);
  } finally {
    source.close();
  }
}

function colourFor(stream: NodeJS.WriteStream): boolean {
  return !!stream.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}
