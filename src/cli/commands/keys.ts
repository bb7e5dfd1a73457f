import { keyName } from '../../core/pki/algorithms.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { buildCsr, subjectName } from '../../core/pki/csr.js';
import {
  devKeysDir,
  ensureDevKeys,
  ensureDevLogKey,
  loadSigningIdentity,
  loadSigningKey,
} from '../../node/keys.js';
import { DEFAULT_LOG_ORIGIN, loadLogKey } from '../../node/log-key.js';
import { developmentCrls } from '../../node/dev-revocation.js';
import { signingTime } from '../../node/signing-time.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { EXIT, usageError } from '../io.js';
import { jsonText, printable } from '../printable.js';

const pem = (label: string, der: Uint8Array) =>
  `-----BEGIN ${label}-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/.{64}/g, '$&\n')
    .replace(/\n?$/, '\n')}-----END ${label}-----\n`;

export const keysCommand: Command = {
  name: 'keys',
  help: String.raw`Usage: docprov keys init [--force]
       docprov keys show [--json] [--log-origin NAME]
       docprov keys csr --subject /O=ORG/CN=NAME > request.csr
       docprov keys crl > dev.crl

init   creates the local development CA and signer (RSA-3072; key files mode 0600) in
       $DOCPROV_DEV_KEYS_DIR, or .docprov/dev-keys/ under the current folder (git-ignored),
       and the development transparency log key (Ed25519, log.key, mode 0600).
       They are used whenever DOCPROV_SIGNING_KEY and DOCPROV_SIGNING_CERT (DOCPROV_LOG_KEY
       for the log) are not set, and nobody trusts them: verify their output with
       --trust <dir>/ca.pem. --force makes new signing keys.
show   prints the identity that would sign now: subject, issuer, fingerprint, validity, key
       size and where it comes from (for a token: which token and object, and whether the key
       is protected); and the log key's verifier key (origin+keyid+base64, for NAME, default
       ${DEFAULT_LOG_ORIGIN}), the line trust/logs/ pins. Never the private key or a PIN, and
       it never makes keys.
crl    prints a CRL the development CA issues now (PEM; nothing revoked), and its time on
       stderr: a development-signed PAdES B-B document (no timestamp) is judged at the time
       it is verified, so its signer is "not revoked" only on data issued then:
         docprov verify OUT --trust <dir>/ca.pem --revocation dev.crl --now <that time>
csr    prints a PKCS#10 certification request for the key DOCPROV_SIGNING_KEY names, signed by
       that key (on its token): what a CA needs to issue its certificate. No certificate needed.

The keys docprov uses, all from the environment (PEM text, or the path of a PEM file):
  DOCPROV_SIGNING_KEY, DOCPROV_SIGNING_CERT  the publisher's signing key and its chain: they
          sign the PDF, manifest.json, SHA256SUMS and the provenance (provenance.intoto.json).
          New ones: a key (openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:3072) and a
          certificate for it from the publisher's root (digitalSignature, nonRepudiation).
  DOCPROV_LOG_KEY   the transparency log's Ed25519 key: it signs the log's checkpoints and
          nothing else. A new one: openssl genpkey -algorithm ed25519 -out log.key (mode 0600),
          then DOCPROV_LOG_KEY=log.key docprov keys show --log-origin ORIGIN prints the verifier
          key to publish (trust/logs/ORIGIN.vkey). A new log key is a new log: a new origin.
          On a token: a pkcs11: URI (as below) naming an Ed25519 key made there with
          pkcs11-tool --keypairgen --key-type EC:edwards25519; it signs on the token.

Keys on a token (PKCS#11): DOCPROV_SIGNING_KEY may be an RFC 7512 URI instead of a PEM key,
  pkcs11:token=TOKEN;object=KEY?module-path=MODULE.so&pin-source=file:/path/to/pin
and then every signature (the PDF, manifest.json.p7s, SHA256SUMS.p7s) is made on the token:
the private key is never read out. RSA of 2048 bits or more (PKCS#1 v1.5; RSA-PSS with
DOCPROV_SIGNING_PADDING=pss) or ECDSA on P-256, P-384 or P-521. The PIN comes from the file
pin-source names (the PIN alone, on one line), else pin-value= in the URI (avoid it: the
environment is easy to read), else DOCPROV_SIGNING_KEY_PIN; it is never printed. The chain
comes from DOCPROV_SIGNING_CERT, or, when that is unset, from the certificates on the token
(the key's own, with the same id, and its issuers). The binding is the optional npm package
pkcs11js, built on install (a C++ compiler, make, python3).

Set-up with SoftHSM2 (a software token, for trying this and for tests;
apt-get install softhsm2 opensc), step by step:
  1. A private token folder, and SoftHSM2 pointed at it:
       mkdir -p -m 700 ~/docprov-token/tokens
       printf 'directories.tokendir = %s/tokens\nobjectstore.backend = file\n' \
         ~/docprov-token > ~/docprov-token/softhsm2.conf
       export SOFTHSM2_CONF=~/docprov-token/softhsm2.conf
  2. The token, its security officer PIN and user PIN, and the user PIN in a file:
       softhsm2-util --init-token --free --label docprov --so-pin SO-PIN --pin USER-PIN
       (umask 077; echo USER-PIN > ~/docprov-token/pin)
  3. A key pair generated on the token (pkcs11-tool makes it sensitive, never extractable):
       pkcs11-tool --module /usr/lib/softhsm/libsofthsm2.so --token-label docprov --login \
         --pin USER-PIN --keypairgen --key-type EC:prime256v1 --id 01 --label publisher --usage-sign
     (or --key-type rsa:3072; RSA signatures are deterministic, ECDSA on a token is not)
  4. The URI, then a certification request signed on the token:
       module=/usr/lib/softhsm/libsofthsm2.so pin="$HOME/docprov-token/pin"
       export DOCPROV_SIGNING_KEY="pkcs11:token=docprov;object=publisher?module-path=$module&pin-source=file:$pin"
       docprov keys csr --subject "/O=My Publisher/CN=My Publisher signing key" > publisher.csr
  5. A certificate for it. A real CA takes publisher.csr; to try it, the development CA
     (docprov keys init) issues one with openssl:
       printf 'keyUsage=critical,digitalSignature,nonRepudiation\nbasicConstraints=CA:FALSE\n' > ext.cnf
       openssl x509 -req -in publisher.csr -CA .docprov/dev-keys/ca.pem \
         -CAkey .docprov/dev-keys/ca.key -days 365 -sha256 -extfile ext.cnf -out publisher.pem
       cat publisher.pem .docprov/dev-keys/ca.pem > publisher-chain.pem
  6. Sign with it:
       export DOCPROV_SIGNING_CERT=publisher-chain.pem
       docprov keys show          (the token, the object, "sensitive, not extractable")
       npm run pipeline
       docprov keys crl > dev.crl (its time on stderr), then
       docprov verify out/ --trust .docprov/dev-keys/ca.pem --revocation dev.crl --now <that time>

Set-up with a hardware token or HSM (a smart card, a USB token, a network HSM, a cloud KMS
with a PKCS#11 library), step by step:
  1. Install the vendor's PKCS#11 module (a .so file) and check it sees the device:
       pkcs11-tool --module /path/to/vendor-pkcs11.so --list-token-slots
     The token's label goes into token= (percent-encode spaces as %20), or use serial=.
  2. Generate the key pair on the device, not extractable: with the vendor's tool, or
       pkcs11-tool --module /path/to/vendor-pkcs11.so --token-label LABEL --login \
         --keypairgen --key-type rsa:3072 --id 01 --label publisher --usage-sign
     Never import a key made elsewhere: then it existed outside the device.
  3. Put the user PIN in a file only the signing user can read (a CI secret mounted as a
     file), and point pin-source at it.
  4. docprov keys csr --subject "/C=..../O=..../CN=...." > publisher.csr, with
     DOCPROV_SIGNING_KEY set to the URI; send publisher.csr to your CA.
  5. Set DOCPROV_SIGNING_CERT to the certificate the CA returns and its chain (or store them
     on the device beside the key, with the same id, and leave DOCPROV_SIGNING_CERT unset).
  6. docprov keys show; then npm run regenerate, as with a PEM key (README, section 3).
A key that the device allows only some mechanisms (CKA_ALLOWED_MECHANISMS) signs with those:
RSA-PSS where only PSS is allowed. A key that asks for its PIN at every signature
(CKA_ALWAYS_AUTHENTICATE) gets it from the same place.

Exit: 0 ok, 2 could not run (a key, token or certificate problem, said with a hint).
`,
  async run(args, io) {
    const { values, positionals } = parse('keys', args, {
      force: { type: 'boolean' },
      json: { type: 'boolean' },
      subject: { type: 'string' },
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
        ...(process.env.DOCPROV_LOG_KEY || existsSync(join(devKeysDir(), 'log.key'))
          ? (() => {
              const log = loadLogKey(values['log-origin'] ?? DEFAULT_LOG_ORIGIN);
              return {
                logKey: log.vkey,
                logKeySource: log.development
                  ? `development log key (${log.source})`
                  : log.source.startsWith('a PKCS#11 token')
                    ? log.source
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
    if (action === 'csr') {
      if (!values.subject)
        throw usageError(
          'keys csr needs --subject, the name the certificate will carry',
          'docprov keys csr --subject "/O=My Publisher/CN=My Publisher signing key" > publisher.csr',
        );
      const subject = subjectName(values.subject);
      const { signer, spki } = loadSigningKey();
      io.out(pem('CERTIFICATE REQUEST', buildCsr(subject, spki, signer)));
      return EXIT.ok;
    }
    if (action === 'crl') {
      const id = await loadSigningIdentity(new Date(), process.env, true, false);
      // Taken first: the CRL is issued at this second or a later one, never before it.
      const issued = new Date(Math.floor(Date.now() / 1000) * 1000);
      const [crl] = developmentCrls(id);
      if (!crl)
        throw usageError(
          "keys crl issues the development CA's CRL, and a key from the environment signs here",
          'ask the CA of DOCPROV_SIGNING_CERT for its CRL; keys crl is for the development keys',
        );
      io.out(pem('X509 CRL', crl));
      io.err(
        printable(
          `docprov: issued by the development CA in ${id.source}, at ${issued.toISOString()} (give verify --now that time)`,
        ) + '\n',
      );
      return EXIT.ok;
    }
    throw usageError('keys takes "init", "show", "csr" or "crl"', 'run "docprov keys --help"');
  },
};
