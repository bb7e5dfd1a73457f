// Whether a failure message points at the byte a mutation changed: the mutation test's measure
// of "the byte offset in the failure message".

/** Where the signature dictionary lies ("<<" to just after ">>"), in the unchanged file. */
export interface Span {
  start: number;
  end: number;
}

/** Does `message` point at byte `at` of `text` (the changed file)? */
export function locates(message: string, at: number, text: string, sigDict: Span): boolean {
  for (const m of message.matchAll(/\b(?:byte|offset) (\d+)/g)) {
    const n = Number(m[1]);
    // The token or line the damage is in.
    if (Math.abs(n - at) <= 64) return true;
    // Or later on its line or the next: a parser notices damage (a "%" that turns the rest of a
    // line into a comment) where it stops.
    if (n > at && text.slice(at, n).split(/\r\n|\r|\n/).length <= 2) return true;
  }
  // The signature dictionary, when the changed byte lies inside it.
  const dict = /signature dictionary at byte (\d+)/.exec(message);
  if (dict && Number(dict[1]) === sigDict.start && at >= sigDict.start && at < sigDict.end)
    return true;
  // An object whose xref entry, or the subsection header just before it, holds the changed byte.
  for (const m of message.matchAll(/xref offset (\d+)/g)) {
    const entry = m[1]!.padStart(10, '0');
    for (let p = text.indexOf(entry); p >= 0; p = text.indexOf(entry, p + 1))
      if (at >= p - 12 && at < p + 20) return true;
  }
  return false;
}
