/**
 * Per-head statistics over attention weights, and a thumbnail helper. Pure: no DOM.
 *
 * Entropy is measured in nats (natural log). A uniform row over n keys has entropy ln n;
 * a one-hot row has entropy 0. `meanEntropyBits` gives the same value in bits.
 */
import type { Matrix } from './matrix';

export interface HeadStats {
  /** Mean over query rows of −Σ_j w_ij ln w_ij, in nats. */
  readonly meanEntropy: number;
  /** Same as meanEntropy, in bits (÷ ln 2). */
  readonly meanEntropyBits: number;
  /** meanEntropy ÷ ln(keys): 0 = every row one-hot, 1 = every row uniform. 0 when keys ≤ 1. */
  readonly normalizedEntropy: number;
  /** Largest single weight in the matrix. */
  readonly maxWeight: number;
  /** Attention-sink share: mean over rows of the weight on key 0. */
  readonly sinkShare: number;
}

/** Entropy of one row of weights in nats. Zero and negative entries contribute nothing. */
export function rowEntropy(data: Float32Array, start: number, length: number): number {
  let h = 0;
  const end = start + length;
  for (let p = start; p < end; p++) {
    const w = data[p];
    if (w > 0) h -= w * Math.log(w);
  }
  return h;
}

/** Statistics of a weights matrix (rows = queries, cols = keys). One pass over the data. */
export function headStats(weights: Matrix): HeadStats {
  const { rows, cols, data } = weights;
  if (rows === 0 || cols === 0) {
    return { meanEntropy: 0, meanEntropyBits: 0, normalizedEntropy: 0, maxWeight: 0, sinkShare: 0 };
  }
  let hSum = 0;
  let max = -Infinity;
  let sink = 0;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    let h = 0;
    for (let j = 0; j < cols; j++) {
      const w = data[base + j];
      if (w > max) max = w;
      if (w > 0) h -= w * Math.log(w);
    }
    hSum += h;
    sink += data[base];
  }
  const meanEntropy = hSum / rows;
  return {
    meanEntropy,
    meanEntropyBits: meanEntropy / Math.LN2,
    normalizedEntropy: cols > 1 ? meanEntropy / Math.log(cols) : 0,
    maxWeight: max,
    sinkShare: sink / rows,
  };
}

const statsCache = new WeakMap<Matrix, HeadStats>();

/** headStats, computed once per Matrix object. */
export function cachedHeadStats(weights: Matrix): HeadStats {
  let s = statsCache.get(weights);
  if (!s) {
    s = headStats(weights);
    statsCache.set(weights, s);
  }
  return s;
}

/**
 * Shrinks a matrix so neither side exceeds `size`, each output cell holding the maximum of the block
 * of input cells it covers (so a single strong weight never disappears). `abs`: take the value with
 * the largest magnitude instead (for signed matrices such as scores). Non-finite values (−∞ for masked
 * cells) lose to any finite value; a block of only −∞ stays −∞. Returns the input when it already fits.
 */
export function downsampleMax(m: Matrix, size: number, abs = false): Matrix {
  const s = Math.max(1, Math.floor(size));
  if (m.rows <= s && m.cols <= s) return m;
  const rows = Math.min(m.rows, s);
  const cols = Math.min(m.cols, s);
  const out = new Float32Array(rows * cols).fill(-Infinity);
  const src = m.data;
  // Map each source column to its output column once.
  const colMap = new Int32Array(m.cols);
  for (let j = 0; j < m.cols; j++) colMap[j] = Math.floor((j * cols) / m.cols);
  for (let i = 0; i < m.rows; i++) {
    const oBase = Math.floor((i * rows) / m.rows) * cols;
    const sBase = i * m.cols;
    for (let j = 0; j < m.cols; j++) {
      const v = src[sBase + j];
      const o = oBase + colMap[j];
      const cur = out[o];
      if (abs) {
        if (cur === -Infinity || (Number.isFinite(v) && Math.abs(v) > Math.abs(cur))) out[o] = v;
      } else if (v > cur) {
        out[o] = v;
      }
    }
  }
  return { rows, cols, data: out };
}

/** Minimum and maximum over finite values ([0, 0] when there are none). */
export function finiteRange(data: Float32Array): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let p = 0; p < data.length; p++) {
    const v = data[p];
    if (v < lo && v !== -Infinity) lo = v;
    if (v > hi && v !== Infinity) hi = v;
  }
  if (lo > hi) return [0, 0];
  return [lo, hi];
}

/** Largest finite value (−∞ when there is none). Faster than finiteRange when only the top matters. */
export function finiteMax(data: Float32Array): number {
  let hi = -Infinity;
  for (let p = 0; p < data.length; p++) {
    const v = data[p];
    if (v > hi && v !== Infinity) hi = v;
  }
  return hi;
}

/** Largest |value| over finite values (0 when there are none). */
export function maxAbsFinite(data: Float32Array): number {
  let m = 0;
  for (let p = 0; p < data.length; p++) {
    const v = data[p];
    if (Number.isFinite(v)) {
      const a = v < 0 ? -v : v;
      if (a > m) m = a;
    }
  }
  return m;
}
