import { DocprovError } from '../../core/errors.js';
import { memorySource } from '../../core/pdf/source.js';
import { archive } from '../../core/sign/archive.js';
import { verifyPdfFile } from '../../core/verify/pdf-file.js';
import { nodeCrypto } from '../../node/crypto.js';
import { readInput } from '../../node/files.js';
import { checkOutputFile, PDF_OUTPUT, writeFileAtomically } from '../../node/output-file.js';
import {
  fetchRevocation,
  revocationFiles,
  shippedRevocationFiles,
} from '../../node/revocation-data.js';
import { loadTrustAnchors } from '../../node/trust-store.js';
import { httpTimestamper, tsaUrls } from '../../node/tsa-client.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError, warn } from '../io.js';

export const timestampCommand: Command = {
  name: 'timestamp',
  help: `Usage: docprov timestamp FILE.pdf [-o OUT.pdf] [--revocation FILE]... [--trust ROOT.pem]...

Archive renewal (PAdES B-LTA): refreshes the document's validation data (a DSS update with
every certificate of its signatures and timestamps, and their revocation data), then adds a
document timestamp over everything. Do it before the last timestamp's TSA certificate expires:
the new timestamp proves the old ones existed while their TSA was still trusted.

The TSA is DOCPROV_TSA_URL (one or more RFC 3161 services, tried in order). Revocation data
comes from the certificates' distribution points, the CRLs shipped in trust/revocation/, and
--revocation files.

Options:
  -o, --out OUT.pdf   write here (default: replace FILE.pdf, atomically)
  --revocation FILE   a CRL (PEM or DER) or OCSP response to add (repeatable)
  --trust ROOT.pem    a root that chains end at, beside the shipped trust store (repeatable)
  --help              show this help

Only a document that verifies is renewed (authentic, or intact with its signer not trusted
here): a timestamp over a changed document would only prove when it was changed.

Exit: 0 done, 1 the input does not verify or is not a PDF docprov can update, 2 could not run.
`,
  async run(args, io) {
    const { values, positionals } = parse('timestamp', args, {
      out: { type: 'string', short: 'o' },
      revocation: { type: 'string', multiple: true },
      trust: { type: 'string', multiple: true },
    });
    if (positionals.length !== 1)
      throw usageError('timestamp takes one FILE.pdf', 'run "docprov timestamp --help"');
    const file = positionals[0]!;
    const out = values.out ?? file;
    checkOutputFile(out, PDF_OUTPUT);
    const files = revocationFiles([...shippedRevocationFiles(), ...(values.revocation ?? [])]);
    const warnings: Parameters<typeof warn>[1][number][] = [];
    const input = readInput(file, 1 << 30);
    const anchors = loadTrustAnchors(values.trust ?? []);
    const now = new Date();
    const report = await verifyPdfFile(
      { name: file, source: memorySource(input) },
      { crypto: nodeCrypto, anchors, now },
    );
    if (report.verdict === 'invalid')
      throw new DocprovError('not-authentic', `${file} does not verify: ${report.summary}`, {
        hint: `run "docprov verify ${file}" for every check; only a document that verifies is renewed`,
      });
    const urls = tsaUrls();
    if (urls.length === 0)
      throw new DocprovError(
        'no-tsa',
        'DOCPROV_TSA_URL is not set: a document timestamp needs a time-stamping authority',
        {
          severity: 'unusable',
          hint: 'set DOCPROV_TSA_URL to an RFC 3161 service (in a clone, node pipeline/tsa-server.mjs --key TSA.key --cert TSA.pem runs the demo one and prints its URL)',
        },
      );
    const renewed = await archive(
      input,
      {
        timestamper: httpTimestamper(urls, nodeCrypto),
        anchors,
        now,
        async revocation(certs) {
          const fetched = await fetchRevocation(certs);
          return {
            crls: [...fetched.crls, ...files.crls],
            ocsps: [...fetched.ocsps, ...files.ocsps],
          };
        },
      },
      nodeCrypto,
      warnings,
    );
    warn(io, warnings);
    // The old file stays until the new one is whole on disk.
    writeFileAtomically(out, renewed, PDF_OUTPUT);
    io.out(`timestamped ${file} -> ${out} (${renewed.length} bytes)\n`);
    return EXIT.ok;
  },
};
