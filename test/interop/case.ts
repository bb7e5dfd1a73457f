// One interop vector before it is written: how to make it and the verdict the standards give it.
import type { Verdict } from '../../src/core/verify/report.js';
import type { Bases } from './bases.js';
import { fillSignature, type CmsMaker } from './fill-signature.js';
import { addSignatureField, type SigFieldOptions } from './sig-field.js';

export interface Case {
  name: string;
  expect: Verdict;
  why: string;
  /** What the report must say besides the verdict (a policy refusal must say it is one). */
  says?: RegExp;
  make: () => Promise<Uint8Array>;
}

export interface CaseContext {
  pkiDir: string;
  bases: Bases;
  /** A scratch folder for the tools' input and output files. */
  work: string;
}

/** Adds a signature field to `pdf` and signs it with `cms`: one incremental update. */
export async function signed(
  pdf: Uint8Array,
  field: SigFieldOptions,
  cms: CmsMaker,
): Promise<Uint8Array> {
  const withField = await addSignatureField(pdf, field);
  return fillSignature(withField.bytes, cms);
}
