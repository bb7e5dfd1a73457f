import { DocprovError } from '../core/errors.js';

/** The signing time: SOURCE_DATE_EPOCH when set (re-signing gives the same bytes), else now. */
export function signingTime(env: NodeJS.ProcessEnv): Date {
  const v = env.SOURCE_DATE_EPOCH;
  if (v === undefined || v === '') return new Date(Math.floor(Date.now() / 1000) * 1000);
  if (!/^\d{1,12}$/.test(v))
    throw new DocprovError(
      'bad-source-date-epoch',
      `SOURCE_DATE_EPOCH is "${v}", not a number of seconds`,
      {
        severity: 'unusable',
        hint: 'set SOURCE_DATE_EPOCH to whole seconds since 1970-01-01 UTC, or unset it',
      },
    );
  return new Date(Number(v) * 1000);
}
