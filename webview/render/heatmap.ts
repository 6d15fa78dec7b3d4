/**
 * Heatmap rasterisation: one pixel per matrix cell, written straight into an ImageData through a
 * Uint32Array and a 256-colour lookup table. Views draw the result scaled with smoothing off.
 */
import { contiguousSpan, type MaskSpec, type Matrix } from '../../src/shared/core';
import { lutIndex, MASKED_PACKED, packedTable, type ColourDomain } from './colour-scale';

export type Raster = HTMLCanvasElement | OffscreenCanvas;

function makeCanvas(w: number, h: number): Raster {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(w, h);
  const c = document.createElement('canvas');
  c.width = w;
  c.height = h;
  return c;
}

/**
 * Paints `m` at 1 px per cell. A cell is masked when its value is −∞ or when `maskSource` (same
 * shape, e.g. the scaled scores for a weights matrix) holds −∞ at that index.
 * `rowStep`/`colStep` > 1 would be a thumbnail; see downsampleMax in core/stats for that instead.
 */
export function rasterize(m: Matrix, domain: ColourDomain, maskSource?: Matrix | null): Raster {
  const w = Math.max(1, m.cols);
  const h = Math.max(1, m.rows);
  const canvas = makeCanvas(w, h);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx || m.rows === 0 || m.cols === 0) return canvas;
  const img = ctx.createImageData(w, h);
  const px = new Uint32Array(img.data.buffer);
  const lut = packedTable(domain.kind);
  const src = m.data;
  const mask = maskSource && maskSource.rows === m.rows && maskSource.cols === m.cols ? maskSource.data : null;
  const lo = domain.min;
  const k = (lut.length - 1) / (domain.max - domain.min);
  const top = lut.length - 1;
  const n = src.length;
  // The mask only matters where the value itself does not show it: weights are exactly 0 when masked.
  const separateMask = mask !== null && mask !== src;
  for (let p = 0; p < n; p++) {
    const v = src[p];
    if (v === -Infinity || v !== v || (separateMask && v <= 0 && (mask as Float32Array)[p] === -Infinity)) {
      px[p] = MASKED_PACKED;
      continue;
    }
    // Same rounding as lutIndex (round half up), inlined for speed.
    const x = (v - lo) * k;
    px[p] = x <= 0 ? lut[0] : x >= top ? lut[top] : lut[Math.floor(x + 0.5)];
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}

/** Re-exported so callers and tests share one quantisation. */
export { lutIndex };

/**
 * For views where one device pixel covers several cells: reads every cell once and paints a
 * ⌈rows/block⌉ × ⌈cols/block⌉ raster, each pixel the block's most extreme visible value (sequential: the max,
 * so a sharp attention peak never disappears; diverging: the value of largest magnitude, sign kept). A pixel is
 * masked only when every cell of its block is. Returns the domain too (from the same pass: the global max or
 * max |value| over finite visible cells), so the matrix is read once instead of twice.
 */
export function rasterizePooled(
  m: Matrix,
  kind: ColourDomain['kind'],
  block: number,
  maskSource?: Matrix | null,
  /** The mask that produced maskSource, when known: lets fully hidden blocks skip reading maskSource. */
  maskSpec?: MaskSpec,
): { raster: Raster; domain: ColourDomain } {
  // Visible keys of row i are [i - span + 1, i] for causal (span ∞) and window masks; null: read maskSource.
  const span = contiguousSpan(maskSpec);
  const rows = m.rows;
  const cols = m.cols;
  const gw = Math.max(1, Math.ceil(cols / block));
  const gh = Math.max(1, Math.ceil(rows / block));
  const best = new Float32Array(gw * gh).fill(-Infinity); // sequential: max value; diverging: max |value|
  const signed = kind !== 'sequential' ? new Float32Array(gw * gh) : null;
  const src = m.data;
  const mask = maskSource && maskSource.rows === rows && maskSource.cols === cols && maskSource.data !== src ? maskSource.data : null;
  // Per block-row accumulators (they stay in L1); each row is walked block by block with a plain inner max loop.
  const acc = new Float64Array(gw);
  const accSigned = signed ? new Float64Array(gw) : null;
  let top = -Infinity;
  for (let bi = 0; bi < gh; bi++) {
    const i0 = bi * block;
    const i1 = Math.min(i0 + block, rows);
    acc.fill(-Infinity);
    for (let i = i0; i < i1; i++) {
      const r = i * cols;
      if (accSigned) {
        for (let bj = 0, j = 0; j < cols; bj++) {
          const end = Math.min(j + block, cols);
          let b = acc[bj];
          let sv = accSigned[bj];
          for (; j < end; j++) {
            const v = src[r + j];
            const a = v < 0 ? -v : v;
            if (a > b && a !== Infinity) {
              b = a;
              sv = v;
            }
          }
          acc[bj] = b;
          accSigned[bj] = sv;
        }
      } else {
        // Weights under a causal or window mask: cells outside [i − span + 1, i] are masked, hence exactly 0,
        // and cannot raise a block's max; a block with no visible cell stays −∞, i.e. masked.
        const lo = span !== null && mask !== null ? Math.max(0, i - span + 1) : 0;
        const hi = span !== null && mask !== null ? Math.min(cols, i + 1) : cols;
        for (let j = lo, bj = (lo / block) | 0; j < hi; bj++) {
          const end = Math.min((bj + 1) * block, hi);
          let b = acc[bj];
          for (; j < end; j++) {
            const v = src[r + j];
            if (v > b) b = v;
          }
          acc[bj] = b;
        }
      }
    }
    for (let bj = 0; bj < gw; bj++) {
      let v = acc[bj];
      if (!accSigned && (v === Infinity || (v <= 0 && mask !== null && span === null))) {
        // Rare: re-read this block, excluding +∞ and cells maskSource hides.
        v = -Infinity;
        const j0 = bj * block;
        const j1 = Math.min(j0 + block, cols);
        for (let i = i0; i < i1; i++) {
          for (let p = i * cols + j0; p < i * cols + j1; p++) {
            const x = src[p];
            if (x > v && x !== Infinity && !(mask !== null && x <= 0 && mask[p] === -Infinity)) v = x;
          }
        }
      }
      best[bi * gw + bj] = v;
      if (signed && accSigned) signed[bi * gw + bj] = accSigned[bj];
      if (v > top) top = v;
    }
  }
  const domain: ColourDomain = signed
    ? { kind, min: -(top > 0 ? top : 1), max: top > 0 ? top : 1 }
    : { kind: 'sequential', min: 0, max: top > 0 ? top : 1 };
  const canvas = makeCanvas(gw, gh);
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx || rows === 0 || cols === 0) return { raster: canvas, domain };
  const img = ctx.createImageData(gw, gh);
  const px = new Uint32Array(img.data.buffer);
  const lut = packedTable(domain.kind);
  const last = lut.length - 1;
  const k = last / (domain.max - domain.min);
  for (let p = 0; p < best.length; p++) {
    if (best[p] === -Infinity) {
      px[p] = MASKED_PACKED; // nothing visible (or only NaN) in the block
      continue;
    }
    const x = ((signed ? signed[p] : best[p]) - domain.min) * k;
    px[p] = x <= 0 ? lut[0] : x >= last ? lut[last] : lut[Math.floor(x + 0.5)];
  }
  ctx.putImageData(img, 0, 0);
  return { raster: canvas, domain };
}
