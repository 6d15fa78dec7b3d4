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
