import { printable } from '../printable.js';

/** Rows as aligned columns under a header; every cell escaped, as text from a file may be anything. */
export function table(header: string[], rows: string[][]): string {
  const cells = [header, ...rows].map((r) => r.map((c) => printable(c)));
  const widths = header.map((_, i) => Math.max(...cells.map((r) => [...(r[i] ?? '')].length)));
  return (
    cells
      .map((r) =>
        r
          .map((c, i) => (i === r.length - 1 ? c : c + ' '.repeat(widths[i]! - [...c].length)))
          .join('  ')
          .trimEnd(),
      )
      .join('\n') + '\n'
  );
}
