import { readFileSync } from 'node:fs';
import { buildDocument, type BuildResult } from '../../src/core/build/index.js';
import { nodeCrypto } from '../../src/node/crypto.js';
import { bodyFont } from '../../src/node/fonts.js';
import { harfbuzzWasm } from '../../src/node/harfbuzz.js';
import { loadSchema } from '../../src/node/schemas.js';
import { LETTER_DIR } from './paths.js';

/** The letter built in-process, unsigned: what tests sign, tamper with and compare against. */
export function buildLetter(
  opts: { sourceDateEpoch?: string; toolVersion?: string } = {},
): Promise<BuildResult> {
  return buildDocument({
    source: readFileSync(`${LETTER_DIR}/source.txt`),
    metadata: readFileSync(`${LETTER_DIR}/metadata.json`),
    metadataSchema: loadSchema('letter-metadata'),
    font: bodyFont(),
    harfbuzz: harfbuzzWasm(),
    toolVersion: opts.toolVersion ?? '0.0.0-test',
    crypto: nodeCrypto,
    sourceDateEpoch: opts.sourceDateEpoch ?? '1795000000',
  });
}
