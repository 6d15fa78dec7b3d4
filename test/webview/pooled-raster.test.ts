/**
 * The pooled heatmap (one pixel per block of cells, used when cells are smaller than a device pixel) against block
 * maxima computed here, and colours from the documented ramp stops (independent.ts), not from colour-scale.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Matrix } from '../../src/core/matrix';
import type { MaskSpec } from '../../src/core/types';
import { rasterizePooled, type Raster } from '../../webview/render/heatmap';
import { MASKED, sequentialColour } from './independent';

function pixels(raster: Raster): number[][] {
  const ctx = raster.getContext('2d') as CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;
  const data = ctx.getImageData(0, 0, raster.width, raster.height).data;
  const out: number[][] = [];
  for (let p = 0; p < data.length; p += 4) out.push([data[p], data[p + 1], data[p + 2]]);
  return out;
}

/**
 * N × N causal weights: 1 on the diagonal, 0.5 below it, 0 (masked) above it; the scaled scores, the mask source,
 * are −∞ above the diagonal.
 */
function causalWeights(n: number): { weights: Matrix; scaled: Matrix } {
  const weights = new Float32Array(n * n);
  const scaled = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      weights[i * n + j] = j > i ? 0 : j === i ? 1 : 0.5;
      scaled[i * n + j] = j > i ? -Infinity : 0;
    }
  }
  return { weights: { rows: n, cols: n, data: weights }, scaled: { rows: n, cols: n, data: scaled } };
}

/** Block maxima over visible cells (scaled > −∞), null when a block has none: written plainly, cell by cell. */
function blockMaxima(w: Matrix, scaled: Matrix, block: number): (number | null)[] {
  const side = Math.ceil(w.rows / block);
  const out: (number | null)[] = [];
  for (let bi = 0; bi < side; bi++) {
    for (let bj = 0; bj < side; bj++) {
      let best: number | null = null;
      for (let i = bi * block; i < Math.min(w.rows, (bi + 1) * block); i++) {
        for (let j = bj * block; j < Math.min(w.cols, (bj + 1) * block); j++) {
          if (scaled.data[i * w.cols + j] === -Infinity) continue;
          const v = w.data[i * w.cols + j];
          if (best === null || v > best) best = v;
        }
      }
      out.push(best);
    }
  }
  return out;
}

describe('rasterizePooled (large N: one pixel per block)', () => {
  const masks: [string, MaskSpec | undefined][] = [['causal spec', { kind: 'causal' }], ['mask read from the scores', undefined]];
  for (const [label, spec] of masks) {
    it(`keeps each block's peak, the diagonal included, and greys fully masked blocks (${label})`, () => {
      const n = 1000;
      const block = 8;
      const { weights, scaled } = causalWeights(n);
      const { raster, domain } = rasterizePooled(weights, 'sequential', block, scaled, spec);
      const side = Math.ceil(n / block);
      expect([raster.width, raster.height]).toEqual([side, side]);
      // The diagonal's 1.0 is the peak: a raster that skipped it would top out at 0.5.
      expect(domain).toEqual({ kind: 'sequential', min: 0, max: 1 });
      const maxima = blockMaxima(weights, scaled, block);
      const expected = maxima.map((m) => (m === null ? MASKED : sequentialColour(m, 1)));
      const got = pixels(raster);
      for (let p = 0; p < expected.length; p++) expect(got[p], `block (${Math.floor(p / side)}, ${p % side})`).toEqual(expected[p]);
      // Spot checks in words: diagonal blocks are the top colour, blocks below it the middle, above it masked.
      expect(got[0]).toEqual([248, 230, 40]);
      expect(got[side]).toEqual([32, 144, 140]);
      expect(got[1]).toEqual(MASKED);
    });
  }

  it('with a window mask, blocks beyond the window are masked and the domain is still 0…1', () => {
    const n = 64;
    const block = 4;
    const window = 3;
    const weights = new Float32Array(n * n);
    const scaled = new Float32Array(n * n).fill(-Infinity);
    for (let i = 0; i < n; i++) {
      for (let j = Math.max(0, i - window + 1); j <= i; j++) {
        weights[i * n + j] = j === i ? 1 : 0.5;
        scaled[i * n + j] = 0;
      }
    }
    const w: Matrix = { rows: n, cols: n, data: weights };
    const s: Matrix = { rows: n, cols: n, data: scaled };
    const { raster, domain } = rasterizePooled(w, 'sequential', block, s, { kind: 'window', window });
    expect(domain.max).toBe(1);
    const expected = blockMaxima(w, s, block).map((m) => (m === null ? MASKED : sequentialColour(m, 1)));
    expect(pixels(raster)).toEqual(expected);
  });
});
