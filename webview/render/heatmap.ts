/**
 * Heatmap rasterisation: one pixel per matrix cell, written straight into an ImageData through a
 * Uint32Array and a 256-colour lookup table. Views draw the result scaled with smoothing off.
 */
import { poolBlockMax, type MaskSpec, type Matrix } from '../../src/shared/core';
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
 * ⌈rows/block⌉ × ⌈cols/block⌉ raster of block maxima (poolBlockMax: sequential, the max, so a sharp attention peak
 * never disappears; diverging, the value of largest magnitude, sign kept; a pixel is masked only when every cell of
 * its block is). Returns the domain too (from the same pass: the global max or max |value| over finite visible
 * cells), so the matrix is read once instead of twice.
 */
export function rasterizePooled(
  m: Matrix,
  kind: ColourDomain['kind'],
  block: number,
  maskSource?: Matrix | null,
  /** The mask that produced maskSource, when known: lets fully hidden blocks skip reading maskSource. */
  maskSpec?: MaskSpec,
): { raster: Raster; domain: ColourDomain } {
  const pooled = poolBlockMax(m, kind === 'sequential' ? 'sequential' : 'diverging', block, maskSource, maskSpec);
  const top = pooled.top;
  const domain: ColourDomain = kind !== 'sequential'
    ? { kind, min: -(top > 0 ? top : 1), max: top > 0 ? top : 1 }
    : { kind: 'sequential', min: 0, max: top > 0 ? top : 1 };
  if (m.rows === 0 || m.cols === 0) return { raster: makeCanvas(pooled.cols, pooled.rows), domain };
  return { raster: paintPooled(pooled.values, pooled.cols, pooled.rows, domain), domain };
}

/** Paints pooled values (one pixel each, −∞: masked) in `domain`'s colours: a raster made here or sent by the worker. */
export function paintPooled(values: Float32Array, width: number, height: number, domain: ColourDomain): Raster {
  const canvas = makeCanvas(Math.max(1, width), Math.max(1, height));
  const ctx = canvas.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null;
  if (!ctx || width === 0 || height === 0) return canvas;
  const img = ctx.createImageData(width, height);
  const px = new Uint32Array(img.data.buffer);
  const lut = packedTable(domain.kind);
  const last = lut.length - 1;
  const k = last / (domain.max - domain.min);
  const n = Math.min(px.length, values.length);
  for (let p = 0; p < n; p++) {
    const v = values[p];
    if (v === -Infinity || v !== v) {
      px[p] = MASKED_PACKED; // nothing visible (or only NaN) in the block
      continue;
    }
    const x = (v - domain.min) * k;
    px[p] = x <= 0 ? lut[0] : x >= last ? lut[last] : lut[Math.floor(x + 0.5)];
  }
  ctx.putImageData(img, 0, 0);
  return canvas;
}
