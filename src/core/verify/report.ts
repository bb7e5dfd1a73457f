import type { CheckCode, CheckId } from './check-ids.js';
import type { FactResult } from './policy.js';

// The verification report is data: every check runs and is recorded, in a fixed order, and the
// verdict is derived from the checks alone (as EU DSS keeps its simple and detailed reports).

export type Status = 'pass' | 'fail' | 'skip';
/** integrity: were the bytes changed? trust: who signed, and do we trust them? */
export type Category = 'integrity' | 'trust';
export type Verdict = 'authentic' | 'intact-untrusted' | 'invalid';
/** What a check is about: the file as a whole, one signature, one document timestamp, the manifest... */
export type Role = 'file' | 'signature' | 'timestamp' | 'manifest' | 'folder' | 'text';

export interface Check {
  id: CheckId;
  category: Category;
  status: Status;
  /** Machine-readable reason, e.g. "ok", "digest-mismatch", "untrusted". */
  code: CheckCode;
  message: string;
  /** What the check is about (the required facts are looked up by it). */
  role: Role;
  /** Which signature or file the check is about, when there are several. */
  subject?: string;
}

export interface SignerInfo {
  subject: string;
  issuer: string;
  fingerprint: string;
  serial: string;
  notBefore: string;
  notAfter: string;
}

/** One signature or document timestamp of a PDF, as the report lists it. */
export interface SignatureSummary {
  kind: 'signature' | 'document-timestamp';
  /** Which part of the file it covers: "the whole file" or "revision ending at byte N". */
  covers: string;
  /** The offset just after the bytes it signed: [0, revisionEnd) is the signed revision. */
  revisionEnd: number;
  /** Its byte ranges, gap, revision, digest and signature value all check out. */
  intact: boolean;
  subFilter: string;
  /** For a document timestamp, its TSA. */
  signer?: SignerInfo;
  /** The TSA whose timestamp over this signature holds (PAdES B-T). */
  timestampAuthority?: SignerInfo;
  /** As claimed by the signer (/M or the CMS signing-time); a timestamp proves `provenTime`. */
  claimedTime?: string;
  provenTime?: string;
  /** DocMDP level of a certification signature. */
  certification?: number;
}

export interface TextMatch {
  /** Whole document, or an excerpt: word positions (1-based, inclusive) in the original. */
  scope: 'document' | 'excerpt';
  firstWord: number;
  lastWord: number;
  ofWords: number;
  /** What the comparison tolerated, counted: footers, line-end hyphens, folded characters. */
  tolerated: Record<string, number>;
}

/** What a folder's SLSA provenance says (when its check passes). */
export interface ProvenanceSummary {
  buildType: string;
  builder: string;
  sourcePath: string;
  gitCommit?: string;
  docprovVersion: string;
  subjects: string[];
}

/** Where a folder's manifest stands in the publisher's transparency log. */
export interface LogPosition {
  origin: string;
  index: number;
  treeSize: number;
  /** The root hash of the checkpoint that proves it (base64). */
  root: string;
}

export interface Report {
  format: 'docprov-verification/1';
  verdict: Verdict;
  /** One sentence for people: what the verdict means for them. */
  summary: string;
  file: string;
  kind: 'pdf' | 'folder' | 'text' | 'several';
  /** The required facts of this kind of input (the validation policy), each judged. */
  facts?: FactResult[];
  /**
   * Set when the verdict waits only on revocation data not yet issued: taken at the word of the
   * data current at the proven time, it would be authentic. Says what to wait for.
   */
  pending?: string;
  document?: { id: string; title: string };
  signer?: SignerInfo;
  /** The signing time: proven by a timestamp when `timeProven`, else as claimed by the signer. */
  signingTime?: string;
  timeProven?: boolean;
  signatures?: SignatureSummary[];
  text?: TextMatch;
  /** A folder: its provenance, and its place in the transparency log. */
  provenance?: ProvenanceSummary;
  log?: LogPosition;
  /** kind "several": the report of each input. */
  reports?: Report[];
  checkedAt: string;
  checks: Check[];
}

export class Checks {
  readonly list: Check[] = [];
  constructor(
    private readonly subject?: string,
    private readonly role: Role = 'file',
  ) {}
  private add(
    id: CheckId,
    category: Category,
    status: Status,
    code: CheckCode,
    message: string,
  ): boolean {
    this.list.push({
      id,
      category,
      status,
      code,
      message,
      role: this.role,
      ...(this.subject ? { subject: this.subject } : {}),
    });
    return status === 'pass';
  }
  pass(id: CheckId, category: Category, message: string): true {
    this.add(id, category, 'pass', 'ok', message);
    return true;
  }
  fail(id: CheckId, category: Category, code: CheckCode, message: string): false {
    this.add(id, category, 'fail', code, message);
    return false;
  }
  skip(id: CheckId, category: Category, code: CheckCode, message: string): void {
    this.add(id, category, 'skip', code, message);
  }
  /** Records pass or fail from a condition. */
  expect(
    ok: boolean,
    id: CheckId,
    category: Category,
    passMessage: string,
    failCode: CheckCode,
    failMessage: string,
  ): boolean {
    return ok
      ? this.pass(id, category, passMessage)
      : this.fail(id, category, failCode, failMessage);
  }
  /** Records a check made elsewhere, as about this subject and role. */
  adopt(x: Check): void {
    const { subject: _, ...rest } = x;
    this.list.push({
      ...rest,
      role: this.role,
      ...(this.subject ? { subject: this.subject } : {}),
    });
  }
  /** Whether any integrity check failed so far. */
  get broken(): boolean {
    return this.list.some((x) => x.status === 'fail' && x.category === 'integrity');
  }
}

/**
 * The verdict, from the checks and the required facts alone: invalid when bytes were changed
 * (a failed integrity check or fact); authentic only when every required fact passed and no
 * check failed; else intact-untrusted. No facts, no authentic.
 */
export function verdictOf(checks: readonly Check[], facts: readonly FactResult[]): Verdict {
  if (checks.some((c) => c.status === 'fail' && c.category === 'integrity')) return 'invalid';
  if (facts.some((f) => f.category === 'integrity' && f.status !== 'pass')) return 'invalid';
  if (
    facts.length > 0 &&
    facts.every((f) => f.status === 'pass') &&
    !checks.some((c) => c.status === 'fail')
  )
    return 'authentic';
  return 'intact-untrusted';
}

export function summaryOf(
  verdict: Verdict,
  checks: readonly Check[],
  facts: readonly FactResult[],
  signer?: SignerInfo,
  kind?: Report['kind'],
  text?: TextMatch,
  revisionEnd?: number,
  /** Set when only revocation data issued after this proven time is missing (see pending.ts). */
  pendingAt?: string,
): string {
  const firstFail = checks.find(
    (c) => c.status === 'fail' && (verdict !== 'invalid' || c.category === 'integrity'),
  );
  // What kept it from authentic when no check failed: the first fact not established.
  const unmet = facts.find(
    (f) => f.status !== 'pass' && (verdict !== 'invalid' || f.category === 'integrity'),
  );
  const why = firstFail?.message ?? unmet?.reason;
  const who = signer ? `"${signer.subject}"` : 'its signer';
  const what =
    kind === 'text'
      ? text?.scope === 'excerpt'
        ? `this excerpt (words ${text.firstWord}-${text.lastWord} of ${text.ofWords}) has exactly the words of the text`
        : 'this copy has exactly the words of the text'
      : kind === 'folder'
        ? 'every file is exactly as'
        : revisionEnd !== undefined
          ? `the first ${revisionEnd} bytes of this file, except the signature itself, are exactly what`
          : 'every byte of this file, except the signature itself, is exactly what';
  // What follows a signed revision is vouched for by nobody: say what it was judged to be.
  const after =
    revisionEnd !== undefined
      ? ' What follows them is only validation data and timestamps, which change nothing signed.'
      : '';
  switch (verdict) {
    case 'authentic':
      return `Authentic: ${what} ${who} signed, and that signer is trusted.${after}`;
    case 'intact-untrusted':
      if (pendingAt)
        return `Intact, not yet proven: ${what} ${who} signed, and a timestamp says it was signed by ${pendingAt}; but no revocation data issued after that time shows that the signer's (or the timestamp authority's) certificate was not revoked then: all of it at hand is older. Check again once the CA has issued its next CRL, or give a later one with --revocation FILE.${after}`;
      return `Intact but not trusted: the signed ${kind === 'text' ? 'text is' : 'bytes are'} exactly what was signed${signer ? ` by "${signer.subject}" (certificate SHA-256 ${signer.fingerprint})` : ''}, but ${why ?? 'the signer is not trusted'}.${firstFail?.id === 'chain' || unmet?.id === 'signer-trusted' ? ' If you know and trust this signer, verify again with --trust on its root certificate.' : ''}`;
    case 'invalid':
      return firstFail?.code === 'no-signature' || firstFail?.code === 'not-signed'
        ? `Not signed: ${firstFail.message}. Nothing in it vouches for who made it.`
        : `Not authentic: ${why ?? 'nothing could be verified'}. Do not rely on this copy.`;
  }
}
