import { DocprovError } from '../../core/errors.js';
import { signPdf } from '../../core/sign/sign-pdf.js';
import { nodeCrypto } from '../../node/crypto.js';
import { inputName, readInput } from '../../node/files.js';
import { loadSigningIdentity } from '../../node/keys.js';
import { checkOutputFile, PDF_OUTPUT, writeFileAtomically } from '../../node/output-file.js';
import { signingTime } from '../../node/signing-time.js';
import { httpTimestamper, tsaUrls } from '../../node/tsa-client.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError, writeStdout, type Io } from '../io.js';
import { announceIdentity } from '../identity.js';
import { printable } from '../printable.js';

export const signCommand: Command = {
  name: 'sign',
  help: `Usage: docprov sign IN.pdf -o OUT.pdf

Adds a PAdES certification signature (no changes permitted) to IN.pdf as an incremental
update: IN.pdf stays a byte-for-byte prefix of OUT.pdf. Any PDF can be signed, whatever its
cross-reference form, if it is unencrypted and not yet signed. OUT.pdf is written whole or not
at all, in a folder that must exist. With DOCPROV_TSA_URL the signature is time-stamped
(PAdES B-T); "docprov timestamp" then makes it B-LTA.

Keys: DOCPROV_SIGNING_KEY and DOCPROV_SIGNING_CERT (PEM text or a path; the key PKCS#8 or
PKCS#1, encrypted keys with DOCPROV_SIGNING_KEY_PASSPHRASE), or for the key an RFC 7512
pkcs11: URI naming a key on a token, which then signs (see "docprov keys --help"; the chain
may then come from the token). RSA signs PKCS#1 v1.5, or RSA-PSS with
DOCPROV_SIGNING_PADDING=pss. Without them, a local development CA is used (see "docprov
keys"). Signing time: SOURCE_DATE_EPOCH, else now.

Options:
  -o, --out OUT.pdf   the signed file (required; - for standard output). An existing OUT.pdf
                      is replaced only if it is a PDF; links, devices and FIFOs are refused
  --help              show this help

Exit: 0 signed, 1 the input is not a signable PDF, 2 could not run (keys, files).
`,
  async run(args, io: Io) {
    const { values, positionals } = parse('sign', args, { out: { type: 'string', short: 'o' } });
    if (positionals.length !== 1 || !values.out)
      throw usageError('sign takes IN.pdf and -o OUT.pdf', 'run "docprov sign --help"');
    const input = positionals[0]!;
    const name = inputName(input);
    // Before any work (or any development key is made): the output must be writable as a file.
    const toStdout = values.out === '-';
    if (toStdout && process.stdout.isTTY)
      throw usageError(
        'will not write a PDF to the terminal',
        'redirect standard output (docprov sign IN.pdf -o - > OUT.pdf), or give -o OUT.pdf',
      );
    if (!toStdout) checkOutputFile(values.out, PDF_OUTPUT);
    const bytes = readInput(input, 1 << 30);
    const when = signingTime(process.env);
    const id = await loadSigningIdentity(when);
    const urls = tsaUrls();
    const signed = await signPdf(bytes, {
      signer: id.signer,
      date: when,
      crypto: nodeCrypto,
      ...(urls.length ? { timestamper: httpTimestamper(urls, nodeCrypto) } : {}),
    }).catch((e: unknown) => {
      if (!(e instanceof DocprovError)) throw e;
      // The core does not know file names: the message says which file it is about.
      throw new DocprovError(e.code, `${name}: ${e.message}`, {
        severity: e.severity,
        problems: e.problems.map((p) => ({ ...p, message: `${name}: ${p.message}` })),
        ...(e.hint !== undefined ? { hint: e.hint } : {}),
        cause: e,
      });
    });
    if (toStdout) await writeStdout(signed);
    else writeFileAtomically(values.out, signed, PDF_OUTPUT);
    announceIdentity(io, id);
    // With the PDF on standard output, the line for people goes to standard error.
    (toStdout ? io.err : io.out)(
      printable(
        `signed ${name} -> ${toStdout ? 'standard output' : values.out} (${signed.length} bytes) by ${id.certificate.subject}`,
      ) + '\n',
    );
    return EXIT.ok;
  },
};
