import { checkSigner, signerDigest } from '../cms/check-signer.js';
import {
  attribute,
  CmsError,
  parseSignedData,
  type SignedData,
  type SignerInfo,
} from '../cms/signed-data.js';
import { checkTimestampToken, tokenBytes, type TimestampFindings } from '../tsp/token.js';
import { judgeTsa } from './timestamps.js';
import { judgePathRevocation, recordRevocation } from './path-revocation.js';
import { revocationSources, type RevocationSources } from '../pki/revocation.js';
import { digest } from '../crypto.js';
import { OID } from '../oids.js';
import type { Certificate } from '../pki/certificate.js';
import type { VerifyContext } from './context.js';
import type { CheckId } from './check-ids.js';
import type { Checks } from './report.js';
import { trustChecks } from './trust.js';
import { isDocumentError } from './verify-pdf.js';

/** A detached signature's own timestamp (CAdES-T): the time it proves, once checked and recorded. */
async function detachedTimestamp(
  sd: SignedData,
  si: SignerInfo,
  ctx: VerifyContext,
  c: Checks,
  revocation: RevocationSources,
): Promise<Date | undefined> {
  const value = attribute(si.unsignedAttributes, OID.signatureTimeStampToken)?.values[0];
  if (!value) {
    c.skip(
      'signature-timestamp',
      'trust',
      'no-timestamp',
      'no signature timestamp: the signing time is only as claimed',
    );
    return undefined;
  }
  let f: TimestampFindings;
  try {
    f = await checkTimestampToken(tokenBytes(sd.der, value), ctx.crypto, {
      digestOf: (alg) => digest(ctx.crypto, alg, si.signature),
    });
  } catch (e) {
    if (!isDocumentError(e)) throw e;
    c.fail(
      'signature-timestamp',
      'integrity',
      'bad-timestamp',
      `the signature timestamp cannot be read: ${e.message}`,
    );
    return undefined;
  }
  if (!f.ok) {
    c.fail(
      'signature-timestamp',
      'integrity',
      'bad-timestamp',
      `the signature timestamp does not hold: ${f.problems.join('; ')}`,
    );
    return undefined;
  }
  const tsa = await judgeTsa(f, ctx.now, false, ctx, sd.certificates, revocation);
  // A timestamp that cannot be relied on proves no time, and no more: the signature is then
  // judged as if it had none (a skip, as for a PDF's signature timestamp).
  if (tsa.ok)
    c.pass(
      'signature-timestamp',
      'trust',
      `a timestamp by "${f.signer.signer!.subject}" proves the signature existed at ${f.tst.genTime.toISOString()}`,
    );
  else
    c.skip(
      'signature-timestamp',
      'trust',
      'untrusted',
      `not relied on: the signature timestamp of ${f.tst.genTime.toISOString()} proves no time, ${tsa.problems.join('; ')}`,
    );
  return tsa.ok ? f.tst.genTime : undefined;
}

/**
 * A detached CMS signature over a whole small file (manifest.json.p7s, SHA256SUMS.p7s): whether
 * it verifies, and who made it. Trust is checked when `trustAt` is given.
 */
export async function verifyDetached(
  name: string,
  content: Uint8Array,
  p7s: Uint8Array,
  ctx: VerifyContext,
  c: Checks,
  id: CheckId,
  trustAt?: Date,
  /** Revocation data beyond what the context and the signature carry (a folder's PDF's DSS). */
  more?: RevocationSources,
  /** Set to the time its timestamp proves, when one does. */
  time?: { proven?: Date },
): Promise<Certificate | undefined> {
  try {
    const sd = parseSignedData(p7s, ctx.crypto);
    if (sd.signerInfos.length !== 1)
      throw new CmsError(`it has ${sd.signerInfos.length} signers; exactly one is allowed`);
    if (sd.content) throw new CmsError('it embeds content; a detached signature must not');
    const si = sd.signerInfos[0]!;
    const refused = si.unsignedAttributes.filter((a) => a.oid !== OID.signatureTimeStampToken);
    if (refused.length)
      throw new CmsError(
        `it carries unsigned attribute(s) docprov does not accept (${refused.map((a) => a.oid).join(', ')})`,
      );
    const alg = signerDigest(si).algorithm;
    const f = await checkSigner(
      sd,
      si,
      { digest: alg ? digest(ctx.crypto, alg, content) : undefined, bytes: async () => content },
      ctx.crypto,
    );
    const ok =
      !f.refusedDigest &&
      !!f.digestAlgorithm &&
      f.messageDigest !== 'mismatch' &&
      f.messageDigest !== 'missing' &&
      f.signature.ok &&
      !f.signature.policy &&
      f.signingCertificate.status !== 'mismatch' &&
      f.contentTypeOk;
    c.expect(
      ok,
      id,
      'integrity',
      `${name}.p7s verifies: ${name} is exactly what "${f.signer?.subject}" signed`,
      'bad-manifest-signature',
      f.refusedDigest
        ? `refused by policy: ${name}.p7s uses ${f.refusedDigest}`
        : f.messageDigest === 'mismatch'
          ? `${name} was changed after it was signed`
          : `${name}.p7s does not verify${f.signature.problem ? `: ${f.signature.problem}` : ''}`,
    );
    if (f.signer && trustAt) {
      const extra = revocationSources(
        [...(ctx.revocation?.crls ?? []), ...sd.crls],
        [...(ctx.revocation?.ocsps ?? []), ...sd.ocspResponses],
        ctx.crypto,
      );
      const revocation = {
        crls: [...extra.crls, ...(more?.crls ?? [])],
        ocsps: [...extra.ocsps, ...(more?.ocsps ?? [])],
      };
      const proven = await detachedTimestamp(sd, si, ctx, c, revocation);
      if (time && proven) time.proven = proven;
      const when = proven ? { at: proven, proven: true } : { at: trustAt, proven: false };
      const chain = await trustChecks(f.signer, sd.certificates, when, ctx, c);
      // Judged at the time its timestamp proves, else now (a claimed time proves nothing).
      const at = proven ?? ctx.now;
      const r = await judgePathRevocation(
        chain.path,
        chain.anchor,
        at,
        proven,
        revocation,
        sd.certificates,
        ctx.crypto,
        ctx.freshness,
      );
      recordRevocation(
        c,
        r,
        at,
        'signature',
        !!proven,
        attribute(si.unsignedAttributes, OID.signatureTimeStampToken)
          ? 'its signature timestamp is not relied on (see signature-timestamp)'
          : undefined,
      );
    }
    return ok ? f.signer : undefined;
  } catch (e) {
    if (!isDocumentError(e)) throw e;
    c.fail(
      id,
      'integrity',
      'bad-manifest-signature',
      `${name}.p7s is not a valid detached CMS signature: ${e.message}`,
    );
    return undefined;
  }
}
