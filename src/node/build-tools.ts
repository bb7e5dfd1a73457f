import { nodeCrypto } from './crypto.js';
import { bodyFont, rtlFont } from './fonts.js';
import { harfbuzzWasm } from './harfbuzz.js';
import { packageVersion } from './package-root.js';
import { loadSchema } from './schemas.js';

/**
 * What every build reads besides its sources and key: the metadata schema, the fonts, HarfBuzz,
 * docprov's version and the crypto. A build and check's rebuild must read the same, or the
 * rebuild would not be the build.
 */
export const buildTools = () => ({
  metadataSchema: loadSchema('letter-metadata'),
  font: bodyFont(),
  rtlFont: rtlFont(),
  harfbuzz: harfbuzzWasm(),
  toolVersion: packageVersion(),
  crypto: nodeCrypto,
});
