/**
 * Issue 12 row 2 and "one memory budget": the bytes a job will hold are estimated before anything big is allocated,
 * and a job over selfAttention.memoryBudgetMB is refused with one sentence saying how much it needs and what would
 * bring it under. The estimate is checked against what evaluate really allocates.
 */
import { describe, expect, it } from 'vitest';
import { runJob, type ComputeOutcome } from '../../../src/compute/job';
import {
  budgetBytes, budgetProblem, buildSelectionSpec, estimateJobBytes, evaluate, parseTensorFile,
  selectionJobSize, specJobSize, tokenize, type AttentionResult, type AttentionSpec, type Matrix,
} from '../../../src/core';
import { DEFAULT_COMPUTE_SETTINGS, memoryBudgetMB } from '../../../src/shared/settings';
import { HEAVY_SETTINGS, manyTokensFile } from '../../fixtures/budgetInputs';

const MB = 1024 * 1024;
const GB = 1024 * MB;
const BUDGET = 1024 * MB;

/** Bytes of every distinct float32 array a result and its spec hold (what evaluate allocated, and the weights). */
function heldBytes(result: AttentionResult, spec?: AttentionSpec): number {
  const seen = new Set<Float32Array>();
  let bytes = 0;
  const add = (m: Matrix | Float32Array | null | undefined) => {
    const data = m instanceof Float32Array ? m : m?.data;
    if (data && !seen.has(data)) {
      seen.add(data);
      bytes += data.byteLength;
    }
  };
  if (spec?.kind === 'compute') {
    [spec.embeddings, spec.keyEmbeddings].forEach(add);
    for (const layer of spec.layers) {
      [layer.wo, layer.ffn?.w1, layer.ffn?.w2, layer.ffn?.b1, layer.ffn?.b2].forEach(add);
      for (const h of layer.heads) ('query' in h ? [h.query, h.key, h.value] : [h.wq, h.wk, h.wv]).forEach(add);
    }
  }
  for (const layer of result.layers) {
    [layer.input, layer.concat, layer.attentionOutput, layer.output].forEach(add);
    if (layer.encoder) Object.values(layer.encoder).forEach(add);
    for (const h of layer.heads) [h.q, h.k, h.v, h.scores, h.scaled, h.weights, h.output, h.projections?.wq, h.projections?.wk, h.projections?.wv].forEach(add);
  }
  return bytes;
}

function refusal(outcome: ComputeOutcome): string {
  if (outcome.ok) throw new Error('expected the job to be refused');
  expect(outcome.overBudget).toBe(true);
  return outcome.message;
}

/** Heap growth while fn runs (a refusal before allocating grows it by far less than the job would need). */
function heapGrowth<T>(fn: () => T): { value: T; growth: number } {
  const before = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  const value = fn();
  return { value, growth: process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers - before };
}

describe('the estimate', () => {
  it('hand-worked: 1 head of 1 layer, 1,000 × 1,000, three matrices kept, is 12,000,000 bytes plus the rest', () => {
    const size = { queries: 1000, keys: 1000, headsPerLayer: [1], matricesPerHead: 3, bytesPerToken: 8, fixedBytes: 100 };
    expect(estimateJobBytes(size)).toBe(1000 * 1000 * 3 * 4 + 1000 * 8 + 100);
  });

  it('a 4,096-token selection with 16 heads × 12 layers: 36 GB of query × key matrices (the issue\'s figure) and 11 GB more', () => {
    const size = selectionJobSize(4096, { ...DEFAULT_COMPUTE_SETTINGS, ...HEAVY_SETTINGS });
    expect((4096 * 4096 * 16 * 12 * 3 * 4) / GB).toBe(36);
    // Q, K, V and Z of 16 heads at d_k 512 are 6 GB; the weights (W_Q, W_K, W_V, W_O, the feed-forward) 1.9 GB.
    expect(estimateJobBytes(size) / GB).toBeCloseTo(47.1, 1);
    expect(size.fixedBytes / GB).toBeGreaterThan(1.8);
  });

  it.each([
    ['default settings', DEFAULT_COMPUTE_SETTINGS, 'the cat sat on the mat and the dog sat on the log'],
    ['3 heads × 2 layers', { ...DEFAULT_COMPUTE_SETTINGS, heads: 3, layers: 2, dModel: 32, dK: 8 }, 'one two three four five six seven'],
    ['1 head, wide', { ...DEFAULT_COMPUTE_SETTINGS, heads: 1, dModel: 256, dK: 128 }, 'a b c'],
  ])('selections, %s: the estimate covers what evaluate holds, within 10 %%', (_name, settings, text) => {
    const { spec } = buildSelectionSpec(text, settings);
    const held = heldBytes(evaluate(spec), spec);
    const estimate = estimateJobBytes(selectionJobSize(tokenize(text, settings.tokenizer).length, settings));
    expect(estimate).toBeGreaterThanOrEqual(held);
    expect(estimate).toBeLessThan(held * 1.1 + 64 * 1024);
    // The spec-based estimate (used for files) agrees with the settings-based one (used before building the spec).
    expect(estimateJobBytes(specJobSize(spec, 0))).toBeGreaterThanOrEqual(held);
  });

  it('tensor files: the estimate covers what evaluate holds', () => {
    const text = '{"tokens": ["a", "b", "c"], "embeddings": [[1, 0], [0, 1], [1, 1]], "heads": [{"wq": [[1], [0]], "wk": [[0], [1]], "wv": [[1, 1], [0, 1]]}], "wo": [[1, 0], [0, 1]]}';
    const parsed = parseTensorFile(text);
    if (!parsed.ok) throw new Error(parsed.problems[0].message);
    expect(estimateJobBytes(specJobSize(parsed.spec, 0))).toBeGreaterThanOrEqual(heldBytes(evaluate(parsed.spec), parsed.spec));
  });

  it('the budget: the setting in MB, at most a quarter of the machine, a bad value gives the default', () => {
    expect(budgetBytes(memoryBudgetMB(1024), 64 * GB)).toBe(1024 * MB);
    expect(budgetBytes(memoryBudgetMB(1_000_000), 16 * GB)).toBe(4 * GB);
    expect(budgetBytes(memoryBudgetMB('lots'), 64 * GB)).toBe(1024 * MB);
    expect(budgetBytes(memoryBudgetMB(Number.NaN), 64 * GB)).toBe(1024 * MB);
    expect(budgetBytes(memoryBudgetMB(-5), 64 * GB)).toBe(16 * MB);
    expect(budgetBytes(memoryBudgetMB(1e12), 1e15)).toBe(1_048_576 * MB);
  });
});

describe('refused before allocating, in one sentence', () => {
  it('a 32k-token 250 KB JSON file (it made the host allocate 11.8 GB)', () => {
    const text = manyTokensFile(32_000);
    expect(text.length).toBeLessThan(260_000);
    const { value, growth } = heapGrowth(() => runJob({ kind: 'file', text }, BUDGET));
    const message = refusal(value);
    expect(message).toMatch(/^This file needs about 11\.\d GB of memory, over the budget of 1\.0 GB \(setting selfAttention\.memoryBudgetMB/);
    expect(message).toMatch(/fewer tokens in the file \(at most about [\d,]+ tokens of 32,000 fit\), or fewer heads or layers \(now 1 head × 1 layer\)\.$/);
    expect(message.match(/\. /g)).toBeNull(); // one sentence
    expect(growth).toBeLessThan(200 * MB);
  });

  it('a 4,096-token selection with 16 heads × 12 layers (it needed about 37 GB)', () => {
    const text = Array.from({ length: 4096 }, (_, i) => `w${i}`).join(' ');
    const settings = { ...DEFAULT_COMPUTE_SETTINGS, ...HEAVY_SETTINGS };
    const { value, growth } = heapGrowth(() => runJob({ kind: 'selection', text, settings, maxTokens: 4096 }, BUDGET));
    const message = refusal(value);
    expect(message).toMatch(/^This selection needs about 47\.1 GB of memory, over the budget of 1\.0 GB/);
    // Its weights alone are 2 GB: fewer tokens cannot bring it under.
    expect(message).toMatch(/use fewer heads or layers \(now 16 heads × 12 layers\) or smaller dimensions\.$/);
    const within = refusal(runJob({ kind: 'selection', text, settings: { ...settings, dModel: 256, dK: 64, layers: 2 }, maxTokens: 4096 }, BUDGET));
    expect(within).toMatch(/use less text \(at most about [\d,]+ tokens of 4,096 fit\), or fewer heads or layers \(now 16 heads × 2 layers\)\.$/);
    expect(growth).toBeLessThan(100 * MB);
  });

  it('the tokens it says would fit do fit, and one more does not', () => {
    const size = selectionJobSize(4096, { ...DEFAULT_COMPUTE_SETTINGS, heads: 4, layers: 2 });
    const fit = Number(/at most about ([\d,]+) tokens/.exec(budgetProblem(size, 64 * MB, 'This selection', 'less text') ?? '')?.[1].replaceAll(',', ''));
    expect(fit).toBeGreaterThan(0);
    expect(estimateJobBytes({ ...size, queries: fit, keys: fit })).toBeLessThanOrEqual(64 * MB);
    expect(estimateJobBytes({ ...size, queries: fit + 2, keys: fit + 2 })).toBeGreaterThan(64 * MB);
  });

  it('when even the weights do not fit, it asks for fewer heads or layers only', () => {
    const size = selectionJobSize(3, { ...DEFAULT_COMPUTE_SETTINGS, ...HEAVY_SETTINGS });
    expect(budgetProblem(size, 16 * MB, 'This selection', 'less text')).toMatch(/use fewer heads or layers \(now 16 heads × 12 layers\) or smaller dimensions\.$/);
  });

  it('under the budget, the job runs', () => {
    const outcome = runJob({ kind: 'file', text: manyTokensFile(300) }, BUDGET);
    expect(outcome.ok).toBe(true);
  });
});
