import { keyName } from '../../core/pki/algorithms.js';
import { join } from 'node:path';
import { devKeysDir, ensureDevKeys, loadSigningIdentity } from '../../node/keys.js';
import { signingTime } from '../../node/signing-time.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../io.js';
import { jsonText, printable } from '../printable.js';

export const keysCommand: Command = {
  name: 'keys',
  help: `Usage: docprov keys init [--force]
       docprov keys show [--json]

init   creates the local development CA and signer (RSA-3072; key files mode 0600) in
       $DOCPROV_DEV_KEYS_DIR, or .docprov/dev-keys/ under the current folder (git-ignored).
       They are used whenever DOCPROV_SIGNING_KEY and DOCPROV_SIGNING_CERT are not set, and
       nobody trusts them: verify their output with --trust <dir>/ca.pem. --force makes new ones.
show   prints the identity that would sign now: subject, issuer, fingerprint, validity, key
       size and where it comes from. Never the private key, and it never makes keys.

Exit: 0 ok, 2 could not run (a key or certificate problem, said with a hint).
`,
  async run(args, io) {
    const { values, positionals } = parse('keys', args, {
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    });
    const [action] = positionals;
    if (action === 'init') {
      const dir = devKeysDir();
      const { created } = await ensureDevKeys(dir, values.force ?? false);
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
      const t = id.token;
      const info = {
        source: id.development
          ? `development keys (${id.source})`
          : t
            ? `a PKCS#11 token (DOCPROV_SIGNING_KEY=${t.uri})`
            : 'environment (DOCPROV_SIGNING_KEY, DOCPROV_SIGNING_CERT)',
        development: id.development,
        ...(t
          ? {
              token: t.name,
              protection:
                t.sensitive && !t.extractable
                  ? 'sensitive, not extractable: the token signs, the key never leaves it'
                  : `${t.sensitive ? 'sensitive' : 'NOT SENSITIVE'}, ${t.extractable ? 'EXTRACTABLE' : 'not extractable'}: the token would let this key be read out; generate the key on the token without --extractable`,
            }
          : {}),
        subject: c.subject,
        issuer: c.issuer,
        fingerprint: c.fingerprint,
        serial: c.serial,
        notBefore: c.notBefore.toISOString(),
        notAfter: c.notAfter.toISOString(),
        key: keyName(c.key),
        chain: id.chain.map((x) => x.subject),
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
