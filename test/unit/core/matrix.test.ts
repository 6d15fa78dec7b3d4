import { describe, expect, it } from 'vitest';
import { add, addBias, concatColumns, fromRows, layerNorm, matmul, matmulTransposed, mulberry32, relu, toRows, transpose, uniformMatrix } from '../../../src/core';

describe('matrix helpers', () => {
  const a = fromRows([[1, 2, 3], [4, 5, 6]]);
  const b = fromRows([[1, 0], [0, 1], [2, -1]]);

  it('matmul and matmulTransposed', () => {
    expect(toRows(matmul(a, b))).toEqual([[7, -1], [16, -1]]);
    expect(toRows(matmulTransposed(a, transpose(b)))).toEqual([[7, -1], [16, -1]]);
    expect(toRows(transpose(a))).toEqual([[1, 4], [2, 5], [3, 6]]);
  });

  it('matmul agrees with a naive product across block boundaries', () => {
    const random = mulberry32(9);
    const x = uniformMatrix(70, 33, 1, random);
    const y = uniformMatrix(33, 130, 1, random);
    const out = matmul(x, y);
    for (const [i, j] of [[0, 0], [69, 129], [13, 64], [40, 63]]) {
      let s = 0;
      for (let k = 0; k < 33; k++) s += x.data[i * 33 + k] * y.data[k * 130 + j];
      expect(out.data[i * 130 + j]).toBeCloseTo(s, 5);
    }
  });

  it('rejects mismatched shapes', () => {
    expect(() => matmul(a, a)).toThrow(/2×3 · 2×3/);
    expect(() => add(a, b)).toThrow(/shape mismatch/);
  });

  it('add, addBias, relu, concatColumns', () => {
    expect(toRows(add(a, a))).toEqual([[2, 4, 6], [8, 10, 12]]);
    expect(toRows(addBias(a, [1, 0, -1]))).toEqual([[2, 2, 2], [5, 5, 5]]);
    expect(toRows(relu(fromRows([[-1, 0, 2]])))).toEqual([[0, 0, 2]]);
    expect(toRows(concatColumns([a, fromRows([[9], [8]])]))).toEqual([[1, 2, 3, 9], [4, 5, 6, 8]]);
  });

  it('layerNorm gives mean 0 and variance 1 per row; a constant row becomes 0', () => {
    const n = layerNorm(fromRows([[1, 2, 3, 4], [5, 5, 5, 5]]));
    const r = toRows(n)[0];
    expect(r.reduce((s, x) => s + x, 0)).toBeCloseTo(0, 6);
    expect(r.reduce((s, x) => s + x * x, 0) / 4).toBeCloseTo(1, 4);
    expect(toRows(n)[1]).toEqual([0, 0, 0, 0]);
  });
});
