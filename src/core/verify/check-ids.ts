// Every check id and reason code a report can hold: closed unions, mirrored as enums in
// schemas/verification-report.schema.json (a test keeps the two equal).

export const CHECK_IDS = [
  // a PDF
  'pdf-parse',
  'pdf-structure',
  'signatures-found',
  // each signature or document timestamp in it
  'byte-range',
  'contents-gap',
  'signed-revision',
  'unchanged-after-signing',
  'cms-structure',
  'digest-algorithm',
  'message-digest',
  'signature-value',
  'signing-certificate',
  'docmdp',
  'signature-timestamp',
  'chain',
  'certificate-validity',
  'revocation',
  'key-usage',
  'key-size',
  'signer-pin',
  'cms-extras',
  // a docprov document
  'embedded-sources',
  // a manifest
  'manifest-signature',
  'manifest-schema',
  'manifest-lists-file',
  'manifest-signer',
  // a folder
  'folder',
  'artifacts',
  'unlisted-files',
  'sha256sums',
  // a text copy
  'text-match',
  // any input: the work it would take
  'verification-cost',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const CHECK_CODES = [
  'ok',
  // parsing and structure
  'not-a-pdf',
  'unreadable-structure',
  'not-parsed',
  'needs-repair',
  'broken-signature-dictionary',
  'no-signature',
  'too-many-signatures',
  // byte ranges and revisions
  'bad-byte-range',
  'bad-contents',
  'unsigned-structure',
  'modified-after-signing',
  'docmdp-violated',
  'not-certified',
  // the CMS container and signer
  'bad-cms',
  'no-cms',
  'unsupported-format',
  'refused-by-policy',
  'unsupported-algorithm',
  'digest-mismatch',
  'bad-signature',
  'missing-signing-certificate',
  'signing-certificate-mismatch',
  'absent',
  'no-timestamp',
  'bad-timestamp',
  // trust
  'untrusted',
  'no-signing-time',
  'signing-time-in-future',
  'expired',
  'not-valid-at-signing-time',
  'revoked',
  'no-revocation-data',
  'revocation-not-fresh',
  'time-not-proven',
  'bad-key-usage',
  'weak-key',
  'unexpected-signer',
  // documents, manifests, folders, text
  'not-intact',
  'too-large',
  'not-docprov',
  'sources-mismatch',
  'unreadable-sources',
  'bad-manifest',
  'missing-signature',
  'bad-manifest-signature',
  'not-in-manifest',
  'signer-mismatch',
  'incomplete-folder',
  'artifact-mismatch',
  'unlisted-file',
  'missing-sha256sums',
  'sha256sums-mismatch',
  'text-changed',
  'no-canonical-text',
  'too-costly',
  'not-signed',
  'resaved',
  'empty-file',
  'stray-entry',
] as const;
export type CheckCode = (typeof CHECK_CODES)[number];
