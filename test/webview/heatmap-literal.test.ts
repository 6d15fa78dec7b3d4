/**
 * Heatmap rasters and thumbnails, pixel by pixel on small literal matrices: which cells are masked, how values round
 * onto the ramp, what a pooled block keeps, the domains, and the thumbnail's cache and drawn size. Colours come from
 * the documented ramp stops (independent.ts), not from colour-scale.ts.
 */
import { matrixOf as matrix, rasterPixels as pixels } from './attn-fixtures';
import { describe, expect, it } from 'vitest';
import { rasterize, rasterizePooled } from '../../webview/render/heatmap';
import { drawThumb, thumbnail } from '../../webview/render/thumbnail';
import { divergingColour, MASKED, sequentialColour } from './independent';



const opaque = (rgb: readonly number[]): number[] => [...rgb, 255];
const seq = (v: number, max = 1): number[] => opaque(sequentialColour(v, max));
const div = (v: number, maxAbs: number): number[] => opaque(divergingColour(v, maxAbs));
const masked = opaque(MASKED);

describe('rasterize: one pixel per cell', () => {
  it('colours finite values on the domain, clamps outside it, and masks −∞ and NaN', () => {
    const m = matrix(2, 3, [0, 0.5, 1, -Infinity, NaN, 0.25]);
    const r = rasterize(m, { kind: 'sequential', min: 0, max: 1 });
    expect([r.width, r.height]).toEqual([3, 2]);
    expect(pixels(r)).toEqual([seq(0), seq(0.5), seq(1), masked, masked, seq(0.25)]);
    const shifted = rasterize(matrix(1, 4, [0, 2, 5, 3]), { kind: 'sequential', min: 1, max: 3 });
    expect(pixels(shifted)).toEqual([seq(0), seq(0.5), seq(1), seq(1)]);
  });

  it('rounds half a level up, like lutIndex', () => {
    // Domain 0…255: value v is level v exactly; 0.5 rounds up to level 1, 0.49 down to 0.
    const r = rasterize(matrix(1, 4, [0.49, 0.5, 254.5, 100]), { kind: 'sequential', min: 0, max: 255 });
    expect(pixels(r)).toEqual([seq(0), seq(1 / 255), seq(1), seq(100 / 255)]);
  });

  it('masks a cell that maskSource hides only when the weight itself is 0 or less', () => {
    const weights = matrix(1, 4, [0, 0, 0.5, 1]);
    const scores = matrix(1, 4, [-Infinity, 0, -Infinity, 0]);
    expect(pixels(rasterize(weights, { kind: 'sequential', min: 0, max: 1 }, scores))).toEqual([masked, seq(0), seq(0.5), seq(1)]);
    // A mask of another shape is ignored.
    expect(pixels(rasterize(weights, { kind: 'sequential', min: 0, max: 1 }, matrix(2, 2, [-Infinity, -Infinity, -Infinity, -Infinity])))).toEqual([seq(0), seq(0), seq(0.5), seq(1)]);
  });

  it('diverging: 0 in the middle of ±max', () => {
    expect(pixels(rasterize(matrix(1, 3, [-2, 0, 1]), { kind: 'diverging', min: -2, max: 2 }))).toEqual([div(-2, 2), div(0, 2), div(1, 2)]);
  });

  it('an empty matrix gives a blank 1 × 1 raster', () => {
    const r = rasterize(matrix(0, 0, []), { kind: 'sequential', min: 0, max: 1 });
    expect([r.width, r.height]).toEqual([1, 1]);
    expect(pixels(r)).toEqual([[0, 0, 0, 0]]);
  });
});

describe('rasterizePooled: one pixel per block', () => {
  it('sequential: each block\'s max, the global max as the domain, partial blocks at the edges', () => {
    // 3 × 3 in blocks of 2: blocks (0,0) = {0.1, 0.2, 0.4, 0.3}, (0,1) = {0.9, 0.5}, (1,0) = {0.6, 0}, (1,1) = {0.2}.
    const m = matrix(3, 3, [0.1, 0.2, 0.9, 0.4, 0.3, 0.5, 0.6, 0, 0.2]);
    const { raster, domain } = rasterizePooled(m, 'sequential', 2);
    expect(domain).toEqual({ kind: 'sequential', min: 0, max: Math.fround(0.9) });
    expect([raster.width, raster.height]).toEqual([2, 2]);
    const max = Math.fround(0.9);
    expect(pixels(raster)).toEqual([seq(Math.fround(0.4), max), seq(max, max), seq(Math.fround(0.6), max), seq(Math.fround(0.2), max)]);
  });

  it('diverging: the value of largest magnitude, sign kept; the domain is ±the largest magnitude', () => {
    const m = matrix(2, 4, [-3, 1, 0.5, 2, 2, -1, -0.25, 1]);
    const { raster, domain } = rasterizePooled(m, 'diverging', 2);
    expect(domain).toEqual({ kind: 'diverging', min: -3, max: 3 });
    expect(pixels(raster)).toEqual([div(-3, 3), div(2, 3)]);
    const difference = rasterizePooled(m, 'difference', 2);
    expect(difference.domain).toEqual({ kind: 'difference', min: -3, max: 3 });
  });

  it('+∞ never sets a block or the domain, in either kind; a block of only NaN is masked', () => {
    const m = matrix(2, 4, [Infinity, 0.5, NaN, NaN, 0.25, 0, NaN, NaN]);
    const { raster, domain } = rasterizePooled(m, 'sequential', 2);
    expect(domain.max).toBe(0.5);
    expect(pixels(raster)).toEqual([seq(0.5, 0.5), masked]);
    const signed = rasterizePooled(matrix(1, 2, [Infinity, -0.5]), 'diverging', 2);
    expect(signed.domain).toEqual({ kind: 'diverging', min: -0.5, max: 0.5 });
    expect(pixels(signed.raster)).toEqual([div(-0.5, 0.5)]);
  });

  it('all zero: the domain falls back to 0…1 (±1 for signed data)', () => {
    expect(rasterizePooled(matrix(2, 2, [0, 0, 0, 0]), 'sequential', 2).domain).toEqual({ kind: 'sequential', min: 0, max: 1 });
    expect(rasterizePooled(matrix(2, 2, [0, 0, 0, 0]), 'diverging', 2).domain).toEqual({ kind: 'diverging', min: -1, max: 1 });
    const empty = rasterizePooled(matrix(0, 0, []), 'sequential', 4);
    expect([empty.raster.width, empty.raster.height, empty.domain.max]).toEqual([1, 1, 1]);
  });

  it('without a mask spec, a block of zeros the scores hide is masked, and one with a visible zero is not', () => {
    const weights = matrix(2, 4, [0, 0, 0, 0, 0, 0, 0, 1]);
    const scores = matrix(2, 4, [-Infinity, -Infinity, 0, -Infinity, -Infinity, -Infinity, -Infinity, 0]);
    const { raster } = rasterizePooled(weights, 'sequential', 2, scores);
    expect(pixels(raster)).toEqual([masked, seq(1)]);
    const zeroVisible = rasterizePooled(matrix(2, 2, [0, 0, 0, 0]), 'sequential', 2, matrix(2, 2, [-Infinity, 0, -Infinity, -Infinity]));
    expect(pixels(zeroVisible.raster)).toEqual([seq(0)]);
  });

  it('with a causal spec, only keys up to the query are read', () => {
    // Above the diagonal the weights say 9, which a causal mask hides: they must not show.
    const weights = matrix(4, 4, [1, 9, 9, 9, 0.5, 0.5, 9, 9, 0.25, 0.25, 0.5, 9, 0.25, 0.25, 0.25, 0.25]);
    const scores = matrix(4, 4, [0, -Infinity, -Infinity, -Infinity, 0, 0, -Infinity, -Infinity, 0, 0, 0, -Infinity, 0, 0, 0, 0]);
    const { raster, domain } = rasterizePooled(weights, 'sequential', 2, scores, { kind: 'causal' });
    expect(domain.max).toBe(1);
    expect(pixels(raster)).toEqual([seq(1), masked, seq(0.25), seq(0.5)]);
    // A window of 1 keeps the diagonal alone: block (1, 0) has nothing visible left.
    const window = rasterizePooled(weights, 'sequential', 2, scores, { kind: 'window', window: 1 });
    expect(pixels(window.raster)).toEqual([seq(1), masked, masked, seq(0.5)]);
  });
});

describe('thumbnail', () => {
  const m = matrix(4, 4, [1, 0, 0, 0, 0.5, 0.5, 0, 0, 0.25, 0.25, 0.5, 0, 0.1, 0.2, 0.3, 0.4]);

  it('downsamples to at most `limit` cells a side by block maximum, with a sequential domain 0…max', () => {
    const t = thumbnail(m, 2, true);
    expect([t.small.rows, t.small.cols, ...t.small.data]).toEqual([2, 2, 1, 0, Math.fround(0.25), Math.fround(0.5)]);
    expect(t.domain).toEqual({ kind: 'sequential', min: 0, max: 1 });
    expect(pixels(t.raster)).toEqual([seq(1), seq(0), seq(Math.fround(0.25)), seq(0.5)]);
  });

  it('signed data: diverging, or the difference ramp for Δweights, around the largest magnitude', () => {
    const signed = matrix(2, 2, [-2, 1, 0.5, 0]);
    expect(thumbnail(signed, 4, false).domain).toEqual({ kind: 'diverging', min: -2, max: 2 });
    expect(thumbnail(signed, 4, false, null, true).domain).toEqual({ kind: 'difference', min: -2, max: 2 });
    expect(thumbnail(matrix(1, 2, [0, 0]), 4, true).domain).toEqual({ kind: 'sequential', min: 0, max: 1e-9 });
  });

  it('is cached per matrix and per (limit, kind, mask)', () => {
    const a = thumbnail(m, 2, true);
    expect(thumbnail(m, 2, true)).toBe(a);
    expect(thumbnail(m, 3, true)).not.toBe(a);
    expect(thumbnail(m, 2, false)).not.toBe(a);
    expect(thumbnail(m, 2, false, null, true)).not.toBe(thumbnail(m, 2, false));
    const masked2 = thumbnail(m, 2, true, matrix(4, 4, new Array<number>(16).fill(0)));
    expect(masked2).not.toBe(a);
    expect(thumbnail(matrix(4, 4, [...m.data]), 2, true)).not.toBe(a);
  });

  it('the mask is downsampled too: a block the scores hide entirely is grey (2 rows fit; 4 columns pool in pairs)', () => {
    const weights = matrix(2, 4, [1, 0, 0, 0, 0.5, 0.5, 0, 0]);
    const scores = matrix(2, 4, [0, -Infinity, -Infinity, -Infinity, 0, 0, -Infinity, -Infinity]);
    expect(pixels(thumbnail(weights, 2, true, scores).raster)).toEqual([seq(1), masked, seq(0.5), masked]);
  });

  it('drawThumb sizes the canvas to the box (at most 14 px a cell) and outlines the traced row', () => {
    const t = thumbnail(matrix(2, 3, [1, 0, 0, 0.5, 0.5, 0]), 8, true);
    const canvas = document.createElement('canvas');
    const dpr = window.devicePixelRatio || 1;
    drawThumb(canvas, t.small, t, 100, null, '#ff0000');
    // scale = min(100/3, 100/2, 14) = 14: 42 × 28 CSS px.
    expect([canvas.style.width, canvas.style.height, canvas.width, canvas.height]).toEqual(['42px', '28px', Math.round(42 * dpr), Math.round(28 * dpr)]);
    drawThumb(canvas, t.small, t, 20, null, '#ff0000');
    expect([canvas.style.width, canvas.style.height]).toEqual(['20px', '13px']); // scale 20/3: 20 × 13.33
    drawThumb(canvas, t.small, t, 1, null, '#ff0000');
    expect([canvas.style.width, canvas.style.height]).toEqual(['3px', '2px']); // never below 1 px a cell

    // Row 1 of 2, drawn at 14 px a cell: the band is y 14…28; its left edge is the highlight, row 0 is not.
    drawThumb(canvas, t.small, t, 100, 1, '#ff0000');
    const ctx = canvas.getContext('2d')!;
    const at = (x: number, y: number): number[] => [...ctx.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data.slice(0, 3)];
    expect(at(0, 21)).toEqual([255, 0, 0]);
    expect(at(0, 7)).toEqual(sequentialColour(1, 1));
    expect(at(20, 21)).toEqual(sequentialColour(0.5, 1));
    drawThumb(canvas, t.small, t, 100, 2, '#ff0000'); // no such row: no outline
    expect(at(0, 21)).toEqual(sequentialColour(0.5, 1));
  });
});
