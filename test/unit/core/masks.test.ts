import { describe, expect, it } from 'vitest';
import { countVisiblePairs, describeMask, isVisible, type MaskSpec } from '../../../src/core';

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
});
