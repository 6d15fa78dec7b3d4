// Literal values for the attention head, the layer and evaluate, worked out by hand (numbers from numpy float64),
// and which path (WebAssembly or JS) each head shape takes. Written for the survivors of mutation testing.
import { afterEach, describe, expect, it } from 'vitest';
import {
  attentionHead, evaluate, fromRows, IDENTITY_HEAD_NAME, resolveScale, runLayer, tryEvaluate, weightedSum, zeros,
  type AttentionOptions, type Matrix, type PrecomputedSpec,
} from '../../../src/core';
import { setKernelMode } from '../../../src/core/kernels';

const rows = (m: Matrix | null): number[][] => {
  if (m === null) throw new Error('missing matrix');
  return Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
};
const close = (actual: number[][], expected: number[][], tol = 1e-6): void => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((r, i) => r.forEach((x, j) => expect(Math.abs(x - expected[i][j]), `[${i}][${j}] ${x} vs ${expected[i][j]}`).toBeLessThanOrEqual(tol)));
};

const causalT2: AttentionOptions = { scale: true, mask: { kind: 'causal' }, temperature: 2 };
const Q = fromRows([[1, 0], [0, 1], [1, 1]]);
const V = fromRows([[1, 2], [3, 4], [5, 6]]);

afterEach(() => setKernelMode('auto'));

describe('resolveScale', () => {
  it('true → 1/√d_k, false → 1, a number → itself, d_k = 0 → 1', () => {
    expect(resolveScale(true, 4)).toBe(0.5);
    expect(resolveScale(false, 4)).toBe(1);
    expect(resolveScale(3, 4)).toBe(3);
    expect(resolveScale(true, 0)).toBe(1);
  });
});

describe('attentionHead by hand: Q = K, causal, temperature 2', () => {
  for (const path of ['off', 'always'] as const) {
    it(`${path === 'off' ? 'JS' : 'WebAssembly'} path`, () => {
      setKernelMode(path);
      const h = attentionHead('h', Q, Q, V, causalT2);
      expect(h.name).toBe('h');
      expect(h.scale).toBeCloseTo(Math.SQRT1_2, 12);
      close(rows(h.scores), [[1, 0, 1], [0, 1, 1], [1, 1, 2]]);
      const s = 0.353553390593;
      expect(rows(h.scaled)[0].slice(1)).toEqual([-Infinity, -Infinity]);
      close(rows(h.scaled).map((r) => r.map((x) => (x === -Infinity ? 0 : x))), [[s, 0, 0], [0, s, 0], [s, s, 2 * s]]);
      expect(rows(h.weights)[0]).toEqual([1, 0, 0]);
      close(rows(h.weights), [[1, 0, 0], [0.41252099916, 0.58747900084, 0], [0.292045923144, 0.292045923144, 0.415908153712]]);
      close(rows(h.output), [[1, 2], [2.174958001679, 3.174958001679], [3.247724461135, 4.247724461135]], 2e-6);
    });
  }
});

describe('weightedSum', () => {
  it('mismatched shapes are an internal assertion with the shapes in it', () => {
    expect(() => weightedSum(zeros(2, 2), zeros(3, 1))).toThrow('Matrix shape mismatch: weights 2×2 · V 3×1');
  });
});

describe('runLayer', () => {
  const opts: AttentionOptions = { scale: false, mask: { kind: 'none' }, temperature: 1 };
  const I = fromRows([[1, 0], [0, 1]]);
  const X = fromRows([[1, 0], [0, 1]]);

  it('names heads "head i" unless named, keeps the projections, and names the identity head', () => {
    const layer = runLayer({ heads: [{ wq: I, wk: I, wv: I }, { name: 'mine', query: X, key: X, value: X }] }, X, X, opts);
    expect(layer.heads.map((h) => h.name)).toEqual(['head 1', 'mine']);
    expect(layer.heads[0].projections).toEqual({ wq: I, wk: I, wv: I });
    expect(layer.heads[1].projections).toBeUndefined();
    expect(runLayer({ heads: [] }, X, X, opts).heads.map((h) => h.name)).toEqual([IDENTITY_HEAD_NAME]);
    expect(IDENTITY_HEAD_NAME).toBe('identity (Q = K = V = X)');
  });

  it('says which input is missing', () => {
    expect(() => runLayer({ heads: [{ wq: I, wk: I, wv: I }] }, null, X, opts)).toThrow('Layer input is missing: heads with wq/wk/wv need embeddings');
    expect(() => runLayer({ heads: [{ wq: I, wk: I, wv: I }] }, X, null, opts)).toThrow('Key input is missing: heads with wq/wk/wv need embeddings');
    expect(() => runLayer({ heads: [] }, X, null, opts)).toThrow('Key input is missing');
    expect(() => runLayer({ heads: [] }, null, X, opts)).toThrow('Layer input is missing');
    const ffn = { w1: I, b1: new Float32Array(2), w2: I, b2: new Float32Array(2) };
    expect(() => runLayer({ heads: [{ query: X, key: X, value: X }], ffn }, null, X, opts)).toThrow('Layer input (for the residual) is missing');
  });
});

describe('evaluate and tryEvaluate', () => {
  const weights = fromRows([[1, 0], [0.5, 0.5]]);
  const precomputed = (over: Partial<PrecomputedSpec>): PrecomputedSpec => ({
    kind: 'precomputed', tokens: ['a', 'b'], options: { scale: true, mask: { kind: 'causal' }, temperature: 1 },
    provenance: { kind: 'model', description: 'd' }, attention: [[weights, weights]], ...over,
  });

  it('precomputed heads: names from headNames, else "head i"; scale a given number, else 1; the mask cost', () => {
    const r = evaluate(precomputed({ headNames: [['first']] }));
    expect(r.layers[0].heads.map((h) => [h.name, h.scale])).toEqual([['first', 1], ['head 2', 1]]);
    expect(evaluate(precomputed({})).layers[0].heads.map((h) => h.name)).toEqual(['head 1', 'head 2']);
    const twoLayers = evaluate(precomputed({ attention: [[weights], [weights]], headNames: [['first']] }));
    expect(twoLayers.layers.map((l) => l.heads[0].name)).toEqual(['first', 'head 1']);
    const scaled = evaluate(precomputed({ options: { scale: 0.25, mask: { kind: 'none' }, temperature: 1 } }));
    expect(scaled.layers[0].heads[1].scale).toBe(0.25);
    expect(r.cost).toEqual({ computedPairs: 3, fullPairs: 4 });
    expect(scaled.cost).toEqual({ computedPairs: 4, fullPairs: 4 });
  });

  it('tryEvaluate refuses a spec with errors and passes warnings through', () => {
    const bad = tryEvaluate(precomputed({ attention: [[fromRows([[1, 0, 0]])]] }));
    expect(bad.ok).toBe(false);
    const fine = tryEvaluate(precomputed({}));
    expect(fine.ok).toBe(true);
    expect(fine.ok && fine.result.layers[0].heads).toHaveLength(2);
    expect(fine.ok && fine.warnings).toEqual([]);
  });
});
