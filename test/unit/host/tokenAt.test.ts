import { describe, expect, it } from 'vitest';
import { tokenAt } from '../../../src/sources/tokenAt';

describe('tokenAt', () => {
  const ranges: [number, number][] = [[0, 3], [4, 10], [11, 17]];
  it('finds the token under an offset, including its end', () => {
    expect(tokenAt(ranges, 0)).toBe(0);
    expect(tokenAt(ranges, 3)).toBe(0);
    expect(tokenAt(ranges, 5)).toBe(1);
    expect(tokenAt(ranges, 17)).toBe(2);
  });
  it('returns null between and outside tokens', () => {
    expect(tokenAt([[0, 3], [5, 8]], 4)).toBeNull();
    expect(tokenAt(ranges, -1)).toBeNull();
    expect(tokenAt(ranges, 99)).toBeNull();
    expect(tokenAt([], 0)).toBeNull();
  });
});
