// The first layer on screen, A/B: the time from runModel to the first onLayer at 128 tokens, for this working tree's
// core against another commit's (default fcb2a9c, before weights were read straight into kernel memory), on the same
// GPT-2-small-shaped checkpoint (bench/model_numpy.py write), in fresh processes alternating A and B, each timing a
// cold run (the process's first) and a warm one (its second, as the long-lived model worker runs later clicks).
// Prints medians. Usage: node bench/model-first-layer.mjs [--against <commit>] [--runs 7] [--tokens 128]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(name) ? args[args.indexOf(name) + 1] : fallback);
const against = option('--against', 'fcb2a9c');
const runs = Number(option('--runs', '7'));
const tokens = Number(option('--tokens', '128'));

const CHILD = `
import { fstatSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
const [bundle, folder, T] = process.argv.slice(2);
const core = await import(bundle);
const fds = new Map();
const fd = (name) => fds.get(name) ?? fds.set(name, openSync(path.join(folder, name), 'r')).get(name);
const model = core.loadModelFromFolder({
  files: readdirSync(folder), readText: (n) => readFileSync(path.join(folder, n), 'utf8'), size: (n) => fstatSync(fd(n)).size,
  read: (n, o, l) => { const b = new Uint8Array(l); readSync(fd(n), b, 0, l, o); return b; },
  readInto: (n, o, t) => readSync(fd(n), t, 0, t.length, o),
});
const random = core.mulberry32(Number(T));
const ids = Array.from({ length: Number(T) }, () => Math.floor(random() * 50257));
const times = [];
for (let run = 0; run < 2; run++) {
  const t0 = performance.now();
  let first = 0;
  try {
    core.runModel(model, { ids, onLayer: () => { first = performance.now() - t0; }, isCancelled: () => first > 0 });
  } catch (e) { if (e.name !== 'ModelCancelled') throw e; }
  times.push(first);
}
console.log(JSON.stringify(times));
`;

const work = mkdtempSync(path.join(tmpdir(), 'attn-first-layer-'));
try {
  const old = path.join(work, 'old');
  execFileSync('mkdir', ['-p', old]);
  execFileSync('sh', ['-c', `git -C "${root}" archive ${against} src | tar -x -C "${old}"`]);
  symlinkSync(path.join(root, 'node_modules'), path.join(old, 'node_modules'));
  const bundles = {};
  for (const [name, src] of [['before', old], ['after', root]]) {
    const entry = path.join(work, `${name}.ts`);
    writeFileSync(entry, `export * from ${JSON.stringify(path.join(src, 'src/core/index.ts'))};`);
    bundles[name] = path.join(work, `${name}.mjs`);
    await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundles[name], logLevel: 'warning' });
  }
  const folder = path.join(work, 'gpt2-small-random');
  execFileSync('mkdir', ['-p', folder]);
  console.error('writing the GPT-2-small-shaped checkpoint…');
  execFileSync('python3', [path.join(root, 'bench', 'model_numpy.py'), 'write', folder], { stdio: 'inherit' });
  writeFileSync(path.join(work, 'child.mjs'), CHILD);
  const load = loadavg()[0];
  const results = { before: [], after: [] };
  for (let r = 0; r < runs; r++) {
    for (const name of r % 2 ? ['after', 'before'] : ['before', 'after']) {
      const out = execFileSync(process.execPath, [path.join(work, 'child.mjs'), pathToFileURL(bundles[name]).href, folder, String(tokens)], { encoding: 'utf8' });
      results[name].push(JSON.parse(out));
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`First layer at ${tokens} tokens, ${runs} fresh processes each, alternating; 1-min load ${load.toFixed(1)} → ${loadavg()[0].toFixed(1)}.`);
  console.log('| core | first layer, cold (ms) | first layer, warm (ms) |\n|---|---:|---:|');
  for (const name of ['before', 'after']) {
    console.log(`| ${name === 'before' ? `before (${against})` : 'after (this tree)'} | ${median(results[name].map((x) => x[0])).toFixed(0)} | ${median(results[name].map((x) => x[1])).toFixed(0)} |`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
