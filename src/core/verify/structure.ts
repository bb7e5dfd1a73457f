import { PdfLexer } from '../pdf/lexer.js';
import { latin1, type ByteSource } from '../pdf/source.js';
import type { XrefChain } from '../pdf/xref.js';
import type { Checks } from './report.js';

// Files that would need repair are refused: every xref offset must land on its own object
// header, no object may be listed twice in one section, and xref forms may not be mixed.

const MAX_CHECKED = 20_000;

export async function structureChecks(src: ByteSource, chain: XrefChain, c: Checks): Promise<void> {
  const problems: string[] = [];
  for (const s of chain.sections) {
    if (s.duplicates.length)
      problems.push(
        `the xref section at ${s.offset} lists object(s) ${s.duplicates.slice(0, 5).join(', ')} twice`,
      );
    if (s.hybrid)
      problems.push(
        `the xref table at ${s.offset} also points at an xref stream (/XRefStm): mixed xref forms`,
      );
  }
  let checked = 0;
  outer: for (const s of chain.sections) {
    for (const [n, e] of s.entries) {
      if (e.type !== 'n' || n === 0) continue;
      if (++checked > MAX_CHECKED) break outer;
      if (e.offset >= src.size) {
        problems.push(`object ${n}'s xref offset ${e.offset} lies past the end of the file`);
        continue;
      }
      const h = new PdfLexer(await src.read(e.offset, 40), 0, e.offset).objectHeader();
      if (!h || h.num !== n || h.gen !== e.gen)
        problems.push(
          `object ${n}'s xref offset ${e.offset} does not point at "${n} ${e.gen} obj"`,
        );
      if (problems.length > 10) break outer;
    }
  }
  // Objects defined twice inside one incremental update (a shadow definition the xref hides).
  for (let r = 1; r < chain.revisionEnds.length; r++) {
    const from = chain.revisionEnds[r - 1]!;
    const to = chain.revisionEnds[r]!;
    if (to - from > 16 << 20) continue;
    const text = latin1(await src.read(from, to - from));
    const seen = new Map<string, number>();
    for (const m of text.matchAll(/(?:^|\s)(\d+)\s+(\d+)\s+obj\b/g))
      seen.set(m[1]!, (seen.get(m[1]!) ?? 0) + 1);
    const twice = [...seen].filter(([, k]) => k > 1).map(([n]) => n);
    if (twice.length)
      problems.push(`revision ${r + 1} defines object(s) ${twice.join(', ')} twice`);
  }
  if (problems.length)
    c.fail(
      'pdf-structure',
      'integrity',
      'needs-repair',
      `the file would need repair: ${problems.slice(0, 5).join('; ')}`,
    );
  else
    c.pass(
      'pdf-structure',
      'integrity',
      `strict structure: ${checked} xref offset(s) checked, no duplicate objects, one xref form a section`,
    );
}
