import type { ValidateFunction } from 'ajv';
import type { CryptoProvider } from '../crypto.js';
import type { Problem } from '../errors.js';
import { parseLetter, type Letter } from '../letter/index.js';
import { validateMetadata, type LetterMetadata } from '../metadata/index.js';
import { decodeUtf8Strict, normalise, type NormaliseResult } from '../normalise/index.js';
import { typesetLetter } from '../typeset/index.js';
import { buildDate } from './build-date.js';

// The composition root of the pure stages: bytes in, named files and a report out. No I/O.

export interface BuildInput {
  source: Uint8Array;
  metadata: Uint8Array;
  metadataSchema: ValidateFunction;
  /** The body font (TrueType). */
  font: Uint8Array;
  /** SOURCE_DATE_EPOCH as given, if any. */
  sourceDateEpoch?: string;
  /** e.g. "docprov 0.1.0". */
  tool: string;
  crypto: CryptoProvider;
  /** Names used in messages only. */
  sourceName?: string;
  metadataName?: string;
}

export interface StageReport {
  stage: string;
  ms: number;
}

export interface BuildResult {
  id: string;
  metadata: LetterMetadata;
  letter: Letter;
  normalisation: NormaliseResult;
  date: Date;
  files: Map<string, Uint8Array>;
  stages: StageReport[];
  warnings: Problem[];
}

async function timed<T>(
  stages: StageReport[],
  stage: string,
  run: () => T | Promise<T>,
): Promise<T> {
  const t0 = performance.now();
  const value = await run();
  stages.push({ stage, ms: performance.now() - t0 });
  return value;
}

export async function buildDocument(input: BuildInput): Promise<BuildResult> {
  const stages: StageReport[] = [];
  const enc = new TextEncoder();
  const normalisation = await timed(stages, 'normalise', () => normalise(input.source));
  const letter = await timed(stages, 'parse', () => parseLetter(normalisation.text));
  const validated = await timed(stages, 'validate', () =>
    validateMetadata(
      decodeUtf8Strict(input.metadata).replace(/^\uFEFF/, ''),
      letter,
      input.metadataSchema,
      input.metadataName,
    ),
  );
  const id = validated.metadata.id;
  const canonicalText = enc.encode(normalisation.text);
  const canonicalMetadata = enc.encode(validated.canonical);
  const date = buildDate(input.sourceDateEpoch, validated.metadata);
  const pdf = await timed(stages, 'typeset', () =>
    typesetLetter(
      {
        letter,
        metadata: validated.metadata,
        canonicalText,
        canonicalMetadata,
        font: input.font,
        date,
        tool: input.tool,
      },
      input.crypto,
    ),
  );
  const files = new Map<string, Uint8Array>([
    [`${id}.txt`, canonicalText],
    [`${id}.metadata.json`, canonicalMetadata],
    [`${id}.pdf`, pdf],
  ]);
  return {
    id,
    metadata: validated.metadata,
    letter,
    normalisation,
    date,
    files,
    stages,
    warnings: normalisation.warnings,
  };
}
