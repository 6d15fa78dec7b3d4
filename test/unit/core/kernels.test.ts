import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { attentionHead, matmul, matmulTransposed, mulberry32, uniformMatrix, type AttentionOptions, type Matrix, type MaskSpec } from '../../../src/core';
import { buildSelectionSpec, evaluate } from '../../../src/core';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';
import { kernelChoices, kernels, resetKernelChoices, setKernelMode } from '../../../src/core/kernels';

/** Runs `f` once through the WebAssembly kernels and once through the JS reference. */
function both<T>(f: () => T): { wasm: T; js: T } {
  setKernelMode('always');
  const wasm = f();
  setKernelMode('off');
  const js = f();
  setKernelMode('auto');
  return { wasm, js };
}

/**
 * Largest |a − b|; with `relative`, divided by max(1, largest finite |b|): float32 accumulation (the kernels) against
 * float64 accumulation (JS) differs in proportion to the size of the products, not of each (possibly cancelled) sum.
 */
function maxDiff(a: Float32Array, b: Float32Array, relative = false): number {
  expect(a.length).toBe(b.length);
  let scale = 1;
  if (relative) for (const x of b) if (Number.isFinite(x)) scale = Math.max(scale, Math.abs(x));
  let worst = 0;
  for (let p = 0; p < a.length; p++) {
    if (a[p] === b[p]) continue; // also equal infinities
    const d = Math.abs(a[p] - b[p]) / scale;
    worst = Math.max(worst, Number.isNaN(d) ? Infinity : d);
  }
  return worst;
}

afterEach(() => setKernelMode('auto'));

describe('WebAssembly SIMD kernels', () => {
  it('load in Node', () => {
    expect(kernels()).not.toBeNull();
  });

  it('matmul and matmulTransposed match the JS path on awkward shapes', () => {
    const random = mulberry32(3);
    for (const [n, k, m] of [[1, 1, 1], [3, 5, 7], [2, 4, 16], [17, 33, 130], [70, 64, 19], [65, 3, 300]]) {
      const a = uniformMatrix(n, k, 1, random);
      const b = uniformMatrix(k, m, 1, random);
      const bT = uniformMatrix(m, k, 1, random);
      const p = both(() => matmul(a, b));
      expect(maxDiff(p.wasm.data, p.js.data, true)).toBeLessThan(1e-5);
      const t = both(() => matmulTransposed(a, bT));
      expect(maxDiff(t.wasm.data, t.js.data, true)).toBeLessThan(1e-5);
    }
  });

  const masks: MaskSpec[] = [
    { kind: 'none' },
    { kind: 'causal' },
    { kind: 'window', window: 3 },
    { kind: 'window', window: 200 },
    { kind: 'dilated', window: 3, dilation: 2 },
    { kind: 'dilated', window: 50, dilation: 7 },
  ];
  for (const mask of masks) {
    it(`attentionHead agrees with the JS path within 1e-5 (${JSON.stringify(mask)})`, () => {
      const random = mulberry32(11);
      for (const [n, m, d, dV] of [[1, 1, 1, 1], [5, 9, 3, 2], [37, 41, 64, 64], [130, 70, 17, 5], [8, 300, 64, 32]]) {
        const q = uniformMatrix(n, d, 2, random);
        const k = uniformMatrix(m, d, 2, random);
        const v = uniformMatrix(m, dV, 1, random);
        // The second case multiplies logits by 6 instead of 1/√d: float32 rounding in Q·Kᵀ (~1e-6 of the products)
        // is amplified 48× more before the softmax, so it gets a looser bound.
        const cases: [AttentionOptions, number][] = [[{ scale: true, mask, temperature: 1 }, 1e-5], [{ scale: 3, mask, temperature: 0.5 }, 1e-4]];
        for (const [options, tolerance] of cases) {
          const { wasm, js } = both(() => attentionHead('h', q, k, v, options));
          expect(maxDiff(wasm.scores!.data, js.scores!.data, true)).toBeLessThan(1e-5);
          expect(maxDiff(wasm.scaled!.data, js.scaled!.data, true)).toBeLessThan(1e-5);
          expect(maxDiff(wasm.weights.data, js.weights.data)).toBeLessThan(tolerance);
          expect(maxDiff(wasm.output!.data, js.output!.data)).toBeLessThan(tolerance);
          // Masked cells: exactly −∞ and exactly 0, in the same places.
          js.scaled!.data.forEach((x, p) => {
            if (x === -Infinity) {
              expect(wasm.scaled!.data[p]).toBe(-Infinity);
              expect(wasm.weights.data[p]).toBe(0);
            }
          });
        }
      }
    });
  }

  it('never produces NaN: overflowing scores, infinities and NaN in the inputs match the reference rules', () => {
    const n = 24;
    const d = 8;
    const random = mulberry32(5);
    const big = uniformMatrix(n, d, 1, random);
    big.data[3] = 3e38; // row 0 of Q·Kᵀ overflows to ±∞
    big.data[9 * d] = -3e38;
    const k = uniformMatrix(n, d, 1, random);
    k.data.fill(1, 0, d); // key 0 all ones: Q row 0 · key 0 = +∞
    const v = uniformMatrix(n, 4, 1, random);
    const withNaN: Matrix = { rows: n, cols: d, data: big.data.slice() };
    withNaN.data[5 * d + 1] = Number.NaN;
    const withInfV: Matrix = { rows: n, cols: 4, data: v.data.slice() };
    withInfV.data[7] = Infinity;
    const options: AttentionOptions = { scale: true, mask: { kind: 'causal' }, temperature: 1 };
    for (const [q, vv] of [[big, v], [withNaN, v], [big, withInfV]] as const) {
      const { wasm, js } = both(() => attentionHead('h', q, k, vv, options));
      for (const x of wasm.weights.data) expect(Number.isNaN(x)).toBe(false);
      expect(maxDiff(wasm.weights.data, js.weights.data)).toBeLessThan(1e-5);
      expect(maxDiff(wasm.output!.data, js.output!.data)).toBeLessThan(1e-5);
    }
  });

  it('auto mode runs large work on the WebAssembly kernels, and tiny work on the JS path (which ran, not how fast)', () => {
    const text = Array.from({ length: 96 }, (_, i) => `w${i % 37}`).join(' ');
    resetKernelChoices();
    evaluate(buildSelectionSpec(text, DEFAULT_COMPUTE_SETTINGS).spec); // 96 tokens, d_model 64, 4 heads: every product is big
    const big = kernelChoices();
    expect(big.wasm).toBe(1 + 4 + 3); // one fused X·[W_Q|W_K|W_V] product, each head's attention, W_O and the two FFN products
    expect(big.js).toBe(0);

    resetKernelChoices();
    evaluate(buildSelectionSpec('a b', { ...DEFAULT_COMPUTE_SETTINGS, dModel: 4, dK: 2, heads: 1 }).spec);
    expect(kernelChoices().wasm).toBe(0); // copying in and out would cost more than it saves
    expect(kernelChoices().js).toBeGreaterThan(0);

    setKernelMode('off');
    resetKernelChoices();
    evaluate(buildSelectionSpec(text, DEFAULT_COMPUTE_SETTINGS).spec);
    expect(kernelChoices().wasm).toBe(0);
  });

  it('a row with nothing visible is all zeros', () => {
    const random = mulberry32(8);
    const q = uniformMatrix(6, 4, 1, random);
    const k = uniformMatrix(6, 4, 1, random);
    const v = uniformMatrix(6, 4, 1, random);
    setKernelMode('always');
    const head = attentionHead('h', q, k, v, { scale: true, mask: { kind: 'window', window: 0 }, temperature: 1 });
    expect(Array.from(head.weights.data).every((x) => x === 0)).toBe(true);
    expect(Array.from(head.output!.data).every((x) => x === 0)).toBe(true);
  });

  it('the committed generated module matches a fresh build of simd.as', async () => {
    const root = path.resolve(__dirname, '../../..');
    const { buildWasmModule } = (await import(path.join(root, 'scripts/build-wasm.mjs'))) as { buildWasmModule(): Promise<string> };
    const committed = readFileSync(path.join(root, 'src/core/kernels/generated/kernelsWasm.ts'), 'utf8');
    expect(await buildWasmModule()).toBe(committed);
  }, 120_000);
});
