import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let cached: Uint8Array | undefined;
let cachedRtl: Uint8Array | undefined;
/** The body font's path inside its package. */
export const BODY_FONT = '400Regular/SourceSerif4_400Regular.ttf';

/** Source Serif 4 (SIL Open Font License), from its npm package: the letter's body face. */
export function bodyFont(): Uint8Array {
  cached ??= new Uint8Array(
    readFileSync(require.resolve(`@expo-google-fonts/source-serif-4/${BODY_FONT}`)),
  );
  return cached;
}

/** Noto Naskh Arabic (SIL Open Font License): right-to-left names in a letter's single lines. */
export function rtlFont(): Uint8Array {
  cachedRtl ??= new Uint8Array(
    readFileSync(
      require.resolve('@expo-google-fonts/noto-naskh-arabic/400Regular/NotoNaskhArabic_400Regular.ttf'),
    ),
  );
  return cachedRtl;
}
