/**
 * The kernels' two builds: relaxed SIMD (fused multiply–add) and plain SIMD. Both give the same numbers within
 * float32 rounding, and auto mode runs the relaxed build where the runtime has it (which ran, not how fast).
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { attentionHead, matmul, mulberry32, uniformMatrix, type AttentionOptions, type HeadResult, type Matrix } from '../../../src/core';
import { KERNEL_VARIANTS, kernels, kernelsFor, relaxedSimdSupported, setKernelMode, setKernelVariant, type KernelVariant } from '../../../src/core/kernels';
import { enableRelaxedSimd } from '../../../src/compute/relaxedSimd';

/** Largest |a − b| divided by max(1, largest |b|). */
function relativeDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let scale = 1;
  for (const x of b) scale = Math.max(scale, Math.abs(x));
  let worst = 0;
  for (let p = 0; p < a.length; p++) worst = Math.max(worst, Math.abs(a[p] - b[p]) / scale);
  return worst;
}

function onEachBuild<T>(f: () => T): Record<KernelVariant, T> {
  setKernelMode('always');
  const out = {} as Record<KernelVariant, T>;
  for (const variant of KERNEL_VARIANTS) {
    setKernelVariant(variant);
    expect(kernels()?.variant).toBe(variant);
    out[variant] = f();
  }
  return out;
}

beforeAll(() => {
  // What the compute and model workers do at start-up (Node 20 has relaxed SIMD behind a V8 flag).
  expect(enableRelaxedSimd()).toBe(true);
});

afterEach(() => {
  setKernelMode('auto');
  setKernelVariant('auto');
});

describe('relaxed-SIMD kernels', () => {
  it('are detected once the worker has enabled them, and both builds load', () => {
    expect(relaxedSimdSupported()).toBe(true);
    for (const variant of KERNEL_VARIANTS) {
      setKernelVariant(variant);
      expect(kernels()?.variant).toBe(variant);
    }
  });

  it('auto mode runs large products on the relaxed build and tiny ones in JS', () => {
    expect(kernelsFor(512 * 768 * 2304)?.variant).toBe('relaxed-simd');
    expect(kernelsFor(4 * 4 * 4)).toBeNull();
  });

  it('a projection over 768 terms agrees between the builds within float32 rounding', () => {
    const random = mulberry32(14);
    const x = uniformMatrix(67, 768, 1, random);
    const w = uniformMatrix(768, 2 * 64 + 7, 0.09, random);
    const { 'relaxed-simd': fused, simd } = onEachBuild(() => matmul(x, w));
    // Each of 768 float32 steps rounds once (fused) or twice (plain): ~768 · 2⁻²⁴ relative at worst, far less typically.
    expect(relativeDiff(fused.data, simd.data)).toBeLessThan(2e-5);
    expect(relativeDiff(fused.data, simd.data)).toBeGreaterThan(0); // the fused build really ran (FMA rounds differently)
  });

  it('attention heads agree between the builds, masks included', () => {
    const random = mulberry32(15);
    const n = 133;
    const d = 64;
    const q = uniformMatrix(n, d, 1, random);
    const k = uniformMatrix(n, d, 1, random);
    const v = uniformMatrix(n, 48, 1, random);
    for (const mask of [{ kind: 'none' }, { kind: 'causal' }, { kind: 'window', window: 9 }, { kind: 'dilated', window: 5, dilation: 3 }] as const) {
      const options: AttentionOptions = { scale: true, mask, temperature: 0.7 };
      const heads = onEachBuild<HeadResult>(() => attentionHead('h', q, k, v, options));
      const [a, b] = [heads['relaxed-simd'], heads.simd];
      // Masked cells: exactly −∞ (scaled) and exactly 0 (weights) in both builds.
      const scaledA = (a.scaled as Matrix).data;
      const scaledB = (b.scaled as Matrix).data;
      let maskedDiffer = 0;
      for (let p = 0; p < scaledB.length; p++) {
        if (scaledB[p] === -Infinity && (scaledA[p] !== -Infinity || a.weights.data[p] !== 0 || b.weights.data[p] !== 0)) maskedDiffer++;
      }
      expect(maskedDiffer, mask.kind).toBe(0);
      const finite = (m: Float32Array) => m.map((x) => (Number.isFinite(x) ? x : 0));
      expect(relativeDiff(finite(scaledA), finite(scaledB)), mask.kind).toBeLessThan(1e-5);
      expect(relativeDiff((a.scores as Matrix).data, (b.scores as Matrix).data), mask.kind).toBeLessThan(1e-5);
      expect(relativeDiff(a.weights.data, b.weights.data), mask.kind).toBeLessThan(1e-6);
      expect(relativeDiff((a.output as Matrix).data, (b.output as Matrix).data), mask.kind).toBeLessThan(1e-5);
    }
  });
});
