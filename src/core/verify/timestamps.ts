import { attribute } from '../cms/signed-data.js';
import { digest, sameBytes } from '../crypto.js';
import { OID } from '../oids.js';
import { parseCertificate, type Certificate } from '../pki/certificate.js';
import { buildChain, pathProblems, tsaUsageProblem, type ChainResult } from '../pki/chain.js';
import {
  revocationSources,
  revocationStatus,
  type RevocationSources,
  type Status,
} from '../pki/revocation.js';
import { checkTimestampToken, tokenBytes, type TimestampFindings } from '../tsp/token.js';
import type { VerifyContext } from './context.js';
import type { PdfRun, SignatureRun } from './signature-run.js';

// Time, as PAdES B-T/B-LTA prove it. A timestamp proves that what it stamps existed at its
// genTime, as long as its TSA is trustworthy; a later document timestamp proves the earlier
// timestamps existed while their TSAs still were. So each timestamp is judged at the time the
// next proof shows (or now, for the newest), and a signature at the time its timestamp proves.

const MAX_DSS_ITEMS = 1000;
const MAX_ITEM = 16 << 20;

/** The file's validation data: its DSS, and what each CMS carries (crls field, Adobe's attribute). */
export async function readValidationData(
  run: PdfRun,
): Promise<{ sources: RevocationSources; certs: Certificate[] }> {
  const crls: Uint8Array[] = [];
  const ocsps: Uint8Array[] = [];
  const certDers: Uint8Array[] = [];
  const o = run.objects;
  if (o) {
    const dss = await o.lookup(await o.catalog(), 'DSS');
    for (const [key, into] of [
      ['Certs', certDers],
      ['CRLs', crls],
      ['OCSPs', ocsps],
    ] as const) {
      const arr = await o.lookup(dss, key);
      for (const item of arr?.kind === 'array' ? arr.items.slice(0, MAX_DSS_ITEMS) : []) {
        const s = item.kind === 'ref' ? await o.get(item.num) : undefined;
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
  for (const d of certDers)
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
  /** Of the problems, those that are about trust (not the token's integrity). */
  untrusted: boolean;
}

/** Whether a token's TSA was trustworthy from its genTime until `until`. */
export async function judgeTsa(
  t: TimestampFindings,
  until: Date,
  ctx: VerifyContext,
  pool: readonly Certificate[],
  revocation?: RevocationSources,
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
  if (revocation)
    for (const [i, cert] of chain.path.entries()) {
      const issuer = chain.path[i + 1];
      if (!issuer || cert === chain.anchor) continue;
      // Revoked after it stamped, a TSA's earlier tokens still hold (as a signer's signatures do).
      const st = await revocationStatus(cert, issuer, t.tst.genTime, pool, revocation, ctx.crypto);
      if (st.status === 'revoked')
        problems.push(`"${cert.subject}" was revoked on ${st.at.toISOString()} (${st.source})`);
    }
  return { ok: problems.length === 0, chain, problems, untrusted: problems.length > 0 };
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

/** Judges every timestamp, newest first, and sets each signature's proof of time. */
export async function judgeTimestamps(run: PdfRun, pool: readonly Certificate[]): Promise<void> {
  const now = run.ctx.now;
  const docs = run.signatures
    .filter((s) => s.kind === 'document-timestamp')
    .sort((a, b) => b.covered - a.covered);
  const valid: SignatureRun[] = [];
  for (const d of docs) {
    // The nearest later valid document timestamp proves this one existed while its TSA was trusted.
    const next = valid.find((v) => v.covered > d.covered);
    const until = next?.token ? next.token.tst.genTime : now;
    const by = next?.token
      ? `the document timestamp of ${next.token.tst.genTime.toISOString()}`
      : 'now';
    d.proof = {
      trustedUntil: until,
      by,
      ...(d.token ? { signingTime: { at: d.token.tst.genTime, proven: true } } : {}),
    };
    if (!d.token?.ok || !d.token.signer.signer) continue;
    const j = await judgeTsa(d.token, until, run.ctx, pool, run.revocation);
    docJudgements.set(d, j);
    if (j.ok && !d.cmsError) valid.unshift(d);
  }
  for (const s of run.signatures.filter((x) => x.kind === 'signature')) {
    const claimed = s.dict.time ?? s.findings?.signingTime;
    const covering = valid.find((v) => v.covered > s.covered);
    const until = covering?.token ? covering.token.tst.genTime : now;
    const by = covering?.token
      ? `the document timestamp of ${covering.token.tst.genTime.toISOString()}`
      : 'now';
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
        st = { findings, until, by };
        if (findings.ok && findings.signer.signer)
          st.tsa = await judgeTsa(findings, until, run.ctx, pool, run.revocation);
      } catch (e) {
        st = { error: (e as Error).message };
      }
      sigTimestamps.set(s, st);
    }
    const proven = st?.findings?.ok && st.tsa?.ok ? st.findings.tst.genTime : undefined;
    s.proof = {
      trustedUntil: until,
      by,
      ...(proven
        ? { signingTime: { at: proven, proven: true } }
        : claimed
          ? { signingTime: { at: claimed, proven: false } }
          : {}),
    };
  }
}

/** The revocation status of every certificate on a path below its anchor, at `at`. */
export async function pathRevocation(
  path: readonly Certificate[],
  anchor: Certificate | undefined,
  at: Date,
  run: PdfRun,
  pool: readonly Certificate[],
): Promise<{ cert: Certificate; status: Status }[]> {
  const out: { cert: Certificate; status: Status }[] = [];
  for (const [i, cert] of path.entries()) {
    const issuer = path[i + 1];
    if (!issuer || (anchor && sameBytes(cert.der, anchor.der))) continue;
    out.push({
      cert,
      status: await revocationStatus(
        cert,
        issuer,
        at,
        pool,
        run.revocation ?? { crls: [], ocsps: [] },
        run.ctx.crypto,
      ),
    });
  }
  return out;
}
