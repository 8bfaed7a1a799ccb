// ESLint flat config: typescript-eslint's type-aware recommended rules for the TypeScript
// sources (src, the workspace packages, tests), the plain recommended rules for the JavaScript
// launchers and benchmarks. Formatting is Prettier's job (eslint-config-prettier is not needed:
// the presets below carry no formatting rules).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: ['**/dist/**', 'node_modules/**', 'coverage/**', 'test/interop/go/**', 'test/fixtures/**'],
  },
  js.configs.recommended,
  {
    rules: {
      // A `let` read by a callback defined before its one assignment stays a `let` (as a const it
      // would be in its temporal dead zone if the callback ran first).
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Tests are compiled by tsconfig.test.json (the build's tsconfig.json covers src only).
    files: ['test/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: false, project: './tsconfig.test.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // jest's expect(obj.method).toHaveBeenCalled() and mocks are the normal test idiom.
      '@typescript-eslint/unbound-method': 'off',
      // Tests read the CLI's output with JSON.parse and poke at it: the values are checked by
      // the assertions themselves, so the `any` they start as is the point, not a hazard.
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      // Test doubles implement async interfaces without awaiting anything, and poke at
      // untyped grpc-js clients.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      // Tests feed control characters on purpose (hostile event data, terminal escapes).
      'no-control-regex': 'off',
    },
  },
);
