// Issue 18, part 1: "authentic" is earned. The required facts are one table (policy.ts); this
// walks it. For every fact of every kind of input: the same checks with only that fact's checks
// skipped, or gone, never give "authentic" (the rule); and a real file made to lack it is not
// authentic and names that fact (the verifier). A fact added to the table without a file here
// fails the test that lists them.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { CHECK_IDS } from '../src/core/verify/check-ids.js';
import {
  establishFacts,
  required,
  REQUIRED_FACTS,
  type Conditions,
  type InputKind,
  type RequiredFact,
} from '../src/core/verify/policy.js';
import { verdictOf, type Check, type Report } from '../src/core/verify/report.js';
import { withEntry } from '../src/core/pdf/serialize.js';
import { addDocTimestamp } from '../src/core/sign/doc-timestamp.js';
import { addDss } from '../src/core/sign/dss.js';
import { PdfUpdate } from '../src/core/sign/update.js';
import { nodeCrypto } from '../src/node/crypto.js';
import { docprov } from './helpers/cli.js';
import { timestamperAt } from './helpers/fake-tsa.js';
import { LETTER_DIR, ROOT } from './helpers/paths.js';
import { pkiDir, signerEnv, testRootTrust } from './helpers/pki.js';
import { crl, day, make, NOW, unsignedLetter, verifyLetter } from './helpers/signed-letter.js';

const ID = 'khalaf-2017-03-17';
const tmp = () => mkdtempSync(join(tmpdir(), 'docprov-policy-'));

/** A letter signed with a trusted timestamp, and a CRL issued after it: authentic. */
const goodPdf = () =>
  make({ signer: 'signer', claimed: day('2026-01-01'), sigTs: ['tsa', day('2026-08-01')] });
const freshCrl = () => crl(day('2026-08-02'));

let pdfReport: Report;
let folder: string;
let folderReport: Report;
let textReport: Report;
const cli = (args: string[]) => docprov([...args, ...testRootTrust(), '--now', NOW.toISOString()]);
const json = (args: string[]): Report => JSON.parse(cli([...args, '--json']).stdout) as Report;

beforeAll(async () => {
  pdfReport = await verifyLetter(await goodPdf(), [freshCrl()]);
  folder = join(tmp(), ID);
  const b = docprov(['build', LETTER_DIR, '-o', folder], {
    env: { ...signerEnv('signer'), SOURCE_DATE_EPOCH: '1795000000' },
  });
  if (b.code !== 0) throw new Error(b.stderr);
  folderReport = json(['verify', folder]);
  textReport = json([
    'verify',
    '--text',
    join(folder, `${ID}.txt`),
    '--manifest',
    join(folder, 'manifest.json'),
  ]);
});

describe('the table', () => {
  it('names only checks the verifier has, and every fact has checks and a sentence', () => {
    for (const facts of Object.values(REQUIRED_FACTS))
      for (const f of facts) {
        expect(f.checks.length, f.id).toBeGreaterThan(0);
        for (const c of f.checks) expect(CHECK_IDS, `${f.id}: ${c}`).toContain(c);
        expect(f.says.length).toBeGreaterThan(20);
      }
  });
  it('is what the README and docprov help verify list', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const help = docprov(['help', 'verify']).stdout;
    for (const f of REQUIRED_FACTS.pdf) {
      expect(readme, f.id).toContain(`| \`${f.id}\` | ${f.says}`);
      expect(help, f.id).toContain(f.id);
      expect(help.replace(/\s+/g, ' '), f.id).toContain(f.says);
    }
    for (const f of [...REQUIRED_FACTS.folder, ...REQUIRED_FACTS.text]) {
      expect(readme, f.id).toContain(`\`${f.id}\``);
      expect(help, f.id).toContain(f.id);
    }
  });
  it('every kind of input has its authentic starting point', () => {
    for (const r of [pdfReport, folderReport, textReport])
      expect(r.verdict, `${r.kind}: ${r.summary}`).toBe('authentic');
    // A folder built today declares its provenance and its log: both are required of it.
    expect(folderReport.facts!.map((f) => f.id)).toEqual(
      expect.arrayContaining(['provenance-verified', 'logged']),
    );
  });
});

/** The checks of `report` with only `fact`'s own checks changed by `edit`. */
function without(
  report: Report,
  fact: RequiredFact,
  edit: (c: Check) => Check | undefined,
): Check[] {
  return report.checks.flatMap((c) => {
    if (c.role !== fact.role || !fact.checks.includes(c.id)) return [c];
    const e = edit(c);
    return e ? [e] : [];
  });
}

describe.each([
  ['pdf', () => pdfReport],
  ['folder', () => folderReport],
  ['text', () => textReport],
] as [InputKind, () => Report][])('the rule, for a %s', (kind, report) => {
  // What the starting report declares (a folder's provenance, its log) is required of it.
  const conditions = (): Conditions => {
    const has = new Set(report().facts!.map((f) => f.id));
    return { provenance: has.has('provenance-verified'), log: has.has('logged') };
  };
  it.each(REQUIRED_FACTS[kind].filter((f) => !f.pinned).map((f) => [f.id, f] as const))(
    'without "%s" it is not authentic, whether its checks are skipped or gone',
    (_id, fact) => {
      if (!required(fact, conditions())) return expect(fact.declared).toBeDefined();
      for (const edit of [
        (c: Check): Check => ({ ...c, status: 'skip', code: 'absent' }),
        () => undefined,
      ]) {
        const checks = without(report(), fact, edit);
        const facts = establishFacts(kind, checks, conditions());
        expect(facts.find((f) => f.id === fact.id)!.status).not.toBe('pass');
        expect(verdictOf(checks, facts)).not.toBe('authentic');
        // Integrity facts not established mean the bytes cannot be vouched for: invalid.
        if (fact.category === 'integrity') expect(verdictOf(checks, facts)).toBe('invalid');
      }
    },
  );
  it('the pinned-signer fact is required once a signer is pinned', () => {
    const pinned = REQUIRED_FACTS[kind].filter((f) => f.pinned);
    expect(pinned.length).toBeGreaterThan(0);
    const facts = establishFacts(kind, report().checks, { ...conditions(), pinned: true });
    for (const f of pinned) expect(facts.find((x) => x.id === f.id)!.status).not.toBe('pass');
    expect(verdictOf(report().checks, facts)).not.toBe('authentic');
  });
});

/** A real file for each fact of a PDF, lacking exactly that fact as far as one file can. */
const pdfMakers: Record<string, () => Promise<Report>> = {
  'readable-pdf': async () => {
    // An update appended after the signature, then 40 bytes slipped in before it: every offset
    // it names is off, so the file could only be read by repairing it.
    const good = await goodPdf();
    const u = await PdfUpdate.open(good);
    const n = u.newObject();
    u.put(n, '<< /Note (x) >>');
    const bytes = u.bytes();
    const out = new Uint8Array(bytes.length + 40).fill(0x20);
    out.set(bytes.subarray(0, good.length));
    out.set(bytes.subarray(good.length), good.length + 40);
    return verifyLetter(out, [freshCrl()]);
  },
  signed: async () => {
    // The headline forgery: no signature at all, only a document timestamp, even a trusted one.
    const stamped = await addDocTimestamp(
      await unsignedLetter(),
      timestamperAt(pkiDir(), 'tsa', day('2026-08-01')),
      nodeCrypto,
    );
    return verifyLetter(await addDss(stamped, { certs: [], crls: [freshCrl()], ocsps: [] }));
  },
  'signed-bytes-intact': async () => {
    const bytes = new Uint8Array(await goodPdf());
    bytes[2000] = bytes[2000]! ^ 1;
    return verifyLetter(bytes, [freshCrl()]);
  },
  'nothing-unsigned-after': async () => {
    const u = await PdfUpdate.open(await goodPdf());
    const catalog = (await u.catalog())!;
    u.put(
      catalog.num,
      withEntry(catalog.value, 'PageMode', {
        kind: 'name',
        value: 'UseOutlines',
        start: 0,
        end: 0,
      }),
    );
    return verifyLetter(u.bytes(), [freshCrl()]);
  },
  'signer-trusted': async () => verifyLetter(await goodPdf(), [freshCrl()], { anchors: [] }),
  'signer-valid': async () =>
    verifyLetter(
      await make({
        signer: 'expired',
        claimed: day('2009-01-01'),
        sigTs: ['tsa', day('2026-08-01')],
      }),
      [freshCrl()],
    ),
  'signer-not-revoked': async () => verifyLetter(await goodPdf(), [crl(day('2026-07-01'))]),
  'signer-pinned': async () => {
    const fp = pdfReport.signer!.fingerprint;
    // Differs in its last digit only: the whole fingerprint is compared.
    const wrong = fp.slice(0, -1) + (fp.endsWith('0') ? '1' : '0');
    return verifyLetter(await goodPdf(), [freshCrl()], { signerPin: wrong });
  },
};

describe('real files, each made to lack one fact', () => {
  it('has a file for every fact of a PDF', () => {
    expect(Object.keys(pdfMakers).sort()).toEqual(REQUIRED_FACTS.pdf.map((f) => f.id).sort());
  });
  it.each(REQUIRED_FACTS.pdf.map((f) => [f.id] as const))(
    'a PDF lacking "%s" is not authentic, and says so',
    async (id) => {
      const r = await pdfMakers[id]!();
      expect(r.verdict, r.summary).not.toBe('authentic');
      expect(r.facts!.find((f) => f.id === id)!.status, r.summary).not.toBe('pass');
    },
  );
  it('the signed-only-by-a-timestamp forgery is called not signed, in plain words', async () => {
    const r = await pdfMakers.signed!();
    expect(r.verdict).toBe('invalid');
    expect(r.summary).toMatch(
      /^Not signed: the PDF carries no signature, only a document timestamp: a timestamp proves when the file existed, never who made it/,
    );
  });

  const copy = () => {
    const dir = join(tmp(), ID);
    cpSync(folder, dir, { recursive: true });
    return dir;
  };
  const folderMakers: Record<string, () => Report> = {
    'manifest-intact': () => {
      const dir = copy();
      const m = join(dir, 'manifest.json');
      writeFileSync(m, readFileSync(m, 'utf8').replace('"docprov"', '"d0cprov"'));
      return json(['verify', dir]);
    },
    'manifest-signer-trusted': () => {
      // The manifest signed again by a stranger: not the publisher, not trusted.
      const dir = copy();
      const m = join(dir, 'manifest.json');
      execFileSync('openssl', [
        'cms',
        '-sign',
        '-binary',
        '-in',
        m,
        '-signer',
        join(pkiDir(), 'stranger.pem'),
        '-inkey',
        join(pkiDir(), 'stranger.key'),
        '-outform',
        'DER',
        '-out',
        `${m}.p7s`,
      ]);
      return json(['verify', dir]);
    },
    'pdf-listed': () => {
      // Another signed copy of the letter by the same signer, at another time.
      const other = join(tmp(), 'other');
      docprov(['build', LETTER_DIR, '-o', other], {
        env: { ...signerEnv('signer'), SOURCE_DATE_EPOCH: '1795100000' },
      });
      const dir = copy();
      cpSync(join(other, `${ID}.pdf`), join(dir, `${ID}.pdf`));
      return json(['verify', dir]);
    },
    'sources-match': () => {
      // Another letter's PDF (one word changed, the same signer) against this folder's manifest.
      const src = join(tmp(), 'src');
      cpSync(LETTER_DIR, src, { recursive: true });
      const text = join(src, 'source.txt');
      writeFileSync(text, readFileSync(text, 'utf8').replace('apartheid', 'segregation'));
      const other = join(tmp(), 'other');
      const b = docprov(['build', src, '-o', other], {
        env: { ...signerEnv('signer'), SOURCE_DATE_EPOCH: '1795000000' },
      });
      expect(b.code, b.stderr).toBe(0);
      return json([
        'verify',
        join(other, `${ID}.pdf`),
        '--manifest',
        join(folder, 'manifest.json'),
      ]);
    },
    'provenance-verified': () => {
      const dir = copy();
      const f = join(dir, 'provenance.intoto.json');
      // One character of the signed statement changed: the envelope's signature no longer holds.
      writeFileSync(
        f,
        readFileSync(f, 'utf8').replace(
          /"payload":\s*"(.)/,
          (m, c: string) => m.slice(0, -1) + (c === 'e' ? 'f' : 'e'),
        ),
      );
      return json(['verify', dir]);
    },
    logged: () => {
      const dir = copy();
      const f = join(dir, 'manifest.json.tlog-proof');
      const t = readFileSync(f, 'utf8');
      // One hash of the inclusion proof changed.
      writeFileSync(
        f,
        t.replace(/([A-Za-z0-9+/]{40,}=*)\n/, (m) => (m[0] === 'A' ? 'B' : 'A') + m.slice(1)),
      );
      return json(['verify', dir]);
    },
    'files-as-listed': () => {
      const dir = copy();
      writeFileSync(join(dir, 'correction.txt'), 'The letter was withdrawn.\n');
      return json(['verify', dir]);
    },
  };
  it('has a file for every fact a folder adds', () => {
    const pdf = new Set(REQUIRED_FACTS.pdf.map((f) => f.id));
    expect(Object.keys(folderMakers).sort()).toEqual(
      REQUIRED_FACTS.folder
        .filter((f) => !pdf.has(f.id) && !f.pinned)
        .map((f) => f.id)
        .sort(),
    );
  });
  it.each(Object.keys(folderMakers).map((k) => [k] as const))(
    'a folder lacking "%s" is not authentic, and says so',
    (id) => {
      const r = folderMakers[id]!();
      expect(r.verdict, r.summary).not.toBe('authentic');
      expect(r.facts!.find((f) => f.id === id)?.status, r.summary).not.toBe('pass');
    },
  );
  it('a text copy lacking "text-matches" is not authentic', () => {
    const copyFile = join(tmp(), 'copy.txt');
    writeFileSync(
      copyFile,
      readFileSync(join(folder, `${ID}.txt`), 'utf8').replace('apartheid', 'democratic'),
    );
    const r = json(['verify', '--text', copyFile, '--manifest', join(folder, 'manifest.json')]);
    expect(r.verdict).toBe('invalid');
    expect(r.facts!.find((f) => f.id === 'text-matches')!.status).toBe('fail');
  });
});

describe('what a document timestamp proves', () => {
  it('when, never who: a trusted timestamp over an unsigned PDF is never authentic', async () => {
    const r = await pdfMakers.signed!();
    expect(r.checks.find((c) => c.id === 'signatures-found')).toMatchObject({
      status: 'fail',
      code: 'not-signed',
    });
  });
});
