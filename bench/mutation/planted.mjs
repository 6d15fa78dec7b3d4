// The bugs of issue 18 ("Bugs that no test caught"), planted by hand one at a time: each is applied to the
// working tree, the tests aimed at it are run, and the file is restored. Prints a markdown table of what
// caught each one (bench/mutation/PLANTED.md records a run). node bench/mutation/planted.mjs [name …]
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

const BUGS = [
  {
    name: 'Ragged rows: a row longer than row 0 accepted',
    file: 'src/core/tensorFile/read.ts', from: 'if (len !== cols) {', to: 'if (len < cols) {',
    project: 'unit', tests: ['test/unit/tensorFile/bad-inputs.test.ts'],
  },
  {
    name: 'Token ranges shifted by one character',
    file: 'src/compute/tokenStringRanges.ts', from: '[c.offset, c.offset + c.length]', to: '[c.offset + 1, c.offset + c.length + 1]',
    project: 'unit', tests: ['test/unit/host/tokenStringRanges.test.ts'],
  },
  {
    name: 'Positional encoding exponent c instead of 2⌊c/2⌋',
    file: 'src/core/embed.ts', from: '(2 * Math.floor(c / 2)) / dModel', to: 'c / dModel',
    project: 'unit', tests: ['test/unit/core/golden.test.ts'],
  },
  {
    name: 'CSV defusing stops covering a leading - or @',
    file: 'src/shared/matrixExport.ts', from: 'const FORMULA_START = /^[=+\\-@\\t\\r]/;', to: 'const FORMULA_START = /^[=+\\t\\r]/;',
    project: 'unit', tests: ['test/unit/export/csv.test.ts'],
  },
  {
    name: 'Scores/Scaled CSV and JSON export the weights',
    file: 'webview/components/attn-app.ts', from: 'return { matrix: m, kind };', to: 'return { matrix: hideTokens(head.weights, this.ui.hiddenTokens), kind };',
    project: 'webview', tests: ['test/webview/shown-values.test.ts'],
  },
  {
    name: '"Attends most to" reads column i instead of row i',
    file: 'webview/components/attn-token-view.ts', from: 'const v = w.data[i * w.cols + j];', to: 'const v = w.data[j * w.cols + i];',
    project: 'webview', tests: ['test/webview/shown-values.test.ts'],
  },
  {
    name: 'Pooled heat map skips the diagonal',
    file: 'webview/render/heatmap.ts', from: 'Math.min(cols, i + 1) : cols;', to: 'Math.min(cols, i) : cols;',
    project: 'webview', tests: ['test/webview/pooled-raster.test.ts'],
  },
  {
    name: 'Auto mode sends big work to the JS fallback',
    file: 'src/core/kernels/index.ts', from: "(mode === 'auto' && work < MIN_WORK)", to: "(mode === 'auto' && work >= MIN_WORK)",
    project: 'unit', tests: ['test/unit/core/kernels.test.ts'],
  },
  {
    name: 'LayerNorm epsilon 1e-6 instead of 1e-5',
    file: 'src/core/matrix.ts', from: 'export function layerNorm(m: Matrix, eps = 1e-5)', to: 'export function layerNorm(m: Matrix, eps = 1e-6)',
    project: 'unit', tests: ['test/unit/core/reference.test.ts', 'test/unit/core/golden.test.ts'],
  },
  {
    name: 'Window mask off by one',
    file: 'src/core/masks.ts', from: 'return j <= i && i - j < mask.window;', to: 'return j <= i && i - j <= mask.window;',
    project: 'unit', tests: ['test/unit/core/properties.test.ts', 'test/unit/core/reference.test.ts'],
  },
];

const only = process.argv.slice(2);
console.log('| Planted bug | File | Tests run | Caught |');
console.log('|---|---|---|---|');
for (const bug of BUGS.filter((b) => only.length === 0 || only.some((o) => b.name.includes(o)))) {
  const path = root + bug.file;
  const original = readFileSync(path, 'utf8');
  if (original.split(bug.from).length !== 2) throw new Error(`${bug.file}: "${bug.from}" must occur exactly once`);
  writeFileSync(path, original.replace(bug.from, bug.to));
  let run;
  try {
    run = spawnSync('npx', ['vitest', 'run', '--project', bug.project, ...bug.tests], { cwd: root, encoding: 'utf8' });
  } finally {
    writeFileSync(path, original);
  }
  const failed = /(\d+) failed/.exec(`${run.stdout}${run.stderr}`.replace(/\x1b\[[0-9;]*m/g, ''));
  const caught = run.status !== 0 && failed !== null ? `yes (${failed[1]} test${failed[1] === '1' ? '' : 's'} failed)` : run.status === 0 ? '**no**' : `error (exit ${run.status})`;
  console.log(`| ${bug.name} | \`${bug.file}\` | ${bug.tests.map((t) => `\`${t}\``).join(', ')} | ${caught} |`);
}
