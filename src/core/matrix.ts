import { kernelMatmul, kernelMatmulTransposed, kernelsFor, type KernelOperand } from './kernels';

/** A dense row-major float32 matrix. `data[i * cols + j]` is row i, column j. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

export function zeros(rows: number, cols: number): Matrix {
  return { rows, cols, data: new Float32Array(rows * cols) };
}

export function fromRows(rows: readonly (readonly number[])[]): Matrix {
  const cols = rows.length > 0 ? rows[0].length : 0;
  const m = zeros(rows.length, cols);
  rows.forEach((row, i) => m.data.set(row, i * cols));
  return m;
}

export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

export function get(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

export function row(m: Matrix, i: number): Float32Array {
  return m.data.subarray(i * m.cols, (i + 1) * m.cols);
}

export function shape(m: Matrix): string {
  return `${m.rows}×${m.cols}`;
}

function assertShape(ok: boolean, what: string): void {
  if (!ok) throw new Error(`Matrix shape mismatch: ${what}`);
}

export function transpose(m: Matrix): Matrix {
  const out = zeros(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) out.data[j * m.rows + i] = m.data[i * m.cols + j];
  }
  return out;
}

const BLOCK = 64;

/**
 * A·Bᵀ where `bT` holds Bᵀ's rows, i.e. out[i][j] = row i of a · row j of bT.
 * Both operands are read along contiguous rows; tiles of bT stay in cache.
 * Big products run in the WebAssembly SIMD kernel (float32 accumulators); otherwise, or where WebAssembly is
 * unavailable, each dot product is accumulated in a double before being stored as float32.
 */
export function matmulTransposed(a: Matrix, bT: Matrix): Matrix {
  assertShape(a.cols === bT.cols, `${shape(a)} · (${shape(bT)})ᵀ`);
  const n = a.rows;
  const m = bT.rows;
  const d = a.cols;
  const out = zeros(n, m);
  const kernels = kernelsFor(n * m * d);
  if (kernels && d > 0) {
    kernelMatmulTransposed(kernels, a.data, bT.data, out.data, n, m, d);
    return out;
  }
  const A = a.data;
  const B = bT.data;
  const O = out.data;
  const d4 = d - (d % 4);
  for (let j0 = 0; j0 < m; j0 += BLOCK) {
    const j1 = Math.min(j0 + BLOCK, m);
    for (let i = 0; i < n; i++) {
      const ai = i * d;
      for (let j = j0; j < j1; j++) {
        const bj = j * d;
        let sum = 0;
        let k = 0;
        for (; k < d4; k += 4) {
          sum += A[ai + k] * B[bj + k] + A[ai + k + 1] * B[bj + k + 1] + A[ai + k + 2] * B[bj + k + 2] + A[ai + k + 3] * B[bj + k + 3];
        }
        for (; k < d; k++) sum += A[ai + k] * B[bj + k];
        O[i * m + j] = sum;
      }
    }
  }
  return out;
}

/** A·B (the WebAssembly kernel for big products, else A·(Bᵀ)ᵀ in JS). */
export function matmul(a: Matrix, b: Matrix): Matrix {
  assertShape(a.cols === b.rows, `${shape(a)} · ${shape(b)}`);
  const kernels = kernelsFor(a.rows * a.cols * b.cols);
  if (kernels && a.cols > 0) {
    const out = zeros(a.rows, b.cols);
    kernelMatmul(kernels, a.data, b.data, out.data, a.rows, a.cols, b.cols);
    return out;
  }
  return matmulTransposed(a, transpose(b));
}

/**
 * a·W for W stored [inner, outDim], or a·Wᵀ for W stored [outDim, inner] (`transposed`). W may be a loader that
 * writes its values straight into the kernels' memory, so a weight read from its file is not copied once more.
 */
export function matmulWeight(a: Matrix, weight: KernelOperand, outDim: number, transposed: boolean): Matrix {
  const kernels = kernelsFor(a.rows * a.cols * outDim);
  if (kernels && a.cols > 0) {
    const out = zeros(a.rows, outDim);
    if (transposed) kernelMatmulTransposed(kernels, a.data, weight, out.data, a.rows, outDim, a.cols);
    else kernelMatmul(kernels, a.data, weight, out.data, a.rows, a.cols, outDim);
    return out;
  }
  let data = weight;
  if (typeof data === 'function') {
    const values = new Float32Array(a.cols * outDim);
    data(values);
    data = values;
  }
  return transposed ? matmulTransposed(a, { rows: outDim, cols: a.cols, data }) : matmul(a, { rows: a.cols, cols: outDim, data });
}

export function add(a: Matrix, b: Matrix): Matrix {
  assertShape(a.rows === b.rows && a.cols === b.cols, `${shape(a)} + ${shape(b)}`);
  const out = zeros(a.rows, a.cols);
  for (let p = 0; p < out.data.length; p++) out.data[p] = a.data[p] + b.data[p];
  return out;
}

/** Adds `bias` to every row. */
export function addBias(m: Matrix, bias: ArrayLike<number>): Matrix {
  assertShape(bias.length === m.cols, `${shape(m)} + bias of length ${bias.length}`);
  const out = zeros(m.rows, m.cols);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) out.data[i * m.cols + j] = m.data[i * m.cols + j] + bias[j];
  }
  return out;
}

export function relu(m: Matrix): Matrix {
  const out = zeros(m.rows, m.cols);
  for (let p = 0; p < out.data.length; p++) out.data[p] = m.data[p] > 0 ? m.data[p] : 0;
  return out;
}

/** Normalizes each row to mean 0 and variance 1 (population variance, no learned gain or bias). */
export function layerNorm(m: Matrix, eps = 1e-5): Matrix {
  const out = zeros(m.rows, m.cols);
  const c = m.cols;
  for (let i = 0; i < m.rows; i++) {
    const r = i * c;
    let mean = 0;
    for (let j = 0; j < c; j++) mean += m.data[r + j];
    mean /= c;
    let variance = 0;
    for (let j = 0; j < c; j++) variance += (m.data[r + j] - mean) ** 2;
    variance /= c;
    const inv = 1 / Math.sqrt(variance + eps);
    for (let j = 0; j < c; j++) out.data[r + j] = (m.data[r + j] - mean) * inv;
  }
  return out;
}

/** Columns [start, start + width) of every row, as a matrix of their own. */
export function columns(x: Matrix, start: number, width: number): Matrix {
  assertShape(start >= 0 && width >= 0 && start + width <= x.cols, `columns ${start}…${start + width - 1} of ${shape(x)}`);
  const out = zeros(x.rows, width);
  for (let i = 0; i < x.rows; i++) out.data.set(x.data.subarray(i * x.cols + start, i * x.cols + start + width), i * width);
  return out;
}

/** Places the matrices side by side; all must have the same number of rows. */
export function concatColumns(parts: readonly Matrix[]): Matrix {
  const rows = parts.length > 0 ? parts[0].rows : 0;
  assertShape(parts.every((p) => p.rows === rows), `concat of ${parts.map(shape).join(', ')}`);
  const cols = parts.reduce((s, p) => s + p.cols, 0);
  const out = zeros(rows, cols);
  let offset = 0;
  for (const p of parts) {
    for (let i = 0; i < rows; i++) out.data.set(p.data.subarray(i * p.cols, (i + 1) * p.cols), i * cols + offset);
    offset += p.cols;
  }
  return out;
}
