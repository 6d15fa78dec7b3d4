/**
 * The matrix viewport: where the cells are drawn (fit, zoom, pan) and how big the label margins are. Pure
 * functions of plain data, so hit-testing and zooming are tested in Node. All lengths are CSS pixels relative
 * to the canvas; the matrix area starts at (labelW, labelH) and is shifted by (panX, panY) ≤ 0.
 */

export interface Viewport {
  readonly rows: number;
  readonly cols: number;
  /** Label column width and label row height. */
  readonly labelW: number;
  readonly labelH: number;
  /** The whole canvas, labels included. */
  readonly cssW: number;
  readonly cssH: number;
  /** Cell size at zoom 1. */
  readonly fit: number;
  readonly zoom: number;
  readonly panX: number;
  readonly panY: number;
}

export interface Cell {
  readonly i: number;
  readonly j: number;
}

export interface CellRange {
  readonly i0: number;
  readonly i1: number;
  readonly j0: number;
  readonly j1: number;
}

const MAX_FIT_CELL = 48;
/** The matrix area is never fitted smaller than this, however tall the controls above it. */
export const MIN_FIT_HEIGHT = 200;
/** Zooming stops when a cell is this big. */
const MAX_CELL = 96;

export const EMPTY_VIEWPORT: Viewport = { rows: 0, cols: 0, labelW: 0, labelH: 0, cssW: 0, cssH: 0, fit: 1, zoom: 1, panX: 0, panY: 0 };

export function cellSize(v: Viewport): number {
  return v.fit * v.zoom;
}

/** Label margins from the widest row and column label (text px), bounded so the matrix keeps the room. */
export function labelSizes(widestRow: number, widestCol: number): { labelW: number; labelH: number } {
  return {
    labelW: Math.ceil(Math.min(110, Math.max(24, widestRow + 10))),
    labelH: Math.ceil(Math.min(90, Math.max(24, widestCol + 10))),
  };
}

/**
 * Fits a rows × cols matrix into the host width and the height left below its top edge, keeping zoom and pan
 * (clamped to the new size).
 */
export function fitViewport(
  prev: Viewport,
  shape: { rows: number; cols: number; labelW: number; labelH: number },
  room: { width: number; height: number },
): Viewport {
  const { rows, cols, labelW, labelH } = shape;
  const availW = Math.max(80, room.width - labelW - 8);
  const availH = Math.max(MIN_FIT_HEIGHT, room.height - labelH);
  const fit = Math.max(0.01, Math.min(availW / Math.max(1, cols), availH / Math.max(1, rows), MAX_FIT_CELL));
  const cssW = Math.ceil(labelW + Math.min(availW, cols * fit));
  const cssH = Math.ceil(labelH + Math.min(availH, rows * fit));
  return clampPan({ ...prev, rows, cols, labelW, labelH, fit, cssW, cssH });
}

/** Keeps the matrix covering its area: no gap at the top-left, none at the bottom-right while it is larger. */
export function clampPan(v: Viewport): Viewport {
  const c = cellSize(v);
  const minX = Math.min(0, v.cssW - v.labelW - v.cols * c);
  const minY = Math.min(0, v.cssH - v.labelH - v.rows * c);
  const panX = Math.min(0, Math.max(minX, v.panX));
  const panY = Math.min(0, Math.max(minY, v.panY));
  return panX === v.panX && panY === v.panY ? v : { ...v, panX, panY };
}

/** The cell under canvas point (x, y), or null outside the matrix area or the matrix. */
export function cellAt(v: Viewport, x: number, y: number): Cell | null {
  if (x < v.labelW || y < v.labelH || x >= v.cssW || y >= v.cssH) return null;
  const c = cellSize(v);
  const j = Math.floor((x - v.labelW - v.panX) / c);
  const i = Math.floor((y - v.labelH - v.panY) / c);
  if (i < 0 || j < 0 || i >= v.rows || j >= v.cols) return null;
  return { i, j };
}

/** Centre of cell (i, j) on the canvas. */
export function cellCenter(v: Viewport, i: number, j: number): { x: number; y: number } {
  const c = cellSize(v);
  return { x: v.labelW + v.panX + (j + 0.5) * c, y: v.labelH + v.panY + (i + 0.5) * c };
}

/** Rows i0..i1-1 and columns j0..j1-1 are at least partly visible. */
export function visibleRange(v: Viewport): CellRange {
  const c = cellSize(v);
  return {
    i0: Math.max(0, Math.floor(-v.panY / c)),
    i1: Math.min(v.rows, Math.ceil((v.cssH - v.labelH - v.panY) / c)),
    j0: Math.max(0, Math.floor(-v.panX / c)),
    j1: Math.min(v.cols, Math.ceil((v.cssW - v.labelW - v.panX) / c)),
  };
}

/** The largest zoom: a cell of MAX_CELL px (never below 1). */
export function maxZoom(v: Viewport): number {
  return Math.max(1, MAX_CELL / v.fit);
}

/**
 * Zooms by `factor` (bounded to 1..maxZoom), keeping the matrix point under canvas point (x, y) in place;
 * without a point, the centre of the matrix area.
 */
export function zoomAt(v: Viewport, factor: number, x?: number, y?: number): Viewport {
  const px = x ?? v.labelW + (v.cssW - v.labelW) / 2;
  const py = y ?? v.labelH + (v.cssH - v.labelH) / 2;
  const zoom = Math.min(maxZoom(v), Math.max(1, v.zoom * factor));
  if (zoom === v.zoom) return v;
  const old = cellSize(v);
  const mx = (px - v.labelW - v.panX) / old;
  const my = (py - v.labelH - v.panY) / old;
  const c = v.fit * zoom;
  return clampPan({ ...v, zoom, panX: px - v.labelW - mx * c, panY: py - v.labelH - my * c });
}

export function resetZoom(v: Viewport): Viewport {
  return { ...v, zoom: 1, panX: 0, panY: 0 };
}

export function panTo(v: Viewport, panX: number, panY: number): Viewport {
  return clampPan({ ...v, panX, panY });
}

/** Pans the least that brings the whole of `cell` into the matrix area. */
export function ensureVisible(v: Viewport, cell: Cell): Viewport {
  const c = cellSize(v);
  const areaW = v.cssW - v.labelW;
  const areaH = v.cssH - v.labelH;
  const x = v.panX + cell.j * c;
  const y = v.panY + cell.i * c;
  let { panX, panY } = v;
  if (x < 0) panX -= x;
  else if (x + c > areaW) panX -= x + c - areaW;
  if (y < 0) panY -= y;
  else if (y + c > areaH) panY -= y + c - areaH;
  return panTo(v, panX, panY);
}

/** The part of cell (i, j) inside the matrix area, in canvas coordinates (empty when it lies outside). */
export function visibleCellBox(v: Viewport, cell: Cell): { left: number; top: number; width: number; height: number } {
  const c = cellSize(v);
  const x0 = Math.max(v.labelW, Math.min(v.cssW, v.labelW + v.panX + cell.j * c));
  const y0 = Math.max(v.labelH, Math.min(v.cssH, v.labelH + v.panY + cell.i * c));
  const x1 = Math.max(x0, Math.min(v.cssW, v.labelW + v.panX + (cell.j + 1) * c));
  const y1 = Math.max(y0, Math.min(v.cssH, v.labelH + v.panY + (cell.i + 1) * c));
  return { left: x0, top: y0, width: x1 - x0, height: y1 - y0 };
}
