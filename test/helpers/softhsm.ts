import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './paths.js';
import { pkiDir } from './pki.js';

// A SoftHSM2 token in a private folder (SOFTHSM2_CONF points at its own configuration), set up
// with opensc's pkcs11-tool as a publisher would set up a real one: key pairs generated on the
// token (sensitive, never extractable), certificates issued by the test root for their public
// keys with openssl, and optionally stored on the token beside the key.

export const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';
/** opensc's logging PKCS#11 module: it passes every call to PKCS11SPY and writes it down. */
export const SPY_MODULE = '/usr/lib/x86_64-linux-gnu/pkcs11/pkcs11-spy.so';

const LEAF_EXTENSIONS = `basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = 1.3.6.1.5.5.7.3.36, emailProtection
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
`;

export interface Token {
  dir: string;
  label: string;
  pin: string;
  pinFile: string;
  /** SOFTHSM2_CONF for every process that opens the token. */
  env: { SOFTHSM2_CONF: string };
  /** pkcs11-tool against this token (logged in), returning its output. */
  tool(args: string[], login?: boolean): string;
  /** A pkcs11: URI naming `object` on this token, the PIN from its file. */
  uri(object: string, extra?: { module?: string; query?: string; path?: string }): string;
}

export function makeToken(label = 'docprov', pin = 'tok-PIN-5e1f9a'): Token {
  const dir = mkdtempSync(join(tmpdir(), 'docprov-softhsm-'));
  execFileSync('mkdir', ['-m', '0700', join(dir, 'tokens')]);
  const conf = join(dir, 'softhsm2.conf');
  writeFileSync(
    conf,
    `directories.tokendir = ${dir}/tokens\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n`,
  );
  const env = { SOFTHSM2_CONF: conf };
  const run = (cmd: string, args: string[]) => {
    const r = spawnSync(cmd, args, { env: { ...process.env, ...env }, encoding: 'utf8' });
    if (r.error)
      throw new Error(
        `${cmd} could not run (is it installed? .ci/run installs softhsm2 and opensc): ${r.error.message}`,
      );
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`);
    return r.stdout;
  };
  run('softhsm2-util', [
    '--init-token',
    '--free',
    '--label',
    label,
    '--so-pin',
    'so-0000',
    '--pin',
    pin,
  ]);
  const pinFile = join(dir, 'pin');
  writeFileSync(pinFile, `${pin}\n`, { mode: 0o600 });
  return {
    dir,
    label,
    pin,
    pinFile,
    env,
    tool: (args, login = true) =>
      run('pkcs11-tool', [
        '--module',
        SOFTHSM_MODULE,
        '--token-label',
        label,
        ...(login ? ['--login', '--pin', pin] : []),
        ...args,
      ]),
    uri: (object, extra = {}) =>
      `pkcs11:token=${label};object=${object}${extra.path ?? ''}?module-path=${extra.module ?? SOFTHSM_MODULE}&pin-source=file:${pinFile}${extra.query ?? ''}`,
  };
}

/** Generates a key pair on the token (pkcs11-tool's default: sensitive, not extractable). */
export function generateKey(
  t: Token,
  keyType: string,
  id: string,
  label: string,
  extra: string[] = [],
): void {
  t.tool([
    '--keypairgen',
    '--key-type',
    keyType,
    '--id',
    id,
    '--label',
    label,
    '--usage-sign',
    ...extra,
  ]);
}

/**
 * A certificate from the test root for the key pair `object` on the token, as the set-up in
 * "docprov keys --help" makes one: a request signed on the token (docprov keys csr), issued by
 * the CA with openssl x509 -req (which checks the request's signature). Returns the chain file.
 */
export function certifyTokenKey(t: Token, object: string, serial: string): string {
  const csr = join(t.dir, `${object}.csr`);
  const r = spawnSync(
    process.execPath,
    [
      `${ROOT}bin/docprov.cjs`,
      'keys',
      'csr',
      '--subject',
      `/O=docprov tests/CN=docprov token ${object}`,
    ],
    { env: { ...process.env, ...t.env, DOCPROV_SIGNING_KEY: t.uri(object) }, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`docprov keys csr failed: ${r.stderr}`);
  writeFileSync(csr, r.stdout);
  const ext = join(t.dir, `${object}.cnf`);
  writeFileSync(ext, LEAF_EXTENSIONS);
  const cert = join(t.dir, `${object}.pem`);
  const root = pkiDir();
  // openssl 3.0 starts a certificate "now": faketime makes it valid from 2000 like the others.
  execFileSync(
    'faketime',
    [
      '-f',
      '2000-01-01 00:00:00',
      'openssl',
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      join(root, 'root.pem'),
      '-CAkey',
      join(root, 'root.key'),
      '-set_serial',
      serial,
      '-days',
      '36500',
      '-sha256',
      '-extfile',
      ext,
      '-out',
      cert,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, TZ: 'UTC' } },
  );
  const chain = join(t.dir, `${object}-chain.pem`);
  writeFileSync(chain, readFileSync(cert, 'utf8') + readFileSync(join(root, 'root.pem'), 'utf8'));
  return chain;
}

/** Stores a PEM certificate on the token as an X.509 certificate object. */
export function storeCertificate(t: Token, pemFile: string, id: string, label: string): void {
  const der = join(t.dir, `${label}-${id}.der`);
  execFileSync('openssl', ['x509', '-in', pemFile, '-outform', 'DER', '-out', der]);
  t.tool(['--write-object', der, '--type', 'cert', '--id', id, '--label', label]);
}

/** Imports a PEM private key into the token (for comparing token and software signatures). */
export function importKey(t: Token, pemFile: string, id: string, label: string): void {
  t.tool([
    '--write-object',
    pemFile,
    '--type',
    'privkey',
    '--id',
    id,
    '--label',
    label,
    '--usage-sign',
    '--sensitive',
  ]);
}
