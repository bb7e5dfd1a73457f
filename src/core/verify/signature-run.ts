import { Asn1Error, readAsn1 } from '../asn1/reader.js';
import { checkSigner, signerDigest, type SignerFindings } from '../cms/check-signer.js';
import { CmsError, parseSignedData, type SignedData, type SignerInfo } from '../cms/signed-data.js';
import type { DigestAlgorithm, Hasher } from '../crypto.js';
import { DocprovError } from '../errors.js';
import type { PdfObjects } from '../pdf/objects.js';
import type { SignatureDict } from '../pdf/signature-dict.js';
import type { ByteSource } from '../pdf/source.js';
import type { XrefChain } from '../pdf/xref.js';
import type { RevocationSources } from '../pki/revocation.js';
import { checkTimestampToken, tstHashOf, type TimestampFindings } from '../tsp/token.js';
import type { VerifyContext } from './context.js';

// The state of one signature (or document timestamp) under verification, shared by the checks.

export interface SignatureRun {
  index: number;
  dict: SignatureDict;
  range: [number, number, number, number];
  /** Offset just after the signed bytes: the end of the signed revision. */
  covered: number;
  kind: 'signature' | 'document-timestamp';
  cms?: SignedData;
  si?: SignerInfo;
  /** Why the CMS could not be read, when it could not. */
  cmsError?: string;
  hasher?: Hasher;
  digest?: Uint8Array;
  /** The CMS signer's findings (for a document timestamp: the token's signer). */
  findings?: SignerFindings;
  /** A document timestamp's token, judged against the byte ranges. */
  token?: TimestampFindings;
  /** The xref chain of the revision this signature signed, once `signed-revision` found it. */
  signedChain?: XrefChain;
  /** When this signature's certificates are judged, and what proves that time (set by timestamps.ts). */
  proof?: Proof;
}

export interface Proof {
  /** The signing time: proven by a timestamp, else as claimed. */
  signingTime?: { at: Date; proven: boolean };
  /** For a timestamp: the time until which its TSA must have been trustworthy (the next proof, or now). */
  trustedUntil: Date;
  /** What proves `trustedUntil` ("now", or "the document timestamp of ..."). */
  by: string;
  /** What proves the signing time, when something does. */
  provenBy?: string;
}

export interface PdfRun {
  src: ByteSource;
  /** Undefined when the file's xref cannot be read (its signatures were found by a scan). */
  chain?: XrefChain;
  objects?: PdfObjects;
  ctx: VerifyContext;
  /** Every signature, ordered by how much of the file it covers. */
  signatures: SignatureRun[];
  /** Revocation data the file carries (DSS, CMS), once read. */
  revocation?: RevocationSources;
}

const MAX_UNSIGNED_CONTENT = 64 << 20;

/** The CMS value at the start of a /Contents string (DER, or BER as NSS writes it). */
export function cmsPrefix(contents: Uint8Array | undefined): Uint8Array | undefined {
  if (!contents || contents.length < 2) return undefined;
  try {
    return contents.subarray(0, readAsn1(contents, { ber: true, allowTrailing: true }).end);
  } catch {
    return undefined;
  }
}

/** A document problem the verifier reports as a check, not as a bug. */
const isCmsProblem = (e: unknown): e is Error =>
  e instanceof CmsError ||
  e instanceof Asn1Error ||
  (e instanceof DocprovError && e.code === 'bad-certificate');

/** Reads a signature's CMS and prepares its hasher; a document problem is kept as `cmsError`. */
export function prepareSignature(s: SignatureRun, ctx: VerifyContext, size: number): void {
  const cms = cmsPrefix(s.dict.contents);
  if (!cms) {
    s.cmsError = '/Contents does not start with a readable ASN.1 value';
    return;
  }
  try {
    s.cms = parseSignedData(new Uint8Array(cms), ctx.crypto);
    if (s.cms.signerInfos.length !== 1)
      throw new CmsError(
        `the CMS has ${s.cms.signerInfos.length} SignerInfos; exactly one is allowed`,
      );
    s.si = s.cms.signerInfos[0];
    // A document timestamp stamps the byte ranges with its TSTInfo's hash; a signature, its own.
    const alg: DigestAlgorithm | undefined =
      s.kind === 'document-timestamp' ? tstHashOf(s.cms) : signerDigest(s.si!).algorithm;
    const [z, b, c, d] = s.range;
    if (alg && z === 0 && b > 0 && c > b && c + d <= size) s.hasher = ctx.crypto.createHash(alg);
  } catch (e) {
    if (!isCmsProblem(e)) throw e;
    s.cmsError = e.message;
  }
}

/** Runs the CMS signer checks (or the token checks) over the hashed byte ranges. */
export async function judgeSigner(s: SignatureRun, run: PdfRun): Promise<void> {
  if (!s.cms || !s.si) return;
  if (s.kind === 'document-timestamp') {
    try {
      const digest = s.digest;
      s.token = await checkTimestampToken(s.cms.der, run.ctx.crypto, {
        digestOf: () => digest ?? new Uint8Array(0),
      });
      s.findings = s.token.signer;
    } catch (e) {
      if (!isCmsProblem(e)) throw e;
      s.cmsError = e.message;
    }
    return;
  }
  const [, b, c, d] = s.range;
  s.findings = await checkSigner(
    s.cms,
    s.si,
    {
      digest: s.digest,
      // Without signed attributes the signature covers the content itself: read it (bounded).
      bytes: async () => {
        if (b + d > MAX_UNSIGNED_CONTENT) return undefined;
        const out = new Uint8Array(b + d);
        out.set(await run.src.read(0, b));
        out.set(await run.src.read(c, d), b);
        return out;
      },
    },
    run.ctx.crypto,
  );
}
