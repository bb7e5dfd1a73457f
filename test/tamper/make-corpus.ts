// Makes the tamper corpus from a freshly signed fixture: each vector carries the outcome it must
// get and the check that must catch it. Run by test/tamper.test.ts; nothing is committed but this.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Verdict } from '../../src/core/verify/report.js';

export interface Vector {
  name: string;
  bytes: Uint8Array;
  expect: { verdict: Verdict; check: string };
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const bytesOf = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));

export interface Fixture {
  signed: Uint8Array;
  /** The same base PDF signed by other identities (made by the test). */
  untrusted: Uint8Array;
  expiredNow: Uint8Array;
  outsideValidity: Uint8Array;
  selfSigned: Uint8Array;
  signerKeyPem: string;
  signerCertPem: string;
}

function gap(pdf: Uint8Array): { b: number; c: number; len: number } {
  const t = latin1(pdf);
  const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(t)!;
  return { b: Number(m[1]), c: Number(m[2]), len: pdf.length };
}

/** A copy with one byte changed to one of two values (so it always differs). */
function setByte(pdf: Uint8Array, at: number, a: number, b: number): Uint8Array {
  const out = new Uint8Array(pdf);
  out[at] = out[at] === a ? b : a;
  return out;
}
const flip = (pdf: Uint8Array, at: number) => setByte(pdf, at, 0x41, 0x42);
const replaceHexDigit = (pdf: Uint8Array, at: number) => setByte(pdf, at, 0x31, 0x32);

function replaceSameLength(pdf: Uint8Array, from: string, to: string): Uint8Array {
  const t = latin1(pdf);
  const i = t.indexOf(from);
  if (i < 0 || from.length !== to.length) throw new Error(`cannot replace ${from}`);
  return bytesOf(t.slice(0, i) + to + t.slice(i + from.length));
}

/** An incremental update after the signature, with xref and trailer, adding the given objects. */
function incrementalUpdate(pdf: Uint8Array, objects: [number, string][]): Uint8Array {
  const t = latin1(pdf);
  const prev = Number(/startxref\s+(\d+)\s+%%EOF\s*$/.exec(t)![1]);
  const size = Number([...t.matchAll(/\/Size (\d+)/g)].pop()![1]);
  const root = [...t.matchAll(/\/Root (\d+ \d+ R)/g)].pop()![1];
  let body = '';
  const offsets: [number, number][] = [];
  for (const [n, text] of objects) {
    offsets.push([n, pdf.length + body.length]);
    body += `${n} 0 obj\n${text}\nendobj\n`;
  }
  const xrefAt = pdf.length + body.length;
  const xref = offsets
    .map(([n, o]) => `${n} 1\n${String(o).padStart(10, '0')} 00000 n \n`)
    .join('');
  const maxN = Math.max(size, ...objects.map(([n]) => n + 1));
  return bytesOf(
    t +
      body +
      `xref\n${xref}trailer\n<< /Size ${maxN} /Root ${root} /Prev ${prev} >>\nstartxref\n${xrefAt}\n%%EOF\n`,
  );
}

/** Re-signs a PDF's byte ranges with openssl (interop, and digests docprov itself never writes). */
function opensslSigned(pdf: Uint8Array, fx: Fixture, md: string, subFilter: string): Uint8Array {
  let base = pdf;
  if (subFilter !== 'ETSI.CAdES.detached')
    base = replaceSameLength(base, '/SubFilter /ETSI.CAdES.detached', `/SubFilter /${subFilter}`);
  const { b, c, len } = gap(base);
  const dir = mkdtempSync(join(tmpdir(), 'docprov-corpus-'));
  const content = Buffer.concat([
    Buffer.from(base.subarray(0, b)),
    Buffer.from(base.subarray(c, len)),
  ]);
  writeFileSync(join(dir, 'content.bin'), content);
  writeFileSync(join(dir, 'key.pem'), fx.signerKeyPem);
  writeFileSync(join(dir, 'cert.pem'), fx.signerCertPem);
  execFileSync('openssl', [
    'cms',
    '-sign',
    '-binary',
    '-md',
    md,
    '-in',
    join(dir, 'content.bin'),
    '-signer',
    join(dir, 'cert.pem'),
    '-inkey',
    join(dir, 'key.pem'),
    '-outform',
    'DER',
    '-out',
    join(dir, 'sig.der'),
  ]);
  const hex = readFileSync(join(dir, 'sig.der')).toString('hex').toUpperCase();
  const out = new Uint8Array(base);
  out.set(bytesOf(hex.padEnd(c - b - 2, '0')), b + 1);
  return out;
}

export function makeCorpus(fx: Fixture): Vector[] {
  const s = fx.signed;
  const { b, c, len } = gap(s);
  const t = latin1(s);
  const derHexLen = (() => {
    const hex = t.slice(b + 1, c - 1);
    const der = Buffer.from(hex, 'hex');
    const n = der[1]! & 0x7f;
    return (
      2 *
      (der[1]! & 0x80
        ? 2 + n + der.subarray(2, 2 + n).reduce((a, x) => a * 256 + x, 0)
        : 2 + der[1]!)
    );
  })();
  const contentStream = t.indexOf('stream', t.indexOf('/Filter /FlateDecode')) + 20;
  const widgetName = t.indexOf('(docprov-certification)') + 5;
  const page = /(\d+) 0 obj\n<<\n\/Type \/Page\n/.exec(t)!;
  const pageNum = Number(page[1]);
  const invalid = (check: string) => ({ verdict: 'invalid' as const, check });
  const vectors: Vector[] = [
    {
      name: 'byte changed in the first signed range (page content)',
      bytes: flip(s, contentStream),
      expect: invalid('message-digest'),
    },
    { name: 'byte changed in the header', bytes: flip(s, 5), expect: invalid('message-digest') },
    {
      name: 'byte changed in the second signed range (field name)',
      bytes: flip(s, widgetName),
      expect: invalid('message-digest'),
    },
    {
      name: 'byte changed in the RSA signature value',
      bytes: replaceHexDigit(s, b + 1 + derHexLen - 20),
      expect: invalid('signature-value'),
    },
    {
      name: 'non-zero padding after the signature',
      bytes: replaceHexDigit(s, c - 10),
      expect: invalid('contents-gap'),
    },
    {
      name: 'data appended after %%EOF',
      bytes: bytesOf(t + 'appended by someone\n'),
      expect: invalid('unchanged-after-signing'),
    },
    {
      name: 'incremental update adding an object, with xref and trailer',
      bytes: incrementalUpdate(s, [[900, '<< /Evil true >>']]),
      expect: invalid('unchanged-after-signing'),
    },
    {
      name: 'incremental update adding objects, without xref or trailer',
      bytes: bytesOf(t + '900 0 obj\n<< /Evil true >>\nendobj\n'),
      expect: invalid('unchanged-after-signing'),
    },
    {
      name: "incremental update replacing a page's content (shadow attack)",
      bytes: incrementalUpdate(s, [
        [901, '<< /Length 44 >>\nstream\nBT /F1 24 Tf 72 700 Td (I withdraw) Tj ET\nendstream'],
        [
          pageNum,
          `<< /Type /Page /Parent 1 0 R /MediaBox [0 0 595.28 841.89] /Contents 901 0 R >>`,
        ],
      ]),
      expect: invalid('unchanged-after-signing'),
    },
    {
      name: 'incremental update after a certification signature (DocMDP P 1)',
      bytes: incrementalUpdate(s, [
        [902, '<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents (note) >>'],
      ]),
      expect: invalid('docmdp'),
    },
    {
      name: '/Contents emptied (zeros)',
      bytes: bytesOf(t.slice(0, b + 1) + '0'.repeat(c - b - 2) + t.slice(c - 1)),
      expect: invalid('contents-gap'),
    },
    { name: '/ByteRange zeroed', bytes: zeroRange(s), expect: invalid('byte-range') },
    {
      name: 'an object hidden in the /Contents gap, hex-encoded in the padding',
      bytes: bytesOf(
        t.slice(0, c - 1 - 80) +
          Buffer.from('\n903 0 obj << /Evil true >> endobj\n')
            .toString('hex')
            .toUpperCase()
            .padEnd(80, '0') +
          t.slice(c - 1),
      ),
      expect: invalid('contents-gap'),
    },
    {
      name: 'whitespace inside the /Contents hex string (a malleable encoding)',
      bytes: bytesOf(t.slice(0, c - 1 - 8) + '    \n   ' + t.slice(c - 1)),
      expect: invalid('contents-gap'),
    },
    {
      name: 'a broken signature dictionary',
      bytes: replaceSameLength(s, '/Type /Sig', '/Type (Sig'),
      expect: invalid('signatures-found'),
    },
    {
      name: 'signature wrapping: /ByteRange widened over inserted objects',
      bytes: wrapped(s, b, c),
      expect: invalid('byte-range'),
    },
    {
      name: 'truncated by 100 bytes',
      bytes: s.subarray(0, len - 100),
      expect: invalid('pdf-parse'),
    },
    {
      name: 'truncated to half',
      bytes: s.subarray(0, Math.floor(len / 2)),
      expect: invalid('pdf-parse'),
    },
    {
      name: 'SHA-1 signature (openssl)',
      bytes: opensslSigned(s, fx, 'sha1', 'adbe.pkcs7.detached'),
      expect: invalid('digest-algorithm'),
    },
    {
      name: 'PAdES signature without signing-certificate-v2 (openssl)',
      bytes: opensslSigned(s, fx, 'sha256', 'ETSI.CAdES.detached'),
      expect: invalid('signing-certificate'),
    },
    {
      name: 're-signed by an untrusted key',
      bytes: fx.untrusted,
      expect: { verdict: 'intact-untrusted', check: 'chain' },
    },
    {
      name: 'signed by a self-signed certificate',
      bytes: fx.selfSigned,
      expect: { verdict: 'intact-untrusted', check: 'chain' },
    },
    {
      name: 'signer certificate expired since (no timestamp)',
      bytes: fx.expiredNow,
      expect: { verdict: 'intact-untrusted', check: 'certificate-validity' },
    },
    {
      name: 'signing time outside the certificate validity',
      bytes: fx.outsideValidity,
      expect: { verdict: 'intact-untrusted', check: 'certificate-validity' },
    },
  ];
  return vectors;
}

/** Vectors that must verify: docprov must not reject good signatures made by others. */
export function makeGoodVectors(fx: Fixture): Vector[] {
  return [
    {
      name: 'the signed fixture',
      bytes: fx.signed,
      expect: { verdict: 'authentic', check: 'message-digest' },
    },
    {
      name: 'adbe.pkcs7.detached SHA-256 signature made by openssl',
      bytes: opensslSigned(fx.signed, fx, 'sha256', 'adbe.pkcs7.detached'),
      expect: { verdict: 'authentic', check: 'signature-value' },
    },
  ];
}

// Signature wrapping: widen the gap past the dictionary's end over inserted objects, pushing the
// second signed range back so it still hashes the original bytes.
function wrapped(pdf: Uint8Array, b: number, c: number): Uint8Array {
  const t = latin1(pdf);
  const at = t.indexOf('endobj\n', c) + 'endobj\n'.length;
  const inserted = '904 0 obj << /Evil true >> endobj\n';
  const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/.exec(t)!;
  const newRange = `/ByteRange [0 ${b} ${at + inserted.length} ${pdf.length - at}]`;
  if (newRange.length > m[0].length + 6) throw new Error('range too long');
  const withRange = t.slice(0, m.index) + newRange + t.slice(m.index + newRange.length);
  return bytesOf(withRange.slice(0, at) + inserted + withRange.slice(at));
}

function zeroRange(pdf: Uint8Array): Uint8Array {
  const t = latin1(pdf);
  const m = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(t)!;
  const zero = '/ByteRange [0 0 0 0]';
  return bytesOf(
    t.slice(0, m.index) +
      zero +
      ' '.repeat(m[0].length - zero.length) +
      t.slice(m.index + m[0].length),
  );
}
