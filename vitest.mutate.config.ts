import { defineConfig } from 'vitest/config';

// The suite as mutation testing runs it (npm run mutate): the test files that call the verifier
// in this process, where a mutant of src/ is what runs. The CLI's tests run the built dist/.
export default defineConfig({
  test: {
    include: [
      'test/policy.test.ts',
      'test/revocation.test.ts',
      'test/budget.test.ts',
      'test/checks.test.ts',
      'test/text-compare.test.ts',
      'test/tamper.test.ts',
      'test/tamper-mutations.test.ts',
      'test/cms-container.test.ts',
      'test/chain-rules.test.ts',
    ],
    globalSetup: ['test/setup/global.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
