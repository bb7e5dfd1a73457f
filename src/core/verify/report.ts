// The verification report is data: every check runs and is recorded, in a fixed order, and the
// verdict is derived from the checks alone (as EU DSS keeps its simple and detailed reports).

export type Status = 'pass' | 'fail' | 'skip';
/** integrity: were the bytes changed? trust: who signed, and do we trust them? */
export type Category = 'integrity' | 'trust';
export type Verdict = 'authentic' | 'intact-untrusted' | 'invalid';

export interface Check {
  id: string;
  category: Category;
  status: Status;
  /** Machine-readable reason, e.g. "ok", "digest-mismatch", "untrusted-root". */
  code: string;
  message: string;
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

export interface Report {
  format: 'docprov-verification/1';
  verdict: Verdict;
  /** One sentence for people: what the verdict means for them. */
  summary: string;
  file: string;
  kind: 'pdf' | 'folder' | 'text';
  document?: { id: string; title: string };
  signer?: SignerInfo;
  signingTime?: string;
  checkedAt: string;
  checks: Check[];
}

export class Checks {
  readonly list: Check[] = [];
  constructor(private readonly subject?: string) {}
  private add(
    id: string,
    category: Category,
    status: Status,
    code: string,
    message: string,
  ): boolean {
    this.list.push({
      id,
      category,
      status,
      code,
      message,
      ...(this.subject ? { subject: this.subject } : {}),
    });
    return status === 'pass';
  }
  pass(id: string, category: Category, message: string): true {
    this.add(id, category, 'pass', 'ok', message);
    return true;
  }
  fail(id: string, category: Category, code: string, message: string): false {
    this.add(id, category, 'fail', code, message);
    return false;
  }
  skip(id: string, category: Category, code: string, message: string): void {
    this.add(id, category, 'skip', code, message);
  }
  /** Records pass or fail from a condition. */
  expect(
    ok: boolean,
    id: string,
    category: Category,
    passMessage: string,
    failCode: string,
    failMessage: string,
  ): boolean {
    return ok
      ? this.pass(id, category, passMessage)
      : this.fail(id, category, failCode, failMessage);
  }
}

export function verdictOf(checks: readonly Check[]): Verdict {
  if (checks.some((c) => c.status === 'fail' && c.category === 'integrity')) return 'invalid';
  if (checks.some((c) => c.status === 'fail')) return 'intact-untrusted';
  if (!checks.some((c) => c.status === 'pass')) return 'invalid';
  return 'authentic';
}

export function summaryOf(verdict: Verdict, checks: readonly Check[], signer?: SignerInfo): string {
  const firstFail = checks.find(
    (c) => c.status === 'fail' && (verdict !== 'invalid' || c.category === 'integrity'),
  );
  switch (verdict) {
    case 'authentic':
      return `Authentic: these are exactly the bytes ${signer ? `"${signer.subject}"` : 'the publisher'} signed, and that signer is trusted.`;
    case 'intact-untrusted':
      return `Intact but not trusted: the bytes are exactly what was signed${signer ? ` by "${signer.subject}" (certificate SHA-256 ${signer.fingerprint})` : ''}, but ${firstFail?.message ?? 'the signer is not trusted'}.${firstFail?.id === 'chain' ? ' If you know and trust this signer, verify again with --trust on its root certificate.' : ''}`;
    case 'invalid':
      return `Not authentic: ${firstFail?.message ?? 'nothing could be verified'}. Do not rely on this copy.`;
  }
}
