// 255 chained xref sections spread over 128 MiB, as a sparse file: only the sections are written,
// the holes between them read as zeros and take no disk space.
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { HostileCase } from './case.js';
import { RawPdf } from './raw-pdf.js';

const SIZE = 128 << 20;
const SECTIONS = 255;

export function sparseChainCase(): HostileCase {
  return {
    name: 'xref-chain-255-sparse-128mib',
    why: '255 chained xref sections spread evenly over a 128 MiB file (sparse: a few KB on disk)',
    expect: 'invalid',
    make: (dir) => {
      const file = join(dir, 'xref-chain-255-sparse-128mib.pdf');
      const head = new RawPdf();
      head.obj(1, '<< /Type /Catalog /Pages 2 0 R >>');
      head.obj(2, '<< /Type /Pages /Kids [] /Count 0 >>');
      const entries = [1, 2].map(
        (n) => `${String(head.offsets.get(n)).padStart(10, '0')} 00000 n \n`,
      );
      const section = (prev: number | undefined) =>
        `xref\n0 3\n0000000000 65535 f \n${entries.join('')}trailer\n` +
        `<< /Size 3 /Root 1 0 R${prev === undefined ? '' : ` /Prev ${prev}`} >>\n`;
      const step = Math.floor((SIZE - 4096) / SECTIONS);
      const offsets = Array.from({ length: SECTIONS - 1 }, (_, k) => 4096 + k * step);
      // The last section and its startxref end the file exactly at 128 MiB (9-digit offsets).
      const tail = (at: number) => `startxref\n${at}\n%%EOF\n`;
      const lastAt = SIZE - section(offsets.at(-1)).length - tail(SIZE).length;
      offsets.push(lastAt);
      const fd = openSync(file, 'w');
      try {
        writeSync(fd, head.bytes(), 0, undefined, 0);
        offsets.forEach((at, k) => {
          const text = section(offsets[k - 1]) + (k === SECTIONS - 1 ? tail(at) : '');
          writeSync(fd, Buffer.from(text, 'latin1'), 0, undefined, at);
        });
      } finally {
        closeSync(fd);
      }
      return { file, args: [file] };
    },
  };
}
