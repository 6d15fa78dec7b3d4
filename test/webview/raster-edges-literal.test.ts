/**
 * Heatmap rasters and thumbnails at their edges, pixel by pixel: masks of another shape, a browser without
 * OffscreenCanvas, an empty raster from the worker, and which row of a thumbnail is outlined (none, the first, one
 * past the last, one of a downsampled matrix). Colours come from the documented ramp stops (independent.ts).
 * Written for mutation testing (bench/mutation/README.md); heatmap-literal.test.ts has the common cases.
 */
import { matrixOf as matrix, rasterPixels as pixels } from './attn-fixtures';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Matrix } from '../../src/core/matrix';
import { paintPooled, rasterize, rasterizePooled } from '../../webview/render/heatmap';
import { drawThumb, thumbnail } from '../../webview/render/thumbnail';
import { MASKED, sequentialColour } from './independent';

const unit = { kind: 'sequential', min: 0, max: 1 } as const;

const seq = (v: number): number[] => [...sequentialColour(v, 1), 255];

describe('rasterize: the mask must have the matrix\'s shape', () => {
  it('a mask with the same columns but another row count, or the same rows but fewer columns, is ignored', () => {
    const weights = matrix(1, 4, [0, 0, 0.5, 1]);
    const drawn = [seq(0), seq(0), seq(0.5), seq(1)];
    expect(pixels(rasterize(weights, unit, matrix(2, 4, new Array<number>(8).fill(-Infinity))))).toEqual(drawn);
    expect(pixels(rasterize(weights, unit, matrix(1, 2, [-Infinity, -Infinity])))).toEqual(drawn);
  });
});

describe('without OffscreenCanvas (an older browser)', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('rasters are HTML canvases of the same size with the same pixels', () => {
    vi.stubGlobal('OffscreenCanvas', undefined);
    const r = rasterize(matrix(2, 3, [0, 0.5, 1, -Infinity, 0.25, 0]), unit);
    expect(r).toBeInstanceOf(HTMLCanvasElement);
    expect([r.width, r.height]).toEqual([3, 2]);
    expect(pixels(r)).toEqual([seq(0), seq(0.5), seq(1), [...MASKED, 255], seq(0.25), seq(0)]);
    const pooled = rasterizePooled(matrix(2, 2, [0.5, 0, 0, 0.25]), 'sequential', 2).raster;
    expect([pooled instanceof HTMLCanvasElement, pooled.width, pooled.height]).toEqual([true, 1, 1]);
    expect(pixels(pooled)).toEqual([seq(1)]);
  });
});

describe('paintPooled', () => {
  it('an empty raster (no keys, or no queries) paints nothing: a blank canvas of at least 1 px a side', () => {
    const r = paintPooled(new Float32Array(0), 0, 2, unit);
    expect([r.width, r.height]).toEqual([1, 2]);
    expect(pixels(r)).toEqual([[0, 0, 0, 0], [0, 0, 0, 0]]);
    const flat = paintPooled(new Float32Array(0), 2, 0, unit);
    expect([flat.width, flat.height]).toEqual([2, 1]);
    expect(pixels(flat)).toEqual([[0, 0, 0, 0], [0, 0, 0, 0]]);
  });

  it('−∞ and NaN are grey; values outside the domain clamp to its ends', () => {
    const r = paintPooled(Float32Array.from([-Infinity, NaN, -1, 2, 0.5]), 5, 1, unit);
    expect(pixels(r)).toEqual([[...MASKED, 255], [...MASKED, 255], seq(0), seq(1), seq(0.5)]);
  });
});

describe('thumbnail: what a block keeps', () => {
  it('signed data downsampled keeps the value of largest magnitude, sign and all', () => {
    const t = thumbnail(matrix(2, 2, [-2, 1, 0.5, 0]), 1, false);
    expect([t.small.rows, t.small.cols, ...t.small.data]).toEqual([1, 1, -2]);
    expect(t.domain).toEqual({ kind: 'diverging', min: -2, max: 2 });
  });

  it('a block where one score is visible shows its weight, even a weight of 0', () => {
    const t = thumbnail(matrix(1, 2, [0, 0]), 1, true, matrix(1, 2, [0, -Infinity]));
    expect(pixels(t.raster)).toEqual([seq(0)]);
  });
});

describe('drawThumb: which row is outlined', () => {
  // 2 × 3 at 14 px a cell: 42 × 28 CSS px; row 0 is y 0…14, row 1 is y 14…28.
  const small = matrix(2, 3, [1, 0, 0, 0.5, 0.5, 0]);
  const t = thumbnail(small, 8, true);
  const red = [255, 0, 0];
  function drawn(m: Matrix, row: number | null): (x: number, y: number) => number[] {
    const canvas = document.createElement('canvas');
    drawThumb(canvas, m, t, 100, row, '#ff0000');
    const ctx = canvas.getContext('2d')!;
    const dpr = window.devicePixelRatio || 1;
    return (x, y) => [...ctx.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data.slice(0, 3)];
  }

  it('no row, or a row outside the matrix: no outline anywhere', () => {
    for (const row of [null, -1, 2]) {
      const at = drawn(small, row);
      expect([at(0, 7), at(5, 0), at(0, 21), at(5, 27)]).toEqual([sequentialColour(1, 1), sequentialColour(1, 1), sequentialColour(0.5, 1), sequentialColour(0.5, 1)]);
    }
  });

  it('the first row: its band from the top, its lower edge at y = 14', () => {
    const at = drawn(small, 0);
    expect([at(0, 7), at(5, 14), at(0, 21)]).toEqual([red, red, sequentialColour(0.5, 1)]);
  });

  it('a downsampled matrix: source row 3 of 4 is the thumbnail\'s row 1', () => {
    const source = matrix(4, 3, [1, 0, 0, 1, 0, 0, 0.5, 0.5, 0, 0.5, 0.5, 0]);
    const at = drawn(source, 3);
    expect([at(0, 7), at(0, 21)]).toEqual([sequentialColour(1, 1), red]);
  });

  it('a tall thumbnail is sized by its rows: 3 × 2 in a 20 px box is 13 × 20', () => {
    const tall = thumbnail(matrix(3, 2, [1, 0, 0, 1, 1, 0]), 8, true);
    const canvas = document.createElement('canvas');
    drawThumb(canvas, tall.small, tall, 20, null, '#ff0000');
    expect([canvas.style.width, canvas.style.height]).toEqual(['13px', '20px']);
  });

  it('on a screen of 2 device pixels per CSS pixel the canvas holds twice the pixels', () => {
    vi.stubGlobal('devicePixelRatio', 2);
    try {
      const canvas = document.createElement('canvas');
      drawThumb(canvas, small, t, 100, null, '#ff0000');
      expect([canvas.style.width, canvas.style.height, canvas.width, canvas.height]).toEqual(['42px', '28px', 84, 56]);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('the outline: a 1.2 px highlight inside a 2 px dark halo, on every redraw', () => {
    // Every cell yellow (R 248): the highlight is white, the halo darkens what it half covers.
    const ones = thumbnail(matrix(2, 3, [1, 1, 1, 1, 1, 1]), 8, true);
    const canvas = document.createElement('canvas');
    const ctx = canvas.getContext('2d')!;
    const dpr = window.devicePixelRatio || 1;
    const at = (x: number, y: number): number[] => [...ctx.getImageData(Math.round(x * dpr), Math.round(y * dpr), 1, 1).data.slice(0, 3)];
    const white = [255, 255, 255];
    const dark = (rgb: number[]) => rgb[0] < 200;
    for (let draw = 0; draw < 2; draw++) {
      // Row 1: the rectangle (0.5, 13.5, 41, 15); the highlight covers pixel columns 0 and 41 and pixel row 13.
      drawThumb(canvas, ones.small, ones, 100, 1, '#ffffff');
      expect([at(0, 21), at(41, 21), at(5, 13)]).toEqual([white, white, white]);
      expect([at(1, 21), at(40, 21), at(5, 12), at(5, 14)].map(dark)).toEqual([true, true, true, true]);
      expect(at(5, 21)).toEqual(sequentialColour(1, 1));
    }
    // Row 0: the rectangle (0.5, −0.5, 41, 15); its lower edge is highlight on pixel row 14, halo on row 15.
    drawThumb(canvas, ones.small, ones, 100, 0, '#ffffff');
    expect([at(5, 14), dark(at(5, 15)), at(5, 21)]).toEqual([white, true, sequentialColour(1, 1)]);
  });

  it('pixel-exact: neighbouring cells do not blend at their shared edge', () => {
    const at = drawn(small, null);
    expect([at(13, 7), at(14, 7), at(27, 21), at(28, 21)]).toEqual([sequentialColour(1, 1), sequentialColour(0, 1), sequentialColour(0.5, 1), sequentialColour(0, 1)]);
  });
});
