import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/', 'dist-vsix/', 'out/', '.cache/', 'node_modules/', 'test-results/', '.stryker-tmp/', 'bench/mutation/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-syntax': ['error',
        { selector: "MemberExpression[property.name='innerHTML']", message: 'No innerHTML: render data as text.' },
        { selector: "Identifier[name='unsafeHTML']", message: 'No unsafeHTML: render data as text.' }],
    },
  },
  // Layering (DESIGN.md, README "Architecture"). Each block lists every import restriction of its folder: a later
  // block replaces an earlier one's rule for the files it matches. test/unit/lint/layers.test.ts breaks each rule.
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core is pure.' }],
        patterns: [
          { regex: '^node:', message: 'src/core is pure: no Node built-ins (it also runs in the webview).' },
          { regex: '^(\\.\\./)+(panel|compute|sources|editor|shared|settings|extension)(/|$)', message: 'src/core imports nothing from the layers above it.' },
        ],
      }],
    },
  },
  {
    files: ['src/core/kernels/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/core is pure.' }],
        patterns: [
          { regex: '^node:', message: 'src/core is pure: no Node built-ins (it also runs in the webview).' },
          { regex: '^\\.\\./', message: 'The kernels import nothing else from the core: callers translate domain types (see KernelMask).' },
        ],
      }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'src/shared is imported by the webview: no vscode.' }],
        patterns: [
          { regex: '^node:', message: 'src/shared is imported by the webview: no Node built-ins.' },
          { regex: '^\\.\\./(panel|compute|sources|editor|settings|extension)(/|$)', message: 'src/shared sits below the host: it may import only the core.' },
        ],
      }],
    },
  },
  {
    files: ['src/compute/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ regex: '^\\.\\./(panel|sources|editor)(/|$)', message: 'src/compute may not import the panel or the sources: move shared policy to src/shared.' }],
      }],
    },
  },
  {
    // The extension host starts, reads files and talks; the worker computes (test/unit/lint/hostBundle.test.ts checks the bundle).
    files: ['src/extension.ts', 'src/settings.ts', 'src/panel/**/*.ts', 'src/sources/**/*.ts', 'src/editor/**/*.ts', 'src/models/**/*.ts', 'src/walkthrough/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{
          regex: '^(\\./|(\\.\\./)+)(core|compute/(job|worker|modelJob|modelProcess|modelWorker))(/|$)', allowTypeImports: true,
          message: 'The extension host holds no core math: import types, or values through src/shared/core; the worker computes.',
        }],
      }],
    },
  },
  {
    files: ['webview/**/*.ts'],
    ignores: ['webview/dev/**'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'The webview talks to the host by messages only.' }],
        patterns: [{ regex: '^(\\.\\./)+src/(?!shared/)', message: 'webview/ may import from src/ only through src/shared/.' }],
      }],
    },
  },
);
