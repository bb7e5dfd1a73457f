import type { ValidateFunction } from 'ajv';
import type { Problem } from '../errors.js';
import { parseLetter, type Letter } from '../letter/index.js';
import { validateMetadata, type LetterMetadata } from '../metadata/index.js';
import { decodeUtf8Strict, normalise, type NormaliseResult } from '../normalise/index.js';

// The composition root of the pure stages: bytes in, named files and a report out. No I/O.

export interface BuildInput {
  source: Uint8Array;
  metadata: Uint8Array;
  metadataSchema: ValidateFunction;
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
  files: Map<string, Uint8Array>;
  stages: StageReport[];
  warnings: Problem[];
}

function timed<T>(stages: StageReport[], stage: string, run: () => T): T {
  const t0 = performance.now();
  const value = run();
  stages.push({ stage, ms: performance.now() - t0 });
  return value;
}

export function buildDocument(input: BuildInput): BuildResult {
  const stages: StageReport[] = [];
  const enc = new TextEncoder();
  const normalisation = timed(stages, 'normalise', () => normalise(input.source));
  const letter = timed(stages, 'parse', () => parseLetter(normalisation.text));
  const validated = timed(stages, 'validate', () =>
    validateMetadata(
      decodeUtf8Strict(input.metadata).replace(/^\uFEFF/, ''),
      letter,
      input.metadataSchema,
      input.metadataName,
    ),
  );
  const id = validated.metadata.id;
  const files = new Map<string, Uint8Array>([
    [`${id}.txt`, enc.encode(normalisation.text)],
    [`${id}.metadata.json`, enc.encode(validated.canonical)],
  ]);
  return {
    id,
    metadata: validated.metadata,
    letter,
    normalisation,
    files,
    stages,
    warnings: normalisation.warnings,
  };
}
