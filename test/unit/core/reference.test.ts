import { describe, expect, it } from 'vitest';
import { attentionHead, evaluate, fromRows, mulberry32, uniformMatrix, type ComputeSpec, type LayerSpec, type MaskSpec, type Matrix } from '../../../src/core';
import { visibleKeys } from './reference-mask';

/** A plain float64 implementation, written for clarity rather than speed. */
type M = number[][];
const toM = (m: Matrix): M => Array.from({ length: m.rows }, (_, i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
const mul = (a: M, b: M): M => a.map((r) => b[0].map((_, j) => r.reduce((s, x, k) => s + x * b[k][j], 0)));
const plus = (a: M, b: M): M => a.map((r, i) => r.map((x, j) => x + b[i][j]));
const norm = (a: M): M =>
  a.map((r) => {
    const mean = r.reduce((s, x) => s + x, 0) / r.length;
    const variance = r.reduce((s, x) => s + (x - mean) ** 2, 0) / r.length;
    return r.map((x) => (x - mean) / Math.sqrt(variance + 1e-5));
  });

function referenceHead(q: M, k: M, v: M, mask: MaskSpec, temperature: number): { weights: M; z: M } {
  const scale = 1 / Math.sqrt(q[0].length);
  const weights = q.map((qi, i) => {
    const visible = visibleKeys(mask, i, k.length);
    const s = k.map((kj, j) => (visible.has(j) ? (qi.reduce((acc, x, c) => acc + x * kj[c], 0) * scale) / temperature : -Infinity));
    const max = Math.max(...s);
    if (max === -Infinity) return s.map(() => 0);
    const e = s.map((x) => Math.exp(x - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((x) => x / sum);
  });
  return { weights, z: mul(weights, v) };
}

function referenceLayer(layer: LayerSpec, x: M, mask: MaskSpec, temperature: number): { weights: M[]; out: M } {
  const heads = layer.heads.map((h) => {
    if (!('wq' in h)) throw new Error('projection heads only');
    return referenceHead(mul(x, toM(h.wq)), mul(x, toM(h.wk)), mul(x, toM(h.wv)), mask, temperature);
  });
  const concat = x.map((_, i) => heads.flatMap((h) => h.z[i]));
  const attn = layer.wo ? mul(concat, toM(layer.wo)) : concat;
  if (!layer.ffn) return { weights: heads.map((h) => h.weights), out: attn };
  const n1 = norm(plus(x, attn));
  const b1 = Array.from(layer.ffn.b1);
  const b2 = Array.from(layer.ffn.b2);
  const hidden = mul(n1, toM(layer.ffn.w1)).map((r) => r.map((v, j) => Math.max(0, v + b1[j])));
  const ffnOut = mul(hidden, toM(layer.ffn.w2)).map((r) => r.map((v, j) => v + b2[j]));
  return { weights: heads.map((h) => h.weights), out: norm(plus(n1, ffnOut)) };
}

/**
 * Weights (probabilities) within 1e-6 of float64; layer outputs (size ~1, after two LayerNorms and float32 sums of
 * d_model terms) within 5e-6. Tight enough that a LayerNorm epsilon of 1e-6 instead of 1e-5 fails.
 */
const WEIGHT_TOLERANCE = 1e-6;
const OUTPUT_TOLERANCE = 5e-6;

function expectClose(actual: Matrix, expected: M, tolerance: number): void {
  expect([actual.rows, actual.cols]).toEqual([expected.length, expected[0]?.length ?? actual.cols]);
  let worst = 0;
  expected.forEach((r, i) =>
    r.forEach((e, j) => {
      worst = Math.max(worst, Math.abs(actual.data[i * actual.cols + j] - e));
    }),
  );
  expect(worst).toBeLessThan(tolerance);
}

function randomSpec(seed: number, n: number, dModel: number, heads: number, dK: number, layers: number, mask: MaskSpec, temperature: number, ffn: boolean): ComputeSpec {
  const random = mulberry32(seed);
  const layerSpecs: LayerSpec[] = Array.from({ length: layers }, () => ({
    heads: Array.from({ length: heads }, () => ({
      wq: uniformMatrix(dModel, dK, 0.5, random),
      wk: uniformMatrix(dModel, dK, 0.5, random),
      wv: uniformMatrix(dModel, dK, 0.5, random),
    })),
    wo: uniformMatrix(heads * dK, dModel, 0.3, random),
    ffn: ffn
      ? {
          w1: uniformMatrix(dModel, 2 * dModel, 0.3, random),
          b1: uniformMatrix(1, 2 * dModel, 0.1, random).data,
          w2: uniformMatrix(2 * dModel, dModel, 0.3, random),
          b2: uniformMatrix(1, dModel, 0.1, random).data,
        }
      : undefined,
  }));
  return {
    kind: 'compute',
    tokens: Array.from({ length: n }, (_, i) => `t${i}`),
    embeddings: uniformMatrix(n, dModel, 1, random),
    layers: layerSpecs,
    options: { scale: true, mask, temperature },
    provenance: { kind: 'random', description: 'test' },
  };
}

const cases: [string, Parameters<typeof randomSpec>][] = [
  ['n=5, one head, no mask', [1, 5, 8, 1, 4, 1, { kind: 'none' }, 1, false]],
  ['n=17, 3 heads, causal, T=0.5', [2, 17, 12, 3, 4, 1, { kind: 'causal' }, 0.5, false]],
  ['n=40, 2 heads, window 5, T=2, encoder ×2', [3, 40, 16, 2, 8, 2, { kind: 'window', window: 5 }, 2, true]],
  ['n=64, 4 heads, dilated 4/3, encoder', [4, 64, 16, 4, 4, 1, { kind: 'dilated', window: 4, dilation: 3 }, 1, true]],
  ['n=300, 2 heads, causal, T=0.7, encoder', [5, 300, 16, 2, 8, 1, { kind: 'causal' }, 0.7, true]],
];

describe('evaluate against a float64 reference', () => {
  it.each(cases)('%s', (_, args) => {
    const spec = randomSpec(...args);
    const result = evaluate(spec);
    let x = toM(spec.embeddings!);
    spec.layers.forEach((layer, l) => {
      const ref = referenceLayer(layer, x, spec.options.mask, spec.options.temperature);
      ref.weights.forEach((w, h) => expectClose(result.layers[l].heads[h].weights, w, WEIGHT_TOLERANCE));
      expectClose(result.layers[l].output!, ref.out, OUTPUT_TOLERANCE);
      x = ref.out;
    });
  });
});

describe('a hand-computed head with temperature 2', () => {
  it('Q = K = I, unscaled, T = 2: scaled = I / 2, weights = σ(±0.5), Z = weights · V', () => {
    // scores = Q·Kᵀ = [[1, 0], [0, 1]]; ÷ T → [[0.5, 0], [0, 0.5]].
    // Row 0: e^0.5 / (e^0.5 + e^0) = 1 / (1 + e^-0.5) = 0.6224593312018546, and 0.3775406687981454.
    // Z row 0 = 0.62245933·[1, 2] + 0.37754067·[3, 4] = [1.7550813375962908, 2.755081337596291].
    const identity = fromRows([[1, 0], [0, 1]]);
    const head = attentionHead('h', identity, identity, fromRows([[1, 2], [3, 4]]), { scale: false, mask: { kind: 'none' }, temperature: 2 });
    expect(Array.from(head.scaled!.data)).toEqual([0.5, 0, 0, 0.5]);
    const expectedWeights = [0.6224593312018546, 0.3775406687981454, 0.3775406687981454, 0.6224593312018546];
    head.weights.data.forEach((w, p) => expect(Math.abs(w - expectedWeights[p])).toBeLessThan(1e-7));
    const expectedZ = [1.7550813375962908, 2.755081337596291, 2.244918662403709, 3.244918662403709];
    head.output!.data.forEach((z, p) => expect(Math.abs(z - expectedZ[p])).toBeLessThan(1e-6));
  });
  it('with the causal mask, row 0 sees only itself and row 1 is unchanged', () => {
    const identity = fromRows([[1, 0], [0, 1]]);
    const head = attentionHead('h', identity, identity, identity, { scale: false, mask: { kind: 'causal' }, temperature: 2 });
    expect(Array.from(head.scaled!.data)).toEqual([0.5, -Infinity, 0, 0.5]);
    expect(head.weights.data[0]).toBe(1);
    expect(head.weights.data[1]).toBe(0);
    expect(Math.abs(head.weights.data[3] - 0.6224593312018546)).toBeLessThan(1e-7);
  });
});
