import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  contiguousSpan, countVisiblePairs, describeMask, isVisible, MASK_KINDS, maskDilation, maskOf, maskWindow, visibleKeyCount, visibleKeyRange,
  type MaskSpec,
} from '../../../src/core';
import { kernelMask } from '../../../src/core/masks';

const visibleKeys = (mask: MaskSpec, i: number, m = 20) => Array.from({ length: m }, (_, j) => j).filter((j) => isVisible(mask, i, j));

describe('masks', () => {
  it('none sees everything; causal sees j ≤ i', () => {
    expect(visibleKeys({ kind: 'none' }, 2, 5)).toEqual([0, 1, 2, 3, 4]);
    expect(visibleKeys({ kind: 'causal' }, 2, 5)).toEqual([0, 1, 2]);
  });

  it('sliding window of w sees i-w+1 … i', () => {
    expect(visibleKeys({ kind: 'window', window: 3 }, 10)).toEqual([8, 9, 10]);
    expect(visibleKeys({ kind: 'window', window: 3 }, 1)).toEqual([0, 1]);
  });

  it('dilated window sees i, i-r, i-2r, … (w keys)', () => {
    expect(visibleKeys({ kind: 'dilated', window: 3, dilation: 4 }, 10)).toEqual([2, 6, 10]);
    expect(visibleKeys({ kind: 'dilated', window: 3, dilation: 4 }, 5)).toEqual([1, 5]);
  });

  it('counts pairs in closed cases', () => {
    expect(countVisiblePairs({ kind: 'none' }, 3, 7)).toBe(21);
    expect(countVisiblePairs({ kind: 'causal' }, 4, 4)).toBe(10);
    expect(countVisiblePairs({ kind: 'causal' }, 5, 2)).toBe(9);
    expect(countVisiblePairs({ kind: 'window', window: 2 }, 4, 4)).toBe(7);
  });

  it('describes itself', () => {
    expect(describeMask({ kind: 'dilated', window: 4, dilation: 2 })).toBe('dilated window of 4, dilation 2');
  });

  it('describes every kind, in one wording', () => {
    expect(MASK_KINDS.map((kind) => describeMask(maskOf(kind, 4, 2)))).toEqual(['no mask', 'causal', 'sliding window of 4', 'dilated window of 4, dilation 2']);
  });

  it('builds each kind with only its own parameters', () => {
    expect(MASK_KINDS.map((kind) => maskOf(kind, 5, 3))).toEqual([
      { kind: 'none' }, { kind: 'causal' }, { kind: 'window', window: 5 }, { kind: 'dilated', window: 5, dilation: 3 },
    ]);
    expect([maskWindow({ kind: 'causal' }), maskDilation({ kind: 'window', window: 2 })]).toEqual([undefined, undefined]);
  });

  const anyMask = fc.tuple(fc.constantFrom(...MASK_KINDS), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 5 }))
    .map(([kind, window, dilation]) => maskOf(kind, window, dilation));

  it('count, key range and contiguous span all follow isVisible (the one rule)', () => {
    fc.assert(fc.property(anyMask, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 8 }), (mask, i, m, rows) => {
      const keys = visibleKeys(mask, i, m);
      expect(visibleKeyCount(mask, i, m)).toBe(keys.length);
      const [lo, hi] = visibleKeyRange(mask, i, i + rows, m);
      for (let r = i; r < i + rows; r++) for (const j of visibleKeys(mask, r, m)) expect(j >= lo && j < hi).toBe(true);
      const span = contiguousSpan(mask);
      if (span !== null) expect(keys).toEqual(Array.from({ length: m }, (_, j) => j).filter((j) => j <= i && i - j < span));
    }), { seed: 13, numRuns: 500 });
  });
});

// Literal values for the helpers around isVisible (mutation testing found them pinned only as supersets).
describe('mask helpers, literal values', () => {
  const window3: MaskSpec = { kind: 'window', window: 3 };
  const dilated: MaskSpec = { kind: 'dilated', window: 3, dilation: 2 };

  it('maskWindow and maskDilation read their own kind only', () => {
    expect(maskWindow(window3)).toBe(3);
    expect(maskWindow(dilated)).toBe(3);
    expect(maskDilation(dilated)).toBe(2);
    expect(maskDilation(window3)).toBeUndefined();
    expect(maskDilation({ kind: 'causal' })).toBeUndefined();
  });

  it('contiguousSpan: causal ∞, window its width, others null', () => {
    expect(contiguousSpan({ kind: 'causal' })).toBe(Infinity);
    expect(contiguousSpan(window3)).toBe(3);
    expect(contiguousSpan(dilated)).toBeNull();
    expect(contiguousSpan({ kind: 'none' })).toBeNull();
    expect(contiguousSpan(undefined)).toBeNull();
  });

  it('visibleKeyRange is the tightest range for rows 5…9 of 12 keys', () => {
    expect(visibleKeyRange(window3, 5, 10, 12)).toEqual([3, 10]);
    expect(visibleKeyRange(dilated, 5, 10, 12)).toEqual([1, 10]);
    expect(visibleKeyRange({ kind: 'causal' }, 5, 10, 12)).toEqual([0, 10]);
    expect(visibleKeyRange({ kind: 'none' }, 5, 10, 12)).toEqual([0, 12]);
  });

  it('kernelMask passes the kind number, window and dilation to the WebAssembly kernel', () => {
    expect(kernelMask(dilated)).toMatchObject({ code: MASK_KINDS.indexOf('dilated'), window: 3, dilation: 2 });
    expect(kernelMask(window3)).toMatchObject({ code: MASK_KINDS.indexOf('window'), window: 3, dilation: 0 });
    expect(kernelMask({ kind: 'causal' })).toMatchObject({ code: MASK_KINDS.indexOf('causal'), window: 0, dilation: 0 });
    expect(kernelMask(dilated).keyRange(5, 10, 12)).toEqual([1, 10]);
  });
});
