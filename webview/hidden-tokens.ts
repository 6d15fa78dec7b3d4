import type { Matrix } from '../src/shared/core';

/**
 * Hides key columns and renormalises each row over the keys that remain, so every row still sums
 * to 1 ("where would this query look if these tokens were not there?"). A row whose remaining
 * weight is 0 (all visible keys hidden or masked) stays all zero. Returns the input unchanged when
 * nothing is hidden.
 */
export function hideTokens(weights: Matrix, hidden: readonly number[]): Matrix {
  const cols = weights.cols;
  const hide = new Set(hidden.filter((j) => Number.isInteger(j) && j >= 0 && j < cols));
  if (hide.size === 0) return weights;
  const data = new Float32Array(weights.data);
  for (let i = 0; i < weights.rows; i++) {
    const base = i * cols;
    let sum = 0;
    for (let j = 0; j < cols; j++) {
      if (hide.has(j)) data[base + j] = 0;
      else sum += data[base + j];
    }
    if (sum > 0) for (let j = 0; j < cols; j++) data[base + j] /= sum;
  }
  return { rows: weights.rows, cols, data };
}
