import { writeFileSync, renameSync } from 'node:fs';
import { signPdf } from '../../core/sign/sign-pdf.js';
import { nodeCrypto } from '../../node/crypto.js';
import { readInput } from '../../node/files.js';
import { loadSigningIdentity } from '../../node/keys.js';
import { signingTime } from '../../node/signing-time.js';
import { httpTimestamper, tsaUrls } from '../../node/tsa-client.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError, type Io } from '../io.js';
import { announceIdentity } from '../identity.js';
import { printable } from '../printable.js';

export const signCommand: Command = {
  name: 'sign',
  help: `Usage: docprov sign IN.pdf -o OUT.pdf

Adds a PAdES certification signature (no changes permitted) to IN.pdf as an incremental
update: IN.pdf stays a byte-for-byte prefix of OUT.pdf. Any PDF can be signed, whatever its
cross-reference form, if it is unencrypted and not yet signed. With DOCPROV_TSA_URL the
signature is time-stamped (PAdES B-T); "docprov timestamp" then makes it B-LTA.

Keys: DOCPROV_SIGNING_KEY and DOCPROV_SIGNING_CERT (PEM text or a path; the key PKCS#8 or
PKCS#1, encrypted keys with DOCPROV_SIGNING_KEY_PASSPHRASE). Without them, a local
development CA is used (see "docprov keys"). Signing time: SOURCE_DATE_EPOCH, else now.

Options:
  -o, --out OUT.pdf   the signed file (required)
  --help              show this help

Exit: 0 signed, 1 the input is not a signable PDF, 2 could not run (keys, files).
`,
  async run(args, io: Io) {
    const { values, positionals } = parse('sign', args, { out: { type: 'string', short: 'o' } });
    if (positionals.length !== 1 || !values.out)
      throw usageError('sign takes IN.pdf and -o OUT.pdf', 'run "docprov sign --help"');
    const when = signingTime(process.env);
    const id = await loadSigningIdentity(when);
    announceIdentity(io, id);
    const urls = tsaUrls();
    const signed = await signPdf(readInput(positionals[0]!), {
      signer: id.signer,
      date: when,
      crypto: nodeCrypto,
      ...(urls.length ? { timestamper: httpTimestamper(urls, nodeCrypto) } : {}),
    });
    const tmp = `${values.out}.tmp-${process.pid}`;
    writeFileSync(tmp, signed);
    renameSync(tmp, values.out);
    io.out(
      printable(
        `signed ${positionals[0]} -> ${values.out} (${signed.length} bytes) by ${id.certificate.subject}`,
      ) + '\n',
    );
    return EXIT.ok;
  },
};
