/**
 * Drawing the matrix view: plain functions of (context, viewport, prepared data, colours). The base canvas holds
 * the heatmap, hatching, values, dimmed hidden tokens and labels; the overlay holds what follows the pointer
 * (crosshair, active cell, token rows), so hovering never repaints the heatmap.
 */
import { colourOf, MASKED_HATCH, textOn } from '../../render/colour-scale';
import { fmtShort } from '../../render/format';
import { shownMask, type Prepared, type PreparedRaster } from './prepared';
import { cellSize, visibleRange, type Cell, type Viewport } from './viewport';

export const LABEL_FONT_PX = 11;
const MIN_VALUE_CELL = 28;
const MIN_HATCH_CELL = 8;

/** Theme colours the painter uses, read by the element from --vscode-* variables. */
export interface MatrixColours {
  readonly background: string;
  readonly foreground: string;
  readonly dim: string;
  readonly focus: string;
}

export interface BaseExtras {
  readonly hiddenTokens: readonly number[];
  readonly fontFamily: string;
}

let measureCtx: CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D | null = null;
let measureFont = '';
function measure(text: string, font: string): number {
  if (!measureCtx) {
    measureCtx = typeof OffscreenCanvas !== 'undefined' ? new OffscreenCanvas(1, 1).getContext('2d') : document.createElement('canvas').getContext('2d');
  }
  if (!measureCtx) return text.length * 7;
  // Setting ctx.font re-parses the font string: only when it changes (thousands of labels per layout).
  if (font !== measureFont) {
    measureCtx.font = font;
    measureFont = font;
  }
  return measureCtx.measureText(text).width;
}

/** Distinct labels measured per layout at most: the longest ones (labels are short, capped by tokenLabel). */
const MAX_MEASURED_LABELS = 256;

/**
 * Width of the widest label. Measures each distinct label once, and with thousands of tokens only the
 * MAX_MEASURED_LABELS longest by character count (glyph widths vary far less than lengths do; the label
 * column is capped at 110 px anyway), so first paint at N = 4096 does not spend its budget in measureText.
 */
export function widestLabel(labels: readonly string[], fontFamily: string): number {
  const font = labelFont(fontFamily);
  let distinct = [...new Set(labels)];
  if (distinct.length > MAX_MEASURED_LABELS) distinct = distinct.sort((a, b) => b.length - a.length).slice(0, MAX_MEASURED_LABELS);
  let max = 0;
  for (const l of distinct) max = Math.max(max, measure(l, font));
  return max;
}

function labelFont(fontFamily: string): string {
  return `${LABEL_FONT_PX}px ${fontFamily}`;
}

/** Sizes a canvas to the viewport at the device pixel ratio and returns its context, scaled to CSS pixels. */
export function sizedContext(canvas: HTMLCanvasElement, v: Viewport, dpr: number): CanvasRenderingContext2D | null {
  const w = Math.round(v.cssW * dpr);
  const h = Math.round(v.cssH * dpr);
  if (canvas.width !== w) canvas.width = w;
  if (canvas.height !== h) canvas.height = h;
  canvas.style.width = `${v.cssW}px`;
  canvas.style.height = `${v.cssH}px`;
  const ctx = canvas.getContext('2d');
  ctx?.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx?.clearRect(0, 0, v.cssW, v.cssH);
  return ctx;
}

function clipTo(ctx: CanvasRenderingContext2D, x: number, y: number, w: number, h: number): void {
  ctx.beginPath();
  ctx.rect(x, y, w, h);
  ctx.clip();
}

/** The heatmap, masked hatching, values (when cells are big enough) and dimmed hidden tokens. */
function drawCells(ctx: CanvasRenderingContext2D, v: Viewport, p: Prepared, r: PreparedRaster, colours: MatrixColours, extras: BaseExtras): void {
  const c = cellSize(v);
  const { labelW, labelH, cssW, cssH } = v;
  const { i0, i1, j0, j1 } = visibleRange(v);
  const ox = labelW + v.panX;
  const oy = labelH + v.panY;
  ctx.save();
  clipTo(ctx, labelW, labelH, cssW - labelW, cssH - labelH);
  ctx.imageSmoothingEnabled = false;
  // The part of the visible cells the raster covers (an asked-for raster may cover less while the next one comes).
  const [r0, r1] = r.rows;
  const [c0, c1] = r.cols;
  const ti0 = Math.max(i0, r0);
  const ti1 = Math.min(i1, r1);
  const tj0 = Math.max(j0, c0);
  const tj1 = Math.min(j1, c1);
  if (ti1 > ti0 && tj1 > tj0) {
    const b = r.block;
    ctx.drawImage(r.raster, (tj0 - c0) / b, (ti0 - r0) / b, (tj1 - tj0) / b, (ti1 - ti0) / b, ox + tj0 * c, oy + ti0 * c, (tj1 - tj0) * c, (ti1 - ti0) * c);
  }
  const cell = cellReader(p, r);
  if (cell.masked && c >= MIN_HATCH_CELL) {
    ctx.strokeStyle = MASKED_HATCH;
    ctx.lineWidth = 1;
    ctx.beginPath();
    for (let i = i0; i < i1; i++) {
      for (let j = j0; j < j1; j++) {
        if (!cell.masked(i, j)) continue;
        const x = ox + j * c;
        const y = oy + i * c;
        // Two short diagonals near opposite corners: the cell centre keeps the masked colour.
        ctx.moveTo(x, y + c * 0.35);
        ctx.lineTo(x + c * 0.35, y);
        ctx.moveTo(x + c * 0.65, y + c);
        ctx.lineTo(x + c, y + c * 0.65);
      }
    }
    ctx.stroke();
  }
  if (c >= MIN_VALUE_CELL) {
    ctx.font = `${Math.min(12, Math.floor(c / 3.2))}px ${extras.fontFamily}`;
    ctx.textAlign = 'center';
    ctx.textBaseline = 'middle';
    for (let i = i0; i < i1; i++) {
      for (let j = j0; j < j1; j++) {
        const value = cell.value(i, j);
        if (value === undefined) continue;
        const masked = cell.masked?.(i, j) ?? false;
        ctx.fillStyle = textOn(colourOf(value, r.domain, masked));
        ctx.fillText(fmtShort(value), ox + (j + 0.5) * c, oy + (i + 0.5) * c + c * 0.18);
      }
    }
  }
  if (extras.hiddenTokens.length > 0) {
    ctx.fillStyle = colours.background;
    ctx.globalAlpha = 0.72;
    for (const t of extras.hiddenTokens) {
      if (t >= i0 && t < i1) ctx.fillRect(labelW, oy + t * c, cssW - labelW, c);
      if (t >= j0 && t < j1) ctx.fillRect(ox + t * c, labelH, c, cssH - labelH);
    }
    ctx.globalAlpha = 1;
  }
  ctx.restore();
}

interface CellReader {
  /** The cell's value, undefined where it is not here (an asked-for raster pooled it or does not cover it). */
  value(i: number, j: number): number | undefined;
  /** Whether the cell is masked; absent when nothing is masked. */
  masked?(i: number, j: number): boolean;
}

/** The cells' values and mask: from the matrix, or from an asked-for raster at one value per cell. */
function cellReader(p: Prepared, r: PreparedRaster): CellReader {
  if (!p.withheld) {
    const { data, cols } = p.matrix;
    const mask = shownMask(p)?.data;
    return { value: (i, j) => data[i * cols + j], ...(mask ? { masked: (i: number, j: number) => mask[i * cols + j] === -Infinity } : {}) };
  }
  const cells = r.cells;
  const [r0, r1] = r.rows;
  const [c0, c1] = r.cols;
  const width = c1 - c0;
  const raw = (i: number, j: number) => (cells && i >= r0 && i < r1 && j >= c0 && j < c1 ? cells[(i - r0) * width + (j - c0)] : undefined);
  // −∞ is a masked cell: its weight is 0, its scaled score −∞ (raw scores show no mask).
  return {
    value: (i, j) => {
      const v = raw(i, j);
      return v === -Infinity && p.kind === 'weights' ? 0 : v;
    },
    ...(p.kind === 'scores' ? {} : { masked: (i: number, j: number) => raw(i, j) === -Infinity }),
  };
}

/** Row and column labels, every k-th when they would overlap; hidden tokens' labels dimmed. */
function drawLabels(ctx: CanvasRenderingContext2D, v: Viewport, p: Prepared, colours: MatrixColours, extras: BaseExtras): void {
  const c = cellSize(v);
  const { labelW, labelH, cssW, cssH } = v;
  const { i0, i1, j0, j1 } = visibleRange(v);
  const ox = labelW + v.panX;
  const oy = labelH + v.panY;
  const hidden = new Set(extras.hiddenTokens);
  const every = Math.max(1, Math.ceil((LABEL_FONT_PX + 2) / c));
  ctx.font = labelFont(extras.fontFamily);
  ctx.textBaseline = 'middle';
  ctx.save();
  clipTo(ctx, 0, labelH, labelW, cssH - labelH);
  ctx.textAlign = 'right';
  for (let i = Math.ceil(i0 / every) * every; i < i1; i += every) {
    ctx.fillStyle = hidden.has(i) ? colours.dim : colours.foreground;
    ctx.fillText(p.rowLabels[i] ?? '', labelW - 5, oy + (i + 0.5) * c);
  }
  ctx.restore();
  ctx.save();
  clipTo(ctx, labelW, 0, cssW - labelW, labelH);
  ctx.textAlign = 'left';
  for (let j = Math.ceil(j0 / every) * every; j < j1; j += every) {
    ctx.save();
    ctx.translate(ox + (j + 0.5) * c, labelH - 5);
    ctx.rotate(-Math.PI / 2);
    ctx.fillStyle = hidden.has(j) ? colours.dim : colours.foreground;
    ctx.fillText(p.colLabels[j] ?? '', 0, 0);
    ctx.restore();
  }
  ctx.restore();
  ctx.fillStyle = colours.dim;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'alphabetic';
  ctx.fillText('q ↓  k →', 2, Math.min(labelH - 4, 14));
}

export function drawBase(ctx: CanvasRenderingContext2D, v: Viewport, p: Prepared, r: PreparedRaster, colours: MatrixColours, extras: BaseExtras): void {
  drawCells(ctx, v, p, r, colours, extras);
  drawLabels(ctx, v, p, colours, extras);
}

export interface OverlayState {
  readonly lockedToken: number | null;
  readonly activeToken: number | null;
  readonly cell: Cell | null;
}

/** A token's row: a band over its label and an outline across the matrix (solid when locked, dashed when active). */
function rowBand(ctx: CanvasRenderingContext2D, v: Viewport, i: number, colour: string, width: number, dash: number[]): void {
  if (i < 0 || i >= v.rows) return;
  const c = cellSize(v);
  const y = v.labelH + v.panY + i * c;
  ctx.save();
  clipTo(ctx, 0, v.labelH, v.cssW, v.cssH - v.labelH);
  ctx.fillStyle = colour;
  ctx.globalAlpha = 0.35;
  ctx.fillRect(0, y, v.labelW - 2, c);
  ctx.globalAlpha = 1;
  ctx.setLineDash(dash);
  ctx.lineWidth = width;
  ctx.strokeStyle = colour;
  ctx.strokeRect(v.labelW + width / 2, y - width / 2, v.cssW - v.labelW - width, c + width);
  ctx.restore();
}

/** Crosshair bands over the cell's row and column, and an outline that shows on any colour. */
function crosshair(ctx: CanvasRenderingContext2D, v: Viewport, cell: Cell): void {
  const c = cellSize(v);
  const { labelW, labelH, cssW, cssH } = v;
  const x = labelW + v.panX + cell.j * c;
  const y = labelH + v.panY + cell.i * c;
  ctx.save();
  clipTo(ctx, labelW, labelH, cssW - labelW, cssH - labelH);
  ctx.fillStyle = 'rgba(255, 255, 255, 0.16)';
  ctx.fillRect(labelW, y, cssW - labelW, c);
  ctx.fillRect(x, labelH, c, cssH - labelH);
  ctx.fillStyle = 'rgba(0, 0, 0, 0.12)';
  ctx.fillRect(labelW, y, cssW - labelW, c);
  ctx.fillRect(x, labelH, c, cssH - labelH);
  // Dark then light, so it shows on any colour.
  const s = Math.max(c, 4);
  const cx = x + c / 2 - s / 2;
  const cy = y + c / 2 - s / 2;
  ctx.lineWidth = 3;
  ctx.strokeStyle = '#000000';
  ctx.strokeRect(cx - 1, cy - 1, s + 2, s + 2);
  ctx.lineWidth = 1.5;
  ctx.strokeStyle = '#ffffff';
  ctx.strokeRect(cx - 1, cy - 1, s + 2, s + 2);
  ctx.restore();
}

export function drawOverlay(ctx: CanvasRenderingContext2D, v: Viewport, colours: MatrixColours, state: OverlayState): void {
  if (state.lockedToken !== null) rowBand(ctx, v, state.lockedToken, colours.focus, 2.5, []);
  if (state.activeToken !== null && state.activeToken !== state.lockedToken) rowBand(ctx, v, state.activeToken, colours.focus, 1.5, [4, 3]);
  if (state.cell) crosshair(ctx, v, state.cell);
}
