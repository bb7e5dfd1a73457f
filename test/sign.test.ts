import { createHash } from 'node:crypto';
import { execFileSync, spawnSync } from 'node:child_process';
import { lstatSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

import { compileSchema } from '../src/core/metadata/schema.js';

import { docprov, hasStackTrace } from './helpers/cli.js';
import { judge } from './helpers/judges.js';
import { LETTER_DIR, ROOT } from './helpers/paths.js';
import { nssDbTrusting, pkiDir, signerEnv, testRootTrust } from './helpers/pki.js';
import { sortedJson } from './helpers/sorted-json.js';
import { buildLetter } from './helpers/letter-build.js';

const EPOCH = '1795000000';
const ID = 'khalaf-2017-03-17';
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const tmp = () => mkdtempSync(join(tmpdir(), 'docprov-sign-'));

let out: string;
let pdfPath: string;
let nss: string;

beforeAll(() => {
  out = join(tmp(), 'out');
  const r = docprov(['build', LETTER_DIR, '-o', out], {
    env: { ...signerEnv('signer'), SOURCE_DATE_EPOCH: EPOCH },
  });
  if (r.code !== 0) throw new Error(r.stderr);
  pdfPath = join(out, `${ID}.pdf`);
  nss = nssDbTrusting(join(pkiDir(), 'root.pem'));
});

/** pdfsig's verdict for each signature; its exit code says nothing about validity. */
function pdfsig(file: string) {
  const r = judge('pdfsig', ['-nssdir', `sql:${nss}`, file]);
  return r.stdout + r.stderr;
}

describe('the signed PDF, judged by pdfsig, mutool and qpdf', () => {
  it('pdfsig: valid, trusted, whole document signed, CAdES detached', () => {
    const out = pdfsig(pdfPath);
    expect(out).toContain('Signature Validation: Signature is Valid.');
    expect(out).toContain('Certificate Validation: Certificate is Trusted.');
    expect(out).toContain('Total document signed');
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Signing Hash Algorithm: SHA-256');
  });
  it('mutool: the document is unchanged since signing', () => {
    const r = judge('mutool', ['sign', '-v', pdfPath]);
    expect(r.stdout + r.stderr).toContain('The document is unchanged since signing.');
  });
  it('qpdf --check is clean', () => {
    const r = judge('qpdf', ['--check', pdfPath]);
    expect(r.stdout).toContain('No syntax or stream encoding errors found');
    expect(r.stderr).toBe('');
  });
  it('the unsigned base PDF is a byte-for-byte prefix of the signed PDF', async () => {
    const built = await buildLetter({
      sourceDateEpoch: EPOCH,
      toolVersion: JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')).version,
    });
    const signed = readFileSync(pdfPath);
    expect(signed.length).toBeGreaterThan(built.basePdf.length);
    expect(Buffer.from(built.basePdf).equals(signed.subarray(0, built.basePdf.length))).toBe(true);
  });
  it('the CMS carries signing-certificate-v2, the chain, SHA-256, and no signingTime', () => {
    const pdf = readFileSync(pdfPath, 'latin1');
    const hex = /\/Contents <([0-9A-F]+)>/.exec(pdf)![1]!;
    // The DER value says its own length; the zero padding after it is not part of it.
    const der = Buffer.from(hex, 'hex');
    const len =
      der[1]! & 0x80
        ? der.subarray(2, 2 + (der[1]! & 0x7f)).reduce((n, b) => n * 256 + b, 0) +
          2 +
          (der[1]! & 0x7f)
        : der[1]! + 2;
    const trimmed = der.subarray(0, len);
    const file = join(tmp(), 'sig.der');
    writeFileSync(file, trimmed);
    const r = judge('openssl', ['cms', '-cmsout', '-inform', 'DER', '-in', file, '-print']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('id-smime-aa-signingCertificateV2');
    // SHA-256 both as the SignedData's digest algorithm and as the signer's.
    expect(r.stdout).toMatch(
      /digestAlgorithms:\s+algorithm: sha256 \(2\.16\.840\.1\.101\.3\.4\.2\.1\)/,
    );
    expect(r.stdout).toMatch(
      /digestAlgorithm:\s+algorithm: sha256 \(2\.16\.840\.1\.101\.3\.4\.2\.1\)/,
    );
    expect(r.stdout).not.toMatch(/algorithm: sha1\b/);
    expect(r.stdout).toContain('messageDigest');
    expect(r.stdout).not.toContain('signingTime');
    expect(r.stdout.match(/subject: /g)?.length).toBeGreaterThanOrEqual(2);
  });
  it('is a certification signature that permits no changes (DocMDP P 1)', () => {
    const pdf = readFileSync(pdfPath, 'latin1');
    expect(pdf).toMatch(
      /\/TransformMethod \/DocMDP \/TransformParams << \/Type \/TransformParams \/P 1 \/V \/1\.2 >>/,
    );
    expect(pdf).toMatch(/\/Perms << *\/DocMDP \d+ 0 R *>>|\/Perms <<\n\/DocMDP \d+ 0 R\n>>/);
  });
});

describe('the manifest and SHA256SUMS, for people without docprov', () => {
  it('sha256sum -c passes (the README command)', () => {
    const r = judge('sh', ['-c', `cd '${out}' && sha256sum -c SHA256SUMS`]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`${ID}.pdf: OK`);
    expect(r.stdout).toContain('manifest.json: OK');
    expect(r.stdout).not.toMatch(/FAILED/);
  });
  // Exactly the README's command.
  const opensslVerify = (p7s: string, content: string) =>
    judge('openssl', [
      'cms',
      '-verify',
      '-binary',
      '-inform',
      'DER',
      '-in',
      p7s,
      '-content',
      content,
      '-CAfile',
      join(pkiDir(), 'root.pem'),
      '-out',
      '/dev/null',
    ]);
  it.each(['manifest.json', 'SHA256SUMS'])(
    'openssl cms -verify accepts %s.p7s (the README command)',
    (name) => {
      const r = opensslVerify(join(out, `${name}.p7s`), join(out, name));
      expect(r.stderr).toBe('CMS Verification successful\n');
      expect(r.code).toBe(0);
    },
  );
  it('the README quotes what openssl prints, word for word', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const quoted = /`([^`]*Verification successful)` twice/.exec(readme)?.[1];
    const r = opensslVerify(join(out, 'SHA256SUMS.p7s'), join(out, 'SHA256SUMS'));
    expect(r.stderr.trim()).toBe(quoted);
  });
  it('openssl rejects a manifest changed by one byte', () => {
    const changed = join(tmp(), 'manifest.json');
    writeFileSync(
      changed,
      readFileSync(join(out, 'manifest.json'), 'utf8').replace('"docprov"', '"d0cprov"'),
    );
    const r = opensslVerify(join(out, 'manifest.json.p7s'), changed);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/digest failure|verification failure/i);
  });
  it('the manifest is canonical JSON that its schema accepts, naming sources, tool, signer, time', () => {
    const text = readFileSync(join(out, 'manifest.json'), 'utf8');
    const m = JSON.parse(text);
    const validate = compileSchema(
      JSON.parse(readFileSync(`${ROOT}schemas/manifest.schema.json`, 'utf8')),
    );
    expect(validate(m), JSON.stringify(validate.errors)).toBe(true);
    expect(text).toBe(sortedJson(m)); // keys in UTF-16 order at every depth, no whitespace
    expect(m.document.id).toBe(ID);
    expect(m.normalisation).toBe('docprov-text/2');
    expect(m.buildTime).toBe('2026-11-18T11:06:40Z');
    expect(m.sources.text.sha256).toBe(sha256(readFileSync(`${LETTER_DIR}/source.txt`)));
    expect(m.sources.canonicalText.sha256).toBe(sha256(readFileSync(join(out, `${ID}.txt`))));
    const pdf = m.artifacts.find((a: { name: string }) => a.name === `${ID}.pdf`);
    expect(pdf.sha256).toBe(sha256(readFileSync(pdfPath)));
    expect(m.signer.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(m.signer.development).toBe(false);
  });
});

describe('docprov sign on PDFs it did not make', () => {
  it.each([
    ['object streams and an xref stream', ['--object-streams=generate']],
    ['a classic xref table', ['--object-streams=disable']],
  ])('signs a PDF with %s as an incremental update', (name, qpdfArgs) => {
    const dir = tmp();
    const input = join(dir, 'in.pdf');
    const src = join(dir, 'src.pdf');
    const base = docprov(['build', LETTER_DIR, '-o', join(dir, 'b')], {
      env: { ...signerEnv('signer'), SOURCE_DATE_EPOCH: EPOCH },
    });
    expect(base.code).toBe(0);
    // Start from our own typeset output rewritten by qpdf, then sign that.
    writeFileSync(
      src,
      readFileSync(join(dir, 'b', `${ID}.pdf`)).subarray(
        0,
        readFileSync(join(dir, 'b', `${ID}.pdf`)).indexOf('%%EOF') + 6,
      ),
    );
    expect(judge('qpdf', [...qpdfArgs, src, input]).code).toBe(0);
    // The input really has the structure the case names.
    const inText = readFileSync(input, 'latin1');
    expect(/\/Type\s*\/XRef/.test(inText), 'an xref stream').toBe(name.includes('stream'));
    expect(/\/Type\s*\/ObjStm/.test(inText), 'object streams').toBe(name.includes('stream'));
    const signed = join(dir, 'out.pdf');
    const r = docprov(['sign', input, '-o', signed], {
      env: { ...signerEnv('signer'), SOURCE_DATE_EPOCH: EPOCH },
    });
    expect(r.code, r.stderr).toBe(0);
    const inBytes = readFileSync(input);
    const outBytes = readFileSync(signed);
    expect(outBytes.subarray(0, inBytes.length).equals(inBytes)).toBe(true);
    const v = pdfsig(signed);
    expect(v).toContain('Signature is Valid.');
    expect(v).toContain('Certificate is Trusted.');
    expect(v).toContain('Total document signed');
    expect(judge('qpdf', ['--check', signed]).stdout).toContain(
      'No syntax or stream encoding errors found',
    );
  });
  it('re-signing with the same key, input and SOURCE_DATE_EPOCH gives identical bytes', () => {
    const dir = tmp();
    const env = { ...signerEnv('signer'), SOURCE_DATE_EPOCH: EPOCH };
    const unsigned = join(dir, 'u.pdf');
    writeFileSync(
      unsigned,
      readFileSync(pdfPath).subarray(0, readFileSync(pdfPath).indexOf('%%EOF') + 6),
    );
    for (const n of ['a', 'b'])
      expect(docprov(['sign', unsigned, '-o', join(dir, `${n}.pdf`)], { env }).code).toBe(0);
    expect(sha256(readFileSync(join(dir, 'a.pdf')))).toBe(sha256(readFileSync(join(dir, 'b.pdf'))));
    expect(sha256(readFileSync(join(dir, 'a.pdf')))).toBe(sha256(readFileSync(pdfPath)));
  });
  it.each([['ec256'], ['ec384']])(
    'signs with an ECDSA key (%s): deterministic (RFC 6979), authentic, pdfsig valid',
    (name) => {
      const dir = tmp();
      const env = { ...signerEnv(name), SOURCE_DATE_EPOCH: EPOCH };
      const unsigned = join(dir, 'u.pdf');
      writeFileSync(
        unsigned,
        readFileSync(pdfPath).subarray(0, readFileSync(pdfPath).indexOf('%%EOF') + 6),
      );
      for (const n of ['a', 'b'])
        expect(docprov(['sign', unsigned, '-o', join(dir, `${n}.pdf`)], { env }).code).toBe(0);
      const a = join(dir, 'a.pdf');
      expect(sha256(readFileSync(a))).toBe(sha256(readFileSync(join(dir, 'b.pdf'))));
      const v = docprov(['verify', a, ...testRootTrust(), '--now', '2026-12-01']);
      expect(v.code, v.stdout).toBe(0);
      expect(v.stdout).toMatch(
        /ECDSA with SHA-(256|384) signature over the signed attributes verifies/,
      );
      expect(pdfsig(a)).toContain('Signature is Valid.');
    },
  );
  it.each([
    ['an id-RSASSA-PSS key', signerEnv('pss')],
    [
      'DOCPROV_SIGNING_PADDING=pss with an RSA key',
      { ...signerEnv('signer'), DOCPROV_SIGNING_PADDING: 'pss' },
    ],
  ])(
    'signs RSA-PSS from a PEM key (%s): authentic, and openssl cms accepts the manifest signature',
    (_name, env) => {
      const out = join(tmp(), 'out');
      const r = docprov(['build', LETTER_DIR, '-o', out], {
        env: { ...env, SOURCE_DATE_EPOCH: EPOCH },
      });
      expect(r.code, r.stderr).toBe(0);
      const v = docprov(['verify', out, ...testRootTrust(), '--now', '2026-12-01']);
      expect(v.code, v.stdout).toBe(0);
      expect(v.stdout).toMatch(
        /RSA-PSS with SHA-256 signature over the signed attributes verifies/,
      );
      const cms = judge('openssl', [
        'cms',
        '-verify',
        '-binary',
        '-inform',
        'DER',
        '-in',
        join(out, 'manifest.json.p7s'),
        '-content',
        join(out, 'manifest.json'),
        '-CAfile',
        join(pkiDir(), 'root.pem'),
        '-purpose',
        'any',
        '-out',
        '/dev/null',
      ]);
      expect(cms.stderr).toContain('CMS Verification successful');
    },
  );
  it('refuses a DOCPROV_SIGNING_PADDING it does not know, naming the two it does', () => {
    const r = docprov(['sign', pdfPath, '-o', join(tmp(), 'x.pdf')], {
      env: { ...signerEnv('signer'), DOCPROV_SIGNING_PADDING: 'oaep' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      'DOCPROV_SIGNING_PADDING is "oaep"; it is pkcs1 (RSA PKCS#1 v1.5, the default) or pss (RSA-PSS)',
    );
  });
  it('refuses to certify a PDF that is already signed (exit 1)', () => {
    const r = docprov(['sign', pdfPath, '-o', join(tmp(), 'twice.pdf')], {
      env: signerEnv('signer'),
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('already has form fields or signatures');
  });
});

describe('where sign writes: a PDF, or standard output, never through what is not a file', () => {
  const unsigned = () => {
    const f = join(tmp(), 'u.pdf');
    writeFileSync(f, readFileSync(pdfPath).subarray(0, readFileSync(pdfPath).indexOf('%%EOF') + 6));
    return f;
  };
  const env = () => ({ ...signerEnv('signer'), SOURCE_DATE_EPOCH: EPOCH });
  it('-o - writes the signed PDF to standard output, and its line to standard error', () => {
    const r = spawnSync(
      process.execPath,
      [`${ROOT}bin/docprov.cjs`, 'sign', unsigned(), '-o', '-'],
      {
        env: { ...process.env, ...env() },
      },
    );
    expect(r.status, r.stderr.toString()).toBe(0);
    expect(sha256(r.stdout)).toBe(sha256(readFileSync(pdfPath)));
    expect(r.stderr.toString()).toMatch(/^signed \S*u\.pdf -> standard output \(\d+ bytes\)/m);
  });
  it.each([
    [
      'an existing file that is not a PDF',
      (f: string) => writeFileSync(f, 'my thesis\n'),
      /it exists and is not a PDF/,
    ],
    ['a symbolic link', (f: string) => symlinkSync('elsewhere.pdf', f), /it is a symbolic link/],
    ['a FIFO', (f: string) => execFileSync('mkfifo', [f]), /it is not a regular file/],
  ])('refuses %s as OUT.pdf, leaving it as it was (exit 2)', (_name, make, message) => {
    const out = join(tmp(), 'out.pdf');
    make(out);
    const before = lstatSync(out);
    const r = docprov(['sign', unsigned(), '-o', out], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/^docprov: hint: /m);
    const after = lstatSync(out);
    expect([after.ino, after.mode, after.size]).toEqual([before.ino, before.mode, before.size]);
  });
  it('refuses /dev/stdout, pointing to -o -', () => {
    const r = docprov(['sign', unsigned(), '-o', '/dev/stdout'], { env: env() });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('docprov: hint: to write to standard output, give -o -');
  });
  it('replaces an existing PDF', () => {
    const out = join(tmp(), 'out.pdf');
    writeFileSync(out, '%PDF-1.7\nold\n');
    expect(docprov(['sign', unsigned(), '-o', out], { env: env() }).code).toBe(0);
    expect(sha256(readFileSync(out))).toBe(sha256(readFileSync(pdfPath)));
  });
});

describe('keys: refused with a clear error, exit 2, and never the key in the output', () => {
  const pki = () => pkiDir();
  it.each([
    [
      'a key that does not match the certificate',
      () => ({
        DOCPROV_SIGNING_KEY: join(pki(), 'other.key'),
        DOCPROV_SIGNING_CERT: join(pki(), 'signer-chain.pem'),
      }),
      'does not match',
    ],
    ['an RSA-1024 key', () => signerEnv('weak'), 'refuses keys under 2048 bits'],
    ['an expired certificate', () => signerEnv('expired'), 'not at the signing time'],
    ['a certificate not yet valid', () => signerEnv('notyet'), 'not at the signing time'],
    [
      'a certificate without digitalSignature/nonRepudiation',
      () => signerEnv('noku'),
      'does not allow digitalSignature or nonRepudiation',
    ],
    [
      'a wrong passphrase',
      () => ({
        DOCPROV_SIGNING_KEY: join(pki(), 'signer-encrypted.key'),
        DOCPROV_SIGNING_CERT: join(pki(), 'signer-chain.pem'),
        DOCPROV_SIGNING_KEY_PASSPHRASE: 'wrong',
      }),
      'passphrase',
    ],
    [
      'a key without its certificate',
      () => ({ DOCPROV_SIGNING_KEY: join(pki(), 'signer.key') }),
      'DOCPROV_SIGNING_CERT is not set',
    ],
    [
      'a key path that does not exist',
      () => ({
        DOCPROV_SIGNING_KEY: '/nonexistent/key.pem',
        DOCPROV_SIGNING_CERT: join(pki(), 'signer-chain.pem'),
      }),
      'cannot be read',
    ],
  ])('%s', (_name, env, message) => {
    const r = docprov(['sign', pdfPath, '-o', join(tmp(), 'x.pdf')], {
      env: { ...env(), SOURCE_DATE_EPOCH: EPOCH },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('docprov: error: ');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('docprov: hint: ');
    expect(r.stderr + r.stdout).not.toContain('PRIVATE KEY');
    expect(hasStackTrace(r.stderr)).toBe(false);
  });
  it('a key given as PEM text in the variable is never echoed, even when wrong', () => {
    const keyText = readFileSync(join(pkiDir(), 'other.key'), 'utf8');
    const r = docprov(['sign', pdfPath, '-o', join(tmp(), 'x.pdf')], {
      env: {
        DOCPROV_SIGNING_KEY: keyText,
        DOCPROV_SIGNING_CERT: join(pkiDir(), 'signer-chain.pem'),
      },
    });
    expect(r.code).toBe(2);
    const body = keyText.split('\n')[1]!.slice(0, 20);
    expect(r.stderr + r.stdout).not.toContain(body);
  });
  it.each([
    ['PKCS#1', { DOCPROV_SIGNING_KEY: 'signer-pkcs1.key' }],
    [
      'encrypted PKCS#8 with its passphrase',
      {
        DOCPROV_SIGNING_KEY: 'signer-encrypted.key',
        DOCPROV_SIGNING_KEY_PASSPHRASE: 'correct horse battery staple',
      },
    ],
  ])('accepts a %s key', (_name, vars) => {
    const env: Record<string, string> = {
      DOCPROV_SIGNING_CERT: join(pkiDir(), 'signer-chain.pem'),
      SOURCE_DATE_EPOCH: EPOCH,
    };
    for (const [k, v] of Object.entries(vars))
      env[k] = k === 'DOCPROV_SIGNING_KEY' ? join(pkiDir(), v) : v;
    const dir = tmp();
    const unsigned = join(dir, 'u.pdf');
    writeFileSync(
      unsigned,
      readFileSync(pdfPath).subarray(0, readFileSync(pdfPath).indexOf('%%EOF') + 6),
    );
    const r = docprov(['sign', unsigned, '-o', join(dir, 's.pdf')], { env });
    expect(r.code, r.stderr).toBe(0);
    expect(pdfsig(join(dir, 's.pdf'))).toContain('Signature is Valid.');
  });
});

describe('development keys', () => {
  it('are created once (0600), reused, and announced loudly', () => {
    const keys = join(tmp(), 'dev');
    const env = { DOCPROV_DEV_KEYS_DIR: keys, DOCPROV_SIGNING_KEY: '', DOCPROV_SIGNING_CERT: '' };
    const init = docprov(['keys', 'init'], { env });
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toContain('created the development CA and signer');
    const mode = (f: string) => judge('stat', ['-c', '%a', join(keys, f)]).stdout.trim();
    expect(mode('signer.key')).toBe('600');
    expect(mode('ca.key')).toBe('600');
    const show1 = JSON.parse(docprov(['keys', 'show', '--json'], { env }).stdout);
    expect(show1).toMatchObject({ development: true, key: 'RSA-3072' });
    // A second init keeps them; show and a build use the same signer.
    const again = docprov(['keys', 'init'], { env });
    expect(again.stdout).toContain('kept the development CA and signer');
    const show2 = JSON.parse(docprov(['keys', 'show', '--json'], { env }).stdout);
    expect(show2.fingerprint).toBe(show1.fingerprint);
    const o = join(tmp(), 'o');
    const b = docprov(['build', LETTER_DIR, '-o', o], { env });
    expect(b.code, b.stderr).toBe(0);
    expect(b.stderr).toContain('DEVELOPMENT-SIGNED');
    const manifest = JSON.parse(readFileSync(join(o, 'manifest.json'), 'utf8'));
    expect(manifest.signer).toMatchObject({ fingerprint: show1.fingerprint, development: true });
  });
});
