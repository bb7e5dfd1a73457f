import { DocprovError } from '../errors.js';
import type { LetterMetadata } from '../metadata/types.js';

/**
 * The date a build writes into its artifacts: SOURCE_DATE_EPOCH when set (reproducible-builds.org),
 * otherwise one derived from the sources, so that no clock ever reaches the bytes.
 */
export function buildDate(sourceDateEpoch: string | undefined, metadata: LetterMetadata): Date {
  if (sourceDateEpoch !== undefined && sourceDateEpoch !== '') {
    if (!/^\d{1,12}$/.test(sourceDateEpoch))
      throw new DocprovError(
        'bad-source-date-epoch',
        `SOURCE_DATE_EPOCH is "${sourceDateEpoch}", not a number of seconds`,
        {
          severity: 'unusable',
          hint: 'set SOURCE_DATE_EPOCH to whole seconds since 1970-01-01 UTC, e.g. $(git log -1 --format=%ct), or unset it',
        },
      );
    return new Date(Number(sourceDateEpoch) * 1000);
  }
  return new Date(`${metadata.date}T00:00:00Z`);
}
