// @ts-check
// Lint: typescript-eslint's recommended rules over the library, the handlers, the contracts, the demo app,
// the tests, the benchmarks and the build scripts. Layout is prettier's job (.prettierrc.json): no stylistic rule here.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['assets/**', 'cdk.out/**', 'dist/**', 'coverage/**', '**/node_modules/**', 'bench/results/**', 'test/fixtures/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // A leading underscore marks a binding kept on purpose (an interface's parameter, a destructured-away field).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
    },
  },
  {
    // Tests read synthesized CloudFormation templates, imported bodies and fixtures: untyped JSON by nature,
    // which `any` states honestly. Shipped code (lib/, lambda/, contracts/, bin/) and the benchmarks may not use it.
    files: ['test/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    // CommonJS files: `require` is how they import.
    files: ['**/*.cjs', '**/*.js'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
