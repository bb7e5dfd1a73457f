import { checkCms, parseCms, type ParsedCms } from '../cms/verify.js';
import { readDer } from '../cms/der-reader.js';
import type { CryptoProvider, Hasher } from '../crypto.js';
import type { Certificate } from '../pki/certificate.js';
import { ChunkScanner, findIn, type Search } from '../pdf/scan.js';
import { latin1, type ByteSource } from '../pdf/source.js';
import { readXrefChain, type XrefChain } from '../pdf/xref.js';
import { Checks } from './report.js';
import { readSignatureDict, type SignatureDict } from './signature-dict.js';
import { structureChecks } from './structure.js';
import { trustChecks } from './trust.js';

export interface VerifyContext {
  crypto: CryptoProvider;
  /** Trusted roots: the shipped trust store plus --trust. */
  anchors: Certificate[];
  now: Date;
  /** --signer: the SHA-256 fingerprint the signer certificate must have. */
  signerPin?: string;
  /** A faster substring search than the portable one, if the platform has it. */
  search?: Search;
}

export interface PdfVerification {
  checks: Checks;
  signer?: Certificate;
  signingTime?: Date;
  signatureCount: number;
}

const MAX_SIGNATURES = 32;
const SUBFILTERS = new Set(['ETSI.CAdES.detached', 'adbe.pkcs7.detached']);
const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));
const BYTE_RANGE = ascii('/ByteRange');
const CONTENTS_HEX = ascii('/Contents <');
const ENDOBJ = ascii('endobj');
const MAX_CONTENTS_BYTES = 1 << 20;

interface Job {
  dict: SignatureDict;
  range: [number, number, number, number];
  cms?: ParsedCms;
  hasher?: Hasher;
  digest?: Uint8Array;
}

/** One pass over the file: feeds each job's hasher its byte ranges, and finds "/ByteRange" before `scanEnd`. */
async function streamPass(
  src: ByteSource,
  jobs: Job[],
  scanEnd: number,
  search?: Search,
): Promise<number[]> {
  const scanner = new ChunkScanner(BYTE_RANGE, search);
  let pos = 0;
  const end = Math.max(scanEnd, ...jobs.map((j) => j.range[2] + j.range[3]), 0);
  for await (const chunk of src.chunks(0, Math.min(end, src.size))) {
    const chunkEnd = pos + chunk.length;
    for (const j of jobs) {
      if (!j.hasher) continue;
      const [, b, c, d] = j.range;
      for (const [from, to] of [
        [0, b],
        [c, c + d],
      ] as const) {
        const s = Math.max(from, pos);
        const e = Math.min(to, chunkEnd);
        if (s < e) j.hasher.update(chunk.subarray(s - pos, e - pos));
      }
    }
    if (pos < scanEnd) scanner.push(chunk, pos, scanEnd);
    pos = chunkEnd;
  }
  for (const j of jobs) if (j.hasher) j.digest = j.hasher.digest();
  return scanner.found;
}

function hexOnly(bytes: Uint8Array): boolean {
  for (const b of bytes)
    if (!((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66)))
      return false;
  return true;
}

/** What an update after the signed revision added: its objects, and which look like pages. */
async function describeAppended(src: ByteSource, from: number): Promise<string> {
  const n = src.size - from;
  const text = latin1(await src.read(from, Math.min(n, 1 << 20)));
  const objs = [...text.matchAll(/(?:^|\s)(\d+)\s+(\d+)\s+obj\b([\s\S]{0,400}?)endobj/g)];
  if (objs.length === 0) return `${n} byte(s) were appended after the signed revision`;
  const kinds = objs.map((m) => {
    const type = /\/Type\s*\/(\w+)/.exec(m[3]!)?.[1];
    return `${m[1]}${type ? ` (${type === 'Page' ? 'a page' : type})` : ''}`;
  });
  const pages = objs.filter((m) => /\/Type\s*\/Page\b/.test(m[3]!)).length;
  const xref = /(^|\s)(xref|startxref)\b/.test(text)
    ? 'an incremental update'
    : 'objects without a cross-reference section';
  return `${n} byte(s) were added after signing: ${xref} with object(s) ${kinds.join(', ')}${pages ? `; ${pages} page object(s) replaced` : ''}`;
}

export async function verifyPdf(src: ByteSource, ctx: VerifyContext): Promise<PdfVerification> {
  const c = new Checks();
  const head = latin1(await src.read(0, 1024));
  let chain: XrefChain | undefined;
  if (!/^%PDF-\d\.\d/.test(head))
    c.fail(
      'pdf-parse',
      'integrity',
      'not-a-pdf',
      'the file does not start with a PDF header (%PDF-)',
    );
  else {
    try {
      chain = await readXrefChain(src);
      c.pass(
        'pdf-parse',
        'integrity',
        `the file parses as a PDF with ${chain.sections.length} revision(s)`,
      );
    } catch (e) {
      c.fail(
        'pdf-parse',
        'integrity',
        'unreadable-structure',
        `the PDF's cross-reference structure cannot be read strictly: ${(e as Error).message}`,
      );
    }
  }
  if (chain) await structureChecks(src, chain, c);
  else
    c.skip(
      'pdf-structure',
      'integrity',
      'not-parsed',
      'the structure was not checked: the file does not parse',
    );

  // Signatures are found through the cross-reference sections (every object in use), so a
  // 200 MB file costs one hashing pass, not a scan; a file whose xref cannot be read is scanned.
  const jobs: Job[] = [];
  const broken: string[] = [];
  const seenDicts = new Set<number>();
  const addJobs = async (offsets: number[]) => {
    const added: Job[] = [];
    for (const at of offsets) {
      if (jobs.length >= MAX_SIGNATURES) break;
      const dict = await readSignatureDict(src, at).catch((e: Error) => ({
        error: e.message,
        objectStart: at,
      }));
      if (dict && 'error' in dict) {
        if (!seenDicts.has(dict.objectStart))
          broken.push(
            `the object at byte ${dict.objectStart} holds /ByteRange but does not parse strictly (${dict.error})`,
          );
        seenDicts.add(dict.objectStart);
        continue;
      }
      if (!dict || seenDicts.has(dict.dictStart)) continue;
      seenDicts.add(dict.dictStart);
      const br = dict.byteRange;
      const job: Job = {
        dict,
        range: br && br.length === 4 ? (br as [number, number, number, number]) : [0, 0, 0, 0],
      };
      jobs.push(job);
      added.push(job);
    }
    return added;
  };
  const prepare = (js: Job[]) => {
    for (const j of js) {
      const der = derPrefix(j.dict.contents);
      if (!der) continue;
      try {
        j.cms = parseCms(der, ctx.crypto);
        if (j.cms.digestAlgorithm) j.hasher = ctx.crypto.createHash(j.cms.digestAlgorithm);
      } catch {
        // recorded by the cms-structure check below
      }
      const [z, b, cc, d] = j.range;
      if (z !== 0 || b <= 0 || cc <= b || cc + d > src.size) j.hasher = undefined;
    }
  };
  if (chain) prepare(await addJobs(await byteRangesInObjects(src, chain)));
  const found = await streamPass(src, jobs, chain ? 0 : src.size, ctx.search);
  const late = await addJobs(found);
  if (late.length) {
    prepare(late);
    await streamPass(src, late, 0);
  }

  if (broken.length)
    c.fail('signatures-found', 'integrity', 'broken-signature-dictionary', broken.join('; '));
  else if (jobs.length === 0)
    c.fail('signatures-found', 'integrity', 'no-signature', 'the PDF carries no signature');
  else
    c.pass(
      'signatures-found',
      'integrity',
      `${jobs.length} signature dictionar${jobs.length === 1 ? 'y' : 'ies'} found`,
    );
  if (jobs.length === 0) return { checks: c, signatureCount: 0 };
  jobs.sort((a, b) => a.range[2] + a.range[3] - (b.range[2] + b.range[3]));

  let result: PdfVerification = { checks: c, signatureCount: jobs.length };
  for (const [i, job] of jobs.entries()) {
    const last = i === jobs.length - 1;
    const sc =
      jobs.length > 1
        ? new Checks(`signature ${i + 1} of ${jobs.length} (object ${job.dict.objectNumber})`)
        : c;
    const r = await verifySignature(src, job, chain, last, jobs.length, ctx, sc);
    if (sc !== c) c.list.push(...sc.list);
    if (last) result = { ...result, ...r };
  }
  return result;
}

const SIG_WINDOW = 4096;

/** Offsets of "/ByteRange" in the dictionaries of the objects the xref sections list. */
async function byteRangesInObjects(src: ByteSource, chain: XrefChain): Promise<number[]> {
  const offsets = new Set<number>();
  for (const s of chain.sections)
    for (const e of s.entries.values())
      if (e.type === 'n' && e.offset < src.size) offsets.add(e.offset);
  const found: number[] = [];
  for (const at of [...offsets].sort((a, b) => a - b)) {
    let bytes = await src.read(at, SIG_WINDOW);
    let hits = findIn(bytes, BYTE_RANGE);
    // A signer may write a long /Contents hex string before /ByteRange: read on past it.
    if (hits.length === 0 && findIn(bytes, CONTENTS_HEX).length > 0) {
      bytes = await src.read(at, 2 * MAX_CONTENTS_BYTES + SIG_WINDOW);
      const end = findIn(bytes, ENDOBJ)[0] ?? bytes.length;
      hits = findIn(bytes.subarray(0, end), BYTE_RANGE);
    }
    if (hits[0] !== undefined) found.push(at + hits[0]);
  }
  return found;
}

/** The DER value at the start of a /Contents string, if the rest is zero padding. */
function derPrefix(contents: Uint8Array | undefined): Uint8Array | undefined {
  if (!contents || contents.length < 2) return undefined;
  let len = contents[1]!;
  let header = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n < 1 || n > 4) return undefined;
    len = 0;
    for (let k = 0; k < n; k++) len = len * 256 + (contents[2 + k] ?? 0);
    header += n;
  }
  return header + len <= contents.length ? contents.subarray(0, header + len) : undefined;
}

async function verifySignature(
  src: ByteSource,
  job: Job,
  chain: XrefChain | undefined,
  last: boolean,
  count: number,
  ctx: VerifyContext,
  c: Checks,
): Promise<{ signer?: Certificate; signingTime?: Date }> {
  const { dict } = job;
  const [z, b, cc, d] = job.range;
  const covered = cc + d;

  // /ByteRange: [0 b c d], the gap exactly this dictionary's /Contents, within the file.
  const rangeOk =
    dict.byteRange?.length === 4 &&
    z === 0 &&
    b > 0 &&
    cc > b &&
    cc + d <= src.size &&
    dict.contentsStart === b &&
    dict.contentsEnd === cc;
  c.expect(
    rangeOk,
    'byte-range',
    'integrity',
    `/ByteRange [0 ${b} ${cc} ${d}] covers the file except exactly this signature's /Contents`,
    'bad-byte-range',
    dict.byteRange?.length !== 4
      ? '/ByteRange is missing or is not four non-negative integers'
      : z !== 0 || cc + d > src.size
        ? `/ByteRange [${dict.byteRange.join(' ')}] does not start at 0 or runs past the end of the file (${src.size} bytes)`
        : `/ByteRange leaves out bytes ${b}..${cc}, but this signature's /Contents lies at ${dict.contentsStart}..${dict.contentsEnd}: the gap could hide other data`,
  );

  // The gap: hex digits only, a DER value, then zeros (no malleable encodings, no hidden objects).
  let gapOk = false;
  let gapMsg = 'the /Contents gap holds something other than a hex-encoded signature';
  if (rangeOk && dict.contentsIsHex && dict.contents) {
    const raw = await src.read(b + 1, cc - b - 2);
    const der = derPrefix(dict.contents);
    if (!hexOnly(raw))
      gapMsg = 'the /Contents gap holds bytes other than hex digits (whitespace or hidden data)';
    else if (!der) gapMsg = '/Contents does not start with a DER value';
    else if (der[0] !== 0x30) gapMsg = '/Contents does not hold a CMS signature (no DER SEQUENCE)';
    else if (dict.contents.subarray(der.length).some((x) => x !== 0))
      gapMsg = 'after the signature, the /Contents padding is not all zeros';
    else {
      try {
        readDer(der);
        gapOk = true;
      } catch (e) {
        gapMsg = `the signature is not strict DER: ${(e as Error).message}`;
      }
    }
  } else if (!dict.contentsIsHex) gapMsg = '/Contents is missing or is not a hex string';
  c.expect(
    gapOk,
    'contents-gap',
    'integrity',
    'the gap holds only the DER signature followed by zero padding',
    'bad-contents',
    gapMsg,
  );

  // The signature dictionary, and the xref and startxref of its revision, lie inside signed bytes.
  const revEnd = chain?.revisionEnds.find((e) => e === covered);
  const revIndex = chain ? chain.revisionEnds.indexOf(covered) : -1;
  const xrefAt =
    revIndex >= 0 ? chain!.sections[chain!.sections.length - 1 - revIndex]!.offset : undefined;
  const inSigned = (o: number) => o < b || (o >= cc && o < covered);
  const revisionOk =
    revEnd !== undefined &&
    dict.dictStart < b &&
    dict.dictEnd > cc &&
    dict.dictEnd <= covered &&
    xrefAt !== undefined &&
    inSigned(xrefAt) &&
    dict.duplicateKeys.length === 0;
  c.expect(
    revisionOk,
    'signed-revision',
    'integrity',
    `the signed bytes end exactly at the end of revision ${revIndex + 1}, and hold its signature dictionary, xref and startxref`,
    'unsigned-structure',
    dict.duplicateKeys.length
      ? `the signature dictionary defines ${dict.duplicateKeys.join(', ')} twice`
      : revEnd === undefined
        ? `the signed bytes end at ${covered}, which is not the end of any revision`
        : "the signature dictionary or its revision's cross-reference section lies outside the signed bytes",
  );

  // Nothing after the signed revision (only for the signature that should cover the file).
  if (last) {
    if (covered === src.size)
      c.pass(
        'unchanged-after-signing',
        'integrity',
        'nothing was added after the signed revision: the signature covers the whole file',
      );
    else if (covered < src.size)
      c.fail(
        'unchanged-after-signing',
        'integrity',
        'modified-after-signing',
        `modified after signing: ${await describeAppended(src, covered)}`,
      );
    else
      c.fail(
        'unchanged-after-signing',
        'integrity',
        'bad-byte-range',
        'the signature claims more bytes than the file has',
      );
  } else {
    c.pass(
      'unchanged-after-signing',
      'integrity',
      `covers revision ${revIndex + 1}; a later signature covers what follows`,
    );
  }

  // CMS.
  const subFilterOk = dict.subFilter !== undefined && SUBFILTERS.has(dict.subFilter);
  const cms = job.cms;
  if (!cms) {
    c.fail(
      'cms-structure',
      'integrity',
      'bad-cms',
      !subFilterOk
        ? `the signature format /${dict.subFilter ?? '(none)'} is not supported (ETSI.CAdES.detached or adbe.pkcs7.detached)`
        : 'the signature is not a well-formed detached CMS SignedData with one signer',
    );
    for (const id of [
      'digest-algorithm',
      'message-digest',
      'signature-value',
      'signing-certificate',
    ])
      c.skip(id, 'integrity', 'no-cms', 'skipped: the CMS could not be read');
    c.fail('chain', 'trust', 'no-cms', 'no signer: the CMS could not be read');
    return {};
  }
  c.expect(
    subFilterOk && !!cms.signer,
    'cms-structure',
    'integrity',
    `a detached CMS SignedData (/${dict.subFilter}) with one signer and ${cms.certificates.length} certificate(s)`,
    'bad-cms',
    !subFilterOk
      ? `the signature format /${dict.subFilter ?? '(none)'} is not supported`
      : "the CMS does not contain the signer's certificate",
  );
  c.expect(
    !!cms.digestAlgorithm,
    'digest-algorithm',
    'integrity',
    `digest ${cms.digestAlgorithm}`,
    'weak-digest',
    cms.refusedDigest
      ? `the signature uses ${cms.refusedDigest}, which is broken and refused (SHA-256/384/512 only)`
      : `the digest algorithm ${cms.digestOid} is not allowed (SHA-256/384/512 only)`,
  );
  const findings = job.digest && rangeOk ? checkCms(cms, job.digest, ctx.crypto) : undefined;
  c.expect(
    !!findings?.messageDigestOk,
    'message-digest',
    'integrity',
    'the signed message-digest equals the digest of the signed byte ranges',
    'digest-mismatch',
    findings
      ? `the signed bytes were changed: their digest differs from the one that was signed${findings.problems.length ? ` (${findings.problems.join('; ')})` : ''}`
      : 'the digest of the signed bytes could not be computed',
  );
  c.expect(
    !!findings?.signatureOk,
    'signature-value',
    'integrity',
    `the RSA signature over the signed attributes verifies with "${cms.signer?.subject ?? '?'}"`,
    'bad-signature',
    findings?.problems.length
      ? findings.problems.join('; ')
      : "the signature value does not verify with the signer certificate's key",
  );
  if (findings?.signingCertificateOk === undefined) {
    if (dict.subFilter === 'ETSI.CAdES.detached')
      c.fail(
        'signing-certificate',
        'integrity',
        'missing-signing-certificate',
        'the PAdES signature lacks the signing-certificate-v2 attribute that binds it to its certificate',
      );
    else
      c.skip(
        'signing-certificate',
        'integrity',
        'absent',
        'no signing-certificate attribute (not required for adbe.pkcs7.detached)',
      );
  } else
    c.expect(
      findings.signingCertificateOk,
      'signing-certificate',
      'integrity',
      'signing-certificate-v2 names the signer certificate',
      'signing-certificate-mismatch',
      'signing-certificate-v2 names a different certificate than the one that signed (certificate substitution)',
    );

  // Certification permissions: P 1 forbids any change; docprov does not analyse P 2/3 changes.
  if (dict.docMdp === undefined)
    c.skip(
      'docmdp',
      'integrity',
      'not-certified',
      'an approval signature: no certification permissions to check',
    );
  else {
    const changed = covered < src.size || !last || count > 1;
    c.expect(
      !changed,
      'docmdp',
      'integrity',
      `a certification signature (DocMDP P ${dict.docMdp}); no change was made after it`,
      'docmdp-violated',
      `the document was certified with DocMDP P ${dict.docMdp}${dict.docMdp === 1 ? ' (no changes permitted)' : ''}, yet it was changed after certification`,
    );
  }

  // Trust: chain to a trusted root, validity at the signing time, key usage and size, pin.
  const signer = cms.signer;
  const when = dict.time;
  if (!signer) return {};
  trustChecks(signer, cms.certificates, when, ctx, c);
  return { signer, ...(when ? { signingTime: when } : {}) };
}
