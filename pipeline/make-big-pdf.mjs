#!/usr/bin/env node
// Makes an unsigned PDF of about N MiB (a page and a large stored attachment), for the benchmark.
// Usage: node pipeline/make-big-pdf.mjs OUT.pdf [MiB]
import { closeSync, openSync, writeSync } from 'node:fs';

const [out, mib = '200'] = process.argv.slice(2);
if (!out) {
  console.error('usage: node pipeline/make-big-pdf.mjs OUT.pdf [MiB]');
  process.exit(2);
}
const size = Number(mib) * 1024 * 1024;
const fd = openSync(out, 'w');
let at = 0;
const offsets = [];
const write = (s) => {
  const b = typeof s === 'string' ? Buffer.from(s, 'latin1') : s;
  writeSync(fd, b);
  at += b.length;
};
const obj = (n, body) => {
  offsets[n] = at;
  write(`${n} 0 obj\n${body}\nendobj\n`);
};
write('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
obj(
  1,
  '<< /Type /Catalog /Pages 2 0 R /Names << /EmbeddedFiles << /Names [(data.bin) 5 0 R] >> >> >>',
);
obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
obj(3, '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>');
obj(4, '<< /Length 0 >>\nstream\n\nendstream');
obj(5, '<< /Type /Filespec /F (data.bin) /EF << /F 6 0 R >> >>');
offsets[6] = at;
write(`6 0 obj\n<< /Type /EmbeddedFile /Length ${size} >>\nstream\n`);
// Pseudo-random bytes, so no layer along the way can compress them away.
const chunk = Buffer.alloc(1 << 20);
let x = 0x12345678;
for (let done = 0; done < size; done += chunk.length) {
  for (let i = 0; i < chunk.length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    chunk.writeUInt32LE(x >>> 0, i);
  }
  write(chunk.subarray(0, Math.min(chunk.length, size - done)));
}
write('\nendstream\nendobj\n');
const xref = at;
write(
  `xref\n0 7\n0000000000 65535 f \n${offsets
    .slice(1)
    .map((o) => `${String(o).padStart(10, '0')} 00000 n \n`)
    .join('')}`,
);
write(
  `trailer\n<< /Size 7 /Root 1 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>] >>\nstartxref\n${xref}\n%%EOF\n`,
);
closeSync(fd);
console.log(`${out}: ${at} bytes`);
