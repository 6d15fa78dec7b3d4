/** Rotary position embedding's frequencies and angles: pure numbers, safe for the views (no kernels). */
import type { Matrix } from '../matrix';

/** θ^(−2i/dims) for i < dims/2: the angle per position of pair i (column i with column i + dims/2). */
export function ropeInverseFrequencies(dims: number, theta: number): Float64Array {
  const half = dims / 2;
  const invFreq = new Float64Array(half);
  for (let i = 0; i < half; i++) invFreq[i] = 1 / theta ** ((2 * i) / dims);
  return invFreq;
}

/** positions × dims/2: the angle (radians) by which position t rotates pair i, t·θ^(−2i/dims). */
export function ropeAngles(positions: number, dims: number, theta: number): Matrix {
  const invFreq = ropeInverseFrequencies(dims, theta);
  const half = invFreq.length;
  const data = new Float32Array(positions * half);
  for (let t = 0; t < positions; t++) for (let i = 0; i < half; i++) data[t * half + i] = t * invFreq[i];
  return { rows: positions, cols: half, data };
}
