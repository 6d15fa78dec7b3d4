/**
 * The fused Q/K/V projection (one X·[W_Q|W_K|W_V] product per layer) against an independent float64 numpy reference
 * that projects head by head (scripts/reference/fused_qkv_reference.py; regenerate with
 * node scripts/reference/fused-golden.mjs), on both the WebAssembly kernels and the JS path.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { attentionHead, matmul, runLayer, type AttentionOptions, type Matrix } from '../../../src/core';
import { KERNEL_VARIANTS, kernelChoices, resetKernelChoices, setKernelMode, setKernelVariant } from '../../../src/core/kernels';
import golden from '../../fixtures/reference/fused-qkv-golden.json';
import { FUSED_CASES, fusedInputs } from './fused-inputs';

/** Weights are probabilities: float32 products of d_model terms keep them within this of float64. */
const WEIGHT_TOLERANCE = 1e-6;
/** Outputs (size ~1) add h·d_k float32 products of Z and W_O after the softmax: a few float32 ulps more. */
const OUTPUT_TOLERANCE = 2e-6;

const row = (m: Matrix, i: number) => m.data.subarray(i * m.cols, (i + 1) * m.cols);

function worst(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let w = 0;
  for (let i = 0; i < expected.length; i++) w = Math.max(w, Math.abs(actual[i] - expected[i]));
  return w;
}

afterEach(() => {
  setKernelMode('auto');
  setKernelVariant('auto');
});

describe('fused Q/K/V projection against float64 numpy, head by head', () => {
  for (const path of [...KERNEL_VARIANTS, 'JS'] as const) {
    FUSED_CASES.forEach((c, index) => {
      it(`${c.name} (${path})`, () => {
        if (path === 'JS') setKernelMode('off');
        else {
          setKernelMode('always');
          setKernelVariant(path);
        }
        const expected = golden.cases[index];
        expect(expected.name).toBe(c.name);
        const { x, keyX, layer } = fusedInputs(c);
        const options: AttentionOptions = { scale: true, mask: c.mask, temperature: 1 };
        const result = runLayer(layer, x, keyX, options);
        expected.rows.forEach((i, r) => {
          result.heads.forEach((h, head) => {
            expect(worst(row(h.weights, i), expected.weights[head][r]), `head ${head} row ${i}`).toBeLessThan(WEIGHT_TOLERANCE);
          });
          expect(worst(row(result.output as Matrix, i), expected.output[r]), `output row ${i}`).toBeLessThan(OUTPUT_TOLERANCE);
        });
      });
    });
  }

  it('runs one product for Q, K and V of every head (self-attention), two for cross-attention', () => {
    setKernelMode('always');
    for (const c of FUSED_CASES) {
      const { x, keyX, layer } = fusedInputs(c);
      resetKernelChoices();
      runLayer({ heads: layer.heads }, x, keyX, { scale: true, mask: c.mask, temperature: 1 });
      // Projections, then one attention per head (no W_O here).
      expect(kernelChoices().wasm).toBe((c.keys === undefined ? 1 : 2) + c.heads);
    }
  });

  it('gives each head exactly its own slice, with given-Q/K/V heads mixed in', () => {
    const c = FUSED_CASES[0];
    const { x, layer } = fusedInputs(c);
    const options: AttentionOptions = { scale: true, mask: c.mask, temperature: 1 };
    const given = { name: 'given', query: matmul(x, layer.heads[2].wk), key: matmul(x, layer.heads[0].wq), value: matmul(x, layer.heads[1].wv) };
    const heads = [layer.heads[0], given, ...layer.heads.slice(1)];
    const fused = runLayer({ heads }, x, x, options).heads;
    heads.forEach((h, i) => {
      const alone = 'wq' in h ? attentionHead('alone', matmul(x, h.wq), matmul(x, h.wk), matmul(x, h.wv), options) : attentionHead('alone', h.query, h.key, h.value, options);
      for (const key of ['q', 'k', 'v', 'weights', 'output'] as const) {
        expect(worst(fused[i][key]!.data, Array.from(alone[key]!.data)), `head ${i} ${key}`).toBeLessThan(1e-6);
      }
      expect(fused[i].name).toBe(i === 1 ? 'given' : `head ${i + 1}`);
    });
  });
});
