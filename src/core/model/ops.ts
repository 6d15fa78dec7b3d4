/** The building blocks of real forward passes, float32 storage with double accumulators where rows are reduced. */
import type { KernelOperand } from '../kernels';
import { matmulWeight, zeros, type Matrix } from '../matrix';
import { ropeInverseFrequencies } from './rope';
import type { ModelConfig } from './types';

/**
 * x·W (+ b) for W stored [in, out], or x·Wᵀ (+ b) for nn.Linear's [out, in]; big products run in the kernels. W may
 * be a loader that reads the weight straight into the kernels' memory.
 */
export function project(x: Matrix, weight: KernelOperand, outDim: number, transposed: boolean, bias?: Float32Array): Matrix {
  const out = matmulWeight(x, weight, outDim, transposed);
  if (bias) {
    const d = out.data;
    for (let p = 0; p < d.length; p += outDim) for (let j = 0; j < outDim; j++) d[p + j] += bias[j];
  }
  return out;
}

/** LayerNorm with gain and bias (population variance), as torch.nn.LayerNorm. */
export function layerNormAffine(x: Matrix, weight: Float32Array, bias: Float32Array, eps: number): Matrix {
  const out = zeros(x.rows, x.cols);
  const c = x.cols;
  for (let i = 0; i < x.rows; i++) {
    const r = i * c;
    let mean = 0;
    for (let j = 0; j < c; j++) mean += x.data[r + j];
    mean /= c;
    let variance = 0;
    for (let j = 0; j < c; j++) variance += (x.data[r + j] - mean) ** 2;
    const inv = 1 / Math.sqrt(variance / c + eps);
    for (let j = 0; j < c; j++) out.data[r + j] = (x.data[r + j] - mean) * inv * weight[j] + bias[j];
  }
  return out;
}

/** RMSNorm: x / √(mean(x²) + eps) · w, as Llama's. */
export function rmsNorm(x: Matrix, weight: Float32Array, eps: number): Matrix {
  const out = zeros(x.rows, x.cols);
  const c = x.cols;
  for (let i = 0; i < x.rows; i++) {
    const r = i * c;
    let sum = 0;
    for (let j = 0; j < c; j++) sum += x.data[r + j] ** 2;
    const inv = 1 / Math.sqrt(sum / c + eps);
    for (let j = 0; j < c; j++) out.data[r + j] = Math.fround(x.data[r + j] * inv) * weight[j];
  }
  return out;
}

/** erf for exact GELU (JavaScript has none): Numerical Recipes' erfc fit, fractional error < 1.2e-7 everywhere. */
export function erf(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806
    + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? 1 - r : r - 1;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);

/** Applies the family's activation in place. */
export function activate(m: Matrix, kind: ModelConfig['activation']): void {
  const d = m.data;
  switch (kind) {
    case 'gelu_new':
      for (let p = 0; p < d.length; p++) {
        const x = d[p];
        d[p] = 0.5 * x * (1 + Math.tanh(SQRT_2_OVER_PI * (x + 0.044715 * x * x * x)));
      }
      return;
    case 'gelu':
      for (let p = 0; p < d.length; p++) d[p] = 0.5 * d[p] * (1 + erf(d[p] / Math.SQRT2));
      return;
    case 'silu':
      for (let p = 0; p < d.length; p++) d[p] = d[p] / (1 + Math.exp(-d[p]));
      return;
    case 'relu':
      for (let p = 0; p < d.length; p++) if (d[p] < 0) d[p] = 0;
  }
}

/**
 * Rotary position embedding in Hugging Face's rotate_half form, in place, on the first `dims` columns of a
 * T × head_dim matrix: x' = x·cos + rotate_half(x)·sin, pairing column i with column i + dims/2.
 */
export function applyRope(x: Matrix, dims: number, theta: number): void {
  const half = dims / 2;
  const invFreq = ropeInverseFrequencies(dims, theta);
  for (let t = 0; t < x.rows; t++) {
    const r = t * x.cols;
    for (let i = 0; i < half; i++) {
      const angle = t * invFreq[i];
      const cos = Math.cos(angle);
      const sin = Math.sin(angle);
      const a = x.data[r + i];
      const b = x.data[r + i + half];
      x.data[r + i] = a * cos - b * sin;
      x.data[r + i + half] = b * cos + a * sin;
    }
  }
}

/** a += b, element-wise. */
export function addInPlace(a: Matrix, b: Matrix): void {
  for (let p = 0; p < a.data.length; p++) a.data[p] += b.data[p];
}

export function copyMatrix(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}
