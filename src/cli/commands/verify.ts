import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DocprovError } from '../../core/errors.js';
import type { Report } from '../../core/verify/report.js';
import {
  verifyFolder,
  verifyPdfFile,
  verifyTextCopy,
  type VerifyContext,
} from '../../core/verify/verify.js';
import { nodeCrypto } from '../../node/crypto.js';
import { openFileSource } from '../../node/file-source.js';
import { readInput } from '../../node/files.js';
import { nativeSearch } from '../../node/search.js';
import { loadTrustAnchors } from '../../node/trust-store.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError, type Io } from '../io.js';
import { renderReport } from '../render-report.js';

const SMALL = 64 << 20;

// ajv (~0.15 s to load) is needed only when a manifest is: a bare PDF never pays for it.
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

async function verifyPath(
  path: string,
  manifestPath: string | undefined,
  ctx: VerifyContext,
): Promise<Report> {
  let st;
  try {
    st = statSync(path);
  } catch {
    throw new DocprovError('unreadable-file', `cannot read ${path}: no such file or folder`, {
      severity: 'unusable',
      hint: 'check the path',
    });
  }
  if (st.isDirectory()) {
    const schema = await manifestSchema();
    const files = new Map<string, Uint8Array>();
    let pdf: { name: string; source: ReturnType<typeof openFileSource> } | undefined;
    for (const name of readdirSync(path).sort()) {
      const full = join(path, name);
      const s = statSync(full);
      if (!s.isFile()) continue;
      if (name.endsWith('.pdf') && !pdf) pdf = { name, source: openFileSource(full) };
      else if (s.size <= SMALL) files.set(name, readInput(full));
    }
    try {
      return await verifyFolder({ name: path, files, ...(pdf ? { pdf } : {}), schema }, ctx);
    } finally {
      pdf?.source.close();
    }
  }
  const source = openFileSource(path);
  try {
    const manifest = manifestPath
      ? {
          bytes: readInput(manifestPath),
          schema: await manifestSchema(),
          ...(optional(`${manifestPath}.p7s`) ? { p7s: optional(`${manifestPath}.p7s`)! } : {}),
        }
      : undefined;
    return await verifyPdfFile({ name: path, source, ...(manifest ? { manifest } : {}) }, ctx);
  } finally {
    source.close();
  }
}

export const verifyCommand: Command = {
  name: 'verify',
  help: `Usage: docprov verify FILE.pdf... [--manifest manifest.json]
       docprov verify DIR             (a downloaded artifact folder)
       docprov verify --text COPY.txt --manifest manifest.json

Checks a copy found anywhere and says, check by check, whether it is authentic. Fully offline.
  - a PDF: its structure, that its signature covers every byte, the CMS signature, the signer's
    chain to a trusted root, and, for a docprov document, the sources it carries;
  - a folder: the signed manifest, every file it lists, SHA256SUMS, and the PDF;
  - a text copy (pasted from the PDF, a web page, re-wrapped): its words against the signed
    manifest; a changed word is shown with its position.

Verdicts: authentic (exit 0); intact-untrusted, the bytes are exactly what was signed but the
signer is not trusted (exit 1); invalid, the bytes were changed or the signature is broken
(exit 1). Exit 2: could not run.

Options:
  --manifest FILE      a manifest.json to check against (its .p7s is read from beside it)
  --text COPY          verify a copy of the text (needs --manifest)
  --trust ROOT.pem     trust this root too (repeatable); the shipped trust store is trust/roots/
  --signer SHA256      require the signer certificate to have this SHA-256 fingerprint
  --now DATE           check as of this time (ISO 8601), instead of the clock
  --json               print the report as JSON (schemas/verification-report.schema.json)
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
    });
    if (values.text ? positionals.length > 0 || !values.manifest : positionals.length === 0)
      throw usageError(
        values.text
          ? 'verify --text COPY needs --manifest manifest.json and no other files'
          : 'verify needs a FILE, a DIR, or --text COPY --manifest manifest.json',
        'run "docprov verify --help"',
      );
    if (values.signer !== undefined && !/^[0-9a-fA-F:]{64,95}$/.test(values.signer))
      throw usageError(
        '--signer takes a SHA-256 fingerprint (64 hex digits)',
        'docprov keys show prints the fingerprint of a signer',
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
    const ctx: VerifyContext = {
      crypto: nodeCrypto,
      anchors: loadTrustAnchors(values.trust ?? []),
      now,
      search: nativeSearch,
      ...(values.signer ? { signerPin: values.signer } : {}),
    };
    const reports: Report[] = [];
    if (values.text) {
      const manifestPath = values.manifest!;
      const bytes = readInput(manifestPath);
      let id: string | undefined;
      try {
        id = (JSON.parse(new TextDecoder().decode(bytes)) as { document?: { id?: string } })
          .document?.id;
      } catch {
        id = undefined;
      }
      const p7s = optional(`${manifestPath}.p7s`);
      const canonical =
        id && /^[a-z0-9-]+$/.test(id)
          ? optional(join(dirname(manifestPath), `${id}.txt`))
          : undefined;
      reports.push(
        await verifyTextCopy(
          {
            name: values.text,
            copy: readInput(values.text),
            manifest: { bytes, schema: await manifestSchema(), ...(p7s ? { p7s } : {}) },
            ...(canonical ? { canonical } : {}),
          },
          ctx,
        ),
      );
    } else for (const p of positionals) reports.push(await verifyPath(p, values.manifest, ctx));
    if (values.json)
      io.out(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2) + '\n');
    else for (const r of reports) io.out(renderReport(r, colourFor(process.stdout)) + '\n');
    return reports.every((r) => r.verdict === 'authentic') ? EXIT.ok : EXIT.invalid;
  },
};

function colourFor(stream: NodeJS.WriteStream): boolean {
  return !!stream.isTTY && !process.env.NO_COLOR && process.env.TERM !== 'dumb';
}
