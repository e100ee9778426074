// ESLint over the theme's scripts and this suite. `npm run lint` runs it from the repository
// root with this file as its config: ESLint skips files outside the directory its config
// applies to, and the theme is not under tests/browser. So the patterns below are relative
// to the repository root, and warnings fail the run too (--max-warnings 0), among them
// "File ignored because outside of base path".

import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';

const strict = {
  'no-var': 'error',
  'prefer-const': 'error',
  eqeqeq: 'error',
};

export default defineConfig([
  {
    name: 'metodbok/theme',
    files: ['themes/default/static/js/**/*.js'],
    extends: [js.configs.recommended],
    languageOptions: {
      // Classic scripts (not modules), each wrapped in a function. for…of and Unicode
      // property escapes need ES2018; nothing newer than ES2020 is allowed.
      ecmaVersion: 2020,
      sourceType: 'script',
      globals: { ...globals.browser },
    },
    rules: {
      ...strict,
      'no-implicit-globals': 'error',
      strict: ['error', 'function'],
    },
  },
  {
    name: 'metodbok/tests',
    files: ['tests/browser/**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      // Node, and the browser for the callbacks that run in the page (page.evaluate).
      globals: { ...globals.node, ...globals.browser },
    },
    rules: strict,
  },
  {
    name: 'metodbok/directives',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },
]);
