import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attentionHead, countVisiblePairs, get, isVisible, softmaxRows, fromRows, zeros, type MaskSpec, type Matrix } from '../../../src/core';
import { visibleKeys } from './reference-mask';

const finite = (max: number) => fc.float({ min: Math.fround(-max), max: Math.fround(max), noNaN: true, noDefaultInfinity: true });

/** n×d matrix of floats in [-max, max]. */
const matrix = (n: number, d: number, max = 4) =>
  fc.array(finite(max), { minLength: n * d, maxLength: n * d }).map((xs): Matrix => ({ rows: n, cols: d, data: Float32Array.from(xs) }));

/** Q, K, V with shared n (self-attention shapes). */
const qkv = (max = 4) =>
  fc
    .record({ n: fc.integer({ min: 1, max: 9 }), d: fc.integer({ min: 1, max: 6 }), dV: fc.integer({ min: 1, max: 5 }) })
    .chain(({ n, d, dV }) => fc.tuple(matrix(n, d, max), matrix(n, d, max), matrix(n, dV, max)));

const mask: fc.Arbitrary<MaskSpec> = fc.oneof(
  fc.constant<MaskSpec>({ kind: 'none' }),
  fc.constant<MaskSpec>({ kind: 'causal' }),
  fc.integer({ min: 1, max: 6 }).map((window): MaskSpec => ({ kind: 'window', window })),
  fc.record({ window: fc.integer({ min: 1, max: 6 }), dilation: fc.integer({ min: 1, max: 4 }) }).map((m): MaskSpec => ({ kind: 'dilated', ...m })),
);

const options = (m: MaskSpec) => ({ scale: true, mask: m, temperature: 1 });

function rowSum(m: Matrix, i: number): number {
  let s = 0;
  for (let j = 0; j < m.cols; j++) s += get(m, i, j);
  return s;
}

describe('attention properties', () => {
  it('every row with a visible key sums to 1; masked cells are exactly 0', () => {
    fc.assert(
      fc.property(qkv(), mask, ([q, k, v], m) => {
        const { weights } = attentionHead('h', q, k, v, options(m));
        for (let i = 0; i < weights.rows; i++) {
          const keys = visibleKeys(m, i, weights.cols);
          let visible = 0;
          for (let j = 0; j < weights.cols; j++) {
            if (keys.has(j)) visible++;
            else expect(get(weights, i, j)).toBe(0);
          }
          expect(rowSum(weights, i)).toBeCloseTo(visible > 0 ? 1 : 0, 5);
        }
      }),
    );
  });

  it('adding a constant to a score row changes nothing', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 12 }).chain((n) => fc.tuple(matrix(3, n, 10), finite(50))), ([scores, c]) => {
        const shifted: Matrix = { ...scores, data: scores.data.map((x) => x + c) };
        const a = softmaxRows(scores);
        const b = softmaxRows(shifted);
        a.data.forEach((x, p) => expect(b.data[p]).toBeCloseTo(x, 5));
      }),
    );
  });

  it('without a mask, permuting the tokens permutes the outputs', () => {
    const permuted = qkv().chain((m) => fc.tuple(fc.constant(m), fc.shuffledSubarray([...Array(m[0].rows).keys()], { minLength: m[0].rows })));
    fc.assert(
      fc.property(permuted, ([[q, k, v], perm]) => {
        const pick = (m: Matrix) => ({ rows: m.rows, cols: m.cols, data: Float32Array.from(perm.flatMap((i) => Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)))) });
        const a = attentionHead('h', q, k, v, options({ kind: 'none' })).output!;
        const b = attentionHead('h', pick(q), pick(k), pick(v), options({ kind: 'none' })).output!;
        perm.forEach((from, to) => {
          for (let c = 0; c < a.cols; c++) expect(get(b, to, c)).toBeCloseTo(get(a, from, c), 4);
        });
      }),
    );
  });

  it('causal weights are exactly 0 above the diagonal', () => {
    fc.assert(
      fc.property(qkv(), ([q, k, v]) => {
        const { weights, scaled } = attentionHead('h', q, k, v, options({ kind: 'causal' }));
        for (let i = 0; i < weights.rows; i++) {
          for (let j = i + 1; j < weights.cols; j++) {
            expect(get(weights, i, j)).toBe(0);
            expect(get(scaled!, i, j)).toBe(-Infinity);
          }
        }
      }),
    );
  });

  it('a row with every key masked is all zeros, and so is its output', () => {
    // One key and a window of 1: query 0 sees key 0; queries 1 and 2 would see keys 1 and 2, which do not exist.
    const q = fromRows([[1, 0], [0, 1], [1, 1]]);
    const k = fromRows([[1, 2]]);
    const v = fromRows([[5, 6, 7]]);
    const head = attentionHead('h', q, k, v, options({ kind: 'window', window: 1 }));
    expect(Array.from(head.weights.data)).toEqual([1, 0, 0]);
    expect(Array.from(head.output!.data)).toEqual([5, 6, 7, 0, 0, 0, 0, 0, 0]);
    const all = softmaxRows(fromRows([[-Infinity, -Infinity], [NaN, -Infinity]]));
    expect(Array.from(all.data)).toEqual([0, 0, 0, 0]);
  });

  it('entries around 1e4 stay finite', () => {
    fc.assert(
      fc.property(qkv(1e4), mask, fc.double({ min: 0.05, max: 20, noNaN: true }), ([q, k, v], m, temperature) => {
        const head = attentionHead('h', q, k, v, { scale: true, mask: m, temperature });
        for (const x of head.weights.data) expect(Number.isFinite(x)).toBe(true);
        for (const x of head.output!.data) expect(Number.isFinite(x)).toBe(true);
      }),
    );
  });

  it('infinite scores never make NaN', () => {
    const w = softmaxRows(fromRows([[Infinity, 1, Infinity], [-Infinity, 3, NaN]]));
    expect(Array.from(w.data)).toEqual([0.5, 0, 0.5, 0, 1, 0]);
  });
});

describe('isVisible', () => {
  it('agrees with the mask rules written out in the test', () => {
    fc.assert(
      fc.property(mask, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 30 }), (m, n, keys) => {
        for (let i = 0; i < n; i++) {
          const expected = visibleKeys(m, i, keys);
          for (let j = 0; j < keys; j++) expect(isVisible(m, i, j), `${JSON.stringify(m)} (${i}, ${j})`).toBe(expected.has(j));
        }
      }),
    );
  });
});

describe('countVisiblePairs', () => {
  it('equals a brute-force count', () => {
    fc.assert(
      fc.property(mask, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), (m, n, keys) => {
        let brute = 0;
        for (let i = 0; i < n; i++) brute += visibleKeys(m, i, keys).size;
        expect(countVisiblePairs(m, n, keys)).toBe(brute);
      }),
    );
  });

  it('gives exact totals for n = 100k (a closed form per row, no pair is visited)', () => {
    expect(countVisiblePairs({ kind: 'causal' }, 100_000, 100_000)).toBe((100_000 * 100_001) / 2);
    expect(countVisiblePairs({ kind: 'window', window: 128 }, 100_000, 100_000)).toBe(128 * 100_000 - (127 * 128) / 2);
    expect(countVisiblePairs({ kind: 'dilated', window: 4, dilation: 3 }, 100_000, 100_000)).toBeGreaterThan(0);
  });
});

describe('zeros', () => {
  it('handles empty inputs', () => {
    const e = zeros(0, 3);
    const head = attentionHead('h', e, e, e, options({ kind: 'causal' }));
    expect(head.weights.rows).toBe(0);
    expect(head.output!.data.length).toBe(0);
  });
});
