import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, also run by hand
import { startTsa } from '../pipeline/tsa-server.mjs';
// @ts-expect-error: a plain .mjs script, also run by hand
import { opensslCert } from './pki/openssl-leaves.mjs';
import { readAsn1 } from '../src/core/asn1/reader.js';
import { attribute, parseSignedData } from '../src/core/cms/signed-data.js';
import { OID } from '../src/core/oids.js';
import { findSignatureDicts } from '../src/core/pdf/signature-dict.js';
import { memorySource } from '../src/core/pdf/source.js';
import { readXrefChain } from '../src/core/pdf/xref.js';
import { get, type PdfValue } from '../src/core/pdf/lexer.js';
import { arrayOf, ref, withEntry } from '../src/core/pdf/serialize.js';
import { PdfUpdate } from '../src/core/sign/update.js';
import { octets, oid, seq, setOf } from '../src/core/asn1/writer.js';
import { cmsOf, editSignerInfo, fieldsOf, withCms } from './helpers/cms-edit.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { docprovAsync, hasStackTrace } from './helpers/cli.js';
import { fakeTsa } from './helpers/fake-tsa.js';
import { judge } from './helpers/judges.js';
import { LETTER_DIR } from './helpers/paths.js';
import { nssDbTrusting, pkiDir, signerEnv } from './helpers/pki.js';

// PAdES B-T, B-LT and B-LTA against a real RFC 3161 service: openssl ts -reply behind HTTP on
// 127.0.0.1, with the throw-away test PKI (a signer whose certificate expires in 2030).

const ID = 'khalaf-2017-03-17';
// Five years on: the signer's certificate (see test/pki/make-test-pki.mjs) has long expired.
const LATER = new Date(Date.now() + 5 * 365 * 86_400_000).toISOString();
type Tsa = { url: string; close: () => Promise<void>; requests: () => number };
const tmp = () => mkdtempSync(join(tmpdir(), 'docprov-ts-'));
const pki = (f: string) => join(pkiDir(), f);
const tsaOf = (name: string, alter = {}): Promise<Tsa> =>
  startTsa({ key: pki(`${name}.key`), cert: pki(`${name}.pem`), alter });
const trust = () => ['--trust', pki('root.pem')];
const build = (out: string, env: Record<string, string>, extra: string[] = []) =>
  docprovAsync(
    ['build', LETTER_DIR, '-o', out, '--revocation', pki('root-crl-later.pem'), ...extra],
    {
      env: {
        ...signerEnv('shortlived'),
        SOURCE_DATE_EPOCH: String(Math.floor(Date.now() / 1000) - 3600),
        ...env,
      },
    },
  );
const verifyJson = async (args: string[]) =>
  JSON.parse((await docprovAsync(['verify', ...args, '--json'])).stdout);

/** The CMS /Contents of every signature dictionary, and their byte ranges. */
async function signatures(pdf: Uint8Array) {
  const src = memorySource(pdf);
  const dicts = await findSignatureDicts(src, await readXrefChain(src));
  return dicts.map((d) => {
    if ('error' in d) throw new Error(d.error);
    const end = readAsn1(d.contents!, { ber: true, allowTrailing: true }).end;
    return { dict: d, cms: new Uint8Array(d.contents!.subarray(0, end)) };
  });
}

let tsa: Tsa;
let out: string;
let pdf: Uint8Array;
beforeAll(async () => {
  tsa = await tsaOf('tsa');
  out = join(tmp(), 'lta');
  const r = await build(out, { DOCPROV_TSA_URL: tsa.url });
  if (r.code !== 0) throw new Error(r.stderr);
  pdf = new Uint8Array(readFileSync(join(out, `${ID}.pdf`)));
});
afterAll(() => tsa.close());

describe('a build against a real RFC 3161 service (B-LTA)', () => {
  it('carries a signature timestamp, a DSS with the root CRL, and a document timestamp', async () => {
    const r = await verifyJson([join(out, `${ID}.pdf`), ...trust()]);
    expect(r.verdict, r.summary).toBe('authentic');
    expect(r.signatures.map((s: { kind: string }) => s.kind)).toEqual([
      'signature',
      'document-timestamp',
    ]);
    expect(r.timeProven).toBe(true);
    const pass = (id: string, subject: RegExp) =>
      r.checks.find(
        (c: { id: string; subject?: string }) => c.id === id && subject.test(c.subject ?? ''),
      );
    expect(pass('signature-timestamp', /^signature 1/)).toMatchObject({ status: 'pass' });
    expect(pass('revocation', /^signature 1/).message).toMatch(
      /by the CRL of "O=docprov tests, CN=docprov Test Root CA"/,
    );
    expect(pass('message-digest', /^document timestamp 2/)).toMatchObject({ status: 'pass' });
    expect(pass('docmdp', /^signature 1/).message).toMatch(/DocMDP P 1.*permitted/);
  });

  it('each token verifies with openssl ts -verify (imprint and chain)', async () => {
    const dir = tmp();
    const [sig, stamp] = await signatures(pdf);
    const sd = parseSignedData(sig!.cms, nodeCrypto);
    const token = attribute(sd.signerInfos[0]!.unsignedAttributes, OID.signatureTimeStampToken)!
      .values[0]!;
    const sigToken = sd.der.subarray(token.start, token.end);
    const [, b, c, d] = stamp!.dict.byteRange!;
    const ranges = createHash('sha256')
      .update(pdf.subarray(0, b))
      .update(pdf.subarray(c!, c! + d!))
      .digest('hex');
    const cases: [Uint8Array, string][] = [
      [sigToken, createHash('sha256').update(sd.signerInfos[0]!.signature).digest('hex')],
      [stamp!.cms, ranges],
    ];
    for (const [i, [tok, digest]] of cases.entries()) {
      writeFileSync(join(dir, `t${i}.der`), tok);
      const v = judge('openssl', [
        'ts',
        '-verify',
        '-digest',
        digest,
        '-in',
        join(dir, `t${i}.der`),
        '-token_in',
        '-CAfile',
        pki('root.pem'),
        '-untrusted',
        pki('tsa.pem'),
      ]);
      expect(v.stdout + v.stderr).toContain('Verification: OK');
    }
  });

  it('openssl cms -print shows the timestamp attribute in the signature and in manifest.json.p7s', async () => {
    const [sig] = await signatures(pdf);
    const dir = tmp();
    writeFileSync(join(dir, 'sig.der'), sig!.cms);
    for (const f of [
      join(dir, 'sig.der'),
      join(out, 'manifest.json.p7s'),
      join(out, 'SHA256SUMS.p7s'),
    ]) {
      const p = judge('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', f]);
      expect(p.stdout, f).toContain('id-smime-aa-timeStampToken');
    }
  });

  it('pdfsig finds the signature valid and trusted (poppler does not check document timestamps)', () => {
    const r = judge('pdfsig', [
      '-nssdir',
      `sql:${nssDbTrusting(pki('root.pem'))}`,
      join(out, `${ID}.pdf`),
    ]);
    const [first, second] = r.stdout.split(/Signature #2:/);
    expect(first).toContain('Signature Validation: Signature is Valid.');
    expect(first).toContain('Certificate Validation: Certificate is Trusted.');
    expect(second).toContain('Signature Field Name: docprov-archive-timestamp-1');
    expect(second).toContain('Total document signed');
  });

  it('verifies as authentic five years on, after the signer certificate expired; a B-B build does not', async () => {
    const pdfReport = await verifyJson([join(out, `${ID}.pdf`), ...trust(), '--now', LATER]);
    expect(pdfReport.verdict, pdfReport.summary).toBe('authentic');
    const folder = await verifyJson([out, ...trust(), '--now', LATER]);
    expect(folder.verdict, folder.summary).toBe('authentic');
    const bb = join(tmp(), 'bb');
    expect((await build(bb, { DOCPROV_TSA_URL: '' })).code).toBe(0);
    const old = await verifyJson([join(bb, `${ID}.pdf`), ...trust(), '--now', LATER]);
    expect(old.verdict).toBe('intact-untrusted');
    expect(old.checks.find((c: { id: string }) => c.id === 'certificate-validity').code).toBe(
      'expired',
    );
  });

  it('docprov timestamp renews the archive: a second document timestamp, still authentic', async () => {
    const dir = tmp();
    const f = join(dir, 'renewed.pdf');
    writeFileSync(f, pdf);
    const r = await docprovAsync(
      ['timestamp', f, ...trust(), '--revocation', pki('root-crl-later.pem')],
      { env: { DOCPROV_TSA_URL: tsa.url } },
    );
    expect(r.code, r.stderr).toBe(0);
    const renewed = new Uint8Array(readFileSync(f));
    expect(Buffer.from(renewed.subarray(0, pdf.length)).equals(Buffer.from(pdf))).toBe(true);
    const v = await verifyJson([f, ...trust(), '--now', LATER]);
    expect(v.verdict, v.summary).toBe('authentic');
    expect(v.signatures.map((s: { kind: string }) => s.kind)).toEqual([
      'signature',
      'document-timestamp',
      'document-timestamp',
    ]);
  });
  it('renewing a folder needs a signing certificate valid now: an expired one is a plain error naming the rotation (exit 2)', async () => {
    const out = join(tmp(), 'renew-expired');
    const r = await docprovAsync(['build', LETTER_DIR, '-o', out, '--renew-timestamps'], {
      env: {
        ...signerEnv('expired'),
        SOURCE_DATE_EPOCH: String(Date.parse('2005-06-01T00:00:00Z') / 1000),
        DOCPROV_TSA_URL: tsa.url,
      },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^docprov: error: renewing re-signs manifest\.json and SHA256SUMS .* is not valid now: it is valid from 2000-01-01T00:00:00\.000Z to 2010-01-01T00:00:00\.000Z$/m,
    );
    expect(r.stderr).toMatch(/^docprov: hint: rotate the key: .*--new-release-time/m);
    expect(r.stderr).not.toMatch(/a bug in docprov/);
    expect(existsSync(out)).toBe(false);
  });
  it('docprov timestamp refuses a document that does not verify, and leaves it as it was (exit 1)', async () => {
    const dir = tmp();
    const f = join(dir, 'changed.pdf');
    const u = await PdfUpdate.open(pdf);
    const page = await u.firstPage();
    u.put(
      page.num,
      withEntry(page.value, 'Rotate', { kind: 'number', value: 90, start: 0, end: 0 }),
    );
    const changed = u.bytes();
    writeFileSync(f, changed);
    const r = await docprovAsync(['timestamp', f, ...trust()], {
      env: { DOCPROV_TSA_URL: tsa.url },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^docprov: error: .*changed\.pdf does not verify: Not authentic: /m);
    expect(r.stderr).toMatch(/^docprov: hint: run "docprov verify /m);
    expect(Buffer.from(readFileSync(f)).equals(Buffer.from(changed))).toBe(true);
  });
});

describe('the timestamp token inside a signature', () => {
  it('an unsigned attribute added to the token carries a payload nothing signs: refused', async () => {
    const payload = octets(new TextEncoder().encode('HIDDEN PAYLOAD: I withdraw my resignation.'));
    const cms = cmsOf(pdf).cms;
    const edited = editSignerInfo(cms, (fields, tags) => {
      const k = tags.indexOf(0xa1);
      const [type, values] = fieldsOf(fieldsOf(fields[k]!)[0]!);
      const token = editSignerInfo(fieldsOf(values!)[0]!, (tf) => [
        ...tf,
        setOf([seq([oid('1.2.840.113549.1.9.7'), setOf([payload])])], 0xa1),
      ]);
      return fields.map((f, i) => (i === k ? setOf([seq([type!, setOf([token])])], 0xa1) : f));
    });
    const f = join(tmp(), 'token-payload.pdf');
    writeFileSync(f, withCms(pdf, edited));
    const r = await verifyJson([f, ...trust()]);
    expect(r.verdict).toBe('invalid');
    const c = r.checks.find((x: { id: string }) => x.id === 'signature-timestamp');
    expect(c).toMatchObject({ status: 'fail' });
    expect(c.message).toMatch(
      /unsigned attributes \(1\.2\.840\.113549\.1\.9\.7\) that nothing signs/,
    );
  });
});

describe('the TSA client checks every answer; a failure writes nothing (exit 2)', () => {
  const flip = (bytes: Buffer, needle: Buffer, by: Buffer) => {
    const at = bytes.indexOf(needle);
    if (at < 0) throw new Error('needle not found');
    const out = Buffer.from(bytes);
    by.copy(out, at);
    return out;
  };
  const cases: [string, () => Promise<{ url: string; close: () => Promise<void> }>, RegExp][] = [
    [
      'the TSA is down',
      // A port that was just free: nothing listens there (fetch refuses port 9 outright).
      async () => {
        const probe = createNetServer().listen(0, '127.0.0.1');
        await new Promise((r) => probe.once('listening', r));
        const { port } = probe.address() as { port: number };
        await new Promise((r) => probe.close(r));
        return { url: `http://127.0.0.1:${port}/`, close: async () => {} };
      },
      /unreachable \(ECONNREFUSED\)/,
    ],
    [
      'the answer carries another nonce',
      // The request's nonce (8 bytes after 02 08) is changed before openssl answers it.
      () =>
        tsaOf('tsa', {
          request: (q: Buffer) =>
            flip(q, Buffer.from([0x02, 0x08]), Buffer.from([0x02, 0x08, 0x55, 0x55])),
        }),
      /another nonce/,
    ],
    [
      'the token stamps other data',
      () =>
        tsaOf('tsa', {
          request: (q: Buffer) =>
            flip(q, Buffer.from([0x04, 0x20]), Buffer.from([0x04, 0x20, 0, 0, 0, 0])),
        }),
      /imprint is not the hash/,
    ],
    [
      'the TSA certificate lacks the timeStamping usage',
      () => fakeTsa(pkiDir(), 'signer'),
      /timeStamping/,
    ],
    ['the TSA certificate has expired', () => tsaOf('tsa-expired'), /not valid now/],
    [
      'the token was tampered with',
      // A byte of the TSTInfo's policy OID (55555) changes after signing.
      () =>
        tsaOf('tsa', {
          response: (r: Buffer) =>
            flip(r, Buffer.from([0x83, 0xb2, 0x03]), Buffer.from([0x83, 0xb2, 0x04])),
        }),
      /does not hold|signature does not verify|message digest/,
    ],
    [
      'the TSA refuses',
      () =>
        tsaOf('tsa', { response: () => Buffer.from([0x30, 0x05, 0x30, 0x03, 0x02, 0x01, 0x02]) }),
      /refused: status 2/,
    ],
  ];
  it.each(cases)('%s', async (_name, start, reason) => {
    const bad = await start();
    try {
      const dest = join(tmp(), 'never');
      const r = await build(dest, { DOCPROV_TSA_URL: bad.url });
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(
        /^docprov: error: no time-stamping authority gave a usable timestamp: /m,
      );
      expect(r.stderr).toMatch(reason);
      expect(hasStackTrace(r.stderr)).toBe(false);
      expect(existsSync(dest)).toBe(false);
    } finally {
      await bad.close();
    }
  });
  it('tries the next TSA when the first is down', async () => {
    const dest = join(tmp(), 'second');
    const r = await build(dest, { DOCPROV_TSA_URL: `http://127.0.0.1:9/ ${tsa.url}` });
    expect(r.code, r.stderr).toBe(0);
  });
});

describe('revocation comes from the DSS, judged at the proven time', () => {
  const signed = async (crl: string) => {
    const dir = tmp();
    const base = join(dir, 'base.pdf');
    const b = await docprovAsync(['build', LETTER_DIR, '-o', join(dir, 'b')], {
      env: { ...signerEnv('signer'), SOURCE_DATE_EPOCH: '1795000000', DOCPROV_TSA_URL: '' },
    });
    expect(b.code, b.stderr).toBe(0);
    // The unsigned letter: its signed revision, cut at the base PDF's end.
    const full = readFileSync(join(dir, 'b', `${ID}.pdf`));
    writeFileSync(base, full.subarray(0, full.indexOf('%%EOF') + 6));
    const s = await docprovAsync(['sign', base, '-o', join(dir, 's.pdf')], {
      env: { ...signerEnv('revoked'), DOCPROV_TSA_URL: tsa.url },
    });
    expect(s.code, s.stderr).toBe(0);
    const t = await docprovAsync(
      ['timestamp', join(dir, 's.pdf'), ...trust(), ...(crl ? ['--revocation', pki(crl)] : [])],
      { env: { DOCPROV_TSA_URL: tsa.url } },
    );
    expect(t.code, t.stderr).toBe(0);
    return verifyJson([join(dir, 's.pdf'), ...trust()]);
  };
  type Check = { id: string; subject?: string; status: string; code: string; message: string };
  const revocation = (r: { checks: Check[] }) =>
    r.checks.find((c) => c.id === 'revocation' && /^signature 1/.test(c.subject ?? ''))!;
  it('a signer revoked before the timestamp makes the signature invalid', async () => {
    const r = await signed('root-crl-revoked-2020.pem');
    expect(r.verdict).toBe('invalid');
    expect(revocation(r)).toMatchObject({ status: 'fail', code: 'revoked' });
    expect(revocation(r).message).toMatch(/was revoked on 2020-01-15/);
  });
  it('a signer revoked after the timestamp does not', async () => {
    const r = await signed('root-crl-revoked-2090.pem');
    expect(r.verdict, r.summary).toBe('authentic');
    expect(revocation(r).message).toMatch(/revoked later, on 2090-01-15/);
  });
  it('without revocation data nothing is proven: the timestamp is not relied on, the signer not shown unrevoked', async () => {
    const r = await signed('');
    expect(r.verdict).toBe('intact-untrusted');
    // The TSA's own revocation cannot be shown, so its timestamp proves no time...
    const stamp = r.checks.find(
      (c: Check) => c.id === 'signature-timestamp' && /^signature 1/.test(c.subject ?? ''),
    )!;
    expect(stamp).toMatchObject({ status: 'skip', code: 'untrusted' });
    expect(stamp.message).toMatch(/there is no CRL or OCSP response for "[^"]*" from its issuer/);
    // ...and the signer, judged now, cannot be shown not revoked: a skip, never a pass.
    expect(revocation(r)).toMatchObject({ status: 'skip', code: 'time-not-proven' });
    expect(revocation(r).message).toMatch(/its signature timestamp is not relied on/);
  });
});

/** Lists object `n` in the page's /Annots, as an annotating viewer would. */
const addToAnnots = (u: PdfUpdate, page: { num: number; value: PdfValue }, n: number) => {
  const annots = get(page.value, 'Annots');
  u.put(
    page.num,
    withEntry(
      page.value,
      'Annots',
      arrayOf([...(annots?.kind === 'array' ? annots.items : []), ref(n)]),
    ),
  );
};

/** Appends an update to the B-LTA PDF: changed objects, as the update writer writes them. */
const append = async (change: (u: PdfUpdate) => Promise<void>) => {
  const u = await PdfUpdate.open(pdf);
  await change(u);
  const f = join(tmp(), 'changed.pdf');
  writeFileSync(f, u.bytes());
  return verifyJson([f, ...trust()]);
};

describe('after the document timestamp, only validation data may follow', () => {
  const last = (r: {
    checks: { id: string; subject?: string; status: string; message: string }[];
  }) =>
    r.checks.find(
      (c) => c.id === 'unchanged-after-signing' && /^document timestamp 2/.test(c.subject ?? ''),
    )!;
  it('a DSS-only update is allowed, and said', async () => {
    const r = await append(async (u) => {
      const dssRef = get((await u.catalog())!.value, 'DSS');
      if (dssRef?.kind !== 'ref') throw new Error('no DSS');
      const dss = (await u.reader.get(dssRef.num))!.value;
      const certs = get(dss, 'Certs');
      const n = u.newObject();
      u.putStream(n, new Uint8Array(readFileSync(pki('root.pem'))));
      u.put(
        dssRef.num,
        withEntry(dss, 'Certs', arrayOf([...(certs?.kind === 'array' ? certs.items : []), ref(n)])),
      );
    });
    expect(r.verdict, r.summary).toBe('authentic');
    expect(last(r).message).toMatch(/only validation data \(DSS\)/);
  });
  it('a DSS update that also changes a page is refused', async () => {
    const r = await append(async (u) => {
      const page = await u.firstPage();
      u.put(
        page.num,
        withEntry(
          page.value,
          'MediaBox',
          arrayOf([0, 0, 100, 100].map((value) => ({ kind: 'number', value, start: 0, end: 0 }))),
        ),
      );
      const n = u.newObject();
      u.put(n, '<< /Type /DSS >>');
    });
    expect(r.verdict).toBe('invalid');
    expect(last(r)).toMatchObject({ status: 'fail' });
    expect(last(r).message).toMatch(/page object \d+ changed/);
  });
  it('an annotation added after the document timestamp is refused', async () => {
    const r = await append(async (u) => {
      const n = u.newObject();
      u.put(
        n,
        '<< /Type /Annot /Subtype /Text /Rect [0 0 10 10] /Contents (I withdraw this letter) >>',
      );
      const page = await u.firstPage();
      addToAnnots(u, page, n);
    });
    expect(r.verdict).toBe('invalid');
    expect(last(r)).toMatchObject({ status: 'fail' });
    expect(last(r).message).toMatch(/an annotation \(object \d+\) was added/);
  });
});

describe('what counts as validation data, and what is an annotation', () => {
  const unchanged = (r: { checks: { id: string; status: string; message: string }[] }) =>
    r.checks.filter((c) => c.id === 'unchanged-after-signing' && c.status === 'fail');
  it('a page content stream rewritten and listed in the DSS is not validation data', async () => {
    const r = await append(async (u) => {
      const page = await u.firstPage();
      const contents = get(page.value, 'Contents');
      const num = contents?.kind === 'ref' ? contents.num : undefined;
      if (num === undefined) throw new Error('the letter page has one content stream');
      u.putStream(
        num,
        new TextEncoder().encode('BT /F1 24 Tf 72 700 Td (I withdraw this letter) Tj ET'),
      );
      const dssRef = get((await u.catalog())!.value, 'DSS');
      if (dssRef?.kind !== 'ref') throw new Error('no DSS');
      const dss = (await u.reader.get(dssRef.num))!.value;
      const certs = get(dss, 'Certs');
      u.put(
        dssRef.num,
        withEntry(
          dss,
          'Certs',
          arrayOf([...(certs?.kind === 'array' ? certs.items : []), ref(num)]),
        ),
      );
    });
    expect(r.verdict).toBe('invalid');
    expect(
      unchanged(r)
        .map((c) => c.message)
        .join('\n'),
    ).toMatch(/object \d+ changed/);
  });
  it('a visible signature field added after the document timestamp is an annotation, refused', async () => {
    const r = await append(async (u) => {
      const page = await u.firstPage();
      const ap = u.newObject();
      u.putStream(
        ap,
        new TextEncoder().encode('0 0 1 rg 0 0 300 40 re f'),
        '/Type /XObject /Subtype /Form /BBox [0 0 300 40]',
      );
      const w = u.newObject();
      u.put(
        w,
        `<< /Type /Annot /Subtype /Widget /FT /Sig /T (Approval) /F 4 /Rect [72 72 372 112] /AP << /N ${ap} 0 R >> /P ${page.num} 0 R >>`,
      );
      addToAnnots(u, page, w);
    });
    expect(r.verdict).toBe('invalid');
    expect(
      unchanged(r)
        .map((c) => c.message)
        .join('\n'),
    ).toMatch(
      /visible signature field \(object \d+\) was added|page object \d+ gained annotations/,
    );
  });
});

describe('a timestamp proves time, not authorship', () => {
  it('content changed after an approval signature is not laundered by a later document timestamp', async () => {
    const { approvalSign, uncheckedTimestamper } = await import('./helpers/approval.js');
    const { addDocTimestamp } = await import('../src/core/sign/doc-timestamp.js');
    const { rawSigner } = await import('./helpers/identity.js');
    // The unsigned letter, approved (no DocMDP), then changed, then time-stamped by a trusted TSA.
    const full = Buffer.from(pdf);
    const base = new Uint8Array(full.subarray(0, full.indexOf('%%EOF') + 6));
    const approved = await approvalSign(base, rawSigner('signer'), 'approval');
    const u = await PdfUpdate.open(approved);
    const page = await u.firstPage();
    u.put(
      page.num,
      withEntry(
        page.value,
        'MediaBox',
        arrayOf([0, 0, 100, 100].map((value) => ({ kind: 'number', value, start: 0, end: 0 }))),
      ),
    );
    const stamped = await addDocTimestamp(u.bytes(), uncheckedTimestamper(tsa.url), nodeCrypto);
    const f = join(tmp(), 'laundered.pdf');
    writeFileSync(f, stamped);
    const r = await verifyJson([f, ...trust()]);
    expect(r.verdict).toBe('invalid');
    const c = r.checks.find(
      (x: { id: string; subject?: string }) =>
        x.id === 'unchanged-after-signing' && /^signature 1/.test(x.subject ?? ''),
    );
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/page object \d+ changed.*no later signature vouches for it/);
  });
  it('an untrusted TSA makes its timestamp prove nothing, and fails nothing else', async () => {
    const { uncheckedTimestamper } = await import('./helpers/approval.js');
    const { addDocTimestamp } = await import('../src/core/sign/doc-timestamp.js');
    const stranger = await fakeTsa(pkiDir(), 'stranger');
    try {
      const stamped = await addDocTimestamp(pdf, uncheckedTimestamper(stranger.url), nodeCrypto);
      const f = join(tmp(), 'stranger-stamped.pdf');
      writeFileSync(f, stamped);
      const r = await verifyJson([f, ...trust()]);
      expect(r.verdict, r.summary).toBe('authentic');
      const chain = r.checks.find(
        (x: { id: string; subject?: string }) =>
          x.id === 'chain' && /^document timestamp 3/.test(x.subject ?? ''),
      );
      expect(chain).toMatchObject({ status: 'skip', code: 'untrusted' });
      expect(chain.message).toMatch(/^not relied on: /);
      // And it proves no time: it has no proven time of its own, and the signing time is what
      // the trusted timestamps proved before it was added, not the stranger's.
      const last = r.signatures.at(-1);
      expect(last).toMatchObject({ kind: 'document-timestamp' });
      expect(last.provenTime).toBeUndefined();
      const f0 = join(tmp(), 'before-stranger.pdf');
      writeFileSync(f0, pdf);
      const before = await verifyJson([f0, ...trust()]);
      expect(r.signingTime).toBe(before.signingTime);
      expect(r.timeProven).toBe(true);
    } finally {
      await stranger.close();
    }
  });
});

describe('revocation data from where the certificates say: CRL distribution points, OCSP responders', () => {
  const freePort = () =>
    new Promise<number>((resolve) => {
      const s = createNetServer();
      s.listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
  it('a signer naming an OCSP responder and a CRL distribution point gets both into the DSS', async () => {
    const dir = tmp();
    for (const f of ['root.pem', 'root.key']) writeFileSync(join(dir, f), readFileSync(pki(f)));
    const [ocspPort, crlPort] = [await freePort(), await freePort()];
    opensslCert(dir, 'linked', {
      serial: '0x5001',
      extensions: `basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, nonRepudiation
extendedKeyUsage = 1.3.6.1.5.5.7.3.36
authorityInfoAccess = OCSP;URI:http://127.0.0.1:${ocspPort}/
crlDistributionPoints = URI:http://127.0.0.1:${crlPort}/root.crl
`,
    });
    writeFileSync(
      join(dir, 'index.txt'),
      'V\t991231000000Z\t\t5001\tunknown\t/O=docprov tests/CN=docprov test linked\n',
    );
    const responder = spawn(
      'openssl',
      [
        'ocsp',
        '-index',
        join(dir, 'index.txt'),
        '-port',
        String(ocspPort),
        '-rsigner',
        pki('root.pem'),
        '-rkey',
        pki('root.key'),
        '-CA',
        pki('root.pem'),
      ],
      { stdio: 'ignore' },
    );
    let crlFetches = 0;
    const crlServer = createServer((_req, res) => {
      crlFetches++;
      res.end(readFileSync(pki('root-crl-later.pem')));
    });
    await new Promise<void>((r) => crlServer.listen(crlPort, '127.0.0.1', r));
    try {
      await new Promise((r) => setTimeout(r, 300)); // the responder binds its port
      const out = join(dir, 'out');
      const b = await docprovAsync(
        ['build', LETTER_DIR, '-o', out, '--revocation', pki('root-crl-later.pem')],
        {
          env: {
            DOCPROV_SIGNING_KEY: join(dir, 'linked.key'),
            DOCPROV_SIGNING_CERT: join(dir, 'linked-chain.pem'),
            DOCPROV_TSA_URL: tsa.url,
          },
        },
      );
      expect(b.code, b.stderr).toBe(0);
      expect(crlFetches).toBeGreaterThan(0);
      const r = await verifyJson([join(out, `${ID}.pdf`), ...trust()]);
      expect(r.verdict, r.summary).toBe('authentic');
      const rev = r.checks.find(
        (c: { id: string; subject?: string }) =>
          c.id === 'revocation' && /^signature 1/.test(c.subject ?? ''),
      );
      expect(rev.message).toMatch(
        /"O=docprov tests, CN=docprov test linked" by an OCSP response produced /,
      );
    } finally {
      responder.kill();
      await new Promise((r) => crlServer.close(r));
    }
  });
  it('a responder that does not answer fails the build cleanly, writing nothing', async () => {
    const dir = tmp();
    for (const f of ['root.pem', 'root.key']) writeFileSync(join(dir, f), readFileSync(pki(f)));
    opensslCert(dir, 'silent', {
      serial: '0x5002',
      extensions: `basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature
authorityInfoAccess = OCSP;URI:http://127.0.0.1:9/
`,
    });
    const out = join(dir, 'out');
    const b = await docprovAsync(['build', LETTER_DIR, '-o', out], {
      env: {
        DOCPROV_SIGNING_KEY: join(dir, 'silent.key'),
        DOCPROV_SIGNING_CERT: join(dir, 'silent-chain.pem'),
        DOCPROV_TSA_URL: tsa.url,
      },
    });
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(
      /docprov: error: the OCSP responder http:\/\/127\.0\.0\.1:9\/ of "O=docprov tests, CN=docprov test silent" did not answer/,
    );
    expect(existsSync(out)).toBe(false);
  });
});
