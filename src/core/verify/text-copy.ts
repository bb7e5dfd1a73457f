import { digest, toHex } from '../crypto.js';
import { comparisonWords, diffWords } from '../text/compare.js';
import { buildReport } from './build-report.js';
import type { VerifyContext } from './context.js';
import { verifyManifest, type ManifestInput } from './manifest.js';
import { Checks, type Report } from './report.js';

export interface TextInput {
  name: string;
  copy: Uint8Array;
  manifest: ManifestInput;
  /** The canonical text beside the manifest, if there, to say which words differ. */
  canonical?: Uint8Array;
}

const dec = new TextDecoder();

/** A copy of the text (pasted from the PDF, a web page, re-wrapped) against the signed manifest. */
export async function verifyTextCopy(input: TextInput, ctx: VerifyContext): Promise<Report> {
  const c = new Checks();
  const manifest = await verifyManifest(input.manifest, ctx, c);
  if (!manifest) return buildReport('text', input.name, c, ctx);
  const words = comparisonWords(dec.decode(input.copy));
  const form = words.map((w) => w.text).join(' ');
  const ok =
    toHex(digest(ctx.crypto, 'SHA-256', new TextEncoder().encode(form))) ===
    manifest.comparison.sha256;
  if (ok)
    c.pass(
      'text-match',
      'integrity',
      `the copy has exactly the words of ${manifest.document.id} (${words.length} words; wrapping, hyphens and quote styles aside)`,
    );
  else {
    let detail =
      'the canonical text is not beside the manifest, so the differing words cannot be shown';
    const canonical =
      input.canonical &&
      toHex(digest(ctx.crypto, 'SHA-256', input.canonical)) ===
        manifest.sources.canonicalText.sha256
        ? dec.decode(input.canonical)
        : undefined;
    if (canonical)
      detail = diffWords(words, comparisonWords(canonical), 5)
        .map(
          (ch) =>
            `word ${ch.copyIndex + 1}${ch.line ? ` (line ${ch.line}, column ${ch.column})` : ''}: the copy has "${ch.copy.join(' ') || '(nothing)'}" where the original has "${ch.original.join(' ') || '(nothing)'}"`,
        )
        .join('; ');
    c.fail(
      'text-match',
      'integrity',
      'text-changed',
      `the copy differs from the signed text: ${detail}`,
    );
  }
  return buildReport('text', input.name, c, ctx, { document: manifest.document });
}
