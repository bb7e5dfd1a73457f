import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'out/',
      'artifacts/',
      'coverage/',
      'scratch/',
      'reports/',
      '.stryker-tmp/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { varsIgnorePattern: '^_', argsIgnorePattern: '^_' },
      ],
    },
  },
  {
    // The launcher is CommonJS: it must start without Node's ES module loader (~13 ms).
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { require: 'readonly', __dirname: 'readonly', module: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // Tests mutate parsed JSON freely to make negative cases.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // The page's code runs in a browser, on the core alone: no Node built-ins, no CLI or Node edge.
    files: ['src/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'src/web runs in a browser: no node: modules.' },
            {
              group: ['**/node/**', '**/cli/**'],
              message: 'src/web uses src/core, not the Node edges.',
            },
          ],
        },
      ],
    },
  },
  {
    // The core must run in a browser: no Node built-ins and nothing from the edges.
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'src/core runs in a browser: no node: modules.' },
            {
              group: ['**/node/**', '**/cli/**'],
              message: 'src/core imports nothing from the edges.',
            },
          ],
        },
      ],
    },
  },
);
