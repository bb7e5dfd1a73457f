import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { memorySource } from '../src/core/pdf/source.js';
import { parseCertificate, pemBlocks } from '../src/core/pki/certificate.js';
import { verifyPdfFile } from '../src/core/verify/verify.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { laterRevocation, pkiDir } from './helpers/pki.js';
import { find, gap, latin1 } from './tamper/edit.js';
import { makeFixture } from './tamper/fixture.js';
import { locates, type Span } from './tamper/locate.js';

// The checks a single changed byte in the signed ranges may fail, and what their messages say.
// Each must name where the damage is, except where noted why it cannot.
const LOCATING = new Set([
  'pdf-parse', // the header, xref, trailer or startxref: names the byte, or the pointer to it
  'pdf-structure', // an object header or xref entry that no longer agree: names the xref offset
  'signatures-found', // the signature dictionary no longer parses: names where it stops
  'byte-range', // names the signature dictionary
  'contents-gap', // names the signature dictionary
  'cms-structure', // a damaged /SubFilter: names the signature dictionary
]);
/** A digest says that the signed bytes changed, not where. */
const CANNOT = new Set(['message-digest']);
/** Consequences of a failure that names the place (asserted), which need not name it again. */
const SECONDARY = new Set([
  'signed-revision', // no revision end is known once the xref is unreadable
  'unchanged-after-signing',
  'signature-value',
  'signing-certificate',
  'docmdp',
  'chain',
]);
/** Messages that lack an offset today and cannot get one by a change of message alone. */
const LACKS_OFFSET = [
  // src/core/verify/trust.ts receives the parsed /M only, not where it was written.
  /^certificate-validity: the signature has no readable signing time$/,
  // A damaged "/ByteRange" key (or object header) leaves no signature dictionary to point at;
  // naming one would mean following /Perms /DocMDP or the field's /V to it.
  /^signatures-found: the PDF carries no signature$/,
];
const ALLOWED = [...LOCATING, ...CANNOT, ...SECONDARY, 'certificate-validity'];

const NOW = new Date('2026-12-01T00:00:00Z');
let signed: Uint8Array;
let sigDict: Span;
let anchors: ReturnType<typeof parseCertificate>[];

beforeAll(async () => {
  signed = (await makeFixture()).signed;
  anchors = pemBlocks(readFileSync(join(pkiDir(), 'root.pem'), 'utf8')).map((d) =>
    parseCertificate(d, nodeCrypto),
  );
  const t = latin1(signed);
  const header = t.lastIndexOf(' obj', find(t, '/ByteRange [0 '));
  sigDict = { start: find(t, '<<', header), end: find(t, '>>\nendobj', gap(signed).c) + 2 };
});

describe('random mutations inside the signed ranges', () => {
  it('each of 1,000 single-byte changes, 500 in each signed range, is invalid, failing allowed checks whose messages name where', async () => {
    const { b, c, len } = gap(signed);
    let seed = 0x9e3779b9;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
    const hits = { first: 0, second: 0 };
    const seen = new Set<string>();
    const problems: string[] = [];
    for (let i = 0; i < 1000; i++) {
      // Each range sampled on its own: the second (xref, trailer) is 1/20 of the first's size.
      const second = i % 2 === 1;
      const at = second ? c + Math.floor(rand() * (len - c)) : Math.floor(rand() * b);
      if (second ? at >= c && at < len : at >= 0 && at < b) hits[second ? 'second' : 'first']++;
      const bytes = new Uint8Array(signed);
      bytes[at] = (bytes[at]! + 1 + Math.floor(rand() * 255)) & 0xff;
      const r = await verifyPdfFile(
        { name: 'mutated.pdf', source: memorySource(bytes) },
        { crypto: nodeCrypto, anchors, now: NOW, revocation: laterRevocation() },
      );
      const failed = r.checks.filter((x) => x.status === 'fail');
      const text = latin1(bytes);
      const where = `byte ${at} (${JSON.stringify(String.fromCharCode(signed[at]!))} -> ${JSON.stringify(String.fromCharCode(bytes[at]!))})`;
      if (r.verdict !== 'invalid') problems.push(`${where}: ${r.verdict}`);
      let located = false;
      let needsLocation = false;
      for (const f of failed) {
        seen.add(f.id);
        const line = `${f.id}: ${f.message}`;
        const found = locates(f.message, at, text, sigDict);
        located ||= found;
        if (!ALLOWED.includes(f.id)) problems.push(`${where}: not an allowed check: ${line}`);
        else if (LACKS_OFFSET.some((re) => re.test(line)) || CANNOT.has(f.id)) continue;
        else if (SECONDARY.has(f.id)) needsLocation = true;
        else if (!found) problems.push(`${where}: names no offset near it: ${line}`);
      }
      if (failed.length === 0) problems.push(`${where}: no check failed`);
      if (needsLocation && !located)
        problems.push(`${where}: only consequences failed: ${failed.map((f) => f.id).join(', ')}`);
    }
    expect(problems).toEqual([]);
    expect(hits).toEqual({ first: 500, second: 500 });
    // The run reached the digest and the structure checks, not the digest alone.
    for (const id of ['message-digest', 'pdf-parse', 'pdf-structure']) expect(seen).toContain(id);
    console.log(`failed checks seen over 1,000 mutations: ${[...seen].sort().join(', ')}`);
  });
});
