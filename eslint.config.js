// Lint rules that carry architecture: the engine is pure (STYLE §1), the UI never touches the background's
// modules, and nothing renders HTML from strings (STYLE §7, SEC-44e).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const noHtmlSinks = [
  { selector: "AssignmentExpression[left.property.name='innerHTML']", message: 'No innerHTML: build DOM nodes (SEC-44e).' },
  { selector: "AssignmentExpression[left.property.name='outerHTML']", message: 'No outerHTML (SEC-44e).' },
  { selector: "CallExpression[callee.property.name='insertAdjacentHTML']", message: 'No insertAdjacentHTML (SEC-44e).' },
  { selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']", message: 'No dangerouslySetInnerHTML (SEC-44e).' },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'cli/', 'web-ext-artifacts/', 'test-results/', 'coverage/', '.tmp/', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-empty': ['error', { allowEmptyCatch: false }],
      'no-restricted-syntax': ['error', ...noHtmlSinks],
      'no-eval': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: ['src/crypto/**'],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-globals': ['error',
        { name: 'crypto', message: 'The engine takes WebCrypto as a parameter (STYLE §1).' },
        { name: 'window', message: 'The engine is pure.' },
        { name: 'document', message: 'The engine is pure.' },
        { name: 'self', message: 'The engine is pure.' },
        { name: 'globalThis', message: 'The engine is pure.' },
        { name: 'browser', message: 'No extension APIs in the engine.' },
        { name: 'messenger', message: 'No extension APIs in the engine.' },
        { name: 'indexedDB', message: 'No storage in the engine.' },
        { name: 'localStorage', message: 'No storage in the engine.' },
        { name: 'fetch', message: 'No network in the engine.' },
        { name: 'Buffer', message: 'No Node APIs in the engine.' },
        { name: 'process', message: 'No Node APIs in the engine.' },
        { name: 'require', message: 'No Node APIs in the engine.' },
      ],
      'no-restricted-imports': ['error', { patterns: [
        { group: ['node:*', 'fs', 'path', 'os', 'child_process', 'crypto', 'buffer'], message: 'No Node modules in the engine.' },
        { group: ['webextension-polyfill', 'idb', 'preact', 'preact/*', '@preact/*'], message: 'The engine is pure.' },
        { group: ['**/background/**', '**/compose/**', '**/options/**', '**/display/**', '**/experiments/**', '**/shared/**'], message: 'The engine imports nothing from the extension layers.' },
      ] }],
    },
  },
  {
    files: ['src/crypto/**'],
    ignores: ['src/crypto/asn1.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...noHtmlSinks,
        { selector: "CallExpression[callee.object.name='asn1js'][callee.property.name='fromBER']", message: 'Parse through parseBer() in src/crypto/asn1.ts, which sets the limits (SEC-31d).' },
      ],
    },
  },
  {
    files: ['src/compose/**', 'src/options/**', 'src/display/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/background/**'], message: 'UI pages talk to the background through src/shared/rpc.ts only (STYLE §1).' },
        { group: ['**/experiments/**'], message: 'UI pages never touch the experiments.' },
      ] }],
    },
  },
  {
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/background/**', '**/compose/**', '**/options/**', '**/display/**', '**/experiments/**'], message: 'src/shared is imported by the background and the pages; it imports neither (docs/architecture.md).' },
      ] }],
    },
  },
  {
    files: ['src/background/**'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [
        { group: ['**/compose/**', '**/options/**', '**/display/**'], message: 'The background talks to the pages over src/shared/rpc.ts only (docs/architecture.md).' },
      ] }],
    },
  },
  {
    files: ['src/experiments/**/*.js'],
    languageOptions: {
      sourceType: 'script',
      globals: { ...globals.browser, ChromeUtils: 'readonly', Services: 'readonly', Cc: 'readonly', Ci: 'readonly', Cr: 'readonly', Cu: 'readonly', ExtensionCommon: 'readonly', ExtensionAPI: 'readonly' },
    },
  },
);
