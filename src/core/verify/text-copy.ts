import { CostError, digest, toHex } from '../crypto.js';
import { refusedForCost } from './pdf-file.js';
import {
  describeTolerated,
  diffWords,
  matchCopy,
  canonicalWords,
  MIN_EXCERPT,
  tolerantWords,
} from '../text/compare.js';
import { buildReport } from './build-report.js';
import type { VerifyContext } from './context.js';
import { verifyManifest, type ManifestInput } from './manifest.js';
import { Checks, type Report } from './report.js';
import { signerInfo } from './verify-pdf.js';
import { withBudget } from './budget.js';
import { withPending } from './pending.js';
import { cannotCheck, looksBinary } from './cannot-check.js';

export interface TextInput {
  name: string;
  copy: Uint8Array;
  manifest: ManifestInput;
  /** The canonical text beside the manifest: the words a copy is compared with. */
  canonical?: Uint8Array;
}

const dec = new TextDecoder();
/** A copy larger than this many times the signed text (plus slack for spacing) is refused at once. */
const TOO_LARGE_FACTOR = 4;
const TOO_LARGE_SLACK = 64 << 10;
const kib = (n: number) => `${Math.ceil(n / 1024)} KB`;

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
  ctx = withBudget(ctx);
  try {
    return await withPending(ctx, (c) => verifyTextWithin(input, c));
  } catch (e) {
    if (e instanceof CostError) return refusedForCost('text', input.name, e, ctx);
    throw e;
  }
}

async function verifyTextWithin(input: TextInput, ctx: VerifyContext): Promise<Report> {
  // What is not a text copy at all is not compared: an empty file, a PDF, binary data.
  if (input.copy.length === 0)
    throw cannotCheck(
      `${input.name} is empty: there is no text to compare`,
      'give the copy of the text',
    );
  const head = dec.decode(input.copy.subarray(0, 1024));
  if (head.startsWith('%PDF-'))
    throw cannotCheck(
      `${input.name} is a PDF, not a text copy`,
      `verify it as a PDF: docprov verify ${input.name}`,
    );
  if (looksBinary(input.copy.subarray(0, 1024)))
    throw cannotCheck(
      `${input.name} is not text (it holds binary data)`,
      'give the copy as plain text (UTF-8)',
    );
  if (!input.manifest.p7s)
    throw cannotCheck(
      "the manifest's signature, manifest.json.p7s, is not beside manifest.json",
      'a text copy is checked against the signed manifest: give manifest.json with manifest.json.p7s and the canonical .txt beside it, as in the published folder',
    );
  const c = new Checks('manifest.json', 'manifest');
  const { manifest, signer, proven } = await verifyManifest(input.manifest, ctx, c);
  if (!manifest) return buildReport('text', input.name, c, ctx);
  const who = {
    ...(signer ? { signer: signerInfo(signer) } : {}),
    ...(proven ? { signingTime: proven.toISOString(), timeProven: true } : {}),
  };
  const id = manifest.document.id;
  const textSha = manifest.sources.canonicalText.sha256;
  const canonical =
    input.canonical && toHex(digest(ctx.crypto, 'SHA-256', input.canonical)) === textSha
      ? dec.decode(input.canonical)
      : undefined;
  if (!input.canonical)
    throw cannotCheck(
      `the signed canonical text ${id}.txt is not beside the manifest`,
      `a copy is compared word by word with ${id}.txt: put it beside manifest.json, as in the published folder`,
    );
  // The text's own check, about the copy (the manifest's are about the manifest).
  const t = new Checks(undefined, 'text');
  if (!canonical) {
    t.fail(
      'text-match',
      'integrity',
      'no-canonical-text',
      `the signed canonical text ${id}.txt ${input.canonical ? 'beside the manifest differs from the one the manifest lists' : 'is not beside the manifest'}: a copy is compared with it word by word`,
    );
    c.list.push(...t.list);
    return buildReport('text', input.name, c, ctx, { document: manifest.document, ...who });
  }
  // A copy far larger than the text is neither the text nor an excerpt of it: said at once,
  // before any word of it is read.
  if (input.copy.length > TOO_LARGE_FACTOR * input.canonical.length + TOO_LARGE_SLACK) {
    t.fail(
      'text-match',
      'integrity',
      'too-large',
      `refused at once: the copy is ${kib(input.copy.length)}, more than ${TOO_LARGE_FACTOR} times the signed text (${kib(input.canonical.length)}): it is neither the document nor an excerpt of it`,
    );
    c.list.push(...t.list);
    return buildReport('text', input.name, c, ctx, { document: manifest.document, ...who });
  }
  const form = {
    text: canonical,
    id,
    digest16: textSha.slice(0, 16),
    layout: manifest.comparison,
  };
  const m = matchCopy(dec.decode(input.copy), form);
  const tolerated = describeTolerated(m.tolerated);
  if (m.ok && m.scope === 'document')
    t.pass(
      'text-match',
      'integrity',
      `the copy has exactly the words of ${id} (${m.words} words); ignored or folded: ${tolerated}`,
    );
  else if (m.ok)
    t.pass(
      'text-match',
      'integrity',
      `excerpt: words ${m.first! + 1}-${m.last! + 1} of ${m.words}, exactly as signed${m.occurrences! > 1 ? ` (the first of ${m.occurrences} places these words occur)` : ''}; it is not the whole document; ignored or folded: ${tolerated}`,
    );
  else {
    const own = m.copyWords.filter((w) => !w.footer).length;
    const changes = diffWords(tolerantWords(m.copyWords, form), canonicalWords(canonical), 5)
      .map(
        (ch) =>
          `word ${ch.copyIndex + 1}${ch.line ? ` (line ${ch.line}, column ${ch.column})` : ''}: the copy has ${quoteWords(ch.copy)} where the original has ${quoteWords(ch.original)}`,
      )
      .join('; ');
    t.fail(
      'text-match',
      'integrity',
      'text-changed',
      `the copy differs from the signed text${own < MIN_EXCERPT ? ` (and ${own} word(s) are too few to be an excerpt)` : ', and it is not an excerpt of it either'}: ${changes}`,
    );
  }
  c.list.push(...t.list);
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
