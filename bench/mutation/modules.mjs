// Which tests StrykerJS runs against which modules (bench/mutation/run.mjs). Each group names the files it
// mutates and the tests aimed at them; a group's tests must pass unmutated.
const modelTests = (...files) => files.map((f) => `test/unit/model/${f}.test.ts`);
const TENSOR_FILE_READER_TESTS = [
  ...['bad-inputs', 'examples', 'parse', 'schema', 'messages-golden'].map((f) => `test/unit/tensorFile/${f}.test.ts`),
  'test/unit/hostile/corpus.test.ts',
];
// tfnew's four groups run narrower sets (each a lower bound): every tensorFile test reaches these files, and a static
// mutant (a module-level table) reruns every selected test. Left out: the hostile corpus (its 200 MB file and
// selection take 40 s), and where the message corpus pins every message word for word, the example and schema tests
// (valid files only) and, for modes/options/problems and the scanner, bad-inputs (its 64 MB file reruns for every
// mutant on the happy path). The scanner keeps the fuzz that compares it with JSON.parse and Number().
const tensorFileTests = (...files) => files.map((f) => `test/unit/tensorFile/${f}.test.ts`);
const TENSOR_FILE_MESSAGES = tensorFileTests('messages-golden', 'parse', 'top-literal');

export const GROUPS = {
  masks: { mutate: ['src/core/masks.ts'], tests: ['test/unit/core/**/*.test.ts'] },
  // evaluate.ts and layer.ts carry the interventions option, whose tests are in test/unit/interventions.
  attention: { mutate: ['src/core/attention.ts', 'src/core/layer.ts', 'src/core/evaluate.ts'], tests: ['test/unit/core/**/*.test.ts', 'test/unit/interventions/**/*.test.ts'] },
  // matrix.ts, selection.ts and validate.ts are used by nearly every core test: each mutant would rerun all of them
  // (a day here), so these groups run the tests written for the module alone. A lower bound: other tests may kill more.
  matrix: { mutate: ['src/core/matrix.ts'], tests: ['test/unit/core/matrix.test.ts', 'test/unit/core/matrix-literal.test.ts'] },
  stats: { mutate: ['src/core/stats.ts', 'src/core/summaries.ts'], tests: ['test/unit/stats.test.ts', 'test/unit/binary/slim.test.ts', 'test/unit/core/**/*.test.ts'] },
  embed: { mutate: ['src/core/embed.ts', 'src/core/random.ts'], tests: ['test/unit/core/**/*.test.ts'] },
  selection: { mutate: ['src/core/selection.ts'], tests: ['test/unit/core/selection.test.ts', 'test/unit/core/selection-literal.test.ts'] },
  validate: { mutate: ['src/core/validate.ts'], tests: ['test/unit/core/validate.test.ts', 'test/unit/core/validate-literal.test.ts'] },
  kernels: { mutate: ['src/core/kernels/index.ts', 'src/core/kernels/softmaxRow.ts'], tests: ['kernels', 'kernels-literal', 'kernels-blocks-literal', 'relaxed-simd', 'matrix-literal', 'attention-literal', 'attention-path'].map((f) => `test/unit/core/${f}.test.ts`) },
  tokenize: { mutate: ['src/core/tokenize/**/*.ts'], tests: ['test/unit/core/tokenize.test.ts', 'test/unit/core/tokenize-literal.test.ts', 'test/unit/core/seeds.test.ts'] },
  // The other tests of test/unit/budget (archives, the host thread, inline jobs) build large inputs; these groups run the
  // tests written for each module, so a re-run takes minutes.
  // rolloutProblem's refusals are tested where the rollout job uses them.
  budget: { mutate: ['src/core/budget.ts'], tests: ['test/unit/budget/budget.test.ts', 'test/unit/budget/budget-literal.test.ts', 'test/unit/interventions/rolloutJob.test.ts'] },
  overflow: { mutate: ['src/core/overflow.ts'], tests: ['test/unit/budget/overflow.test.ts', 'test/unit/budget/overflow-literal.test.ts'] },
  // src/core/tensorFile (~1,900 lines) in five groups, so that each run finishes within the hour on the shared machine
  // and is counted: the JSON scanner and tree; the matrix and layer readers; modes, options and the problem list; the
  // shape checks; the top level. The fuzz tests (fuzz.test.ts, 80 s, and every surviving mutant reruns them) check
  // only that parsing never throws, so no group runs them: a lower bound. The scanner runs scanner-fuzz.test.ts,
  // which compares it with JSON.parse and Number().
  tensorFileJson: {
    mutate: ['json', 'jsonParser', 'jsonScanner', 'limits'].map((f) => `src/core/tensorFile/${f}.ts`),
    tests: [...TENSOR_FILE_MESSAGES, ...tensorFileTests('scanner-fuzz')],
  },
  tensorFileRead: {
    mutate: ['read', 'layers', 'layout', 'reference'].map((f) => `src/core/tensorFile/${f}.ts`),
    tests: [...TENSOR_FILE_READER_TESTS, 'test/unit/tensorFile/reader-edges-literal.test.ts'],
  },
  tensorFileCheck: {
    mutate: ['modes', 'options', 'problems'].map((f) => `src/core/tensorFile/${f}.ts`),
    tests: TENSOR_FILE_MESSAGES,
  },
  tensorFileShapes: { mutate: ['src/core/tensorFile/validate.ts'], tests: [...TENSOR_FILE_MESSAGES, ...tensorFileTests('bad-inputs')] },
  tensorFileTop: { mutate: ['src/core/tensorFile/index.ts'], tests: [...TENSOR_FILE_MESSAGES, ...tensorFileTests('bad-inputs', 'examples', 'schema')] },
  // Small modules added after the first runs: the block-max pooling the worker and the webview share, the memory
  // budget's arithmetic and wording, the plural of messages, the tokenizer names.
  shared: {
    mutate: ['pooling', 'memory', 'plural', 'tokenize/names'].map((f) => `src/core/${f}.ts`),
    // Pooling's pictures are checked in the browser, pixel for pixel against a block max computed in the test.
    tests: [
      'test/unit/shared/dataRequests.test.ts', 'test/unit/budget/budget.test.ts', 'test/unit/budget/budget-literal.test.ts', 'test/unit/core/validate-literal.test.ts',
      'test/unit/tensorFile/messages-golden.test.ts', 'test/unit/shared/settings.test.ts', 'test/webview/pooled-raster.test.ts', 'test/webview/matrix-withheld.test.ts',
    ],
  },
  // types.ts holds one runtime value, DEFAULT_OPTIONS: what a binary file read alone is shown with.
  types: { mutate: ['src/core/types.ts'], tests: ['test/unit/binary/attention-literal.test.ts'] },
  binary: { mutate: ['src/core/binary/**/*.ts', 'src/core/weightLayout.ts'], tests: ['test/unit/binary/**/*.test.ts', 'test/unit/tensorFile/**/*.test.ts'] },
  // render/'s pure helpers against their unit tests; what draws on a canvas or writes SVG needs the browser tests
  // (vitest browser mode in Chromium), a group of its own.
  render: { mutate: ['contrast', 'format', 'place-popup'].map((f) => `webview/render/${f}.ts`), tests: ['test/unit/views/**/*.test.ts'] },
  // The tests written for the ramps and line selection, not every views test (each static mutant, a ramp's table, reruns them all).
  ramps: { mutate: ['colour-scale', 'line-selection'].map((f) => `webview/render/${f}.ts`), tests: ['render-literal', 'line-selection-literal', 'lineSelection'].map((f) => `test/unit/views/${f}.test.ts`) },
  derivation: { mutate: ['webview/render/cell-derivation.ts'], tests: ['test/unit/views/cell-derivation-literal.test.ts'] },
  canvas: {
    mutate: ['heatmap', 'thumbnail', 'view-svg'].map((f) => `webview/render/${f}.ts`),
    // The browser tests written for these modules, not every view that draws through them (each mutant reloads the
    // test page; the app-mounting tests would triple the time): a lower bound.
    tests: ['heatmap-literal', 'raster-edges-literal', 'view-svg-literal', 'pooled-raster', 'view-export'].map((f) => `test/webview/${f}.test.ts`),
  },
  // The worker test (test/unit/interventions/worker.test.ts) starts worker threads of the built bundle: not the mutant.
  interventions: { mutate: ['src/core/interventions/**/*.ts'], tests: ['contract', 'interventions-literal', 'evaluate-shape', 'selectionGolden', 'analysis'].map((f) => `test/unit/interventions/${f}.test.ts`) },
  analysis: { mutate: ['src/core/analysis/**/*.ts'], tests: [...['analysis', 'analysis-literal', 'modelGolden', 'contract'].map((f) => `test/unit/interventions/${f}.test.ts`), 'test/unit/binary/slim.test.ts'] },
  // model/ in five groups, each kept when it finishes, against the tests written for those files (the golden runs
  // only where the forward pass is what is mutated): a lower bound. The tests load the tiny checkpoints inside each
  // test, not while collecting, where StrykerJS would count the loading code as static and rerun every test per mutant.
  modelConfig: { mutate: ['config', 'families'].map((f) => `src/core/model/${f}.ts`), tests: modelTests('config-literal', 'model-literal', 'badInput', 'loading') },
  modelFiles: { mutate: ['folder', 'safetensors'].map((f) => `src/core/model/${f}.ts`), tests: modelTests('safetensors-literal', 'badInput', 'loading') },
  modelTokenizer: { mutate: ['src/core/model/tokenizer.ts'], tests: modelTests('tokenizer', 'tokenizer-literal') },
  forward: { mutate: ['forward', 'ops', 'rope', 'steps'].map((f) => `src/core/model/${f}.ts`), tests: modelTests('ops-literal', 'forward-literal', 'golden', 'steps', 'loading') },
  modelRun: {
    mutate: ['model', 'types', 'index'].map((f) => `src/core/model/${f}.ts`),
    tests: [...modelTests('model-literal', 'badInput', 'loading', 'golden'), 'test/unit/interventions/modelGolden.test.ts'],
  },
};
