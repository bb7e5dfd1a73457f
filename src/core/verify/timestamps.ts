import { attribute } from '../cms/signed-data.js';
import { CostError, digest } from '../crypto.js';
import { OID } from '../oids.js';
import { parseCertificate, type Certificate } from '../pki/certificate.js';
import { buildChain, pathProblems, tsaUsageProblem, type ChainResult } from '../pki/chain.js';
import { distinct, revocationSources, type RevocationSources } from '../pki/revocation.js';
import { checkTimestampToken, tokenBytes, type TimestampFindings } from '../tsp/token.js';
import type { VerifyContext } from './context.js';
import { judgePathRevocation } from './path-revocation.js';
import type { PdfRun, SignatureRun } from './signature-run.js';

// Time, as PAdES B-T/B-LTA prove it. A timestamp proves that what it stamps existed at its
// genTime, as long as its TSA is trustworthy; a later document timestamp proves the earlier
// timestamps existed while their TSAs still were. So each timestamp is judged at the time the
// next proof shows (or now, for the newest), and a signature at the earliest time a trusted
// timestamp proves it existed.

/** Distinct DSS objects read: references beyond them, or repeated, cost nothing more. */
const MAX_DSS_ITEMS = 1000;
const MAX_ITEM = 16 << 20;

/** The file's validation data: its DSS, what each CMS carries, and what the context adds. */
export async function readValidationData(
  run: PdfRun,
): Promise<{ sources: RevocationSources; certs: Certificate[] }> {
  const crls: Uint8Array[] = [...(run.ctx.revocation?.crls ?? [])];
  const ocsps: Uint8Array[] = [...(run.ctx.revocation?.ocsps ?? [])];
  const certDers: Uint8Array[] = [];
  const o = run.objects;
  if (o) {
    const dss = await o.lookup(await o.catalog(), 'DSS');
    const read = new Set<number>();
    for (const [key, into] of [
      ['Certs', certDers],
      ['CRLs', crls],
      ['OCSPs', ocsps],
    ] as const) {
      const arr = await o.lookup(dss, key);
      for (const item of arr?.kind === 'array' ? arr.items : []) {
        if (item.kind !== 'ref' || read.has(item.num)) continue;
        if (read.size >= MAX_DSS_ITEMS) break;
        read.add(item.num);
        const s = await o.get(item.num);
        if (s?.stream) into.push(await o.streamData(s, MAX_ITEM));
      }
    }
  }
  for (const s of run.signatures) {
    if (!s.cms) continue;
    crls.push(...s.cms.crls);
    ocsps.push(...s.cms.ocspResponses);
    // Adobe's signed revocation archive: SEQUENCE { [0] SEQUENCE OF CRL, [1] SEQUENCE OF OCSP }.
    const archive = attribute(s.si?.signedAttributes?.list, OID.adobeRevocationInfoArchival)
      ?.values[0];
    for (const part of archive?.children ?? [])
      for (const v of part.children[0]?.children ?? [])
        (part.tag === 0xa0 ? crls : ocsps).push(new Uint8Array(s.cms.der.subarray(v.start, v.end)));
  }
  const sources = revocationSources(crls, ocsps, run.ctx.crypto);
  const certs: Certificate[] = [];
  for (const d of distinct(certDers))
    try {
      certs.push(parseCertificate(d, run.ctx.crypto));
    } catch {
      // an unreadable DSS certificate plays no part
    }
  return { sources, certs };
}

export interface TsaJudgement {
  ok: boolean;
  chain: ChainResult;
  problems: string[];
}

/**
 * Whether a token's TSA was trustworthy: trusted, valid from its genTime until `until` (when
 * the next proof shows the token existed, or now), and not revoked at its genTime. A TSA revoked
 * later harms the token only where nothing proves the token existed before the revocation: its
 * genTime is the TSA's own word.
 */
export async function judgeTsa(
  t: TimestampFindings,
  until: Date,
  proven: boolean,
  ctx: VerifyContext,
  pool: readonly Certificate[],
  revocation: RevocationSources,
): Promise<TsaJudgement> {
  const tsa = t.signer.signer!;
  const chain = await buildChain(tsa, [...t.sd.certificates, ...pool], ctx.anchors, ctx.crypto);
  const problems: string[] = [];
  if (!chain.anchor) problems.push(`its TSA is not trusted: ${chain.untrustedReason}`);
  const at = pathProblems(chain.path, t.tst.genTime);
  const later = pathProblems(chain.path, until);
  problems.push(
    ...at.validity.map((v) => `at its time: ${v}`),
    ...later.validity,
    ...at.constraints,
    ...at.keys,
  );
  const usage = tsaUsageProblem(tsa);
  if (usage) problems.push(usage);
  if (chain.anchor) {
    const r = await judgePathRevocation(
      chain.path,
      chain.anchor,
      t.tst.genTime,
      proven ? until : undefined,
      revocation,
      pool,
      ctx.crypto,
      ctx.freshness,
    );
    problems.push(...r.problems.map((p) => `revocation of its TSA: ${p}`));
  }
  return { ok: problems.length === 0, chain, problems };
}

export interface SignatureTimestamp {
  findings?: TimestampFindings;
  error?: string;
  tsa?: TsaJudgement;
  /** The time until which the TSA had to be trustworthy, and what proves it. */
  until?: Date;
  by?: string;
}

const sigTimestamps = new WeakMap<SignatureRun, SignatureTimestamp>();
const docJudgements = new WeakMap<SignatureRun, TsaJudgement>();
export const signatureTimestampOf = (s: SignatureRun) => sigTimestamps.get(s);
export const documentTimestampTsa = (s: SignatureRun) => docJudgements.get(s);

const EMPTY: RevocationSources = { crls: [], ocsps: [] };

/** Judges every timestamp, newest first, and sets each signature's proof of time. */
export async function judgeTimestamps(run: PdfRun, pool: readonly Certificate[]): Promise<void> {
  const now = run.ctx.now;
  const revocation = run.revocation ?? EMPTY;
  const docs = run.signatures
    .filter((s) => s.kind === 'document-timestamp')
    .sort((a, b) => b.covered - a.covered);
  /** Document timestamps that hold, oldest first. */
  const valid: SignatureRun[] = [];
  // The nearest later document timestamp that holds proves what it covers existed at its time.
  const proofAfter = (covered: number) => {
    const next = valid.find((v) => v.covered > covered);
    return next?.token
      ? {
          until: next.token.tst.genTime,
          by: `the document timestamp of ${next.token.tst.genTime.toISOString()}`,
          proven: true,
        }
      : { until: now, by: 'now', proven: false };
  };
  for (const d of docs) {
    const p = proofAfter(d.covered);
    d.proof = {
      trustedUntil: p.until,
      by: p.by,
      ...(d.token ? { signingTime: { at: d.token.tst.genTime, proven: true } } : {}),
    };
    if (!d.token?.ok || !d.token.signer.signer) continue;
    const j = await judgeTsa(d.token, p.until, p.proven, run.ctx, pool, revocation);
    docJudgements.set(d, j);
    if (j.ok && !d.cmsError) valid.unshift(d);
  }
  for (const s of run.signatures.filter((x) => x.kind === 'signature')) {
    const claimed = s.dict.time ?? s.findings?.signingTime;
    const p = proofAfter(s.covered);
    const value = s.si
      ? attribute(s.si.unsignedAttributes, OID.signatureTimeStampToken)?.values[0]
      : undefined;
    let st: SignatureTimestamp | undefined;
    if (value && s.cms && s.si) {
      const signature = s.si.signature;
      try {
        const findings = await checkTimestampToken(tokenBytes(s.cms.der, value), run.ctx.crypto, {
          digestOf: (alg) => digest(run.ctx.crypto, alg, signature),
        });
        st = { findings, until: p.until, by: p.by };
        if (findings.ok && findings.signer.signer)
          st.tsa = await judgeTsa(findings, p.until, p.proven, run.ctx, pool, revocation);
      } catch (e) {
        if (e instanceof CostError) throw e;
        st = { error: (e as Error).message };
      }
      sigTimestamps.set(s, st);
    }
    // The earliest time something trusted proves: its own timestamp, else the first document
    // timestamp over it. A claimed time (/M, signing-time) proves nothing.
    const stamped = st?.findings?.ok && st.tsa?.ok ? st.findings.tst.genTime : undefined;
    const covering = valid.find((v) => v.covered > s.covered)?.token?.tst.genTime;
    const proven =
      stamped && covering ? (stamped < covering ? stamped : covering) : (stamped ?? covering);
    s.proof = {
      trustedUntil: p.until,
      by: p.by,
      ...(proven
        ? {
            signingTime: { at: proven, proven: true },
            provenBy: stamped && proven === stamped ? 'its signature timestamp' : p.by,
          }
        : claimed
          ? { signingTime: { at: claimed, proven: false } }
          : {}),
    };
  }
}
