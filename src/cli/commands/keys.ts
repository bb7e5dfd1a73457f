import { keyName } from '../../core/pki/algorithms.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  devKeysDir,
  ensureDevKeys,
  ensureDevLogKey,
  loadSigningIdentity,
} from '../../node/keys.js';
import { DEFAULT_LOG_ORIGIN, loadLogKey } from '../../node/log-key.js';
import { signingTime } from '../../node/signing-time.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../io.js';
import { jsonText, printable } from '../printable.js';

export const keysCommand: Command = {
  name: 'keys',
  help: `Usage: docprov keys init [--force]
       docprov keys show [--json] [--log-origin NAME]

init   creates the local development CA and signer (RSA-3072; key files mode 0600) in
       $DOCPROV_DEV_KEYS_DIR, or .docprov/dev-keys/ under the current folder (git-ignored),
       and the development transparency log key (Ed25519, log.key, mode 0600).
       They are used whenever DOCPROV_SIGNING_KEY and DOCPROV_SIGNING_CERT (DOCPROV_LOG_KEY
       for the log) are not set, and nobody trusts them: verify their output with
       --trust <dir>/ca.pem. --force makes new signing keys.
show   prints the identity that would sign now: subject, issuer, fingerprint, validity, key
       size and where it comes from; and the log key's verifier key (origin+keyid+base64,
       for NAME, default ${DEFAULT_LOG_ORIGIN}), the line trust/logs/ pins. Never a private
       key, and it never makes keys.

The keys docprov uses, all from the environment (PEM text, or the path of a PEM file):
  DOCPROV_SIGNING_KEY, DOCPROV_SIGNING_CERT  the publisher's signing key and its chain: they
          sign the PDF, manifest.json, SHA256SUMS and the provenance (provenance.intoto.json).
          New ones: a key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072) and a
          certificate for it from the publisher's root (digitalSignature, nonRepudiation).
  DOCPROV_LOG_KEY   the transparency log's Ed25519 key: it signs the log's checkpoints and
          nothing else. A new one: openssl genpkey -algorithm ed25519 -out log.key (mode 0600),
          then DOCPROV_LOG_KEY=log.key docprov keys show --log-origin ORIGIN prints the verifier
          key to publish (trust/logs/ORIGIN.vkey). A new log key is a new log: a new origin.

Exit: 0 ok, 2 could not run (a key or certificate problem, said with a hint).
`,
  async run(args, io) {
    const { values, positionals } = parse('keys', args, {
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      'log-origin': { type: 'string' },
    });
    const [action] = positionals;
    if (action === 'init') {
      const dir = devKeysDir();
      const { created } = await ensureDevKeys(dir, values.force ?? false);
      ensureDevLogKey(dir);
      io.out(
        printable(`${created ? 'created' : 'kept'} the development CA and signer in ${dir}`) + '\n',
      );
      io.out(
        printable(`trust them with: docprov verify FILE --trust ${join(dir, 'ca.pem')}`) + '\n',
      );
      return EXIT.ok;
    }
    if (action === 'show') {
      const when = signingTime(process.env);
      const id = await loadSigningIdentity(when, process.env, true, false);
      const c = id.certificate;
      const info = {
        source: id.development
          ? `development keys (${id.source})`
          : 'environment (DOCPROV_SIGNING_KEY, DOCPROV_SIGNING_CERT)',
        development: id.development,
        subject: c.subject,
        issuer: c.issuer,
        fingerprint: c.fingerprint,
        serial: c.serial,
        notBefore: c.notBefore.toISOString(),
        notAfter: c.notAfter.toISOString(),
        key: keyName(c.key),
        chain: id.chain.map((x) => x.subject),
        ...(process.env.DOCPROV_LOG_KEY || existsSync(join(devKeysDir(), 'log.key'))
          ? (() => {
              const log = loadLogKey(values['log-origin'] ?? DEFAULT_LOG_ORIGIN);
              return {
                logKey: log.vkey,
                logKeySource: log.development
                  ? `development log key (${log.source})`
                  : 'environment (DOCPROV_LOG_KEY)',
              };
            })()
          : {}),
      };
      if (values.json) io.out(jsonText(info));
      else
        for (const [k, v] of Object.entries(info))
          io.out(`${k.padEnd(12)} ${printable(Array.isArray(v) ? v.join(' <- ') : String(v))}\n`);
      return EXIT.ok;
    }
    throw usageError('keys takes "init" or "show"', 'run "docprov keys --help"');
  },
};
