/** How far two honest clocks (a signer's, a TSA's, a responder's, the reader's) may differ. */
export const CLOCK_SKEW_MS = 5 * 60_000;
