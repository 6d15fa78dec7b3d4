import { kernelAttention, kernelsFor } from './kernels';
import { isVisible, kernelMask } from './masks';
import { matmulTransposed, zeros, type Matrix } from './matrix';
import { softmaxRow } from './kernels/softmaxRow';
import type { AttentionOptions, HeadResult } from './types';

/** The factor applied to Q·Kᵀ: true → 1/√d_k, false → 1, a number → itself. */
export function resolveScale(scale: AttentionOptions['scale'], dK: number): number {
  if (typeof scale === 'number') return scale;
  return scale && dK > 0 ? 1 / Math.sqrt(dK) : 1;
}

/**
 * Row-wise softmax. −∞ (masked) and NaN cells get exactly 0; a row with nothing visible is all 0.
 * If a row holds +∞, its +∞ cells share the weight equally. Never produces NaN.
 */
export function softmaxRows(scaled: Matrix): Matrix {
  const out = zeros(scaled.rows, scaled.cols);
  const scratch = new Float64Array(scaled.cols);
  for (let i = 0; i < scaled.rows; i++) softmaxRow(scaled.data, out.data, i * scaled.cols, scaled.cols, scratch);
  return out;
}

/** Z = weights·V, skipping zero weights (masked cells). Accumulates in doubles. */
export function weightedSum(weights: Matrix, v: Matrix): Matrix {
  if (weights.cols !== v.rows) throw new Error(`Matrix shape mismatch: weights ${weights.rows}×${weights.cols} · V ${v.rows}×${v.cols}`);
  const dV = v.cols;
  const out = zeros(weights.rows, dV);
  const acc = new Float64Array(dV);
  for (let i = 0; i < weights.rows; i++) {
    acc.fill(0);
    for (let j = 0; j < weights.cols; j++) {
      const w = weights.data[i * weights.cols + j];
      if (w === 0) continue;
      const vj = j * dV;
      for (let c = 0; c < dV; c++) acc[c] += w * v.data[vj + c];
    }
    out.data.set(acc, i * dV);
  }
  return out;
}

/**
 * Scaled dot-product attention for one head: Q (n×d_k), K (m×d_k), V (m×d_v).
 * Raw scores are computed for every cell, masked ones included, so views can show them;
 * masking happens in `scaled` (−∞) and `weights` (0).
 * Big heads run in the WebAssembly SIMD kernels (float32 throughout; within ~1e-6 of this JS path, which stays
 * the fallback and the reference).
 */
export function attentionHead(name: string, q: Matrix, k: Matrix, v: Matrix, options: AttentionOptions): HeadResult {
  const scale = resolveScale(options.scale, q.cols);
  const factor = scale / options.temperature;
  const kernels = q.cols > 0 && q.cols === k.cols && k.rows === v.rows && q.rows > 0 && k.rows > 0
    ? kernelsFor(q.rows * k.rows * (q.cols + v.cols))
    : null;
  if (kernels) {
    const scores = zeros(q.rows, k.rows);
    const scaled = zeros(q.rows, k.rows);
    const weights = zeros(q.rows, k.rows);
    const output = zeros(q.rows, v.cols);
    const arrays = { scores: scores.data, scaled: scaled.data, weights: weights.data, output: output.data };
    if (kernelAttention(kernels, q.data, k.data, v.data, q.rows, k.rows, q.cols, v.cols, factor, kernelMask(options.mask), arrays)) {
      return { name, q, k, v, scores, scaled, weights, output, scale };
    }
  }
  const scores = matmulTransposed(q, k);
  const scaled = zeros(scores.rows, scores.cols);
  for (let i = 0; i < scores.rows; i++) {
    for (let j = 0; j < scores.cols; j++) {
      const p = i * scores.cols + j;
      scaled.data[p] = isVisible(options.mask, i, j) ? scores.data[p] * factor : -Infinity;
    }
  }
  const weights = softmaxRows(scaled);
  return { name, q, k, v, scores, scaled, weights, output: weightedSum(weights, v), scale };
}
