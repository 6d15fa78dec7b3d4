// Large binary exports: a 12-layer × 12-head attention tensor over 512 tokens (37.7 M float32 weights),
// written by numpy as .npy + *.attention.json sidecar, .npz (np.savez) and .safetensors (tokens in the
// metadata). Times what the extension does before the head grid can draw — parse + evaluate (worker job),
// head summaries, the slimmed snapshot — with the real code bundled by esbuild, and reports the peak RSS
// growth of a fresh process per format. Appends a "## Large exports" section to bench/RESULTS.md.
// Usage: node bench/large-export.mjs [--layers 12 --heads 12 --tokens 512] [--no-results]
import { execFileSync, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serialize } from 'node:v8';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const opt = (name, dflt) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : dflt);

if (args[0] === '--child') {
  await child(args[1], args[2], args[3]);
} else {
  await main();
}

async function main() {
  const L = Number(opt('layers', 12));
  const H = Number(opt('heads', 12));
  const N = Number(opt('tokens', 512));
  const work = mkdtempSync(path.join(tmpdir(), 'attn-large-'));
  try {
    // 1. The real job + slim code, bundled like the extension's worker.
    const entry = path.join(work, 'entry.ts');
    writeFileSync(entry, [
      `export { runJob } from ${JSON.stringify(path.join(root, 'src/compute/job.ts'))};`,
      `export { slimResult } from ${JSON.stringify(path.join(root, 'src/panel/slimResult.ts'))};`,
      `export { summarizeHeads } from ${JSON.stringify(path.join(root, 'src/core/summaries.ts'))};`,
    ].join('\n'));
    const bundle = path.join(work, 'job.mjs');
    await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: bundle, logLevel: 'warning', mainFields: ['module', 'main'] });

    // 2. The exports, written by numpy exactly as docs/file-format.md shows.
    const py = `
import json, struct, sys, numpy as np
L, H, N, out = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
rng = np.random.default_rng(0)
attn = np.empty((L, H, N, N), np.float32)
mask = np.triu(np.ones((N, N), bool), 1)
for l in range(L):
    x = rng.standard_normal((H, N, N), dtype=np.float32) * 2
    x[:, mask] = -np.inf
    x = np.exp(x - x.max(-1, keepdims=True))
    attn[l] = x / x.sum(-1, keepdims=True)
tokens = [f"tok{i}" for i in range(N)]
np.save(f"{out}/gpt2-{N}.npy", attn)
json.dump({"tokens": tokens, "attention_file": f"gpt2-{N}.npy", "options": {"mask": "causal"}}, open(f"{out}/gpt2-{N}.attention.json", "w"))
np.savez(f"{out}/gpt2-{N}.npz", attention=attn)
json.dump({"tokens": tokens, "attention_file": f"gpt2-{N}.npz", "attention_tensor": "attention"}, open(f"{out}/gpt2-{N}-npz.attention.json", "w"))
try:
    from safetensors.numpy import save_file
    save_file({"attention": attn}, f"{out}/gpt2-{N}.safetensors", metadata={"tokens": json.dumps(tokens)})
except ImportError:  # the same bytes, by hand
    header = {"attention": {"dtype": "F32", "shape": list(attn.shape), "data_offsets": [0, attn.nbytes]}, "__metadata__": {"tokens": json.dumps(tokens)}}
    h = json.dumps(header).encode(); h += b" " * (-len(h) % 8)
    with open(f"{out}/gpt2-{N}.safetensors", "wb") as f:
        f.write(struct.pack("<Q", len(h))); f.write(h); f.write(attn.tobytes())
`;
    const t0 = Date.now();
    execFileSync('python3', ['-c', py, String(L), String(H), String(N), work], { stdio: 'inherit' });
    console.log(`numpy wrote the exports in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

    const cases = [
      ['.npy + sidecar', `gpt2-${N}.npy`, `gpt2-${N}.attention.json`],
      ['.npz + sidecar', `gpt2-${N}.npz`, `gpt2-${N}-npz.attention.json`],
      ['.safetensors (tokens in metadata)', `gpt2-${N}.safetensors`, ''],
    ];
    const rows = [];
    for (const [label, file, sidecar] of cases) {
      const runs = [];
      for (let r = 0; r < 3; r++) {
        const res = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', bundle, path.join(work, file), sidecar ? path.join(work, sidecar) : ''], { encoding: 'utf8' });
        if (res.status !== 0) throw new Error(res.stderr || res.stdout);
        runs.push(JSON.parse(res.stdout.trim().split('\n').pop()));
      }
      runs.sort((a, b) => a.totalMs - b.totalMs);
      const m = runs[1]; // median of 3
      rows.push({ label, fileMB: statSync(path.join(work, file)).size / 2 ** 20, ...m });
    }
    const fmt = (x, d = 0) => x.toFixed(d);
    const table = [
      `| Format | File | Read | Worker job (parse, check, evaluate, summaries) | of which summaries | Slim snapshot | **To head grid data** | Snapshot to webview | Peak host RSS growth |`,
      `|---|---:|---:|---:|---:|---:|---:|---:|---:|`,
      ...rows.map((r) => `| ${r.label} | ${fmt(r.fileMB)} MB | ${fmt(r.readMs)} ms | ${fmt(r.parseMs)} ms | ${fmt(r.summaryMs)} ms | ${fmt(r.slimMs)} ms | **${fmt(r.totalMs)} ms** | ${fmt(r.wireMB, 1)} MB | ${fmt(r.peakRssMB)} MB |`),
    ].join('\n');
    console.log(`\n${L} layers × ${H} heads × ${N}² = ${(L * H * N * N / 1e6).toFixed(1)} M weights (${fmt(L * H * N * N * 4 / 2 ** 20)} MB float32), median of 3 fresh processes:\n`);
    console.log(table);
    if (!args.includes('--no-results')) {
      const results = path.join(root, 'bench/RESULTS.md');
      const section = [
        '',
        '## Large exports',
        '',
        `\`node bench/large-export.mjs\` on ${new Date().toISOString().slice(0, 10)}, Node ${process.version}: ${L} layers × ${H} heads × ${N} tokens = ${(L * H * N * N / 1e6).toFixed(1)} M float32 weights`,
        `(about 300 MB as JSON text). One fresh process per run, median of 3. "To head grid data" = read the file + the worker job`,
        `(parse, validate, evaluate, per-head summaries) + the slimmed snapshot; "Snapshot to webview" = its structured-clone size`,
        `(v8.serialize of the slim result + summaries: the focused layer's 12 heads as float32 + 144 thumbnails of 64×64);`,
        `"Peak host RSS growth" = peak RSS minus RSS before reading (worker and host share one process).`,
        '',
        table,
        '',
      ].join('\n');
      appendFileSync(results, (existsSync(results) ? '' : '# Benchmark results\n') + section);
      console.log(`\nAppended to ${path.relative(root, results)}`);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

async function child(bundle, file, sidecar) {
  const job = await import(pathToFileURL(bundle).href);
  const sidecarText = sidecar ? readFileSync(sidecar, 'utf8') : undefined;
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  let peak = rss0;
  const sample = () => { peak = Math.max(peak, process.memoryUsage().rss); };
  const t0 = performance.now();
  const buf = readFileSync(file);
  // What workspace.fs.readFile + ownBytes give the host: bytes that fill their own ArrayBuffer.
  const bytes = buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength ? new Uint8Array(buf.buffer) : new Uint8Array(buf);
  const t1 = performance.now();
  sample();
  const outcome = job.runJob({ kind: 'binary', bytes, fileName: path.basename(sidecar ? JSON.parse(sidecarText).attention_file : file), ...(sidecarText ? { sidecarText } : {}) });
  const t2 = performance.now();
  sample();
  if (!outcome.ok) throw new Error(outcome.message);
  const summaries = outcome.headSummaries;
  const s1 = performance.now();
  const slim = job.slimResult(outcome.result, { layer: 0, head: 0 }, summaries);
  const t3 = performance.now();
  sample();
  const wire = serialize({ result: slim, headSummaries: summaries }).length;
  sample();
  const peakRss = Math.max(peak, process.resourceUsage().maxRSS * 1024);
  // The summaries are part of the job (t2 − t1); their share, measured again on the same result.
  const s0 = performance.now();
  job.summarizeHeads(outcome.result);
  const summaryMs = performance.now() - s0;
  console.log(JSON.stringify({
    readMs: t1 - t0,
    parseMs: t2 - t1,
    summaryMs,
    slimMs: t3 - s1,
    totalMs: t3 - t0,
    wireMB: wire / 2 ** 20,
    peakRssMB: (peakRss - rss0) / 2 ** 20,
  }));
}
