import { renameSync, writeFileSync, openSync, fsyncSync, closeSync } from 'node:fs';
import { DocprovError } from '../../core/errors.js';
import { archive } from '../../core/sign/archive.js';
import { nodeCrypto } from '../../node/crypto.js';
import { readInput } from '../../node/files.js';
import { fetchRevocation, revocationFiles } from '../../node/revocation-data.js';
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
comes from the certificates' distribution points, else from --revocation files.

Options:
  -o, --out OUT.pdf   write here (default: replace FILE.pdf, atomically)
  --revocation FILE   a CRL (PEM or DER) or OCSP response to add (repeatable)
  --trust ROOT.pem    a root that chains end at, beside the shipped trust store (repeatable)
  --help              show this help

Exit: 0 done, 1 the input is not a PDF docprov can update, 2 could not run (TSA, files).
`,
  async run(args, io) {
    const { values, positionals } = parse('timestamp', args, {
      out: { type: 'string', short: 'o' },
      revocation: { type: 'string', multiple: true },
      trust: { type: 'string', multiple: true },
    });
    if (positionals.length !== 1)
      throw usageError('timestamp takes one FILE.pdf', 'run "docprov timestamp --help"');
    const urls = tsaUrls();
    if (urls.length === 0)
      throw new DocprovError(
        'no-tsa',
        'DOCPROV_TSA_URL is not set: a document timestamp needs a time-stamping authority',
        {
          severity: 'unusable',
          hint: 'set DOCPROV_TSA_URL to an RFC 3161 service',
        },
      );
    const file = positionals[0]!;
    const out = values.out ?? file;
    const files = revocationFiles(values.revocation ?? []);
    const warnings: Parameters<typeof warn>[1][number][] = [];
    const renewed = await archive(
      readInput(file, 1 << 30),
      {
        timestamper: httpTimestamper(urls, nodeCrypto),
        anchors: loadTrustAnchors(values.trust ?? []),
        now: new Date(),
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
    const tmp = `${out}.docprov-tmp-${process.pid}`;
    writeFileSync(tmp, renewed);
    const fd = openSync(tmp, 'r');
    fsyncSync(fd);
    closeSync(fd);
    renameSync(tmp, out);
    io.out(`timestamped ${file} -> ${out} (${renewed.length} bytes)\n`);
    return EXIT.ok;
  },
};
