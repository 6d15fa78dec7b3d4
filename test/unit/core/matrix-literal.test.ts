// Literal values for the matrix helpers on both paths (JS and WebAssembly), their shape messages, and which path a
// product of a given size takes in auto mode. Written for the survivors of mutation testing (bench/mutation/README.md).
import { afterEach, describe, expect, it } from 'vitest';
import {
  add, addBias, columns, concatColumns, fromRows, get, layerNorm, matmul, matmulTransposed, matmulWeight, relu, row, shape, toRows, transpose, zeros,
} from '../../../src/core/matrix';
import { kernelChoices, resetKernelChoices, setKernelMode, type KernelMode } from '../../../src/core/kernels';

afterEach(() => setKernelMode('auto'));

const a = fromRows([[1, 2, 3, 4, 5], [-1, 0, 1, 0, -1]]);
// a · aᵀ: 1+4+9+16+25 = 55, −1+3−5 = −3, 1+1+1 = 3. d = 5 exercises the unrolled loop and its remainder.
const A_AT = [[55, -3], [-3, 3]];

describe.each<KernelMode>(['off', 'always'])('products (kernels %s)', (mode) => {
  it('matmulTransposed and matmul, d = 5', () => {
    setKernelMode(mode);
    expect(toRows(matmulTransposed(a, a))).toEqual(A_AT);
    expect(toRows(matmul(a, transpose(a)))).toEqual(A_AT);
  });

  it('d = 9: two rounds of the unrolled loop and a remainder, with values that tell × from ÷ and + from −', () => {
    setKernelMode(mode);
    const x = fromRows([[1, 2, 3, 4, 5, 6, 7, 8, 9], [2, 0, -1, 0.5, 3, 0, 0, 1, -2]]);
    const y = fromRows([[3, 1, 0, 2, -1, 2, 1, 0, 1], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]]);
    // x₀·y₀ = 3+2+0+8−5+12+7+0+9 = 36; x₀·y₁ = 45/2; x₁·y₀ = 6+0+0+1−3+0+0+0−2 = 2; x₁·y₁ = 3.5/2.
    expect(toRows(matmulTransposed(x, y))).toEqual([[36, 22.5], [2, 1.75]]);
  });

  it('across the 64-column tile: [1, 2] · B with B[0][j] = j, B[1][j] = 1 gives j + 2 for all 130 columns', () => {
    setKernelMode(mode);
    const b = fromRows([Array.from({ length: 130 }, (_, j) => j), Array<number>(130).fill(1)]);
    const out = matmul(fromRows([[1, 2], [1, 0]]), b);
    expect(toRows(out)).toEqual([Array.from({ length: 130 }, (_, j) => j + 2), Array.from({ length: 130 }, (_, j) => j)]);
    expect(toRows(matmulTransposed(fromRows([[1, 2]]), transpose(b)))[0]).toEqual(Array.from({ length: 130 }, (_, j) => j + 2));
  });

  it('an inner size of 0 gives zeros of the outer shape', () => {
    setKernelMode(mode);
    expect(toRows(matmulTransposed(zeros(2, 0), zeros(3, 0)))).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(toRows(matmul(zeros(1, 0), zeros(0, 2)))).toEqual([[0, 0]]);
  });

  it('matmulWeight: W stored [inner, out] or [out, inner], given as values or as a loader', () => {
    setKernelMode(mode);
    const x = fromRows([[1, 2], [3, 4]]);
    const w = Float32Array.of(1, 0, 2, 0, 1, -1); // [inner 2, out 3]: x·W = [[1, 2, 0], [3, 4, 2]]
    const wT = Float32Array.of(1, 0, 0, 1, 2, -1); // [out 3, inner 2]: the same W transposed
    const expected = [[1, 2, 0], [3, 4, 2]];
    expect(toRows(matmulWeight(x, w, 3, false))).toEqual(expected);
    expect(toRows(matmulWeight(x, wT, 3, true))).toEqual(expected);
    expect(toRows(matmulWeight(x, (target) => target.set(w), 3, false))).toEqual(expected);
    expect(toRows(matmulWeight(x, (target) => target.set(wT), 3, true))).toEqual(expected);
  });
});

describe('the kernel choice in auto mode', () => {
  it('32·32·32 multiply–adds and more run on WebAssembly, fewer in JS', () => {
    setKernelMode('auto');
    resetKernelChoices();
    matmul(zeros(32, 32), zeros(32, 32));
    expect(kernelChoices()).toEqual({ wasm: 1, js: 0 });
    resetKernelChoices();
    matmulTransposed(zeros(31, 32), zeros(32, 32));
    expect(kernelChoices()).toEqual({ wasm: 0, js: 1 });
    resetKernelChoices();
    matmulWeight(zeros(32, 32), new Float32Array(32 * 32), 32, true);
    matmulTransposed(zeros(32, 32), zeros(32, 32));
    expect(kernelChoices()).toEqual({ wasm: 2, js: 0 });
  });

  it('off: always JS; always: WebAssembly even for one multiply–add', () => {
    setKernelMode('off');
    resetKernelChoices();
    matmulTransposed(zeros(64, 64), zeros(64, 64));
    expect(kernelChoices()).toEqual({ wasm: 0, js: 1 });
    setKernelMode('always');
    resetKernelChoices();
    expect(toRows(matmul(fromRows([[3]]), fromRows([[4]])))).toEqual([[12]]);
    expect(kernelChoices()).toEqual({ wasm: 1, js: 0 });
  });
});

describe('shape mismatches name both shapes', () => {
  it('one message per operation', () => {
    const b = zeros(3, 2);
    expect(() => matmulTransposed(a, b)).toThrow('Matrix shape mismatch: 2×5 · (3×2)ᵀ');
    expect(() => matmul(a, b)).toThrow('Matrix shape mismatch: 2×5 · 3×2');
    expect(() => add(a, b)).toThrow('Matrix shape mismatch: 2×5 + 3×2');
    expect(() => add(b, zeros(3, 3))).toThrow('Matrix shape mismatch: 3×2 + 3×3');
    expect(() => add(zeros(2, 2), b)).toThrow('Matrix shape mismatch: 2×2 + 3×2');
    expect(() => addBias(a, [1, 2])).toThrow('Matrix shape mismatch: 2×5 + bias of length 2');
    expect(() => concatColumns([a, b])).toThrow('Matrix shape mismatch: concat of 2×5, 3×2');
  });
});

describe('element-wise helpers', () => {
  it('fromRows, toRows, get, row, shape, zeros', () => {
    expect(fromRows([])).toEqual({ rows: 0, cols: 0, data: new Float32Array(0) });
    expect(get(a, 1, 2)).toBe(1);
    expect(get(a, 0, 4)).toBe(5);
    expect(Array.from(row(a, 1))).toEqual([-1, 0, 1, 0, -1]);
    expect(shape(zeros(4, 7))).toBe('4×7');
    expect(toRows(zeros(2, 1))).toEqual([[0], [0]]);
    expect(toRows(transpose(fromRows([[1, 2]])))).toEqual([[1], [2]]);
  });

  it('addBias adds per column on every row; relu keeps positives only, −0 becomes 0', () => {
    expect(toRows(addBias(fromRows([[1, 2], [3, 4], [5, 6]]), [10, -10]))).toEqual([[11, -8], [13, -6], [15, -4]]);
    const r = relu(fromRows([[-2, -0, 0.5, 0]]));
    expect(Array.from(r.data)).toEqual([0, 0, 0.5, 0]);
    expect(Object.is(r.data[1], 0)).toBe(true);
  });

  it('layerNorm: (x − mean) / √(variance + ε), population variance, ε = 1e-5 by default', () => {
    // [0, 0.002]: mean 0.001, variance 1e-6, so ε matters: 0.001 / √(1.1e-5) = 0.3015113.
    const [lo, hi] = toRows(layerNorm(fromRows([[0, 0.002]])))[0];
    expect(hi).toBeCloseTo(0.3015113, 6);
    expect(lo).toBeCloseTo(-0.3015113, 6);
    // [1, 2, 3, 6]: mean 3, variance (4 + 1 + 0 + 9) / 4 = 3.5; [2, 4, 6, 8]: mean 5, variance (9 + 1 + 1 + 9) / 4 = 5.
    const [first, second, constant] = toRows(layerNorm(fromRows([[1, 2, 3, 6], [2, 4, 6, 8], [2, 2, 2, 2]]), 0.5));
    first.forEach((x, j) => expect(x).toBeCloseTo([-2, -1, 0, 3][j] / Math.sqrt(4), 6));
    second.forEach((x, j) => expect(x).toBeCloseTo([-3, -1, 1, 3][j] / Math.sqrt(5.5), 6));
    expect(constant).toEqual([0, 0, 0, 0]);
  });

  it('concatColumns: side by side in order, and nothing for no parts', () => {
    expect(toRows(concatColumns([fromRows([[1], [2]]), fromRows([[3, 4], [5, 6]]), fromRows([[7], [8]])]))).toEqual([[1, 3, 4, 7], [2, 5, 6, 8]]);
    expect(concatColumns([])).toEqual({ rows: 0, cols: 0, data: new Float32Array(0) });
  });

  it('columns: [start, start + width) of every row; an empty slice; a range outside the matrix names it', () => {
    const x = fromRows([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    expect(toRows(columns(x, 1, 2))).toEqual([[2, 3], [6, 7], [10, 11]]);
    expect(toRows(columns(x, 0, 4))).toEqual(toRows(x));
    expect(toRows(columns(x, 3, 1))).toEqual([[4], [8], [12]]);
    expect(columns(x, 4, 0)).toEqual({ rows: 3, cols: 0, data: new Float32Array(0) });
    expect(() => columns(x, 3, 2)).toThrow('Matrix shape mismatch: columns 3…4 of 3×4');
    expect(() => columns(x, -1, 2)).toThrow('Matrix shape mismatch: columns -1…0 of 3×4');
    expect(() => columns(x, 1, -1)).toThrow('Matrix shape mismatch: columns 1…-1 of 3×4');
  });
});
