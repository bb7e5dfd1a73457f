import { parseSourceDateEpoch } from '../core/build/build-date.js';

/** The signing time: SOURCE_DATE_EPOCH when set (re-signing gives the same bytes), else now. */
export function signingTime(env: NodeJS.ProcessEnv): Date {
  return (
    parseSourceDateEpoch(env.SOURCE_DATE_EPOCH) ?? new Date(Math.floor(Date.now() / 1000) * 1000)
  );
}
