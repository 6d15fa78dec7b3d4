/**
 * Softmax of one row, `scaled[offset … offset+cols)` into `out` at the same offset. Subtracts the row max;
 * −∞ (masked) and NaN cells get exactly 0; a row with nothing visible is all 0; if the row holds +∞, its
 * +∞ cells share the weight equally. Never produces NaN. `scratch` holds at least `cols` doubles.
 */
export function softmaxRow(scaled: Float32Array, out: Float32Array, offset: number, cols: number, scratch: Float64Array): void {
  let max = -Infinity;
  for (let j = 0; j < cols; j++) if (scaled[offset + j] > max) max = scaled[offset + j];
  if (max === -Infinity) {
    out.fill(0, offset, offset + cols);
    return;
  }
  let sum = 0;
  for (let j = 0; j < cols; j++) {
    const x = scaled[offset + j];
    const v = max === Infinity ? (x === Infinity ? 1 : 0) : x > -Infinity ? Math.exp(x - max) : 0;
    scratch[j] = v;
    sum += v;
  }
  for (let j = 0; j < cols; j++) out[offset + j] = scratch[j] / sum;
}
