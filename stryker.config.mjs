// Mutation testing (npm run test:mutation): not part of npm test, too slow for CI. Reports go to bench/mutation/.
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'src/core/**/*.ts',
    'webview/render/**/*.ts',
    // Generated WebAssembly bytes (a base64 string), not code.
    '!src/core/kernels/generated/**',
  ],
  coverageAnalysis: 'perTest',
  // vitest does not type-check, and the kernels test compares the generated module byte for byte.
  disableTypeChecks: false,
  concurrency: 1,
  incremental: true,
  incrementalFile: 'bench/mutation/stryker-incremental.json',
  ignorePatterns: ['.cache', 'dist', 'dist-vsix', 'out', 'test-results', 'bench/mutation', '.ci', 'docs', 'media', 'examples/**/*.png'],
  reporters: ['clear-text', 'progress', 'json', 'html'],
  // bench/mutation/run.mjs runs one group of modules at a time, each with its own report and incremental file.
  jsonReporter: { fileName: process.env.MUTATION_REPORT ?? 'bench/mutation/mutation.json' },
  htmlReporter: { fileName: (process.env.MUTATION_REPORT ?? 'bench/mutation/mutation.json').replace(/\.json$/, '.html') },
  thresholds: { high: 90, low: 85, break: null },
  // Slack over 1.5× a test's dry-run time before a mutant counts as a timeout (infinite loops are caught sooner by hit counts).
  timeoutMS: 30_000,
  // The initial run is the whole unit + browser suite; on the shared 2-core machine it takes minutes.
  dryRunTimeoutMinutes: 30,
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
