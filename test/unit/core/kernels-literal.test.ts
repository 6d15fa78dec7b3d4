// The kernels' bookkeeping with literal values: which path a product takes (at the exact work threshold), which
// masks and inputs the attention kernel refuses, the arena's alignment and growth, and softmaxRow on hand-worked rows.
// Written for mutation testing (bench/mutation/README.md); kernels.test.ts compares the numbers with the JS path.
import { afterEach, describe, expect, it } from 'vitest';
import {
  type AttentionArrays, type KernelMask, kernelAttention, kernelChoices, kernelMatmul, kernelMatmulTransposed, kernelMode, kernels, kernelsFor,
  resetKernelChoices, setKernelMode, setKernelVariant,
} from '../../../src/core/kernels';
import { softmaxRow } from '../../../src/core/kernels/softmaxRow';

afterEach(() => {
  setKernelMode('auto');
  setKernelVariant('auto');
});

function arrays(n: number, m: number, dV: number): AttentionArrays {
  return { scores: new Float32Array(n * m), scaled: new Float32Array(n * m), weights: new Float32Array(n * m), output: new Float32Array(n * dV) };
}
const allKeys = (code: number, window = 0, dilation = 0): KernelMask => ({ code, window, dilation, keyRange: (_i0, _i1, m) => [0, m] });

describe('kernelsFor: the path a product of `work` multiply–adds takes', () => {
  it("auto: JS below 32·32·32, the kernels from there; off: never; always: whatever the size; each choice counted", () => {
    expect(kernelMode()).toBe('auto');
    resetKernelChoices();
    expect(kernelsFor(32 * 32 * 32 - 1)).toBeNull();
    expect(kernelsFor(32 * 32 * 32)).toBe(kernels());
    expect(kernelChoices()).toEqual({ wasm: 1, js: 1 });
    setKernelMode('off');
    expect(kernelMode()).toBe('off');
    expect(kernelsFor(1e12)).toBeNull();
    setKernelMode('always');
    expect(kernelsFor(1)).toBe(kernels());
    expect(kernelChoices()).toEqual({ wasm: 2, js: 2 });
    resetKernelChoices();
    expect(kernelChoices()).toEqual({ wasm: 0, js: 0 });
  });

  it('a chosen build is the one loaded', () => {
    setKernelVariant('simd');
    expect(kernels()?.variant).toBe('simd');
    expect(kernels()).toBe(kernels());
  });
});

describe('kernelAttention', () => {
  // q = k = [[1], [0]], v = [[2], [4]]: scores [[1, 0], [0, 0]]; row 0 softmax([1, 0]) = [e, 1] / (e + 1).
  const q = new Float32Array([1, 0]);
  const v = new Float32Array([2, 4]);
  const e = Math.E / (Math.E + 1);

  it('one head by hand: scores, scaled by the factor, weights and output', () => {
    const out = arrays(2, 2, 1);
    expect(kernelAttention(kernels()!, q, q, v, 2, 2, 1, 1, 1, allKeys(0), out)).toBe(true);
    expect(Array.from(out.scores)).toEqual([1, 0, 0, 0]);
    expect(Array.from(out.scaled)).toEqual([1, 0, 0, 0]);
    expect(Array.from(out.weights).map((x) => +x.toFixed(6))).toEqual([+e.toFixed(6), +(1 - e).toFixed(6), 0.5, 0.5]);
    expect(Array.from(out.output).map((x) => +x.toFixed(5))).toEqual([+(2 * e + 4 * (1 - e)).toFixed(5), 3]);
  });

  it('a row holding +∞ gives its +∞ cells equal shares (the JS softmax, row by row)', () => {
    const out = arrays(2, 2, 1);
    expect(kernelAttention(kernels()!, new Float32Array([3e38, 1]), new Float32Array([3e38, 1]), v, 2, 2, 1, 1, 1, allKeys(0), out)).toBe(true);
    expect(out.scaled[0]).toBe(Infinity);
    expect(Array.from(out.weights.subarray(0, 2))).toEqual([1, 0]);
    expect(out.output[0]).toBe(2);
  });

  it('refuses what its 32-bit index arithmetic or the reference rules cannot take, and writes nothing', () => {
    const refused: [string, KernelMask, number, Float32Array][] = [
      ['window 2³⁰', allKeys(2, 2 ** 30), 1, q],
      ['window −2³⁰', allKeys(2, -(2 ** 30)), 1, q],
      ['window 1.5', allKeys(2, 1.5), 1, q],
      ['dilated window 2²⁰', allKeys(3, 2 ** 20, 1), 1, q],
      ['dilation 2²⁰', allKeys(3, 2, 2 ** 20), 1, q],
      ['dilation 0', allKeys(3, 2, 0), 1, q],
      ['dilation 1.5', allKeys(3, 2, 1.5), 1, q],
      ['dilated window 1.5', allKeys(3, 1.5, 1), 1, q],
      ['an unknown mask code', allKeys(4), 1, q],
      ['an infinite factor', allKeys(0), Infinity, q],
      ['a NaN factor', allKeys(0), Number.NaN, q],
      ['NaN in Q', allKeys(0), 1, new Float32Array([Number.NaN, 0])],
    ];
    for (const [what, mask, factor, query] of refused) {
      const out = arrays(2, 2, 1);
      expect(kernelAttention(kernels()!, query, q, v, 2, 2, 1, 1, factor, mask, out), what).toBe(false);
      expect(Array.from(out.weights), what).toEqual([0, 0, 0, 0]);
    }
    const out = arrays(2, 2, 1);
    expect(kernelAttention(kernels()!, q, new Float32Array([Infinity, 0]), v, 2, 2, 1, 1, 1, allKeys(0), out)).toBe(false);
    expect(kernelAttention(kernels()!, q, q, new Float32Array([2, Number.NaN]), 2, 2, 1, 1, 1, allKeys(0), out)).toBe(false);
  });

  it('takes the largest windows and dilations it can index', () => {
    for (const mask of [allKeys(1), allKeys(2, 2 ** 30 - 1), allKeys(2, -(2 ** 30 - 1)), allKeys(3, 2 ** 20 - 1, 2 ** 20 - 1), allKeys(3, 1, 1)]) {
      expect(kernelAttention(kernels()!, q, q, v, 2, 2, 1, 1, 1, mask, arrays(2, 2, 1)), JSON.stringify(mask)).toBe(true);
    }
  });
});

describe('kernelMatmul and kernelMatmulTransposed', () => {
  it('by hand, with B copied in or written in place by a function', () => {
    const k = kernels()!;
    const a = new Float32Array([1, 2, 3, 4]); // 2×2
    const b = new Float32Array([5, 6, 7, 8]); // 2×2
    const out = new Float32Array(4);
    kernelMatmul(k, a, b, out, 2, 2, 2);
    expect(Array.from(out)).toEqual([19, 22, 43, 50]);
    kernelMatmul(k, a, (target) => target.set(b), out.fill(0), 2, 2, 2);
    expect(Array.from(out)).toEqual([19, 22, 43, 50]);
    kernelMatmulTransposed(k, a, b, out.fill(0), 2, 2, 2);
    expect(Array.from(out)).toEqual([17, 23, 39, 53]);
    kernelMatmulTransposed(k, a, (target) => target.set(b), out.fill(0), 2, 2, 2);
    expect(Array.from(out)).toEqual([17, 23, 39, 53]);
  });
});

describe('the kernel arena', () => {
  it('allocations are 16-byte aligned, one after the other', () => {
    const k = kernels()!;
    k.reset(1024);
    const first = k.alloc(1);
    const second = k.alloc(5);
    const third = k.alloc(0);
    expect(first % 16).toBe(0);
    expect([second - first, third - second]).toEqual([16, 32]);
    expect(first).toBe((k.exports.heapBase() + 15) & ~15);
  });

  it('reset grows the memory by whole pages to fit, once; an allocation past the end throws', () => {
    const k = kernels()!;
    const memory = k.exports.memory;
    const before = memory.buffer.byteLength;
    const need = k.exports.heapBase() + before + 64 * 16;
    k.reset(before);
    expect(memory.buffer.byteLength).toBe(before + Math.ceil((need - before) / 65536) * 65536);
    const grown = memory.buffer.byteLength;
    k.reset(before);
    expect(memory.buffer.byteLength).toBe(grown);
    k.reset(0);
    expect(() => k.alloc(grown / 4)).toThrow('kernel arena overflow');
    k.reset(0);
    expect(() => k.alloc((grown - k.exports.heapBase() - 16) / 4)).not.toThrow();
  });
});

describe('softmaxRow', () => {
  const run = (row: number[], offset = 0): number[] => {
    const scaled = new Float32Array([...Array<number>(offset).fill(7), ...row]);
    const out = new Float32Array(scaled.length).fill(9);
    softmaxRow(scaled, out, offset, row.length, new Float64Array(row.length));
    return Array.from(out);
  };

  it('subtracts the max; −∞ and NaN get 0; +∞ cells share the weight; nothing visible is all 0; only its own cells', () => {
    expect(run([0, Math.log(3)]).map((x) => +x.toFixed(6))).toEqual([0.25, 0.75]);
    expect(run([1000, 1000])).toEqual([0.5, 0.5]);
    expect(run([Infinity, 1, Infinity, -Infinity])).toEqual([0.5, 0, 0.5, 0]);
    expect(run([Number.NaN, 0, -Infinity])).toEqual([0, 1, 0]);
    expect(run([-Infinity, -Infinity])).toEqual([0, 0]);
    expect(run([5, 5], 2)).toEqual([9, 9, 0.5, 0.5]);
    expect(run([-Infinity], 1)).toEqual([9, 0]);
  });
});
