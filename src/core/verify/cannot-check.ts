import { DocprovError } from '../errors.js';

// Incomplete input is not a verdict: a missing companion file, a folder that is not a document
// folder, a manifest given as the PDF. The verifier says what it cannot check and what to give
// instead; the CLI exits 2, and the page shows it as an error, never as "not authentic".

export const cannotCheck = (message: string, hint: string): DocprovError =>
  new DocprovError('cannot-check', `cannot check: ${message}`, { severity: 'unusable', hint });

const dec = new TextDecoder();
/** A control character other than tab and line ends: binary, not text. */
export const hasControl = (t: string) =>
  [...t].some((ch) => {
    const x = ch.charCodeAt(0);
    return x < 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0d && x !== 0x0c && x !== 0x0b;
  });

/** Binary data, not text: a NUL, bytes that are not UTF-8, or control characters in bulk (a few
 * escape codes in a word are still a text copy, whose changed word the report names). */
export function looksBinary(head: Uint8Array): boolean {
  if (head.includes(0)) return true;
  // stream: a character cut at the end of the head is not taken for invalid UTF-8
  const text = new TextDecoder().decode(head, { stream: true });
  if (text.includes('\uFFFD')) return true;
  let controls = 0;
  for (const ch of text) if (hasControl(ch)) controls++;
  return controls * 10 > text.length;
}

/** What a file that is not a PDF is, when it is one of a docprov folder's other files. */
export function companionKind(
  head: Uint8Array,
): 'manifest' | 'metadata' | 'provenance' | 'signature' | 'text' | undefined {
  if (head.length === 0) return undefined;
  const text = dec.decode(head.subarray(0, 4096));
  if (/^\s*\{/.test(text) && text.includes('"docprov-manifest/')) return 'manifest';
  if (/^\s*\{/.test(text) && text.includes('"payloadType"')) return 'provenance';
  if (/^\s*\{/.test(text)) return 'metadata';
  // A detached CMS signature: DER SEQUENCE with a long length, or PEM.
  if ((head[0] === 0x30 && (head[1] === 0x82 || head[1] === 0x83)) || text.startsWith('-----BEGIN'))
    return 'signature';
  if (!text.includes('%PDF-') && !hasControl(text)) return 'text';
  return undefined;
}
