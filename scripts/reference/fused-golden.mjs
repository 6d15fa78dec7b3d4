// Writes test/fixtures/reference/fused-qkv-golden.json: per-head weights and the layer output of the fused Q/K/V
// projection cases (test/unit/core/fused-inputs.ts), computed head by head in float64 by fused_qkv_reference.py.
// Usage: node scripts/reference/fused-golden.mjs (needs python3 + numpy; the tests do not).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'attn-fused-golden-'));
try {
  const bundle = path.join(work, 'inputs.mjs');
  await esbuild.build({ entryPoints: [path.join(root, 'test/unit/core/fused-inputs.ts')], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'warning' });
  const { FUSED_CASES, fusedInputs } = await import(pathToFileURL(bundle).href);
  const rows = (m) => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  const cases = FUSED_CASES.map((c) => {
    const { x, keyX, layer } = fusedInputs(c);
    return {
      name: c.name,
      mask: c.mask,
      // First, middle and last query rows are enough to pin every head's slice of the fused product.
      rows: [0, Math.floor(c.queries / 2), c.queries - 1],
      x: rows(x),
      keyX: rows(keyX),
      heads: layer.heads.map((h) => ({ wq: rows(h.wq), wk: rows(h.wk), wv: rows(h.wv) })),
      wo: rows(layer.wo),
    };
  });
  const inputFile = path.join(work, 'inputs.json');
  writeFileSync(inputFile, JSON.stringify(cases));
  const out = path.join(root, 'test/fixtures/reference/fused-qkv-golden.json');
  const r = spawnSync('python3', [path.join(here, 'fused_qkv_reference.py'), inputFile, out], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`fused_qkv_reference.py failed (exit ${r.status})`);
  console.log(`wrote ${path.relative(root, out)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
