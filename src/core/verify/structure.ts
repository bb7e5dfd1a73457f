import { PdfLexer } from '../pdf/lexer.js';
import { latin1, type ByteSource } from '../pdf/source.js';
import type { XrefChain } from '../pdf/xref.js';
import type { Checks } from './report.js';

// Files that would need repair are refused: every xref offset must land on its own object
// header, no object may be listed twice in one section, and a hybrid file's two xref forms
// must agree. Bounded: MAX_CHECKED offsets, and the shadow scan reads each update once.

const MAX_CHECKED = 20_000;
const MAX_UPDATE_SCAN = 16 << 20;

export async function structureChecks(src: ByteSource, chain: XrefChain, c: Checks): Promise<void> {
  const problems: string[] = [];
  for (const s of chain.sections) {
    if (s.duplicates.length)
      problems.push(
        `the xref section at ${s.offset} lists object(s) ${s.duplicates.slice(0, 5).join(', ')} twice`,
      );
    if (s.conflicts.length)
      problems.push(
        `the xref table at ${s.offset} and its /XRefStm list object(s) ${s.conflicts.slice(0, 5).join(', ')} differently`,
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
  // Objects defined twice inside one incremental update (a shadow definition the xref hides):
  // the stretch between one xref section and the next, in file order.
  const offsets = chain.sections.map((s) => s.offset).sort((a, b) => a - b);
  for (let k = 1; k < offsets.length; k++) {
    const from = offsets[k - 1]!;
    const to = offsets[k]!;
    if (to - from > MAX_UPDATE_SCAN) continue;
    const text = latin1(await src.read(from, to - from));
    const seen = new Map<string, number>();
    for (const m of text.matchAll(/(?:^|\s)(\d{1,10})\s+(\d{1,5})\s+obj\b/g))
      seen.set(m[1]!, (seen.get(m[1]!) ?? 0) + 1);
    const twice = [...seen].filter(([, n]) => n > 1).map(([n]) => n);
    if (twice.length)
      problems.push(
        `the update before byte ${to} defines object(s) ${twice.slice(0, 5).join(', ')} twice`,
      );
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
      `strict structure: ${checked} xref offset(s) checked, no object listed twice, no shadow definitions`,
    );
}
