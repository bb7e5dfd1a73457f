import type { CheckCode, CheckId } from './check-ids.js';
import type { Category, Check, Role } from './report.js';

// The validation policy, as data (EU DSS keeps its own as ConstraintsParameters): for each kind
// of input, the facts that must each be established, and the checks that establish them. The
// verdict "authentic" is earned only when every required fact passes; a fact whose check was
// skipped, or never ran, is not established, whatever else passed. A failed integrity fact (or
// any failed integrity check) makes the input invalid; any other unmet fact, intact-untrusted.

export type InputKind = 'pdf' | 'pdf-with-manifest' | 'folder' | 'text';

export interface RequiredFact {
  id: string;
  /** What must hold, in words: listed by `docprov help verify` and in the README. */
  says: string;
  category: Category;
  /** Whose checks establish it; every signature of a PDF must establish a 'signature' fact. */
  role: Role;
  /** The checks that must each pass. */
  checks: readonly CheckId[];
  /** Required only when the reader pinned a signer (--signer). */
  pinned?: true;
  /** Required only where the signed manifest declares it (provenance, a transparency log). */
  declared?: 'provenance' | 'log';
}

/** What a verification declares or asks for, which makes conditional facts required. */
export interface Conditions {
  pinned?: boolean;
  provenance?: boolean;
  log?: boolean;
}

const PDF: readonly RequiredFact[] = [
  {
    id: 'readable-pdf',
    says: 'the file is a PDF that reads strictly, needing no repair',
    category: 'integrity',
    role: 'file',
    checks: ['pdf-parse', 'pdf-structure'],
  },
  {
    id: 'signed',
    says: 'it carries a signature (a document timestamp alone proves when, never who)',
    category: 'integrity',
    role: 'file',
    checks: ['signatures-found'],
  },
  {
    id: 'signed-bytes-intact',
    says: "each signature covers exactly its revision, and its digest and value verify with the signer's key",
    category: 'integrity',
    role: 'signature',
    checks: [
      'byte-range',
      'contents-gap',
      'signed-revision',
      'cms-structure',
      'digest-algorithm',
      'message-digest',
      'signature-value',
    ],
  },
  {
    id: 'nothing-unsigned-after',
    says: 'after each signature comes only what may follow it (later signatures, validation data, timestamps)',
    category: 'integrity',
    role: 'signature',
    checks: ['unchanged-after-signing'],
  },
  {
    id: 'signer-trusted',
    says: "each signer's chain ends at a trusted root, with the key usages and key sizes allowed",
    category: 'trust',
    role: 'signature',
    checks: ['chain', 'key-usage', 'key-size'],
  },
  {
    id: 'signer-valid',
    says: "each signer's certificate was valid when a trusted timestamp proves it signed (else now)",
    category: 'trust',
    role: 'signature',
    checks: ['certificate-validity'],
  },
  {
    id: 'signer-not-revoked',
    says: 'each signer was not revoked at the time a trusted timestamp proves, shown by revocation data issued at or after it',
    category: 'trust',
    role: 'signature',
    checks: ['revocation'],
  },
  {
    id: 'signer-pinned',
    says: 'each signer is the one pinned with --signer',
    category: 'trust',
    role: 'signature',
    checks: ['signer-pin'],
    pinned: true,
  },
];

const MANIFEST: readonly RequiredFact[] = [
  {
    id: 'manifest-intact',
    says: 'manifest.json is what its detached signature (manifest.json.p7s) signed, and well-formed',
    category: 'integrity',
    role: 'manifest',
    checks: ['manifest-signature', 'manifest-schema'],
  },
  {
    id: 'manifest-signer-trusted',
    says: "the manifest's signer is trusted, was valid, and was not revoked when a trusted timestamp proves it signed",
    category: 'trust',
    role: 'manifest',
    checks: ['chain', 'key-usage', 'key-size', 'certificate-validity', 'revocation'],
  },
  {
    id: 'manifest-signer-pinned',
    says: "the manifest's signer is the one pinned with --signer",
    category: 'trust',
    role: 'manifest',
    checks: ['signer-pin'],
    pinned: true,
  },
];

const WITH_MANIFEST: readonly RequiredFact[] = [
  ...PDF,
  ...MANIFEST,
  {
    id: 'pdf-listed',
    says: 'the manifest lists the PDF with its digests, and names its signer',
    category: 'integrity',
    role: 'file',
    checks: ['manifest-lists-file', 'manifest-signer'],
  },
  {
    id: 'sources-match',
    says: 'the PDF carries the canonical text and metadata the manifest lists',
    category: 'integrity',
    role: 'file',
    checks: ['embedded-sources'],
  },
];

/** The required facts of each kind of input, in the order the report lists them. */
export const REQUIRED_FACTS: Record<InputKind, readonly RequiredFact[]> = {
  pdf: PDF,
  'pdf-with-manifest': WITH_MANIFEST,
  folder: [
    ...WITH_MANIFEST,
    {
      id: 'files-as-listed',
      says: 'every file the manifest lists is present and unchanged, nothing else is there, and SHA256SUMS agrees',
      category: 'integrity',
      role: 'folder',
      checks: ['artifacts', 'unlisted-files', 'sha256sums'],
    },
    {
      id: 'provenance-verified',
      says: "the SLSA provenance the manifest lists is signed by the manifest's signer and names exactly the document's files",
      category: 'integrity',
      role: 'folder',
      checks: ['provenance'],
      declared: 'provenance',
    },
    {
      id: 'logged',
      says: "the manifest is an entry of the transparency log it names, proven by a checkpoint signed with that log's trusted key",
      category: 'trust',
      role: 'folder',
      checks: ['log-inclusion'],
      declared: 'log',
    },
  ],
  text: [
    ...MANIFEST,
    {
      id: 'text-matches',
      says: 'the copy has the words of the signed canonical text (or of one excerpt of it), in order',
      category: 'integrity',
      role: 'text',
      checks: ['text-match'],
    },
  ],
};

export type FactStatus = 'pass' | 'fail' | 'not-established';

export interface FactResult {
  id: string;
  category: Category;
  status: FactStatus;
  says: string;
  /** Why it did not pass: the first check that kept it from passing. */
  reason?: string;
  /** That check's id and code (absent when no check of it ran at all). */
  by?: { check: CheckId; code: CheckCode };
}

/** Whether one fact is established by the checks (every group of its role must establish it). */
export function establish(fact: RequiredFact, checks: readonly Check[]): FactResult {
  const base = { id: fact.id, category: fact.category, says: fact.says };
  // Each signature is a group of its own (every one must establish the fact); any other role is
  // one group, whatever subjects its checks name.
  const groups = new Map<string, Check[]>();
  for (const c of checks)
    if (c.role === fact.role) {
      const key = fact.role === 'signature' ? (c.subject ?? '') : '';
      groups.set(key, [...(groups.get(key) ?? []), c]);
    }
  if (groups.size === 0)
    return {
      ...base,
      status: fact.category === 'integrity' ? 'fail' : 'not-established',
      reason: fact.role === 'signature' ? 'there is no signature' : `nothing was checked for it`,
    };
  let missing: FactResult | undefined;
  for (const [subject, group] of groups)
    for (const id of fact.checks) {
      const found = group.filter((c) => c.id === id);
      const where = (c?: Check) => ((c?.subject ?? subject) ? ` [${c?.subject ?? subject}]` : '');
      const failed = found.find((c) => c.status === 'fail');
      if (failed)
        return {
          ...base,
          status: 'fail',
          reason: `${id}: ${failed.message}${where(failed)}`,
          by: { check: id, code: failed.code },
        };
      const skipped = found.find((c) => c.status !== 'pass');
      if (!missing && (found.length === 0 || skipped))
        missing = {
          ...base,
          status: 'not-established',
          reason: skipped
            ? `${id}: ${skipped.message}${where(skipped)}`
            : `${id} was not checked${where()}`,
          ...(skipped ? { by: { check: id, code: skipped.code } } : {}),
        };
    }
  return missing ?? { ...base, status: 'pass' };
}

/** Whether a fact is required under these conditions. */
export const required = (f: RequiredFact, c: Conditions): boolean =>
  (!f.pinned || !!c.pinned) && (!f.declared || !!c[f.declared]);

/** Every required fact of `kind`, judged on the checks. */
export function establishFacts(
  kind: InputKind,
  checks: readonly Check[],
  conditions: Conditions,
): FactResult[] {
  return REQUIRED_FACTS[kind]
    .filter((f) => required(f, conditions))
    .map((f) => establish(f, checks));
}
