import { digest, toHex } from '../crypto.js';
import type { Manifest } from '../manifest/manifest.js';
import { parseSignedData } from '../cms/signed-data.js';
import type { Certificate } from '../pki/certificate.js';
import { checkProvenance } from '../provenance/check.js';
import { PROVENANCE_FILE } from '../provenance/statement.js';
import type { VerifyContext } from './context.js';
import type { Checks, ProvenanceSummary } from './report.js';
import { isDocumentError } from './verify-pdf.js';

// The folder's SLSA provenance: signed (DSSE) by the key that signed the manifest, about this
// document, its subjects exactly the document's files. Absent, it is a fact not established.

/** The manifest signer's certificate, from manifest.json.p7s (whose signature is checked apart). */
export function manifestSigner(
  p7s: Uint8Array | undefined,
  manifest: Manifest,
  ctx: VerifyContext,
): Certificate | undefined {
  if (!p7s) return undefined;
  try {
    return parseSignedData(p7s, ctx.crypto).certificates.find(
      (c) => c.fingerprint === manifest.signer?.fingerprint,
    );
  } catch (e) {
    if (!isDocumentError(e)) throw e;
    return undefined; // reported by manifest-signature
  }
}

export async function provenanceCheck(
  files: ReadonlyMap<string, Uint8Array>,
  pdf: { name: string; sha256?: string },
  manifest: Manifest,
  signer: Certificate | undefined,
  ctx: VerifyContext,
  c: Checks,
): Promise<ProvenanceSummary | undefined> {
  const bytes = files.get(PROVENANCE_FILE);
  const listed = manifest.artifacts?.some((a) => a.name === PROVENANCE_FILE);
  if (!bytes) {
    if (listed)
      c.fail(
        'provenance',
        'integrity',
        'bad-provenance',
        `${PROVENANCE_FILE} is listed in the manifest but missing`,
      );
    else
      c.skip(
        'provenance',
        'trust',
        'absent',
        `the folder carries no provenance (${PROVENANCE_FILE}): how it was built is not stated`,
      );
    return undefined;
  }
  // The document's own files: every artifact the manifest lists but the statement itself.
  const expected = new Map<string, string>();
  for (const a of manifest.artifacts ?? []) {
    if (a.name === PROVENANCE_FILE) continue;
    const b = files.get(a.name);
    const sha =
      a.name === pdf.name ? pdf.sha256 : b ? toHex(digest(ctx.crypto, 'SHA-256', b)) : undefined;
    expected.set(a.name, sha ?? 'missing');
  }
  const f = await checkProvenance(ctx.crypto, bytes, {
    document: manifest.document?.id ?? '',
    files: expected,
    ...(signer ? { signer } : {}),
  });
  if (f.unreadable || !f.statement) {
    c.fail(
      'provenance',
      'integrity',
      'bad-provenance',
      `${PROVENANCE_FILE} is not an in-toto DSSE envelope: ${f.unreadable}`,
    );
    return undefined;
  }
  if (!f.signed) {
    c.fail(
      'provenance',
      'integrity',
      'bad-signature',
      `${PROVENANCE_FILE}'s DSSE signature does not verify with the key of the manifest's signer${signer ? ` "${signer.subject}"` : ' (its certificate is not in manifest.json.p7s)'}`,
    );
    return undefined;
  }
  const s = f.statement;
  const b = s.predicate?.buildDefinition;
  if (f.problems.length) {
    c.fail(
      'provenance',
      'integrity',
      'provenance-mismatch',
      `${PROVENANCE_FILE} does not describe these files: ${f.problems.join('; ')}`,
    );
    return undefined;
  }
  const summary: ProvenanceSummary = {
    buildType: String(b?.buildType),
    builder: String(s.predicate?.runDetails?.builder?.id),
    sourcePath: String(b?.externalParameters?.sourcePath),
    ...(typeof b?.externalParameters?.gitCommit === 'string'
      ? { gitCommit: b.externalParameters.gitCommit }
      : {}),
    docprovVersion: String(b?.internalParameters?.docprovVersion),
    subjects: s.subject.map((x) => x.name),
  };
  c.pass(
    'provenance',
    'integrity',
    `${PROVENANCE_FILE} (SLSA provenance, signed by the manifest's signer) says ${summary.subjects.length} files were built from ${summary.sourcePath}${summary.gitCommit ? ` at commit ${summary.gitCommit.slice(0, 12)}` : ''} by docprov ${summary.docprovVersion} on ${summary.builder}`,
  );
  return summary;
}
