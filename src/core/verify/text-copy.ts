import { digest, toHex } from '../crypto.js';
import {
  describeTolerated,
  diffWords,
  matchCopy,
  canonicalWords,
  MIN_EXCERPT,
} from '../text/compare.js';
import { buildReport } from './build-report.js';
import type { VerifyContext } from './context.js';
import { verifyManifest, type ManifestInput } from './manifest.js';
import { Checks, type Report } from './report.js';
import { signerInfo } from './verify-pdf.js';

export interface TextInput {
  name: string;
  copy: Uint8Array;
  manifest: ManifestInput;
  /** The canonical text beside the manifest: the words a copy is compared with. */
  canonical?: Uint8Array;
}

const dec = new TextDecoder();

/** Words of a change, quoted: a long run shows its first words and how many more there are. */
function quoteWords(words: readonly string[]): string {
  if (words.length === 0) return '(nothing)';
  const MAX = 12;
  return words.length <= MAX
    ? `"${words.join(' ')}"`
    : `"${words.slice(0, MAX).join(' ')} ..." (${words.length} words)`;
}

/** A copy of the text (pasted from the PDF, a web page, re-wrapped) against the signed text. */
export async function verifyTextCopy(input: TextInput, ctx: VerifyContext): Promise<Report> {
  const c = new Checks();
  const { manifest, signer } = await verifyManifest(input.manifest, ctx, c);
  if (!manifest) return buildReport('text', input.name, c, ctx);
  const who = signer ? { signer: signerInfo(signer) } : {};
  const id = manifest.document.id;
  const textSha = manifest.sources.canonicalText.sha256;
  const canonical =
    input.canonical && toHex(digest(ctx.crypto, 'SHA-256', input.canonical)) === textSha
      ? dec.decode(input.canonical)
      : undefined;
  if (!canonical) {
    c.fail(
      'text-match',
      'integrity',
      'no-canonical-text',
      `the signed canonical text ${id}.txt ${input.canonical ? 'beside the manifest differs from the one the manifest lists' : 'is not beside the manifest'}: a copy is compared with it word by word`,
    );
    return buildReport('text', input.name, c, ctx, { document: manifest.document, ...who });
  }
  const m = matchCopy(dec.decode(input.copy), {
    text: canonical,
    id,
    digest16: textSha.slice(0, 16),
    layout: manifest.comparison,
  });
  const tolerated = describeTolerated(m.tolerated);
  if (m.ok && m.scope === 'document')
    c.pass(
      'text-match',
      'integrity',
      `the copy has exactly the words of ${id} (${m.words} words); ignored or folded: ${tolerated}`,
    );
  else if (m.ok)
    c.pass(
      'text-match',
      'integrity',
      `excerpt: words ${m.first! + 1}-${m.last! + 1} of ${m.words}, exactly as signed${m.occurrences! > 1 ? ` (the first of ${m.occurrences} places these words occur)` : ''}; it is not the whole document; ignored or folded: ${tolerated}`,
    );
  else {
    const changes = diffWords(m.copyWords, canonicalWords(canonical), 5)
      .map(
        (ch) =>
          `word ${ch.copyIndex + 1}${ch.line ? ` (line ${ch.line}, column ${ch.column})` : ''}: the copy has ${quoteWords(ch.copy)} where the original has ${quoteWords(ch.original)}`,
      )
      .join('; ');
    c.fail(
      'text-match',
      'integrity',
      'text-changed',
      `the copy differs from the signed text${m.copyWords.length < MIN_EXCERPT ? ` (and ${m.copyWords.length} word(s) are too few to be an excerpt)` : ', and it is not an excerpt of it either'}: ${changes}`,
    );
  }
  return buildReport('text', input.name, c, ctx, {
    document: manifest.document,
    ...who,
    ...(m.ok
      ? {
          text: {
            scope: m.scope!,
            firstWord: m.first! + 1,
            lastWord: m.last! + 1,
            ofWords: m.words,
            tolerated: m.tolerated,
          },
        }
      : {}),
  });
}
