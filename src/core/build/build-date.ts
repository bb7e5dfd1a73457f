import { DocprovError } from '../errors.js';
import type { LetterMetadata } from '../metadata/types.js';

/** SOURCE_DATE_EPOCH (reproducible-builds.org) as a date; undefined when unset or empty. */
export function parseSourceDateEpoch(value: string | undefined): Date | undefined {
  if (value === undefined || value === '') return undefined;
  if (!/^\d{1,12}$/.test(value))
    throw new DocprovError(
      'bad-source-date-epoch',
      `SOURCE_DATE_EPOCH is "${value}", not a number of seconds`,
      {
        severity: 'unusable',
        hint: 'set SOURCE_DATE_EPOCH to whole seconds since 1970-01-01 UTC, e.g. $(git log -1 --format=%ct), or unset it',
      },
    );
  return new Date(Number(value) * 1000);
}

/**
 * The date a build writes into its PDF: SOURCE_DATE_EPOCH when set, otherwise the letter's own
 * date, so that no clock ever reaches the bytes.
 */
export function buildDate(sourceDateEpoch: string | undefined, metadata: LetterMetadata): Date {
  return parseSourceDateEpoch(sourceDateEpoch) ?? new Date(`${metadata.date}T00:00:00Z`);
}
