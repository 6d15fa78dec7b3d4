import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  cellAt, cellCenter, cellSize, clampPan, EMPTY_VIEWPORT, ensureVisible, fitViewport, labelSizes, maxZoom, visibleRange, zoomAt,
  type Viewport,
} from '../../../webview/components/attn-matrix/viewport';
import { nextPosition, type GridShape } from '../../../webview/controllers/roving-tabindex';

/** 10 × 20 cells of 10 px behind 30 px label margins: the matrix area is 200 × 100 px. */
const base: Viewport = { ...EMPTY_VIEWPORT, rows: 10, cols: 20, labelW: 30, labelH: 30, cssW: 230, cssH: 130, fit: 10 };

describe('matrix viewport', () => {
  it('cellAt: the cell under a point, null on the labels and past the edges', () => {
    expect(cellAt(base, 30, 30)).toEqual({ i: 0, j: 0 });
    expect(cellAt(base, 39.9, 49.9)).toEqual({ i: 1, j: 0 });
    expect(cellAt(base, 229, 129)).toEqual({ i: 9, j: 19 });
    expect(cellAt(base, 29, 50)).toBeNull(); // row labels
    expect(cellAt(base, 50, 29)).toBeNull(); // column labels
    expect(cellAt(base, 230, 50)).toBeNull();
    // Zoomed ×2 and panned by (−40, −20): cell (1, 2) starts at (30 + 40 − 40, 30 + 20 − 20).
    const zoomed = { ...base, zoom: 2, panX: -40, panY: -20 };
    expect(cellAt(zoomed, 30, 30)).toEqual({ i: 1, j: 2 });
    expect(cellCenter(zoomed, 1, 2)).toEqual({ x: 40, y: 40 });
  });

  it('visibleRange: the rows and columns at least partly inside the area', () => {
    expect(visibleRange(base)).toEqual({ i0: 0, i1: 10, j0: 0, j1: 20 });
    // cells of 20 px panned by (−45, −25): columns 2..12 (2.25 .. 12.25), rows 1..6 (1.25 .. 6.25).
    expect(visibleRange({ ...base, zoom: 2, panX: -45, panY: -25 })).toEqual({ i0: 1, i1: 7, j0: 2, j1: 13 });
  });

  it('zoomAt keeps the point under the pointer in place, and is bounded', () => {
    const z = zoomAt(base, 2, 130, 80); // (130, 80) is the centre of cell (5, 10) … at x = 100, y = 50 in the matrix
    expect(z.zoom).toBe(2);
    expect(cellSize(z)).toBe(20);
    expect(z.panX).toBe(-100);
    expect(z.panY).toBe(-50);
    expect(cellAt(z, 130, 80)).toEqual(cellAt(base, 130, 80));
    expect(zoomAt(base, 0.5)).toBe(base); // never below the fit
    expect(zoomAt(base, 1000).zoom).toBe(maxZoom(base)); // 96 px cells
    expect(maxZoom(base)).toBe(9.6);
  });

  it('zoomAt then its inverse returns to the fit with no pan (property)', () => {
    fc.assert(fc.property(fc.double({ min: 1.01, max: 9, noNaN: true }), fc.double({ min: 30, max: 229, noNaN: true }), fc.double({ min: 30, max: 129, noNaN: true }), (f, x, y) => {
      const z = zoomAt(base, f, x, y);
      const p = cellAt(z, x, y);
      expect(p).toEqual(cellAt(base, x, y));
      const back = zoomAt(z, 1 / f / 2, x, y);
      expect(back.zoom).toBe(1);
      expect(back.panX).toBeCloseTo(0, 9);
      expect(back.panY).toBeCloseTo(0, 9);
    }));
  });

  it('clampPan and ensureVisible keep the matrix over its area and bring a cell into view', () => {
    const z = { ...base, zoom: 2 }; // 400 × 200 px of matrix in a 200 × 100 area
    expect(clampPan({ ...z, panX: 10, panY: -500 })).toMatchObject({ panX: 0, panY: -100 });
    expect(ensureVisible(z, { i: 9, j: 19 })).toMatchObject({ panX: -200, panY: -100 });
    expect(ensureVisible({ ...z, panX: -200, panY: -100 }, { i: 0, j: 3 })).toMatchObject({ panX: -60, panY: 0 });
  });

  it('fitViewport fills the width or the height, whichever binds, with cells of at most 48 px', () => {
    const shape = { rows: 12, cols: 12, labelW: 60, labelH: 60 };
    expect(fitViewport(EMPTY_VIEWPORT, shape, { width: 500, height: 900 })).toMatchObject({ fit: 36, cssW: 492, cssH: 492 });
    expect(fitViewport(EMPTY_VIEWPORT, shape, { width: 2000, height: 2000 }).fit).toBe(48);
    expect(fitViewport(EMPTY_VIEWPORT, shape, { width: 2000, height: 300 }).fit).toBe(20); // the 200 px floor
    expect(labelSizes(3, 300)).toEqual({ labelW: 24, labelH: 90 });
  });
});

describe('nextPosition (roving tabindex)', () => {
  const grid: GridShape = { rows: 3, cols: (r) => [12, 12, 5][r] };
  const key = (k: string, ctrlKey = false) => ({ key: k, ctrlKey });

  it('arrows step without wrapping; moving rows keeps the column, clamped to the row', () => {
    expect(nextPosition(key('ArrowRight'), { row: 0, col: 11 }, grid)).toEqual({ row: 0, col: 11 });
    expect(nextPosition(key('ArrowDown'), { row: 1, col: 9 }, grid)).toEqual({ row: 2, col: 4 });
    expect(nextPosition(key('ArrowUp'), { row: 0, col: 3 }, grid)).toEqual({ row: 0, col: 3 });
    expect(nextPosition(key('End'), { row: 2, col: 0 }, grid)).toEqual({ row: 2, col: 4 });
    expect(nextPosition(key('End', true), { row: 0, col: 0 }, grid)).toEqual({ row: 2, col: 4 });
    expect(nextPosition(key('PageDown'), { row: 0, col: 7 }, grid)).toEqual({ row: 2, col: 4 });
    expect(nextPosition(key('a'), { row: 0, col: 0 }, grid)).toBeNull();
  });

  it('vertical: up and down move along a row, left and right between rows', () => {
    const tokens: GridShape = { rows: 2, cols: () => 30 };
    expect(nextPosition(key('ArrowDown'), { row: 0, col: 4 }, tokens, { vertical: true })).toEqual({ row: 0, col: 5 });
    expect(nextPosition(key('ArrowRight'), { row: 0, col: 4 }, tokens, { vertical: true })).toEqual({ row: 1, col: 4 });
    expect(nextPosition(key('PageDown'), { row: 1, col: 25 }, tokens, { vertical: true })).toEqual({ row: 1, col: 29 });
  });
});
