// The files of one build, whatever the document: how a folder docprov made is recognised.

const FIXED = ['manifest.json', 'manifest.json.p7s', 'SHA256SUMS', 'SHA256SUMS.p7s'];
const PER_DOCUMENT = ['.pdf', '.txt', '.metadata.json'];
/** Written since docprov 0.1 began to record provenance and a log: older folders lack them. */
const PROVENANCE = ['provenance.intoto.json', 'manifest.json.tlog-proof'];

/** The names of the files a build of document `id` writes. */
export function artifactNames(id: string): string[] {
  return [...PER_DOCUMENT.map((ext) => `${id}${ext}`), ...FIXED, ...PROVENANCE];
}

/**
 * Why a folder holding `names` is not exactly one build's artifact set, or undefined when it is.
 * Only such a folder may be replaced: a lone "thesis.pdf" is not docprov's to delete.
 */
export function notAnArtifactSet(names: readonly string[]): string | undefined {
  const pdfs = names.filter((n) => n.endsWith('.pdf'));
  const expected = pdfs.length === 1 ? artifactNames(pdfs[0]!.slice(0, -'.pdf'.length)) : [];
  const list = (xs: string[]) => xs.sort().slice(0, 5).join(', ') + (xs.length > 5 ? ', ...' : '');
  const foreign = names.filter((n) => !expected.includes(n));
  if (foreign.length > 0) return `it holds files docprov did not make (${list(foreign)})`;
  const missing = expected.filter((n) => !names.includes(n) && !PROVENANCE.includes(n));
  if (missing.length > 0) return `it is not a whole docprov build (no ${list(missing)})`;
  return undefined;
}
