import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
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

async function verifyDir(path: string, ctx: VerifyContext): Promise<Report> {
  const files = new Map<string, Uint8Array>();
  const names = readdirSync(path).sort();
  const manifest = optional(join(path, 'manifest.json'));
  let listedPdf: string | undefined;
  try {
    const m = JSON.parse(new TextDecoder().decode(manifest)) as {
      artifacts?: { name?: string; mediaType?: string }[];
    };
    listedPdf = m.artifacts?.find((a) => a.mediaType === 'application/pdf')?.name;
  } catch {
    listedPdf = undefined;
  }
  const pdfName =
    listedPdf && names.includes(listedPdf) ? listedPdf : names.find((n) => n.endsWith('.pdf'));
  for (const name of names) {
    if (name === pdfName) continue;
    const full = join(path, name);
    const s = statSync(full);
    if (s.isFile() && s.size <= SMALL) files.set(name, readInput(full));
    else files.set(name, new Uint8Array(0)); // listed, so an unlisted or odd entry is reported
  }
  const pdf = pdfName ? { name: pdfName, source: openFileSource(join(path, pdfName)) } : undefined;
  try {
    return await verifyFolder(
      { name: path, files, ...(pdf ? { pdf } : {}), schema: await manifestSchema() },
      ctx,
    );
  } finally {
    pdf?.source.close();
  }
}

async function verifyPath(
  path: string,
  manifestPath: string | undefined,
  ctx: VerifyContext,
): Promise<Report> {
  if (path !== '-') {
    let st;
    try {
      st = statSync(path);
    } catch {
      throw new DocprovError('unreadable-file', `cannot read ${path}: no such file or folder`, {
        severity: 'unusable',
        hint: 'check the path',
      });
    }
    if (st.isDirectory()) return verifyDir(path, ctx);
  }
  const manifest = manifestPath
    ? {
        bytes: readInput(manifestPath),
        schema: await manifestSchema(),
        ...(optional(`${manifestPath}.p7s`) ? { p7s: optional(`${manifestPath}.p7s`)! } : {}),
      }
    : undefined;
  if (path === '-')
    return verifyPdfFile(
      {
        name: 'standard input',
        source: memorySource(readInput('-', STDIN_PDF)),
        ...(manifest ? { manifest } : {}),
      },
      ctx,
    );
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

export const verifyCommand: Command = {
  name: 'verify',
  help: `Usage: docprov verify FILE.pdf... [--manifest manifest.json]
       docprov verify DIR             (a downloaded artifact folder)
       docprov verify --text COPY.txt --manifest manifest.json
       docprov verify -               (a PDF on standard input)

Checks a copy found anywhere and says, check by check, whether it is authentic. Fully offline.
  - a PDF: its structure, that its signatures cover every byte, each CMS signature, the
    signer's chain to a trusted root, and, for a docprov document, the sources it carries;
  - a folder: the signed manifest, every file it lists, SHA256SUMS, and the PDF;
  - a text copy (pasted from the PDF, a web page, re-wrapped): its words against the signed
    text; a changed word is shown with its position; a paragraph verifies as an excerpt.

Verdicts: authentic (exit 0); intact-untrusted, the bytes are exactly what was signed but the
signer is not trusted (exit 1); invalid, the bytes were changed or the signature is broken
(exit 1). Exit 2: could not run.

Options:
  --manifest FILE      a manifest.json to check against (its .p7s is read from beside it)
  --text COPY          verify a copy of the text ("-" reads it from standard input)
  --trust ROOT.pem     trust this root too (repeatable); the shipped trust store is trust/roots/
  --signer SHA256      require the signer certificate to have this SHA-256 fingerprint
                       (hex, with or without colons, or openssl's "sha256 Fingerprint=AA:BB:...")
  --now DATE           check as of this time (ISO 8601), instead of the clock
  --json               print the report as JSON (schemas/verification-report.schema.json)
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
    const ctx: VerifyContext = {
      crypto: nodeCrypto,
      anchors: loadTrustAnchors(values.trust ?? []),
      now,
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
  if (!main || !main.intact)
    throw new DocprovError(
      'no-signed-revision',
      main
        ? "the signed revision cannot be written: the signature's own bytes do not check out"
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
