// keysToDraw at its edges, with literal rows: the labels, ties, exactly 90% held, and NaN or negative weights.
// Written for mutation testing (bench/mutation/README.md); lineSelection.test.ts has the properties.
import { describe, expect, it } from 'vitest';
import { keysToDraw, LINE_RULE_LABELS, MASS, TOP_K } from '../../../webview/render/line-selection';

describe('keysToDraw, literal', () => {
  it('the rules as the menu names them', () => {
    expect([TOP_K, MASS]).toEqual([8, 0.9]);
    expect(LINE_RULE_LABELS).toEqual({ 'top-k': 'Top 8 keys per query', mass: 'Keys holding 90% of the weight', threshold: 'Weights above a threshold' });
  });

  it('top-k: ties go to the lower index, NaN and negative weights are never drawn, at most 8', () => {
    expect(keysToDraw([0.1, 0.2, 0.2, 0.1], 'top-k', 0)).toEqual([1, 2, 0, 3]);
    expect(keysToDraw([Number.NaN, -0.5, 0.3, 0], 'top-k', 0)).toEqual([2]);
    expect(keysToDraw([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((x) => x / 100), 'top-k', 0)).toEqual([9, 8, 7, 6, 5, 4, 3, 2]);
    expect(keysToDraw([0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.06], 'top-k', 0)).toEqual([9, 0, 1, 2, 3, 4, 5, 6]);
    expect(keysToDraw([], 'top-k', 0)).toEqual([]);
  });

  it('mass: stops as soon as 90% is held, exactly 90% included; ties by index', () => {
    expect(keysToDraw([0.9, 0.1], 'mass', 0)).toEqual([0]);
    expect(keysToDraw([0.1, 0.9], 'mass', 0)).toEqual([1]);
    expect(keysToDraw([0.25, 0.25, 0.25, 0.25], 'mass', 0)).toEqual([0, 1, 2, 3]);
    expect(keysToDraw([0.5, 0, 0.5], 'mass', 0)).toEqual([0, 2]);
    expect(keysToDraw([0, 0], 'mass', 0)).toEqual([]);
    expect(keysToDraw([-1, 2], 'mass', 0)).toEqual([1]);
  });

  it('threshold: at or above it, strongest first, ties by index; a negative threshold draws every positive weight', () => {
    expect(keysToDraw([0.2, 0.1, 0.3, 0.2], 'threshold', 0.2)).toEqual([2, 0, 3]);
    expect(keysToDraw([0.2, 0, -0.1, 0.1], 'threshold', -1)).toEqual([0, 3]);
  });
});
