// Writes test/fixtures/reference/selection-golden.json: literal numbers for full selection runs, computed by an
// independent float64 numpy reference (selection_reference.py) from the spec's inputs only: the token embeddings
// (without positions) and the seeded weights. Positions, masks, softmax and the encoder layers are numpy's own.
// Usage: node scripts/reference/selection-golden.mjs [cases.json golden.json] (needs python3 + numpy; the tests do not).
// The default pair is test/fixtures/reference/selection-{cases,golden}.json; cases may list `interventions` (issue 16),
// as test/fixtures/interventions/selection-cases.json does.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const work = mkdtempSync(path.join(tmpdir(), 'attn-golden-'));
try {
  const bundle = path.join(work, 'core.mjs');
  const entry = path.join(work, 'entry.ts');
  writeFileSync(entry, [
    `export * from ${JSON.stringify(path.join(root, 'src/core/index.ts'))};`,
    `export { DEFAULT_COMPUTE_SETTINGS } from ${JSON.stringify(path.join(root, 'src/shared/settings.ts'))};`,
  ].join('\n'));
  await esbuild.build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'warning' });
  const core = await import(pathToFileURL(bundle).href);
  const [casesFile, goldenFile] = process.argv.length >= 4
    ? process.argv.slice(2, 4).map((f) => path.resolve(f))
    : ['selection-cases.json', 'selection-golden.json'].map((f) => path.join(root, 'test/fixtures/reference', f));
  const { cases, peWidth, pePositions } = JSON.parse(readFileSync(casesFile, 'utf8'));
  const rows = (m) => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  const inputs = cases.map(({ name, text, settings, interventions = [] }) => {
    const full = { ...core.DEFAULT_COMPUTE_SETTINGS, ...settings };
    const withoutPositions = core.buildSelectionSpec(text, { ...full, positionalEncoding: false }).spec;
    return {
      name,
      tokens: withoutPositions.tokens,
      tokenEmbeddings: rows(withoutPositions.embeddings),
      positional: full.positionalEncoding,
      scale: full.scale,
      mask: full.mask,
      temperature: full.temperature,
      interventions,
      layers: withoutPositions.layers.map((l) => ({
        heads: l.heads.map((h) => ({ wq: rows(h.wq), wk: rows(h.wk), wv: rows(h.wv) })),
        wo: rows(l.wo),
        ffn: { w1: rows(l.ffn.w1), b1: Array.from(l.ffn.b1), w2: rows(l.ffn.w2), b2: Array.from(l.ffn.b2) },
      })),
    };
  });
  const inputFile = path.join(work, 'inputs.json');
  writeFileSync(inputFile, JSON.stringify({ peWidth, pePositions, cases: inputs }));
  const out = goldenFile;
  const r = spawnSync('python3', [path.join(here, 'selection_reference.py'), inputFile, out], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`selection_reference.py failed (exit ${r.status})`);
  console.log(`wrote ${path.relative(root, out)}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
