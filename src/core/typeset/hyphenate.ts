import Hypher from 'hypher';
import english from 'hyphenation.en-us';

// English hyphenation (TeX patterns via hypher) with the rules a careful typesetter keeps:
// at least three letters before and three after a break; never inside acronyms or words with
// digits; a word that already has a hyphen breaks only after that hyphen.

const LEFT_MIN = 3;
const RIGHT_MIN = 3;
const hypher = new Hypher({
  ...(english as object),
  leftmin: LEFT_MIN,
  rightmin: RIGHT_MIN,
} as never);

const CORE = /^([^\p{L}]*)(\p{L}+)([^\p{L}]*)$/u;

/** Splits a word into the pieces between which a line may break. */
export function breakPoints(word: string, memo?: Map<string, BreakPoints>): BreakPoints {
  let b = memo?.get(word);
  if (!b) {
    b = computeBreakPoints(word);
    memo?.set(word, b);
  }
  return b;
}

// A word's break points depend on the word alone: one memo for every document of a process,
// bounded (it starts afresh past this many words).
const shared = new Map<string, BreakPoints>();
const MAX_WORDS = 50_000;

export function sharedHyphenation(): Map<string, BreakPoints> {
  if (shared.size >= MAX_WORDS) shared.clear();
  return shared;
}

export interface BreakPoints {
  pieces: string[];
  explicit: boolean;
}

function computeBreakPoints(word: string): BreakPoints {
  if (word.includes('-')) {
    const pieces = word.split(/(?<=-)(?=.)/u);
    return { pieces, explicit: true };
  }
  const m = CORE.exec(word);
  if (!m) return { pieces: [word], explicit: false };
  const [, lead, core, trail] = m as unknown as [string, string, string, string];
  if (core.length < LEFT_MIN + RIGHT_MIN || core === core.toUpperCase())
    return { pieces: [word], explicit: false };
  const parts = hypher.hyphenate(core) as string[];
  if (parts.length < 2) return { pieces: [word], explicit: false };
  parts[0] = lead + parts[0]!;
  parts[parts.length - 1] = parts[parts.length - 1]! + trail;
  return { pieces: parts, explicit: false };
}
