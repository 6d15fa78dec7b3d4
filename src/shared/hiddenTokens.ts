import type { Matrix } from './core';

/**
 * Row i of the weights as the panel shows it: hidden key columns set to 0 and the row renormalised over the keys
 * that remain, so it still sums to 1 ("where would this query look if these tokens were not there?"). A row whose
 * remaining weight is 0 (all visible keys hidden or masked) stays all zero.
 */
export function shownRow(weights: Matrix, i: number, hidden: ReadonlySet<number>): Float32Array {
  const row = weights.data.slice(i * weights.cols, (i + 1) * weights.cols);
  if (hidden.size === 0) return row;
  let sum = 0;
  for (let j = 0; j < row.length; j++) {
    if (hidden.has(j)) row[j] = 0;
    else sum += row[j];
  }
  if (sum > 0) for (let j = 0; j < row.length; j++) row[j] /= sum;
  return row;
}

function hiddenSet(hidden: readonly number[], cols: number): Set<number> {
  return new Set(hidden.filter((j) => Number.isInteger(j) && j >= 0 && j < cols));
}

/** The weights with every row as shownRow gives it. Returns the input unchanged when nothing is hidden. */
export function hideTokens(weights: Matrix, hidden: readonly number[]): Matrix {
  const hide = hiddenSet(hidden, weights.cols);
  if (hide.size === 0) return weights;
  const data = new Float32Array(weights.data.length);
  for (let i = 0; i < weights.rows; i++) data.set(shownRow(weights, i, hide), i * weights.cols);
  return { rows: weights.rows, cols: weights.cols, data };
}

/** Row i as the panel shows it, from the list of hidden keys. */
export function shownWeights(weights: Matrix, i: number, hidden: readonly number[]): Float32Array {
  return shownRow(weights, i, hiddenSet(hidden, weights.cols));
}
