// Model benchmark: our forward pass (the shipped src/core, bundled by esbuild, reading tensors by file offset as the
// worker does) against a numpy float32 forward pass of the same GPT-2-small-shaped checkpoint (random weights, Hub
// layout, ~500 MB, written to a temp dir and deleted after), interleaved run by run, each run in a fresh process so
// peak memory is per run. Ours runs twice per process: cold (the first run of a fresh process) and warm (as the
// long-lived model worker runs every later click). Prints a Markdown table; `--json FILE` also writes the numbers.
// Usage: node bench/model.mjs [--quick] [--rounds N] [--sizes 128,256,1024] [--json out.json]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const ROUNDS = Number(option('--rounds') ?? (quick ? 1 : 3));
const SIZES = option('--sizes')?.split(',').map(Number) ?? (quick ? [128, 256] : [128, 256, 1024]);
const TARGET = 3;

/** The child that runs our side once: load the folder by offset reads, run, report time, first layer, peak RSS. */
const OURS = `
import { closeSync, fstatSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
const [bundle, folder, idsFile] = process.argv.slice(2);
const core = await import(bundle);
const fds = new Map();
const fd = (name) => fds.get(name) ?? fds.set(name, openSync(path.join(folder, name), 'r')).get(name);
const model = core.loadModelFromFolder({
  files: readdirSync(folder),
  readText: (name) => readFileSync(path.join(folder, name), 'utf8'),
  size: (name) => fstatSync(fd(name)).size,
  read: (name, offset, length) => { const b = new Uint8Array(length); readSync(fd(name), b, 0, length, offset); return b; },
  readInto: (name, offset, target) => readSync(fd(name), target, 0, target.length, offset),
});
const ids = JSON.parse(readFileSync(idsFile, 'utf8'));
/** One run: total and first-layer times, and the top next token. */
function timed() {
  const t0 = performance.now();
  let firstLayer;
  const result = core.runModel(model, { ids, onLayer: (_, i) => { if (i === 0) firstLayer = performance.now() - t0; } });
  const ms = performance.now() - t0;
  let top = 0;
  for (let i = 1; i < result.logits.length; i++) if (result.logits[i] > result.logits[top]) top = i;
  return { ms, firstLayer, top };
}
// The first run is a cold start (a fresh process: WebAssembly compiled, memory grown, JIT cold); the second is what the
// long-lived model worker does on every later click.
const cold = timed();
const peakMB = process.resourceUsage().maxRSS / 1024;
const warm = timed();
for (const f of fds.values()) closeSync(f);
console.log(JSON.stringify({ ...cold, warmMs: warm.ms, warmFirstLayer: warm.firstLayer, peakMB }));
`;

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const loadAtStart = loadavg().map((l) => l.toFixed(2)).join(', ');
  const entry = path.join(work, 'entry.ts');
  writeFileSync(entry, `export * from ${JSON.stringify(path.join(root, 'src/core/index.ts'))};`);
  const bundle = path.join(work, 'core.mjs');
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, logLevel: 'warning' });
  const oursFile = path.join(work, 'ours.mjs');
  writeFileSync(oursFile, OURS);
  const folder = path.join(work, 'gpt2-small-random');
  execFileSync('mkdir', ['-p', folder]);
  const numpy = path.join(root, 'bench', 'model_numpy.py');
  console.error('writing the GPT-2-small-shaped checkpoint…');
  execFileSync('python3', [numpy, 'write', folder], { stdio: 'inherit' });
  const core = await import(pathToFileURL(bundle).href);

  const rows = [];
  for (const tokens of SIZES) {
    const random = core.mulberry32(tokens);
    const ids = Array.from({ length: tokens }, () => Math.floor(random() * 50257));
    const idsFile = path.join(work, `ids-${tokens}.json`);
    writeFileSync(idsFile, JSON.stringify(ids));
    const np = [];
    const ours = [];
    for (let r = 0; r < ROUNDS; r++) {
      np.push(JSON.parse(execFileSync('python3', [numpy, 'run', folder, idsFile, '1'], { encoding: 'utf8' })));
      ours.push(JSON.parse(execFileSync(process.execPath, [oursFile, pathToFileURL(bundle).href, folder, idsFile], { encoding: 'utf8', maxBuffer: 1 << 20 })));
      console.error(`T=${tokens} round ${r + 1}: numpy ${np.at(-1).ms[0].toFixed(0)} ms, ours ${ours.at(-1).ms.toFixed(0)} ms`);
    }
    const npMs = median(np.map((x) => x.ms[0]));
    const ourMs = median(ours.map((x) => x.ms));
    rows.push({
      tokens, numpyMs: npMs, oursMs: ourMs, ratio: ourMs / npMs, firstLayerMs: median(ours.map((x) => x.firstLayer)),
      warmMs: median(ours.map((x) => x.warmMs)), warmFirstLayerMs: median(ours.map((x) => x.warmFirstLayer)),
      oursPeakMB: Math.max(...ours.map((x) => x.peakMB)), numpyPeakMB: Math.max(...np.map((x) => x.peakMB)),
      sameTop: ours.every((x, i) => x.top === np[i].top),
    });
  }
  const loadAtEnd = loadavg().map((l) => l.toFixed(2)).join(', ');
  const lines = [
    `Generated by \`node bench/model.mjs\` on ${new Date().toISOString()}; ${ROUNDS} interleaved round(s) per size, medians.`,
    `1-min/5-min/15-min load average: ${loadAtStart} before, ${loadAtEnd} after (shared 2-core machine).`,
    '',
    '| tokens | numpy float32 (ms) | ours, cold (ms) | ratio | target ≤ 3× | first layer, cold (ms) | ours, warm (ms) | first layer, warm (ms) | peak RSS ours / numpy (MB) | same top-1 |',
    '|---:|---:|---:|---:|:---:|---:|---:|---:|---:|:---:|',
    ...rows.map((r) => `| ${r.tokens} | ${r.numpyMs.toFixed(0)} | ${r.oursMs.toFixed(0)} | ${r.ratio.toFixed(2)}× | ${r.tokens === 256 ? (r.ratio <= TARGET ? 'met' : 'missed') : '–'} | ${r.firstLayerMs.toFixed(0)} | ${r.warmMs.toFixed(0)} | ${r.warmFirstLayerMs.toFixed(0)} | ${r.oursPeakMB.toFixed(0)} / ${r.numpyPeakMB.toFixed(0)} | ${r.sameTop ? 'yes' : 'NO'} |`),
  ];
  console.log(lines.join('\n'));
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ rows, loadAtStart, loadAtEnd }, null, 2));
}

const work = mkdtempSync(path.join(tmpdir(), 'attn-model-bench-'));
try {
  await main();
} finally {
  rmSync(work, { recursive: true, force: true });
}
