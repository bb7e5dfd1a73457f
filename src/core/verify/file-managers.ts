import { hasControl } from './cannot-check.js';

// What file managers write into any folder they show (Finder, Windows Explorer, KDE Dolphin),
// recognised by name AND content: a whole PDF saved as ".DS_Store" is not Finder's.

const MAX = 16 << 20;
const dec = new TextDecoder();

const startsWith = (b: Uint8Array, magic: readonly number[]) =>
  b.length >= magic.length && magic.every((x, i) => b[i] === x);

/** Text of an INI-like file, UTF-16LE (as Windows writes desktop.ini) or UTF-8. */
function iniText(b: Uint8Array): string | undefined {
  const text =
    b[0] === 0xff && b[1] === 0xfe
      ? new TextDecoder('utf-16le').decode(b.subarray(2))
      : dec.decode(b);
  return hasControl(text) ? undefined : text;
}

const CHECKS: Record<string, (b: Uint8Array) => boolean> = {
  // Finder's Desktop Services Store: a "Bud1" buddy allocator.
  '.DS_Store': (b) => startsWith(b, [0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31]),
  // Windows' thumbnail cache: an OLE compound file.
  'Thumbs.db': (b) => startsWith(b, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]),
  'desktop.ini': (b) => /^\s*\[[^\]\n]+\]/m.test(iniText(b) ?? ''),
  '.directory': (b) => /^\s*\[Desktop Entry\]/m.test(iniText(b) ?? ''),
};

/** An AppleDouble file (resource fork and attributes macOS writes as "._NAME" on other disks). */
const appleDouble = (b: Uint8Array) =>
  startsWith(b, [0x00, 0x05, 0x16, 0x07, 0x00, 0x02, 0x00, 0x00]);

/**
 * Whether `name` with content `bytes` is what a file manager writes on its own: a known name
 * whose content has that file manager's format, or "._X" in AppleDouble format beside a listed X.
 */
export function isFileManagerFile(
  name: string,
  bytes: Uint8Array | undefined,
  listed: ReadonlySet<string>,
): boolean {
  if (!bytes || bytes.length > MAX) return false;
  if (name.startsWith('._')) return listed.has(name.slice(2)) && appleDouble(bytes);
  return CHECKS[name]?.(bytes) ?? false;
}
