/**
 * Comparing a "what if" run with the original: Δweight per cell (for a diverging heatmap), how much each head moved
 * (to rank the head grid), and the next tokens before and after with Δlog-prob.
 */
import { zeros, type Matrix } from '../matrix';
import { topTokens } from '../model/model';

/** changed − original, cell by cell (same shapes). */
export function weightDifference(original: Matrix, changed: Matrix): Matrix {
  if (original.rows !== changed.rows || original.cols !== changed.cols) {
    throw new RangeError(`Cannot compare a ${original.rows}×${original.cols} head with a ${changed.rows}×${changed.cols} one.`);
  }
  const out = zeros(original.rows, original.cols);
  for (let p = 0; p < out.data.length; p++) out.data[p] = changed.data[p] - original.data[p];
  return out;
}

/**
 * How far a head's attention moved: the mean over queries of the total variation distance ½·Σ_j |Δw_ij|, in [0, 1]
 * (0: the same weights; 1: every query now attends where it put no weight before).
 */
export function headChange(original: Matrix, changed: Matrix): number {
  const { rows, cols } = original;
  if (rows !== changed.rows || cols !== changed.cols) throw new RangeError(`Cannot compare a ${rows}×${cols} head with a ${changed.rows}×${changed.cols} one.`);
  if (rows === 0) return 0;
  let sum = 0;
  for (let p = 0; p < rows * cols; p++) sum += Math.abs(changed.data[p] - original.data[p]);
  return sum / 2 / rows;
}

type Layers = readonly { readonly heads: readonly { readonly weights: Matrix }[] }[];

/** headChange of every head, changes[layer][head]. */
export function headChanges(original: Layers, changed: Layers): number[][] {
  return original.map((layer, l) => layer.heads.map((head, h) => headChange(head.weights, changed[l].heads[h].weights)));
}

/** log-softmax of logits in float64 (max-subtracted log-sum-exp). */
function logSoftmax(logits: Float32Array): Float64Array {
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  const log = max + Math.log(sum);
  return Float64Array.from(logits, (v) => v - log);
}

export interface TokenShift {
  readonly id: number;
  /** log-probability before and after the interventions, and after − before. */
  readonly before: number;
  readonly after: number;
  readonly delta: number;
}

/** The k likeliest next tokens before and after, each with its log-probability in both runs and the change. */
export function compareNextTokens(before: Float32Array, after: Float32Array, k: number): { readonly before: TokenShift[]; readonly after: TokenShift[] } {
  if (before.length !== after.length) throw new RangeError(`Cannot compare ${before.length} logits with ${after.length}.`);
  const a = logSoftmax(before);
  const b = logSoftmax(after);
  const shift = (id: number): TokenShift => ({ id, before: a[id], after: b[id], delta: b[id] - a[id] });
  return { before: topTokens(before, k).map((t) => shift(t.id)), after: topTokens(after, k).map((t) => shift(t.id)) };
}
