import { CLOCK_SKEW_MS } from '../clock.js';
import { sameBytes } from '../crypto.js';
import { OID } from '../oids.js';
import { PdfObjects } from '../pdf/objects.js';
import { latin1 } from '../pdf/source.js';
import { allowedAfterCertification, changesAfter, type Change } from '../pdf/updates.js';
import { entryOf, startxrefEndingAt, type XrefChain } from '../pdf/xref.js';
import { schemeName } from '../pki/algorithms.js';
import { Checks } from './report.js';
import { cmsPrefix, type PdfRun, type SignatureRun } from './signature-run.js';
import { trustChecks, type SigningTime } from './trust.js';
import { signatureTimestampOf } from './timestamps.js';
import { judgePathRevocation, recordRevocation } from './path-revocation.js';
import { tsaUsageProblem, type ChainResult } from '../pki/chain.js';
import type { Certificate } from '../pki/certificate.js';

// One small function per check of a PDF signature, in the order the report lists them. Each
// reads the shared state of the signature (SignatureRun) and of the file (PdfRun).

export type SignatureCheck = (s: SignatureRun, run: PdfRun, c: Checks) => Promise<void> | void;

const SUBFILTERS = new Set(['ETSI.CAdES.detached', 'adbe.pkcs7.detached']);

const rangeOk = (s: SignatureRun, size: number): boolean => {
  const [z, b, c, d] = s.range;
  return (
    s.dict.byteRange?.length === 4 &&
    z === 0 &&
    b > 0 &&
    c > b &&
    c + d <= size &&
    s.dict.contentsStart === b &&
    s.dict.contentsEnd === c
  );
};

const byteRange: SignatureCheck = (s, run, c) => {
  const [z, b, cc, d] = s.range;
  const br = s.dict.byteRange;
  c.expect(
    rangeOk(s, run.src.size),
    'byte-range',
    'integrity',
    `/ByteRange [0 ${b} ${cc} ${d}] covers the file except exactly this signature's /Contents`,
    'bad-byte-range',
    br?.length !== 4
      ? '/ByteRange is missing or is not four non-negative integers'
      : z !== 0 || cc + d > run.src.size
        ? `/ByteRange [${br.join(' ')}] does not start at 0 or runs past the end of the file (${run.src.size} bytes)`
        : `/ByteRange leaves out bytes ${b}..${cc}, but this signature's /Contents lies at ${s.dict.contentsStart}..${s.dict.contentsEnd}: the gap could hide other data`,
  );
};

function hexOnly(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    const x = bytes[i]!;
    if (!((x >= 0x30 && x <= 0x39) || (x >= 0x41 && x <= 0x46) || (x >= 0x61 && x <= 0x66)))
      return i;
  }
  return -1;
}

const contentsGap: SignatureCheck = async (s, run, c) => {
  const [, b, cc] = s.range;
  let problem = '/Contents is missing or is not a hex string';
  if (rangeOk(s, run.src.size) && s.dict.contentsIsHex && s.dict.contents) {
    const raw = await run.src.read(b + 1, cc - b - 2);
    const cms = cmsPrefix(s.dict.contents);
    const bad = hexOnly(raw);
    if (bad >= 0)
      problem = `the /Contents gap holds a byte other than a hex digit at byte ${b + 1 + bad} (whitespace or hidden data)`;
    else if (!cms) problem = '/Contents does not start with a readable ASN.1 value';
    else if (cms[0] !== 0x30) problem = '/Contents does not hold a CMS signature (no SEQUENCE)';
    else {
      const pad = s.dict.contents.subarray(cms.length).findIndex((x) => x !== 0);
      if (pad >= 0)
        problem = `after the signature, the /Contents padding is not all zeros (at byte ${b + 1 + 2 * (cms.length + pad)})`;
      else problem = '';
    }
  } else if (s.dict.contentsIsHex) problem = 'the /Contents gap does not match /ByteRange';
  c.expect(
    problem === '',
    'contents-gap',
    'integrity',
    `the gap holds only the signature${s.cms?.ber ? ' (BER-encoded)' : ''}, then zero padding`,
    'bad-contents',
    problem,
  );
};

/** The chain of the revision that ends at `end`, if it is a suffix of the file's own chain. */
async function chainEndingAt(run: PdfRun, end: number): Promise<XrefChain | undefined> {
  const chain = run.chain;
  if (!chain) return undefined;
  const n = end === chain.end ? chain.startxref : await startxrefEndingAt(run.src, end);
  const k = chain.sections.findIndex((x) => x.offset === n);
  return n === undefined || k < 0
    ? undefined
    : { startxref: n, sections: chain.sections.slice(k), end };
}

const signedRevision: SignatureCheck = async (s, run, c) => {
  const [, b, cc] = s.range;
  const inSigned = (o: number) => o < b || (o >= cc && o < s.covered);
  const chain = await chainEndingAt(run, s.covered);
  const dictListed = chain
    ? entryOf(chain, s.dict.objectNumber)?.offset === s.dict.objectStart
    : false;
  const ok =
    !!chain &&
    inSigned(chain.startxref) &&
    dictListed &&
    s.dict.dictStart < b &&
    s.dict.dictEnd > cc &&
    s.dict.dictEnd <= s.covered &&
    s.dict.duplicateKeys.length === 0;
  if (ok) s.signedChain = chain;
  c.expect(
    ok,
    'signed-revision',
    'integrity',
    `the signed bytes end exactly at the end of a revision, and hold its cross-reference section and this signature dictionary`,
    'unsigned-structure',
    !run.chain
      ? "the file's cross-reference structure cannot be read, so the signed revision cannot be found"
      : s.dict.duplicateKeys.length
        ? `the signature dictionary defines ${s.dict.duplicateKeys.join(', ')} twice`
        : !chain
          ? `the signed bytes end at byte ${s.covered}, which is not the end of a revision of this file ("startxref N %%EOF" naming one of its cross-reference sections)`
          : !dictListed
            ? "the signed revision's cross-reference section does not list this signature dictionary"
            : "the signature dictionary or its revision's cross-reference section lies outside the signed bytes",
  );
};

const describe = (changes: readonly Change[]) =>
  changes
    .slice(0, 6)
    .map((x) => x.what)
    .join('; ') + (changes.length > 6 ? `; and ${changes.length - 6} more` : '');

/** What was changed after a signature's revision (cached on the run). */
async function changesAfterSignature(s: SignatureRun, run: PdfRun): Promise<Change[] | undefined> {
  if (!s.signedChain || !run.chain || !run.objects) return undefined;
  if (s.covered >= run.chain.end) return [];
  const added = run.chain.sections.slice(
    0,
    run.chain.sections.length - s.signedChain.sections.length,
  );
  const before = new PdfObjects(run.src, s.signedChain, run.objects.budget);
  return changesAfter(before, run.objects, added);
}

/** Bytes after the signed ones that are no readable update: what they look like. */
async function appended(run: PdfRun, from: number): Promise<string> {
  const n = run.src.size - from;
  const text = latin1(await run.src.read(from, Math.min(n, 1 << 20)));
  const objs = [...text.matchAll(/(?:^|\s)(\d{1,10})\s+\d{1,5}\s+obj\b/g)].map((m) => m[1]);
  const xref = /(^|\s)(xref|startxref)\b/.test(text);
  return `${n} byte(s) follow the signed bytes${objs.length ? `, holding object(s) ${objs.slice(0, 5).join(', ')}${xref ? '' : ' without a cross-reference section'}` : ''}`;
}

const changeCache = new WeakMap<SignatureRun, Promise<Change[] | undefined>>();
const changesOf = (s: SignatureRun, run: PdfRun) => {
  let p = changeCache.get(s);
  if (!p) changeCache.set(s, (p = changesAfterSignature(s, run)));
  return p;
};

const unchangedAfterSigning: SignatureCheck = async (s, run, c) => {
  const extra = run.src.size - s.covered;
  if (extra === 0) {
    c.pass(
      'unchanged-after-signing',
      'integrity',
      'nothing was added after the signed revision: the signature covers the whole file',
    );
    return;
  }
  if (extra < 0) {
    c.fail(
      'unchanged-after-signing',
      'integrity',
      'bad-byte-range',
      'the signature claims more bytes than the file has',
    );
    return;
  }
  const changes = await changesOf(s, run);
  if (!changes) {
    c.fail(
      'unchanged-after-signing',
      'integrity',
      'modified-after-signing',
      `modified after signing: ${await appended(run, s.covered)}, and they are not a readable incremental update`,
    );
    return;
  }
  if (changes.length === 0) {
    const tail = extra <= 4096 ? await run.src.read(s.covered, extra) : undefined;
    const blank = !!tail && tail.every((b) => b === 0x0a || b === 0x0d || b === 0x20 || b === 0x09);
    c.pass(
      'unchanged-after-signing',
      'integrity',
      blank
        ? `nothing was added after the signed revision: only ${extra} end-of-line byte(s) follow its "%%EOF"`
        : `the ${extra} byte(s) after the signed revision change no object: they write objects again as they were`,
    );
    return;
  }
  // Only a later signature vouches for content changed after this one; a document timestamp
  // vouches for nothing but time, so after the last signature only validation data and
  // timestamps may follow, and after the last timestamp only validation data.
  const lastSignature = [...run.signatures].reverse().find((x) => x.kind === 'signature');
  const final = s === run.signatures[run.signatures.length - 1];
  // A later signature (each must itself be trusted: see the required facts) vouches for what
  // follows this signature or timestamp, as an approval after a document timestamp does.
  if (lastSignature && lastSignature.covered > s.covered) {
    const later = run.signatures.filter(
      (x) => x.kind === 'signature' && x.covered > s.covered,
    ).length;
    c.pass(
      'unchanged-after-signing',
      'integrity',
      `covers the revision ending at byte ${s.covered}; ${later} later signature(s) vouch for what follows (${describe(changes)})`,
    );
    return;
  }
  const allowed = final ? ['dss'] : ['dss', 'doc-timestamp'];
  const unsigned = changes.filter((x) => !allowed.includes(x.kind));
  c.expect(
    unsigned.length === 0,
    'unchanged-after-signing',
    'integrity',
    final
      ? `after signing, only validation data (DSS) was added, which changes nothing that was signed (${describe(changes)})`
      : `after it, only validation data and document timestamps were added (${describe(changes)})`,
    'modified-after-signing',
    `modified after signing: ${extra} byte(s) were added: ${describe(unsigned)}${final ? '' : ', and no later signature vouches for it (a timestamp proves time, not authorship)'}`,
  );
};

const docMdp: SignatureCheck = async (s, run, c) => {
  const p = s.dict.docMdp;
  if (s.kind === 'document-timestamp') return;
  if (p === undefined) {
    c.skip(
      'docmdp',
      'integrity',
      'not-certified',
      'an approval signature: no certification permissions to check',
    );
    return;
  }
  const first = run.signatures.indexOf(s) === 0;
  const changes = (await changesOf(s, run)) ?? undefined;
  const allowed = allowedAfterCertification(p);
  const refused = changes?.filter((x) => !allowed.has(x.kind)) ?? [];
  const permits =
    p === 1
      ? 'only validation data and document timestamps'
      : p === 2
        ? 'signing and filling in forms'
        : 'signing, forms and annotations';
  c.expect(
    first && p >= 1 && p <= 3 && !!changes && refused.length === 0,
    'docmdp',
    'integrity',
    changes?.length
      ? `a certification signature (DocMDP P ${p}, which permits ${permits}); what was added after it is permitted: ${describe(changes)}`
      : `a certification signature (DocMDP P ${p}); no change was made after it`,
    'docmdp-violated',
    !first
      ? 'a certification signature must be the first signature of the document'
      : p < 1 || p > 3
        ? `the certification permission P ${p} is not 1, 2 or 3`
        : !changes
          ? `the document was certified with DocMDP P ${p}, and the changes after it cannot be read`
          : `the document was certified with DocMDP P ${p} (${permits}), yet it was changed after certification: ${describe(refused)}`,
  );
};

const cmsStructure: SignatureCheck = (s, _run, c) => {
  const sf = s.dict.subFilter;
  const stamp = s.kind === 'document-timestamp';
  const supported = sf !== undefined && (stamp ? sf === 'ETSI.RFC3161' : SUBFILTERS.has(sf));
  const allowed: string[] = stamp ? [] : [OID.signatureTimeStampToken];
  const refusedAttrs = s.si?.unsignedAttributes.filter((a) => !allowed.includes(a.oid)) ?? [];
  const problem = !supported
    ? stamp
      ? `a document timestamp must be /ETSI.RFC3161, not /${sf ?? '(none)'}`
      : `the signature format /${sf ?? '(none)'} is not supported (ETSI.CAdES.detached or adbe.pkcs7.detached)`
    : s.cmsError
      ? `the ${stamp ? 'time-stamp token' : 'signature'} is not a well-formed CMS SignedData: ${s.cmsError}`
      : stamp && s.cms?.contentType !== OID.tstInfo
        ? 'the document timestamp is not an RFC 3161 token (no TSTInfo)'
        : !stamp && s.cms?.content
          ? 'the CMS embeds content; a PDF signature must be detached'
          : !stamp && s.cms?.contentType !== OID.data
            ? `the signed content type is ${s.cms?.contentType}, not id-data`
            : refusedAttrs.length
              ? `the signature container carries unsigned data docprov does not accept (attribute ${refusedAttrs.map((a) => a.oid).join(', ')}): it is not covered by the signature`
              : !s.findings?.signer
                ? "the CMS does not contain the signer's certificate"
                : s.findings.attributeProblems.length
                  ? `the signed attributes are not as CMS requires: ${s.findings.attributeProblems.join('; ')}`
                  : '';
  c.expect(
    problem === '',
    'cms-structure',
    'integrity',
    stamp
      ? `an RFC 3161 time-stamp token (/${sf}) with ${s.cms?.certificates.length ?? 0} certificate(s)`
      : `a detached CMS SignedData (/${sf}) with one signer and ${s.cms?.certificates.length ?? 0} certificate(s)`,
    !supported ? 'unsupported-format' : 'bad-cms',
    problem,
  );
};

const digestAlgorithm: SignatureCheck = (s, _run, c) => {
  const f = s.findings!;
  if (s.token) {
    c.pass(
      'digest-algorithm',
      'integrity',
      `digest ${s.token.tst.hash} (the token's imprint), signed with ${f.digestAlgorithm}`,
    );
    return;
  }
  if (f.refusedDigest)
    c.fail(
      'digest-algorithm',
      'integrity',
      'refused-by-policy',
      `refused by policy: the signature uses ${f.refusedDigest}, which is broken (docprov accepts SHA-256, SHA-384 and SHA-512)`,
    );
  else
    c.expect(
      !!f.digestAlgorithm,
      'digest-algorithm',
      'integrity',
      `digest ${f.digestAlgorithm}`,
      'unsupported-algorithm',
      `the digest algorithm ${f.digestOid} is not supported (SHA-256, SHA-384 and SHA-512)`,
    );
};

const messageDigest: SignatureCheck = (s, _run, c) => {
  const f = s.findings!;
  if (s.token) {
    c.expect(
      s.token.imprintOk && f.messageDigest === 'ok',
      'message-digest',
      'integrity',
      "the time-stamp token's imprint equals the digest of the signed byte ranges",
      'digest-mismatch',
      s.token.imprintOk
        ? "the token's signed message digest does not match its TSTInfo"
        : `the signed bytes (0..${s.range[1]} and ${s.range[2]}..${s.covered}) were changed: their digest differs from the imprint that was time-stamped`,
    );
    return;
  }
  if (f.messageDigest === 'unsigned-attributes') {
    // Nothing to compare: the signature value is over the byte ranges themselves, and
    // signature-value verifies it over exactly those bytes.
    c.pass(
      'message-digest',
      'integrity',
      'no signed attributes: the signature value is over the signed byte ranges themselves (see signature-value)',
    );
    return;
  }
  c.expect(
    f.messageDigest === 'ok' && f.contentTypeOk,
    'message-digest',
    'integrity',
    'the signed message-digest equals the digest of the signed byte ranges',
    'digest-mismatch',
    f.messageDigest === 'mismatch'
      ? `the signed bytes (0..${s.range[1]} and ${s.range[2]}..${s.covered}) were changed: their digest differs from the one that was signed`
      : f.problems.join('; ') || 'the digest of the signed bytes could not be compared',
  );
};

const signatureValue: SignatureCheck = (s, _run, c) => {
  const f = s.findings!;
  const sig = f.signature;
  const over = s.si?.signedAttributes ? 'the signed attributes' : 'the signed byte ranges';
  const who = f.signer ? `"${f.signer.subject}"` : 'the signer';
  if (sig.policy)
    c.fail(
      'signature-value',
      'integrity',
      'refused-by-policy',
      sig.scheme
        ? `refused by policy: ${schemeName(sig.scheme)} (the signature value ${sig.ok ? 'verifies' : 'does not verify either'})`
        : `refused by policy: ${sig.policy} (not checked)`,
    );
  else if (!sig.scheme)
    c.fail(
      'signature-value',
      'integrity',
      sig.problem?.includes('not supported') ? 'unsupported-algorithm' : 'bad-signature',
      sig.problem ?? 'the signature cannot be checked',
    );
  else
    c.expect(
      sig.ok,
      'signature-value',
      'integrity',
      `the ${schemeName(sig.scheme)} signature over ${over} verifies with ${who}`,
      'bad-signature',
      sig.problem ??
        `the signature value does not verify with ${who}'s key: the signed data or the signature was changed`,
    );
};

const signingCertificate: SignatureCheck = (s, _run, c) => {
  const sc = s.findings!.signingCertificate;
  const name = sc.version === 1 ? 'signing-certificate (v1)' : 'signing-certificate-v2';
  if (sc.status === 'absent') {
    if (s.dict.subFilter === 'ETSI.CAdES.detached' || s.token)
      c.fail(
        'signing-certificate',
        'integrity',
        'missing-signing-certificate',
        'the PAdES signature lacks the signing-certificate attribute that binds it to its certificate',
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
      sc.status === 'ok',
      'signing-certificate',
      'integrity',
      `${name} names the signer certificate`,
      'signing-certificate-mismatch',
      `${name} names a different certificate than the one that signed (certificate substitution)`,
    );
};

/** The time a signature's certificates are judged at: proven by a timestamp, or as claimed. */
export function signingTimeOf(s: SignatureRun): SigningTime | undefined {
  if (s.proof) return s.proof.signingTime;
  const claimed = s.dict.time ?? s.findings?.signingTime;
  return claimed ? { at: claimed, proven: false } : undefined;
}

const signatureTimestamp: SignatureCheck = (s, _run, c) => {
  if (s.kind !== 'signature') return;
  const st = signatureTimestampOf(s);
  if (!st) {
    c.skip(
      'signature-timestamp',
      'trust',
      'no-timestamp',
      'no signature timestamp: the signing time is only as claimed by the signer (PAdES B-B)',
    );
    return;
  }
  const f = st.findings;
  if (!f || !f.ok) {
    c.fail(
      'signature-timestamp',
      'integrity',
      'bad-timestamp',
      `the signature timestamp does not hold: ${st.error ?? f!.problems.join('; ')}`,
    );
    return;
  }
  const claimed = s.dict.time ?? s.findings?.signingTime;
  const late = claimed && claimed.getTime() > f.tst.genTime.getTime() + CLOCK_SKEW_MS;
  if (late) {
    c.fail(
      'signature-timestamp',
      'integrity',
      'bad-timestamp',
      `the claimed signing time ${claimed.toISOString()} is after the timestamp ${f.tst.genTime.toISOString()} that proves the signature existed`,
    );
    return;
  }
  // An intact token whose TSA is not trusted proves no time: the signature is then judged as if
  // it had none (ETSI EN 319 102-1), which is the signer's certificate valid now.
  if (st.tsa?.ok)
    c.pass(
      'signature-timestamp',
      'trust',
      `a timestamp by "${f.signer.signer!.subject}" proves the signature existed at ${f.tst.genTime.toISOString()} (its TSA ${st.by === 'now' ? 'is trusted now' : `was still trusted at ${st.until!.toISOString()}, shown by ${st.by}`})`,
    );
  else
    c.skip(
      'signature-timestamp',
      'trust',
      'untrusted',
      `not relied on: the signature timestamp of ${f.tst.genTime.toISOString()} proves no time, ${st.tsa?.problems.join('; ') ?? 'its TSA cannot be judged'}; the signing time is as claimed`,
    );
};

/** The revocation check of a signature or timestamp: its path at the time something proves. */
async function revocation(
  s: SignatureRun,
  run: PdfRun,
  c: Checks,
  chain: ChainResult,
): Promise<void> {
  const stamp = s.kind === 'document-timestamp';
  const when = signingTimeOf(s);
  // Without a proven time a signature is judged now: a claimed time proves nothing against a
  // revocation. A timestamp's genTime is its TSA's own word, proven only by a later proof.
  const proven = !!when?.proven;
  const at = stamp ? (when?.at ?? run.ctx.now) : proven ? when!.at : run.ctx.now;
  const existedBy = stamp
    ? s.proof?.by !== 'now'
      ? s.proof?.trustedUntil
      : undefined
    : proven
      ? when!.at
      : undefined;
  const r = await judgePathRevocation(
    chain.path,
    chain.anchor,
    at,
    existedBy,
    run.revocation ?? { crls: [], ocsps: [] },
    pool(run),
    run.ctx.crypto,
    run.ctx.freshness,
  );
  recordRevocation(
    c,
    r,
    at,
    stamp ? 'timestamp' : 'signature',
    proven || stamp,
    signatureTimestampOf(s)
      ? 'its signature timestamp is not relied on (see signature-timestamp)'
      : undefined,
  );
}

const pool = (run: PdfRun) => validationCerts.get(run) ?? [];
export const validationCerts = new WeakMap<PdfRun, Certificate[]>();

const trust: SignatureCheck = async (s, run, c) => {
  const signer = s.findings?.signer;
  if (!signer) {
    c.fail(
      'chain',
      'trust',
      'no-cms',
      'no signer: the signature carries no readable signer certificate',
    );
    return;
  }
  const certs = [...s.cms!.certificates, ...pool(run)];
  if (s.kind === 'document-timestamp') {
    // A timestamp's TSA that is not trusted makes the timestamp prove nothing, and no more: it
    // vouches for no content (see unchanged-after-signing), so its trust is recorded, not failed.
    const proof = s.proof!;
    const own = new Checks();
    const built = await trustChecks(
      signer,
      certs,
      proof.signingTime,
      run.ctx,
      own,
      tsaUsageProblem,
      proof.trustedUntil,
    );
    used.set(s, built.path);
    await revocation(s, run, own, built);
    for (const x of own.list)
      c.adopt(
        x.status === 'fail' && x.category === 'trust'
          ? { ...x, status: 'skip', message: `not relied on: ${x.message}` }
          : x,
      );
    return;
  }
  const when = signingTimeOf(s);
  const built = await trustChecks(signer, certs, when, run.ctx, c);
  used.set(s, built.path);
  await revocation(s, run, c, built);
};
const used = new WeakMap<SignatureRun, readonly { der: Uint8Array }[]>();

const cmsExtras: SignatureCheck = (s, _run, c) => {
  const cms = s.cms;
  if (!cms) return;
  const path = used.get(s) ?? [];
  const idle = cms.certificates.filter((x) => !path.some((p) => sameBytes(p.der, x.der)));
  const parts = [
    ...idle.map((x) => `certificate "${x.subject}" (SHA-256 ${x.fingerprint.slice(0, 16)}…)`),
    ...(cms.crls.length ? [`${cms.crls.length} CRL(s)`] : []),
    ...(cms.ocspResponses.length ? [`${cms.ocspResponses.length} OCSP response(s)`] : []),
    ...(s.findings?.otherSignedAttributes.length
      ? [`signed attribute(s) ${s.findings.otherSignedAttributes.join(', ')}`]
      : []),
  ];
  c.pass(
    'cms-extras',
    'integrity',
    parts.length
      ? `the signature container also carries, playing no part in this verification: ${parts.join('; ')}`
      : 'the signature container carries nothing beyond the signature, its certificates and what the checks used',
  );
};

/** The checks that need a readable CMS, in report order. */
const CMS_CHECKS: SignatureCheck[] = [
  digestAlgorithm,
  messageDigest,
  signatureValue,
  signingCertificate,
];

export async function signatureChecks(s: SignatureRun, run: PdfRun, c: Checks): Promise<void> {
  for (const check of [byteRange, contentsGap, signedRevision, unchangedAfterSigning, cmsStructure])
    await check(s, run, c);
  if (s.findings) for (const check of CMS_CHECKS) await check(s, run, c);
  else
    for (const id of [
      'digest-algorithm',
      'message-digest',
      'signature-value',
      'signing-certificate',
    ] as const)
      c.skip(id, 'integrity', 'no-cms', 'skipped: the CMS could not be read');
  await docMdp(s, run, c);
  signatureTimestamp(s, run, c);
  await trust(s, run, c);
  cmsExtras(s, run, c);
}
