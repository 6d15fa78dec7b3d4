// Literal values for the head statistics, the block-maximum downsampling and the finite ranges, worked out by
// hand, at the edges the other tests leave open (empty matrices, one key, ties, ±∞, signed blocks). Written for
// the survivors of mutation testing (bench/mutation/README.md).
import { describe, expect, it } from 'vitest';
import { fromRows, type Matrix } from '../../../src/core/matrix';
import { cachedHeadStats, downsampleMax, finiteMax, finiteRange, headStats, maxAbsFinite, rowEntropy } from '../../../src/core/stats';
import { summarizeHead } from '../../../src/core/summaries';

const f32 = (values: number[]) => Float32Array.from(values);
const cells = (m: Matrix) => Array.from(m.data);
const ZERO_STATS = { meanEntropy: 0, meanEntropyBits: 0, normalizedEntropy: 0, maxWeight: 0, sinkShare: 0 };

describe('rowEntropy', () => {
  it('reads exactly `length` entries from `start`: ln 2 for [½, ½] inside a longer array', () => {
    expect(rowEntropy(f32([0.9, 0.5, 0.5, 0.5]), 1, 2)).toBeCloseTo(Math.LN2, 7);
  });

  it('zero and negative weights add nothing (no 0 · ln 0 = NaN)', () => {
    expect(rowEntropy(f32([1, 0, -0.5]), 0, 3)).toBe(0);
  });
});

describe('headStats at the edges', () => {
  it('an empty matrix (no queries, or no keys) has all-zero statistics', () => {
    expect(headStats({ rows: 0, cols: 3, data: f32([]) })).toEqual(ZERO_STATS);
    expect(headStats({ rows: 3, cols: 0, data: f32([]) })).toEqual(ZERO_STATS);
  });

  it('one key: entropy 0, normalised entropy 0 (not 0 ÷ ln 1), sink share 1', () => {
    expect(headStats(fromRows([[1], [1]]))).toEqual({ ...ZERO_STATS, maxWeight: 1, sinkShare: 1 });
  });
});

describe('cachedHeadStats', () => {
  it('gives headStats, computed once per matrix object', () => {
    const m = fromRows([[0.5, 0.5], [1, 0]]);
    const first = cachedHeadStats(m);
    expect(first).toEqual(headStats(m));
    expect(first.sinkShare).toBeCloseTo(0.75, 7);
    expect(cachedHeadStats(m)).toBe(first);
  });
});

describe('downsampleMax', () => {
  it('returns the input itself when it fits exactly', () => {
    const m = fromRows([[1, 2], [3, 4]]);
    expect(downsampleMax(m, 2)).toBe(m);
  });

  it('4×4 → 2×2 block maxima, signed values by plain maximum unless abs is asked for', () => {
    const m = fromRows([
      [-5, 1, 0, -1],
      [0, 0, -2, -3],
      [7, -9, 0.5, 0.25],
      [1, 2, 0.75, -0.5],
    ]);
    expect(cells(downsampleMax(m, 2))).toEqual([1, 0, 7, 0.75]);
    expect(cells(downsampleMax(m, 2, true))).toEqual([-5, -3, -9, 0.75]);
  });

  it('abs: a tie in magnitude keeps the first value; −∞ loses to any finite value; a block of −∞ stays −∞', () => {
    const m = fromRows([
      [-3, 3, -Infinity, -Infinity],
      [-Infinity, 0, -Infinity, -Infinity],
    ]);
    const out = downsampleMax(m, 2, true);
    expect([out.rows, out.cols]).toEqual([2, 2]);
    expect(cells(out)).toEqual([-3, -Infinity, 0, -Infinity]);
  });

  it('shrinks only the side that is too long', () => {
    const out = downsampleMax(fromRows([[1, 2, 3, 4, 5, 6]]), 3);
    expect([out.rows, out.cols, ...cells(out)]).toEqual([1, 3, 2, 4, 6]);
    const tall = downsampleMax(fromRows([[6], [5], [4], [3], [2], [1]]), 3);
    expect([tall.rows, tall.cols, ...cells(tall)]).toEqual([3, 1, 6, 4, 2]);
  });
});

describe('finiteRange, finiteMax, maxAbsFinite', () => {
  it('finiteRange skips ±∞, and a single value is its own range', () => {
    expect(finiteRange(f32([Infinity, 2, -Infinity, -1]))).toEqual([-1, 2]);
    expect(finiteRange(f32([0.25]))).toEqual([0.25, 0.25]);
    expect(finiteRange(f32([-Infinity, Infinity]))).toEqual([0, 0]);
  });

  it('finiteMax: the largest finite value, −∞ when there is none', () => {
    expect(finiteMax(f32([5, Infinity, 1, -Infinity]))).toBe(5);
    expect(finiteMax(f32([-2, -7]))).toBe(-2);
    expect(finiteMax(f32([Infinity, -Infinity]))).toBe(-Infinity);
    expect(finiteMax(f32([]))).toBe(-Infinity);
  });

  it('maxAbsFinite: the largest magnitude, negatives included, first and last positions', () => {
    expect(maxAbsFinite(f32([-5, 1, Infinity]))).toBe(5);
    expect(maxAbsFinite(f32([2, -Infinity, -0.5]))).toBe(2);
    expect(maxAbsFinite(f32([]))).toBe(0);
  });
});

describe('summarizeHead at the edges', () => {
  it('empty matrices: zero statistics and an empty thumbnail', () => {
    for (const [rows, cols] of [[0, 3], [3, 0]]) {
      const s = summarizeHead({ rows, cols, data: f32([]) }, 2);
      expect(s.stats).toEqual(ZERO_STATS);
      expect([s.thumbnail.rows, s.thumbnail.cols, s.thumbnail.data.length]).toEqual([rows, cols, 0]);
    }
  });

  it('a small head: the thumbnail is a copy of the weights, not a view of them', () => {
    const m = fromRows([[1, 0], [0.5, 0.5]]);
    const s = summarizeHead(m, 3);
    expect(cells(s.thumbnail)).toEqual([1, 0, 0.5, 0.5]);
    expect(s.thumbnail.data).not.toBe(m.data);
    expect(s.thumbnail.data.buffer).not.toBe(m.data.buffer);
  });

  it('few queries, many keys: only the keys are pooled (2×6 → 2×3)', () => {
    const m = fromRows([
      [0.5, 0.25, 0.125, 0.125, 0, 0],
      [0, 0, 0, 0, 0.75, 0.25],
    ]);
    const s = summarizeHead(m, 3);
    expect([s.thumbnail.rows, s.thumbnail.cols]).toEqual([2, 3]);
    expect(cells(s.thumbnail)).toEqual([0.5, 0.125, 0, 0, 0, 0.75]);
    expect(s.stats.maxWeight).toBe(0.75);
    expect(s.stats.sinkShare).toBe(0.25);
  });

  it('many queries, one key: entropy 0 and normalised entropy 0 (not 0 ÷ ln 1)', () => {
    const s = summarizeHead(fromRows([[1], [1], [1], [1]]), 2);
    expect(s.stats).toEqual({ ...ZERO_STATS, maxWeight: 1, sinkShare: 1 });
    expect([s.thumbnail.rows, s.thumbnail.cols, ...cells(s.thumbnail)]).toEqual([2, 1, 1, 1]);
  });
});
