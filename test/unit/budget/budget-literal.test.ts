// The memory estimate's parts, worked out by hand on small shapes: every matrix a spec holds, queries ≠ keys, given
// projections, an identity layer, and the exact edge of the budget. Written for the survivors of mutation testing
// (bench/mutation/README.md).
import { describe, expect, it } from 'vitest';
import {
  budgetProblem, estimateJobBytes, formatMemory, rolloutProblem, selectionJobSize, specJobSize, tokensWithin, type JobSize,
} from '../../../src/core/budget';
import { zeros } from '../../../src/core/matrix';
import type { AttentionSpec } from '../../../src/core/types';

const MB = 1024 * 1024;
const base = { options: { scale: true, mask: { kind: 'none' }, temperature: 1 }, provenance: { kind: 'file', description: '' } } as const;
const given = (q: number, k: number, dK: number, dV: number) => ({ query: zeros(q, dK), key: zeros(k, dK), value: zeros(k, dV) });

describe('estimateJobBytes', () => {
  it('per-token bytes count the longer side: 3 queries × 5 keys × 2 heads × 4 B + 5 × 10 + 7 = 177', () => {
    expect(estimateJobBytes({ queries: 3, keys: 5, headsPerLayer: [2], matricesPerHead: 1, bytesPerToken: 10, fixedBytes: 7 })).toBe(177);
  });
});

describe('selectionJobSize', () => {
  it('d_model 2, d_k 1, 1 head, 1 layer (d_ff 8): 50 weights per layer, 25 floats per token', () => {
    // Weights: 3·2·1 (W_Q, W_K, W_V) + 1·2 (W_O) + 2·2·8 (W1, W2) + 8 + 2 (biases) = 50.
    // Per token: 2 (embedding) + 4·1 (Q, K, V, Z) + 2 (X) + 1 (concat) + 2 (·W_O) + 2·2 (add & norms) + 8 + 2 (FFN) = 25.
    expect(selectionJobSize(10, { dModel: 2, dK: 1, heads: 1, layers: 1 })).toEqual({
      queries: 10, keys: 10, headsPerLayer: [1], matricesPerHead: 3, bytesPerToken: 100, fixedBytes: 200,
    });
  });
});

describe('specJobSize', () => {
  it('a precomputed spec: one matrix per head, the input counted once', () => {
    const spec: AttentionSpec = { ...base, kind: 'precomputed', tokens: ['a', 'b'], attention: [[zeros(2, 2), zeros(2, 2)], [zeros(2, 2)]] };
    expect(specJobSize(spec, 50)).toEqual({ queries: 2, keys: 2, headsPerLayer: [2, 1], matricesPerHead: 1, bytesPerToken: 0, fixedBytes: 50 });
  });

  it('three layers: projected weights with W_O and a feed-forward, an identity layer, given Q/K/V', () => {
    const spec: AttentionSpec = {
      ...base, kind: 'compute', tokens: ['a', 'b', 'c'], keyTokens: ['x', 'y'], embeddings: zeros(3, 2), keyEmbeddings: zeros(2, 2),
      layers: [
        { heads: [{ wq: zeros(2, 1), wk: zeros(2, 1), wv: zeros(2, 3) }], wo: zeros(3, 2), ffn: { w1: zeros(2, 4), b1: new Float32Array(4), w2: zeros(4, 2), b2: new Float32Array(2) } },
        { heads: [] },
        { heads: [given(3, 2, 1, 1)] },
      ],
    };
    // Fixed: 100 input + 24 + 16 embeddings; layer 1: 8 + 8 + 24 projections, 24 W_O, 32 + 32 FFN, 4·(4 + 2) biases
    // = 292; layer 3: 12 + 8 + 8 → 320. Per token: layer 1 4·(2 + 6) + 4·(2 + 3 + 2 + 10) = 100; layer 2 (identity,
    // width 2) 4·(2 + 2 + 2) = 24; layer 3 4·(2 + 2) + 4·(2 + 1 + 1) = 32 → 156.
    expect(specJobSize(spec, 100)).toEqual({ queries: 3, keys: 2, headsPerLayer: [1, 1, 1], matricesPerHead: 3, bytesPerToken: 156, fixedBytes: 320 });
  });

  it('given Q/K/V and no embeddings', () => {
    const spec: AttentionSpec = { ...base, kind: 'compute', tokens: ['a'], layers: [{ heads: [given(1, 1, 1, 1)] }] };
    expect(specJobSize(spec, 0)).toEqual({ queries: 1, keys: 1, headsPerLayer: [1], matricesPerHead: 3, bytesPerToken: 24, fixedBytes: 12 });
  });
});

describe('formatMemory', () => {
  it('KB rounded up, MB with one decimal below 100 MB, whole MB from 100 MB, GB with one decimal', () => {
    expect([500, 1500, MB - 1, MB, 99.5 * MB, 100 * MB, 1024 * MB, 1536 * MB].map(formatMemory))
      .toEqual(['1 KB', '2 KB', '1024 KB', '1.0 MB', '99.5 MB', '100 MB', '1.0 GB', '1.5 GB']);
  });
});

describe('the exact edge of the budget', () => {
  // 10 × 10 × 1 matrix × 4 B = 400 bytes, nothing else.
  const size: JobSize = { queries: 10, keys: 10, headsPerLayer: [1], matricesPerHead: 1, bytesPerToken: 0, fixedBytes: 0 };

  it('a job needing exactly the budget fits, all its tokens; one byte less fits 9', () => {
    expect(budgetProblem(size, 400, 'This selection', 'select less')).toBeUndefined();
    expect(tokensWithin(size, 400)).toBe(10);
    expect(tokensWithin(size, 399)).toBe(9);
    expect(budgetProblem(size, 399, 'This selection', 'select less')).toBe(
      'This selection needs about 1 KB of memory, over the budget of 1 KB (setting selfAttention.memoryBudgetMB, at most a quarter of this machine\'s memory): to bring it under, use select less (at most about 9 tokens of 10 fit), or fewer heads or layers (now 1 head × 1 layer).',
    );
  });

  it('weights taking exactly the budget still fit (the edge is inclusive there too): tokens that cost nothing all fit', () => {
    // No head matrices and nothing per token: the job needs its 400 fixed bytes whatever the token count.
    const free: JobSize = { queries: 10, keys: 10, headsPerLayer: [0], matricesPerHead: 1, bytesPerToken: 0, fixedBytes: 400 };
    expect(budgetProblem(free, 400, 'This file', 'fewer tokens')).toBeUndefined();
    expect(tokensWithin(free, 400)).toBe(10);
    expect(tokensWithin(free, 399)).toBe(0);
  });
});

describe('rolloutProblem at its edges', () => {
  it('one layer is singular, and a rollout exactly at either limit runs', () => {
    // 2 matrices of 1,000² float32 = 8,000,000 B = 7.6 MB, over 4 MB; √(4 MB / 8 B) = 724.
    expect(rolloutProblem(1000, 1, 4 * MB)).toBe(
      'Attention rollout over 1,000 tokens × 1 layer needs about 7.6 MB, over the memory budget of 4.0 MB (setting selfAttention.memoryBudgetMB): select about 724 tokens or fewer.',
    );
    // Exactly the budget: 2 × 16² × 4 B.
    expect(rolloutProblem(16, 1, 2 * 16 * 16 * 4)).toBeUndefined();
    // Exactly the cap: 2,048³ × 2 products = 2³⁴ multiply-adds; one token more is over it.
    expect(rolloutProblem(2048, 3, 2 ** 40)).toBeUndefined();
    expect(rolloutProblem(2049, 3, 2 ** 40)).toMatch(/^Attention rollout over 2,049 tokens × 3 layers takes about 1\.7e\+10 multiply-adds/);
  });
});
