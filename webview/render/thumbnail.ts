/** Small canvas thumbnails of matrices (pipeline steps, head grid). */
import { downsampleMax, finiteRange, maxAbsFinite, type Matrix } from '../../src/shared/core';
import { differenceDomain, divergingDomain, sequentialDomain, type ColourDomain } from './colour-scale';
import { rasterize, type Raster } from './heatmap';

export interface Thumb {
  /** The (possibly downsampled) matrix that was rasterised. */
  readonly small: Matrix;
  readonly raster: Raster;
  readonly domain: ColourDomain;
}

const cache = new WeakMap<Matrix, Map<string, Thumb>>();

/**
 * A thumbnail raster of `m`, at most `limit` cells a side (block maximum; by magnitude for signed
 * data). `sequential`: colour 0…max (weights); otherwise diverging around 0. Cached per matrix.
 */
export function thumbnail(m: Matrix, limit: number, sequential: boolean, maskSource?: Matrix | null, difference = false): Thumb {
  const key = `${limit}:${sequential ? 's' : difference ? 'Δ' : 'd'}:${maskSource ? 'm' : ''}`;
  let byKey = cache.get(m);
  if (!byKey) {
    byKey = new Map();
    cache.set(m, byKey);
  }
  const hit = byKey.get(key);
  if (hit) return hit;
  const small = downsampleMax(m, limit, !sequential);
  const smallMask = maskSource ? downsampleMax(maskSource, limit, false) : null;
  const t = thumbOf(small, sequential, smallMask, difference);
  byKey.set(key, t);
  return t;
}

/** The thumbnail of an already small matrix (downsampled, or block maxima): coloured by its own range. */
export function thumbOf(small: Matrix, sequential: boolean, smallMask: Matrix | null = null, difference = false): Thumb {
  const signedDomain = difference ? differenceDomain : divergingDomain;
  const domain = sequential ? sequentialDomain(0, Math.max(1e-9, finiteRange(small.data)[1])) : signedDomain(maxAbsFinite(small.data));
  return { small, raster: rasterize(small, domain, smallMask), domain };
}

/**
 * Draws a thumbnail into `canvas` at `box` CSS px (longest side), pixel-exact, and optionally
 * outlines source row `row` of the `m.rows` the thumbnail spans. Sets the canvas size.
 */
export function drawThumb(canvas: HTMLCanvasElement, m: Pick<Matrix, 'rows'>, t: Thumb, box: number, row: number | null, highlight: string): void {
  const cols = Math.max(1, t.small.cols);
  const rows = Math.max(1, t.small.rows);
  const scale = Math.max(1, Math.min(box / cols, box / rows, 14));
  const w = Math.max(1, Math.round(cols * scale));
  const h = Math.max(1, Math.round(rows * scale));
  const dpr = window.devicePixelRatio || 1;
  if (canvas.width !== Math.round(w * dpr)) canvas.width = Math.round(w * dpr);
  if (canvas.height !== Math.round(h * dpr)) canvas.height = Math.round(h * dpr);
  canvas.style.width = `${w}px`;
  canvas.style.height = `${h}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(t.raster, 0, 0, w, h);
  if (row !== null && row >= 0 && row < m.rows) {
    const r = Math.floor((row * rows) / Math.max(1, m.rows));
    const y = (r * h) / rows;
    const rh = Math.max(2, h / rows);
    ctx.lineWidth = 2;
    ctx.strokeStyle = '#000000';
    ctx.strokeRect(0.5, y - 0.5, w - 1, rh + 1);
    ctx.lineWidth = 1.2;
    ctx.strokeStyle = highlight;
    ctx.strokeRect(0.5, y - 0.5, w - 1, rh + 1);
  }
}
