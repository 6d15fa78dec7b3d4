import { describe, expect, it } from 'vitest';
import { fromRows } from '../../src/core/matrix';
import { cachedHeadStats, downsampleMax, finiteRange, headStats, maxAbsFinite, rowEntropy } from '../../src/core/stats';

describe('headStats', () => {
  it('uniform rows have entropy ln n (nats) and log2 n bits', () => {
    const m = fromRows([
      [0.25, 0.25, 0.25, 0.25],
      [0.25, 0.25, 0.25, 0.25],
    ]);
    const s = headStats(m);
    expect(s.meanEntropy).toBeCloseTo(Math.log(4), 6);
    expect(s.meanEntropyBits).toBeCloseTo(2, 6);
    expect(s.normalizedEntropy).toBeCloseTo(1, 6);
    expect(s.maxWeight).toBeCloseTo(0.25, 6);
    expect(s.sinkShare).toBeCloseTo(0.25, 6);
  });

  it('one-hot rows have entropy 0', () => {
    const m = fromRows([
      [1, 0, 0],
      [0, 1, 0],
      [0, 0, 1],
    ]);
    const s = headStats(m);
    expect(s.meanEntropy).toBe(0);
    expect(s.normalizedEntropy).toBe(0);
    expect(s.maxWeight).toBe(1);
    expect(s.sinkShare).toBeCloseTo(1 / 3, 6);
  });

  it('hand-worked mixed rows (causal, sink-heavy)', () => {
    // row 0: [1, 0] → H = 0; row 1: [0.5, 0.5] → H = ln 2. Mean = ln2 / 2.
    const m = fromRows([
      [1, 0],
      [0.5, 0.5],
    ]);
    const s = headStats(m);
    expect(s.meanEntropy).toBeCloseTo(Math.LN2 / 2, 6);
    expect(s.meanEntropyBits).toBeCloseTo(0.5, 6);
    expect(s.sinkShare).toBeCloseTo(0.75, 6);
    expect(s.maxWeight).toBe(1);
  });

  it('row [0.5, 0.25, 0.25] has entropy 1.5 bits', () => {
    const m = fromRows([[0.5, 0.25, 0.25]]);
    expect(rowEntropy(m.data, 0, 3) / Math.LN2).toBeCloseTo(1.5, 6);
    expect(headStats(m).meanEntropyBits).toBeCloseTo(1.5, 6);
  });

  it('empty matrix gives zeros', () => {
    expect(headStats({ rows: 0, cols: 0, data: new Float32Array(0) }).meanEntropy).toBe(0);
  });

  it('caches per Matrix object', () => {
    const m = fromRows([[1]]);
    expect(cachedHeadStats(m)).toBe(cachedHeadStats(m));
  });
});

describe('downsampleMax', () => {
  it('returns the input when it fits', () => {
    const m = fromRows([[1, 2], [3, 4]]);
    expect(downsampleMax(m, 4)).toBe(m);
  });

  it('keeps the max of each block', () => {
    const m = fromRows([
      [0, 1, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0.5, 0.2],
    ]);
    const d = downsampleMax(m, 2);
    expect([d.rows, d.cols]).toEqual([2, 2]);
    expect(Array.from(d.data)).toEqual([1, 0, 0, 0.5]);
  });

  it('abs mode keeps the largest magnitude with its sign; −∞ loses to finite', () => {
    const m = fromRows([
      [-3, 1, -Infinity, -Infinity],
      [2, 0, -Infinity, 4],
    ]);
    const d = downsampleMax(m, 2, true);
    expect([d.rows, d.cols]).toEqual([2, 2]);
    expect(Array.from(d.data)).toEqual([-3, -Infinity, 2, 4]);
  });

  it('handles non-square and non-divisible shapes', () => {
    const m = { rows: 5, cols: 3, data: new Float32Array(15).map((_, i) => i) };
    const d = downsampleMax(m, 2);
    expect([d.rows, d.cols]).toEqual([2, 2]);
    // rows 0-2 → 0, rows 3-4 → 1; cols 0-1 → 0, col 2 → 1
    expect(Array.from(d.data)).toEqual([7, 8, 13, 14]);
  });
});

describe('ranges', () => {
  it('ignore infinities', () => {
    const d = new Float32Array([-Infinity, -2, 3, -Infinity]);
    expect(finiteRange(d)).toEqual([-2, 3]);
    expect(maxAbsFinite(d)).toBe(3);
    expect(finiteRange(new Float32Array([-Infinity]))).toEqual([0, 0]);
  });
});
