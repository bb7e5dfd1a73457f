// Makes the tamper corpus from a freshly signed fixture (fixture.ts): each vector carries the
// outcome docprov must give, the check that must catch it, what pdfsig and mutool must say where
// they are right, and why docprov is stricter where they are not as strict. Run by
// test/tamper.test.ts; its judged table is test/tamper/README.md.
import type { Verdict } from '../../src/core/verify/report.js';
import {
  bytesOf,
  find,
  firstMatch,
  flipInRange,
  gap,
  incrementalUpdate,
  lastMatch,
  latin1,
  replaceSameLength,
  setByte,
  streamObject,
} from './edit.js';
import { opensslSigned } from './openssl-sign.js';

export interface Vector {
  name: string;
  bytes: Uint8Array;
  expect: { verdict: Verdict; check: string };
  /** What each judge must say (its parsed phrase) where it is right. */
  judges?: { pdfsig?: string; mutool?: string };
  /** Why docprov is stricter here than a judge that accepts or only warns. */
  stricter?: string;
}

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

/** The text the shadow attack shows on page 1 instead of the letter. */
export const SHADOW_TEXT = 'I withdraw this letter.';

const replaceHexDigit = (pdf: Uint8Array, at: number) => setByte(pdf, at, 0x31, 0x32);

// What the judges say, as parsed by test/helpers/signature-judges.ts.
const DIGEST_MISMATCH = { pdfsig: 'Digest Mismatch', mutool: 'changed since signing' };
const EDITED = {
  pdfsig: 'valid, certificate is Trusted, NOT total document signed',
  mutool: 'valid, edited since signing',
};
const UNSIGNED_GAP =
  'The bytes between the two signed ranges are covered by no signature. pdfsig notes the file is not wholly signed and mutool does not object; docprov requires exactly the DER signature followed by zeros (as pyHanko does), so the gap cannot carry data or a second encoding of the signature.';
const AFTER_SIGNING =
  'Bytes after the signed revision are covered by no signature, and this certification (DocMDP P 1) permits no change: docprov calls the copy invalid, where pdfsig calls the signature valid with "NOT total document signed" and mutool reports edits since signing.';
const NO_TRUST_STORE =
  'mutool sign -v has no trust store: it judges the bytes, not the signer. pdfsig, with the NSS database trusting the test root, and docprov both refuse the signer.';
const NO_VALIDITY =
  'mutool sign -v judges the bytes only: it has no trust store and does not check validity periods. pdfsig (certificate has Expired) and docprov both decline to vouch for the signer.';

/** Length in hex digits of the DER signature at the start of the /Contents gap. */
function derHexLength(t: string, b: number, c: number): number {
  const der = Buffer.from(t.slice(b + 1, c - 1), 'hex');
  const n = der[1]! & 0x7f;
  const len =
    der[1]! & 0x80 ? 2 + n + der.subarray(2, 2 + n).reduce((a, x) => a * 256 + x, 0) : 2 + n;
  return 2 * len;
}

/**
 * A real shadow attack: an incremental update that replaces page 1 by a page with its own font
 * resource and a content stream of exact /Length, so that viewers show other text.
 */
function shadowAttack(pdf: Uint8Array): Uint8Array {
  const t = latin1(pdf);
  const page = firstMatch(t, /(\d+) 0 obj\n<<\n\/Type \/Page\n/, 'the first page object');
  const body = t.slice(page.index, find(t, 'endobj', page.index));
  const parent = firstMatch(body, /\/Parent (\d+ \d+ R)/, "the page's /Parent")[1];
  const mediaBox = firstMatch(body, /\/MediaBox \[[^\]]+\]/, "the page's /MediaBox")[0];
  const content = `BT /F1 24 Tf 72 700 Td (${SHADOW_TEXT}) Tj ET`;
  return incrementalUpdate(pdf, [
    [901, streamObject(content)],
    [902, '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'],
    [
      Number(page[1]),
      `<< /Type /Page /Parent ${parent} ${mediaBox} /Resources << /Font << /F1 902 0 R >> >> /Contents 901 0 R >>`,
    ],
  ]);
}

export function makeCorpus(fx: Fixture): Vector[] {
  const s = fx.signed;
  const { b, c, len } = gap(s);
  const t = latin1(s);
  const contentStream = find(t, 'stream', find(t, '/Filter /FlateDecode')) + 20;
  const widgetName = find(t, '(docprov-certification)') + 5;
  const invalid = (check: string) => ({ verdict: 'invalid' as const, check });
  const untrusted = (check: string) => ({ verdict: 'intact-untrusted' as const, check });
  return [
    {
      name: 'byte changed in the first signed range (page content)',
      bytes: flipInRange(s, contentStream, 1),
      expect: invalid('message-digest'),
      judges: DIGEST_MISMATCH,
    },
    {
      name: 'byte changed in the header',
      bytes: flipInRange(s, 5, 1),
      expect: invalid('message-digest'),
      judges: DIGEST_MISMATCH,
    },
    {
      name: 'byte changed in the second signed range (field name)',
      bytes: flipInRange(s, widgetName, 2),
      expect: invalid('message-digest'),
      judges: DIGEST_MISMATCH,
    },
    {
      name: 'byte changed in the RSA signature value',
      bytes: replaceHexDigit(s, b + 1 + derHexLength(t, b, c) - 20),
      expect: invalid('signature-value'),
      judges: { pdfsig: 'Signature is Invalid' },
    },
    {
      name: 'non-zero padding after the signature',
      bytes: replaceHexDigit(s, c - 10),
      expect: invalid('contents-gap'),
      stricter: UNSIGNED_GAP,
    },
    {
      name: 'data appended after %%EOF',
      bytes: bytesOf(t + 'appended by someone\n'),
      expect: invalid('unchanged-after-signing'),
      judges: EDITED,
      stricter: AFTER_SIGNING,
    },
    {
      name: 'incremental update adding an object, with xref and trailer',
      bytes: incrementalUpdate(s, [[900, '<< /Evil true >>']]),
      expect: invalid('unchanged-after-signing'),
      judges: EDITED,
      stricter: AFTER_SIGNING,
    },
    {
      name: 'incremental update adding objects, without xref or trailer',
      bytes: bytesOf(t + '900 0 obj\n<< /Evil true >>\nendobj\n'),
      expect: invalid('unchanged-after-signing'),
      judges: EDITED,
      stricter: AFTER_SIGNING,
    },
    {
      name: 'incremental update replacing page 1 with other text (shadow attack)',
      bytes: shadowAttack(s),
      expect: invalid('unchanged-after-signing'),
      judges: EDITED,
      stricter: `${AFTER_SIGNING} Here viewers show "${SHADOW_TEXT}" on page 1 instead of the letter, under a signature both judges call valid.`,
    },
    {
      name: 'incremental update after a certification signature (DocMDP P 1)',
      bytes: incrementalUpdate(s, [
        [902, '<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents (note) >>'],
      ]),
      expect: invalid('docmdp'),
      judges: EDITED,
      stricter: `${AFTER_SIGNING} Neither judge enforces the DocMDP permissions.`,
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
      stricter: UNSIGNED_GAP,
    },
    {
      name: 'whitespace inside the /Contents hex string (a malleable encoding)',
      bytes: bytesOf(t.slice(0, c - 1 - 8) + '    \n   ' + t.slice(c - 1)),
      expect: invalid('contents-gap'),
      stricter: UNSIGNED_GAP,
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
      stricter:
        'SHA-1 is broken (chosen-prefix collisions are practical since 2020): docprov accepts SHA-256, -384 and -512 only; both judges accept SHA-1.',
    },
    {
      name: 'PAdES signature without signing-certificate-v2 (openssl)',
      bytes: opensslSigned(s, fx, 'sha256', 'ETSI.CAdES.detached'),
      expect: invalid('signing-certificate'),
      stricter:
        'A PAdES signature (ETSI.CAdES.detached) must carry the signing-certificate-v2 attribute that binds it to its certificate (ETSI EN 319 142-1; it stops certificate substitution). Neither judge checks for it.',
    },
    {
      name: 're-signed by an untrusted key',
      bytes: fx.untrusted,
      expect: untrusted('chain'),
      judges: { pdfsig: "valid, certificate issuer isn't Trusted, total document signed" },
      stricter: NO_TRUST_STORE,
    },
    {
      name: 'signed by a self-signed certificate',
      bytes: fx.selfSigned,
      expect: untrusted('chain'),
      judges: { pdfsig: 'valid, certificate issuer is unknown, total document signed' },
      stricter: NO_TRUST_STORE,
    },
    {
      name: 'signer certificate expired since (no timestamp)',
      bytes: fx.expiredNow,
      expect: untrusted('certificate-validity'),
      judges: { pdfsig: 'valid, certificate has Expired, total document signed' },
      stricter: NO_VALIDITY,
    },
    {
      name: 'signing time outside the certificate validity',
      bytes: fx.outsideValidity,
      expect: untrusted('certificate-validity'),
      judges: { pdfsig: 'valid, certificate has Expired, total document signed' },
      stricter: NO_VALIDITY,
    },
  ];
}

/** Vectors that must verify: docprov must not reject good signatures made by others. */
export function makeGoodVectors(fx: Fixture): Vector[] {
  const accepted = {
    pdfsig: 'valid, certificate is Trusted, total document signed',
    mutool: 'unchanged since signing',
  };
  return [
    {
      name: 'the signed fixture',
      bytes: fx.signed,
      expect: { verdict: 'authentic', check: 'message-digest' },
      judges: accepted,
    },
    {
      name: 'adbe.pkcs7.detached SHA-256 signature made by openssl',
      bytes: opensslSigned(fx.signed, fx, 'sha256', 'adbe.pkcs7.detached'),
      expect: { verdict: 'authentic', check: 'signature-value' },
      judges: accepted,
    },
  ];
}

// Signature wrapping: widen the gap past the dictionary's end over inserted objects, pushing the
// second signed range back so it still hashes the original bytes.
function wrapped(pdf: Uint8Array, b: number, c: number): Uint8Array {
  const t = latin1(pdf);
  const at = find(t, 'endobj\n', c) + 'endobj\n'.length;
  const inserted = '904 0 obj << /Evil true >> endobj\n';
  const m = lastMatch(t, /\/ByteRange \[0 (\d+) (\d+) (\d+)\s*\]/, '/ByteRange [0 b c d]');
  const newRange = `/ByteRange [0 ${b} ${at + inserted.length} ${pdf.length - at}]`;
  if (newRange.length > m[0].length + 6) throw new Error('tamper corpus: range too long');
  const withRange = t.slice(0, m.index) + newRange + t.slice(m.index + newRange.length);
  return bytesOf(withRange.slice(0, at) + inserted + withRange.slice(at));
}

function zeroRange(pdf: Uint8Array): Uint8Array {
  const t = latin1(pdf);
  const m = lastMatch(t, /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/, '/ByteRange [0 b c d]');
  const zero = '/ByteRange [0 0 0 0]';
  return bytesOf(
    t.slice(0, m.index) +
      zero +
      ' '.repeat(m[0].length - zero.length) +
      t.slice(m.index + m[0].length),
  );
}
