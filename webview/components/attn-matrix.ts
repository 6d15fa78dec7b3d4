/**
 * <attn-matrix>: one head's scores, scaled scores or weights as a canvas heatmap.
 *
 * Rendering: the matrix is rasterised once at 1 px per cell (render/heatmap.ts) and drawn scaled with
 * smoothing off onto the base canvas, with labels, values and hatching. Hover, focus, crosshair and
 * row highlights go on a separate overlay canvas, so moving the pointer never repaints the heatmap.
 * Hidden tokens are dimmed (rows and columns stay in place, so indices keep their meaning).
 */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { AttnView } from './attn-view';
import { customElement, property, query, state } from 'lit/decorators.js';
import { styleProps } from '../directives/style-props';
import { isVisible, type HeadResult, type MaskSpec, type Matrix } from '../../src/shared/core';
import type { MatrixKind } from '../../src/shared/protocol';
import { deriveCell, type CellDerivation } from '../render/cell-derivation';
import {
  colourOf,
  cssGradient,
  MASKED_HATCH,
  matrixDomain,
  textOn,
  type ColourDomain,
} from '../render/colour-scale';
import { fmt, fmtShort, tokenLabel } from '../render/format';
import { isolatedText } from '../token-text';
import { rasterize, rasterizePooled, type Raster } from '../render/heatmap';
import { placePopup } from '../render/place-popup';
import { matrixStyles } from './attn-matrix.styles';
import { headTitle } from '../head-label';

interface Prepared {
  readonly head: HeadResult;
  /** The kind actually shown (weights when the file lacks scores). */
  readonly kind: MatrixKind;
  readonly matrix: Matrix;
  /** Set by ensureRaster once the layout knows how many cells share a device pixel. */
  domain: ColourDomain;
  raster: Raster;
  /** Cells per raster pixel along each axis (1: one pixel per cell). */
  block: number;
  /** Same shape as matrix; −∞ where masked. Null when nothing is masked. */
  readonly maskSource: Matrix | null;
  readonly rowLabels: readonly string[];
  readonly colLabels: readonly string[];
}

interface Cell {
  readonly i: number;
  readonly j: number;
}

/** Per matrix, per block size (cells per raster pixel): the raster and its colour domain. */
const rasterCache = new WeakMap<Matrix, Map<number, { domain: ColourDomain; raster: Raster }>>();
const maskCache = new WeakMap<Matrix, Matrix | null>();
const KIND_TITLE: Record<MatrixKind, string> = {
  scores: 'Scores Q·Kᵀ (raw)',
  scaled: 'Scaled scores (× scale ÷ temperature, masked)',
  weights: 'Attention weights (softmax)',
};
const MIN_VALUE_CELL = 28;
const MIN_HATCH_CELL = 8;
const MAX_FIT_CELL = 48;
/** The matrix area is never fitted smaller than this (CSS px), however tall the controls above it. */
const MIN_FIT_HEIGHT = 200;
const MAX_CELL = 96;
const LABEL_FONT_PX = 11;

/** −∞ wherever the mask hides a pair, for precomputed weights that have no scaled matrix. */
function maskMatrixFor(weights: Matrix, mask: MaskSpec): Matrix | null {
  if (mask.kind === 'none') return null;
  if (maskCache.has(weights)) return maskCache.get(weights) ?? null;
  const data = new Float32Array(weights.rows * weights.cols);
  for (let i = 0; i < weights.rows; i++) {
    for (let j = 0; j < weights.cols; j++) if (!isVisible(mask, i, j)) data[i * weights.cols + j] = -Infinity;
  }
  const m = { rows: weights.rows, cols: weights.cols, data };
  maskCache.set(weights, m);
  return m;
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
function widest(labels: readonly string[], font: string): number {
  let distinct = [...new Set(labels)];
  if (distinct.length > MAX_MEASURED_LABELS) distinct = distinct.sort((a, b) => b.length - a.length).slice(0, MAX_MEASURED_LABELS);
  let max = 0;
  for (const l of distinct) max = Math.max(max, measure(l, font));
  return max;
}

@customElement('attn-matrix')
export class AttnMatrix extends AttnView {
  static override styles = matrixStyles;

  @property() kind: MatrixKind = 'weights';

  /** The cell under the pointer or the keyboard cursor. */
  @state() private cell: Cell | null = null;
  @state() private tipVisible = false;
  @state() private liveText = '';
  @state() private zoom = 1;
  @state() private panX = 0;
  @state() private panY = 0;
  @state() private hostWidth = 0;
  @state() private windowHeight = typeof window !== 'undefined' ? window.innerHeight : 800;
  @state() private panning = false;

  @query('canvas.base') private baseCanvas?: HTMLCanvasElement;
  @query('canvas.overlay') private overlayCanvas?: HTMLCanvasElement;
  @query('.tooltip') private tooltipEl?: HTMLElement;

  private prepared: Prepared | null = null;
  private baseDirty = true;
  private resizeObserver?: ResizeObserver;
  private drag: { x: number; y: number; panX: number; panY: number; moved: boolean; id: number } | null = null;
  private lastHoverRow: number | null = null;
  // Layout, in CSS pixels.
  private labelW = 0;
  private labelH = 0;
  private fit = 1;
  private cssW = 0;
  private cssH = 0;
  private dpr = 1;
  private labelFont = `${LABEL_FONT_PX}px sans-serif`;

  override connectedCallback(): void {
    super.connectedCallback();
    this.resizeObserver = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      // Next frame: resizing the canvas inside this callback would change the observed box again in the same frame.
      if (w > 0 && Math.abs(w - this.hostWidth) > 1) requestAnimationFrame(() => {
          if (this.isConnected) this.hostWidth = w;
        });
    });
    this.resizeObserver.observe(this);
    window.addEventListener('resize', this.onWindowResize);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver?.disconnect();
    window.removeEventListener('resize', this.onWindowResize);
  }

  /** The panel's height changed: the cell size follows it, as it follows the width. */
  private readonly onWindowResize = (): void => {
    if (window.innerHeight !== this.windowHeight) this.windowHeight = window.innerHeight;
  };

  /** Centre of cell (i, j) in CSS pixels relative to the canvas (for tests and tools). */
  cellCenter(i: number, j: number): { x: number; y: number } {
    const c = this.cellSize;
    return { x: this.labelW + this.panX + (j + 0.5) * c, y: this.labelH + this.panY + (i + 0.5) * c };
  }

  /** Current cell size in CSS pixels. */
  get cellSize(): number {
    return this.fit * this.zoom;
  }

  /** The active (hovered or keyboard) cell. */
  get activeCell(): Cell | null {
    return this.cell;
  }

  /** Derivation of the active cell, as shown in the tooltip. */
  get derivation(): CellDerivation | null {
    if (!this.cell || !this.result) return null;
    return deriveCell(this.result, this.layer, this.head, this.cell.i, this.cell.j);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('result') || changed.has('layer') || changed.has('head') || changed.has('kind')) {
      const prevShape = this.prepared ? `${this.prepared.matrix.rows}x${this.prepared.matrix.cols}` : '';
      this.prepared = this.prepare();
      const shape = this.prepared ? `${this.prepared.matrix.rows}x${this.prepared.matrix.cols}` : '';
      if (shape !== prevShape) {
        this.zoom = 1;
        this.panX = 0;
        this.panY = 0;
        this.cell = null;
        this.tipVisible = false;
      }
      this.baseDirty = true;
    }
    if (
      changed.has('hiddenTokens') ||
      changed.has('zoom') ||
      changed.has('panX') ||
      changed.has('panY') ||
      changed.has('hostWidth') ||
      changed.has('windowHeight') ||
      changed.has('themeTick')
    ) {
      this.baseDirty = true;
    }
    if (this.baseDirty && this.prepared) {
      this.layout();
      this.ensureRaster();
    }
  }

  /**
   * Rasterises for the current cell size: 1 px per cell when a cell covers at least a device pixel, else one pixel
   * per block of cells (rasterizePooled), which at N = 4096 reads the matrix once and paints ~640² pixels instead
   * of 4096². Cached per matrix and block size, so zooming back and forth does not repeat the work.
   */
  private ensureRaster(): void {
    const p = this.prepared;
    if (!p) return;
    const dpr = (typeof window !== 'undefined' && window.devicePixelRatio) || 1;
    // Round up: the pooled raster is then at most the drawn size, so no block (no peak) is skipped when drawn.
    const block = Math.max(1, Math.ceil(1 / Math.max(1e-6, this.cellSize * dpr) - 1e-9));
    let byBlock = rasterCache.get(p.matrix);
    if (!byBlock) {
      byBlock = new Map();
      rasterCache.set(p.matrix, byBlock);
    }
    let cached = byBlock.get(block);
    if (!cached) {
      const mask = p.kind === 'scores' ? null : p.maskSource;
      if (block === 1) {
        const domain = matrixDomain(p.kind, p.matrix);
        cached = { domain, raster: rasterize(p.matrix, domain, mask) };
      } else {
        // The spec is only a shortcut for weights over the core's own scaled/mask matrices (same −∞ pattern).
        const spec = p.kind === 'weights' && this.result ? this.result.options.mask : undefined;
        cached = rasterizePooled(p.matrix, p.kind === 'weights' ? 'sequential' : 'diverging', block, mask, spec);
      }
      byBlock.set(block, cached);
    }
    p.domain = cached.domain;
    p.raster = cached.raster;
    p.block = block;
  }

  protected override updated(): void {
    if (this.baseDirty) {
      this.drawBase();
      this.baseDirty = false;
    }
    this.drawOverlay();
    this.placeTooltip();
  }

  /** Shows the tooltip in the top layer and places it beside the active cell, whole inside the viewport. */
  private placeTooltip(): void {
    const tip = this.tooltipEl;
    const canvas = this.baseCanvas;
    if (!tip || !canvas || !this.cell || !tip.isConnected) return;
    if (!tip.matches(':popover-open')) tip.showPopover();
    const r = canvas.getBoundingClientRect();
    const c = this.cellSize;
    // The cell, clipped to the drawn matrix area (after zoom and pan the cell may lie partly outside it).
    const areaLeft = r.left + this.labelW;
    const areaTop = r.top + this.labelH;
    const x0 = Math.max(areaLeft, Math.min(r.left + this.cssW, areaLeft + this.panX + this.cell.j * c));
    const y0 = Math.max(areaTop, Math.min(r.top + this.cssH, areaTop + this.panY + this.cell.i * c));
    const x1 = Math.max(x0, Math.min(r.left + this.cssW, areaLeft + this.panX + (this.cell.j + 1) * c));
    const y1 = Math.max(y0, Math.min(r.top + this.cssH, areaTop + this.panY + (this.cell.i + 1) * c));
    const view = { width: document.documentElement.clientWidth || window.innerWidth, height: window.innerHeight };
    const at = placePopup({ left: x0, top: y0, width: x1 - x0, height: y1 - y0 }, { width: tip.offsetWidth, height: tip.offsetHeight }, view);
    tip.style.translate = `${Math.round(at.x)}px ${Math.round(at.y)}px`;
  }

  private prepare(): Prepared | null {
    const head = this.result?.layers[this.layer]?.heads[this.head];
    if (!this.result || !head) return null;
    let kind = this.kind;
    let matrix: Matrix | null = kind === 'scores' ? head.scores : kind === 'scaled' ? head.scaled : head.weights;
    if (!matrix) {
      kind = 'weights';
      matrix = head.weights;
    }
    let maskSource: Matrix | null = null;
    if (kind === 'scaled') maskSource = matrix;
    else if (kind === 'weights') maskSource = head.scaled ?? maskMatrixFor(matrix, this.result.options.mask);
    const rowLabels = this.result.tokens.slice(0, matrix.rows).map((t) => tokenLabel(t));
    const colLabels = this.result.keyTokens.slice(0, matrix.cols).map((t) => tokenLabel(t));
    // Raster and domain are filled in by ensureRaster, right after layout (this placeholder is never drawn).
    const placeholder = rasterCache.get(matrix)?.values().next().value;
    const domain = placeholder?.domain ?? matrixDomain(kind, { rows: 0, cols: 0, data: new Float32Array(0) });
    return { head, kind, matrix, domain, raster: placeholder?.raster ?? rasterize({ rows: 0, cols: 0, data: new Float32Array(0) }, domain), block: 1, maskSource, rowLabels, colLabels };
  }

  private layout(): void {
    const p = this.prepared as Prepared;
    const family = getComputedStyle(this).fontFamily || 'sans-serif';
    this.labelFont = `${LABEL_FONT_PX}px ${family}`;
    const n = p.matrix.rows;
    const m = p.matrix.cols;
    const maxRow = widest(p.rowLabels, this.labelFont);
    const same = this.result?.keyTokens === this.result?.tokens && p.matrix.rows === p.matrix.cols;
    const maxCol = same ? maxRow : widest(p.colLabels, this.labelFont);
    this.labelW = Math.ceil(Math.min(110, Math.max(24, maxRow + 10)));
    this.labelH = Math.ceil(Math.min(90, Math.max(24, maxCol + 10)));
    const hostW = this.hostWidth || this.clientWidth || 640;
    const availW = Math.max(80, hostW - this.labelW - 8);
    // Fill the height from the matrix's top edge to the bottom of the panel (the page scrolls below a floor).
    const top = this.renderRoot.querySelector('.viewport')?.getBoundingClientRect().top ?? this.getBoundingClientRect().top + 64;
    const availH = Math.max(MIN_FIT_HEIGHT, this.windowHeight - (top + window.scrollY) - 12 - this.labelH);
    this.fit = Math.max(0.01, Math.min(availW / Math.max(1, m), availH / Math.max(1, n), MAX_FIT_CELL));
    this.cssW = Math.ceil(this.labelW + Math.min(availW, m * this.fit));
    this.cssH = Math.ceil(this.labelH + Math.min(availH, n * this.fit));
    this.clampPan();
  }

  private get maxZoom(): number {
    return Math.max(1, MAX_CELL / this.fit);
  }

  private clampPan(): void {
    if (!this.prepared) return;
    const c = this.cellSize;
    const areaW = this.cssW - this.labelW;
    const areaH = this.cssH - this.labelH;
    const minX = Math.min(0, areaW - this.prepared.matrix.cols * c);
    const minY = Math.min(0, areaH - this.prepared.matrix.rows * c);
    this.panX = Math.min(0, Math.max(minX, this.panX));
    this.panY = Math.min(0, Math.max(minY, this.panY));
  }

  private sizeCanvas(canvas: HTMLCanvasElement): void {
    const w = Math.round(this.cssW * this.dpr);
    const h = Math.round(this.cssH * this.dpr);
    if (canvas.width !== w) canvas.width = w;
    if (canvas.height !== h) canvas.height = h;
    canvas.style.width = `${this.cssW}px`;
    canvas.style.height = `${this.cssH}px`;
  }

  private colour(name: string, fallback: string): string {
    const v = getComputedStyle(this).getPropertyValue(`--vscode-${name}`).trim();
    return v || fallback;
  }

  private visibleRange(): { i0: number; i1: number; j0: number; j1: number } {
    const p = this.prepared as Prepared;
    const c = this.cellSize;
    const areaW = this.cssW - this.labelW;
    const areaH = this.cssH - this.labelH;
    return {
      i0: Math.max(0, Math.floor(-this.panY / c)),
      i1: Math.min(p.matrix.rows, Math.ceil((areaH - this.panY) / c)),
      j0: Math.max(0, Math.floor(-this.panX / c)),
      j1: Math.min(p.matrix.cols, Math.ceil((areaW - this.panX) / c)),
    };
  }

  private drawBase(): void {
    const canvas = this.baseCanvas;
    const p = this.prepared;
    if (!canvas || !p) return;
    this.dpr = window.devicePixelRatio || 1;
    this.sizeCanvas(canvas);
    if (this.overlayCanvas) this.sizeCanvas(this.overlayCanvas);
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const c = this.cellSize;
    const { labelW, labelH, cssW, cssH } = this;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    const { i0, i1, j0, j1 } = this.visibleRange();
    const ox = labelW + this.panX;
    const oy = labelH + this.panY;

    ctx.save();
    ctx.beginPath();
    ctx.rect(labelW, labelH, cssW - labelW, cssH - labelH);
    ctx.clip();
    ctx.imageSmoothingEnabled = false;
    if (i1 > i0 && j1 > j0) {
      const b = p.block;
      ctx.drawImage(p.raster, j0 / b, i0 / b, (j1 - j0) / b, (i1 - i0) / b, ox + j0 * c, oy + i0 * c, (j1 - j0) * c, (i1 - i0) * c);
    }
    const data = p.matrix.data;
    const cols = p.matrix.cols;
    const mask = p.kind === 'scores' ? null : p.maskSource?.data;
    if (mask && c >= MIN_HATCH_CELL) {
      ctx.strokeStyle = MASKED_HATCH;
      ctx.lineWidth = 1;
      ctx.beginPath();
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          if (mask[i * cols + j] !== -Infinity) continue;
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
      ctx.font = `${Math.min(12, Math.floor(c / 3.2))}px ${getComputedStyle(this).fontFamily || 'sans-serif'}`;
      ctx.textAlign = 'center';
      ctx.textBaseline = 'middle';
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < j1; j++) {
          const v = data[i * cols + j];
          const masked = mask ? mask[i * cols + j] === -Infinity : false;
          ctx.fillStyle = textOn(colourOf(v, p.domain, masked));
          ctx.fillText(fmtShort(v), ox + (j + 0.5) * c, oy + (i + 0.5) * c + c * 0.18);
        }
      }
    }
    if (this.hiddenTokens.length > 0) {
      ctx.fillStyle = this.colour('editor-background', '#1f1f1f');
      ctx.globalAlpha = 0.72;
      for (const t of this.hiddenTokens) {
        if (t >= i0 && t < i1) ctx.fillRect(labelW, oy + t * c, cssW - labelW, c);
        if (t >= j0 && t < j1) ctx.fillRect(ox + t * c, labelH, c, cssH - labelH);
      }
      ctx.globalAlpha = 1;
    }
    ctx.restore();

    // Labels: every k-th when they would overlap.
    const fg = this.colour('foreground', '#cccccc');
    const dim = this.colour('descriptionForeground', '#9d9d9d');
    const hidden = new Set(this.hiddenTokens);
    const every = Math.max(1, Math.ceil((LABEL_FONT_PX + 2) / c));
    ctx.font = this.labelFont;
    ctx.textBaseline = 'middle';
    ctx.save();
    ctx.beginPath();
    ctx.rect(0, labelH, labelW, cssH - labelH);
    ctx.clip();
    ctx.textAlign = 'right';
    for (let i = Math.ceil(i0 / every) * every; i < i1; i += every) {
      ctx.fillStyle = hidden.has(i) ? dim : fg;
      ctx.fillText(p.rowLabels[i] ?? '', labelW - 5, oy + (i + 0.5) * c);
    }
    ctx.restore();
    ctx.save();
    ctx.beginPath();
    ctx.rect(labelW, 0, cssW - labelW, labelH);
    ctx.clip();
    ctx.textAlign = 'left';
    for (let j = Math.ceil(j0 / every) * every; j < j1; j += every) {
      ctx.save();
      ctx.translate(ox + (j + 0.5) * c, labelH - 5);
      ctx.rotate(-Math.PI / 2);
      ctx.fillStyle = hidden.has(j) ? dim : fg;
      ctx.fillText(p.colLabels[j] ?? '', 0, 0);
      ctx.restore();
    }
    ctx.restore();
    ctx.fillStyle = dim;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'alphabetic';
    ctx.fillText('q ↓  k →', 2, Math.min(labelH - 4, 14));
  }

  private drawOverlay(): void {
    const canvas = this.overlayCanvas;
    const p = this.prepared;
    if (!canvas || !p) return;
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    const c = this.cellSize;
    const { labelW, labelH, cssW, cssH } = this;
    const ox = labelW + this.panX;
    const oy = labelH + this.panY;
    ctx.setTransform(this.dpr, 0, 0, this.dpr, 0, 0);
    ctx.clearRect(0, 0, cssW, cssH);
    const focus = this.colour('focusBorder', '#0078d4');
    const rowBand = (i: number, width: number, dash: number[]): void => {
      if (i < 0 || i >= p.matrix.rows) return;
      const y = oy + i * c;
      ctx.save();
      ctx.beginPath();
      ctx.rect(0, labelH, cssW, cssH - labelH);
      ctx.clip();
      ctx.fillStyle = focus;
      ctx.globalAlpha = 0.35;
      ctx.fillRect(0, y, labelW - 2, c);
      ctx.globalAlpha = 1;
      ctx.setLineDash(dash);
      ctx.lineWidth = width;
      ctx.strokeStyle = focus;
      ctx.strokeRect(labelW + width / 2, y - width / 2, cssW - labelW - width, c + width);
      ctx.restore();
    };
    if (this.lockedToken !== null) rowBand(this.lockedToken, 2.5, []);
    if (this.activeToken !== null && this.activeToken !== this.lockedToken) rowBand(this.activeToken, 1.5, [4, 3]);
    const cell = this.cell;
    if (cell) {
      const x = ox + cell.j * c;
      const y = oy + cell.i * c;
      ctx.save();
      ctx.beginPath();
      ctx.rect(labelW, labelH, cssW - labelW, cssH - labelH);
      ctx.clip();
      // Crosshair: light bands over the row and the column.
      ctx.fillStyle = 'rgba(255, 255, 255, 0.16)';
      ctx.fillRect(labelW, y, cssW - labelW, c);
      ctx.fillRect(x, labelH, c, cssH - labelH);
      ctx.fillStyle = 'rgba(0, 0, 0, 0.12)';
      ctx.fillRect(labelW, y, cssW - labelW, c);
      ctx.fillRect(x, labelH, c, cssH - labelH);
      // Cell outline: dark then light so it shows on any colour.
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
  }

  // ---- interaction -------------------------------------------------------

  private cellAt(clientX: number, clientY: number): Cell | null {
    const canvas = this.baseCanvas;
    const p = this.prepared;
    if (!canvas || !p) return null;
    const r = canvas.getBoundingClientRect();
    const x = clientX - r.left;
    const y = clientY - r.top;
    if (x < this.labelW || y < this.labelH || x >= this.cssW || y >= this.cssH) return null;
    const c = this.cellSize;
    const j = Math.floor((x - this.labelW - this.panX) / c);
    const i = Math.floor((y - this.labelH - this.panY) / c);
    if (i < 0 || j < 0 || i >= p.matrix.rows || j >= p.matrix.cols) return null;
    return { i, j };
  }

  private emit(type: 'token-hover' | 'token-lock', index: number | null): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { index }, bubbles: true, composed: true }));
  }

  private setHoverRow(i: number | null): void {
    if (i === this.lastHoverRow) return;
    this.lastHoverRow = i;
    this.emit('token-hover', i);
  }

  private onPointerDown(e: PointerEvent): void {
    if (e.button !== 0) return;
    this.drag = { x: e.clientX, y: e.clientY, panX: this.panX, panY: this.panY, moved: false, id: e.pointerId };
  }

  private onPointerMove(e: PointerEvent): void {
    const d = this.drag;
    if (d && d.id === e.pointerId) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (!d.moved && Math.hypot(dx, dy) > 3 && this.zoom > 1) {
        d.moved = true;
        this.panning = true;
        (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
        this.tipVisible = false;
      }
      if (d.moved) {
        this.panX = d.panX + dx;
        this.panY = d.panY + dy;
        this.clampPan();
        return;
      }
    }
    const cell = this.cellAt(e.clientX, e.clientY);
    if (!cell) {
      if (this.cell && this.tipVisible) this.tipVisible = false;
      this.setHoverRow(null);
      return;
    }
    if (!this.cell || this.cell.i !== cell.i || this.cell.j !== cell.j) this.cell = cell;
    this.tipVisible = true;
    this.setHoverRow(cell.i);
  }

  private onPointerUp(e: PointerEvent): void {
    const d = this.drag;
    this.drag = null;
    this.panning = false;
    if (!d || d.moved) return;
    const cell = this.cellAt(e.clientX, e.clientY);
    if (cell) this.lock(cell.i);
  }

  private onPointerLeave(): void {
    if (this.drag?.moved) return;
    this.tipVisible = false;
    this.setHoverRow(null);
  }

  private lock(i: number): void {
    this.emit('token-lock', this.lockedToken === i ? null : i);
  }

  private onWheel(e: WheelEvent): void {
    if (!this.prepared) return;
    const canvas = this.baseCanvas;
    if (!canvas) return;
    e.preventDefault();
    const r = canvas.getBoundingClientRect();
    this.zoomAt(e.deltaY < 0 ? 1.25 : 0.8, e.clientX - r.left, e.clientY - r.top);
  }

  /** Zooms by `factor`, keeping the matrix point under (px, py) (canvas CSS px) in place. */
  zoomAt(factor: number, px?: number, py?: number): void {
    const x = px ?? this.labelW + (this.cssW - this.labelW) / 2;
    const y = py ?? this.labelH + (this.cssH - this.labelH) / 2;
    const old = this.cellSize;
    const z = Math.min(this.maxZoom, Math.max(1, this.zoom * factor));
    if (z === this.zoom) return;
    const mx = (x - this.labelW - this.panX) / old;
    const my = (y - this.labelH - this.panY) / old;
    this.zoom = z;
    const c = this.cellSize;
    this.panX = x - this.labelW - mx * c;
    this.panY = y - this.labelH - my * c;
    this.clampPan();
  }

  private resetZoom(): void {
    this.zoom = 1;
    this.panX = 0;
    this.panY = 0;
  }

  private ensureVisible(cell: Cell): void {
    const c = this.cellSize;
    const areaW = this.cssW - this.labelW;
    const areaH = this.cssH - this.labelH;
    const x = this.panX + cell.j * c;
    const y = this.panY + cell.i * c;
    if (x < 0) this.panX -= x;
    else if (x + c > areaW) this.panX -= x + c - areaW;
    if (y < 0) this.panY -= y;
    else if (y + c > areaH) this.panY -= y + c - areaH;
    this.clampPan();
  }

  private moveTo(cell: Cell): void {
    this.cell = cell;
    this.tipVisible = true;
    this.ensureVisible(cell);
    this.announce();
    this.setHoverRow(cell.i);
  }

  private announce(): void {
    const d = this.derivation;
    const p = this.prepared;
    if (!d || !p) {
      this.liveText = '';
      return;
    }
    const v = p.matrix.data[d.row * p.matrix.cols + d.col];
    const valueText = p.kind === 'weights' ? '' : ` ${p.kind === 'scores' ? 'Score' : 'Scaled score'} ${fmt(v)}.`;
    // The whole derivation, not only the weight: keyboard and screen-reader users get what the tooltip shows.
    const steps = d.lines.map((l) => `${l.label}: ${l.text}.`).join(' ');
    this.liveText = `${d.summary}${valueText} ${steps}`;
  }

  private onFocus(): void {
    const p = this.prepared;
    if (!p) return;
    const start = this.cell ?? { i: Math.min(p.matrix.rows - 1, this.lockedToken ?? this.activeToken ?? 0), j: 0 };
    this.moveTo(start);
  }

  private onBlur(): void {
    this.tipVisible = false;
  }

  private onKeyDown(e: KeyboardEvent): void {
    const p = this.prepared;
    if (!p) return;
    const n = p.matrix.rows;
    const m = p.matrix.cols;
    const cur = this.cell ?? { i: 0, j: 0 };
    let next: Cell | null = null;
    switch (e.key) {
      case 'ArrowUp':
        next = { i: Math.max(0, cur.i - 1), j: cur.j };
        break;
      case 'ArrowDown':
        next = { i: Math.min(n - 1, cur.i + 1), j: cur.j };
        break;
      case 'ArrowLeft':
        next = { i: cur.i, j: Math.max(0, cur.j - 1) };
        break;
      case 'ArrowRight':
        next = { i: cur.i, j: Math.min(m - 1, cur.j + 1) };
        break;
      case 'Home':
        next = { i: cur.i, j: 0 };
        break;
      case 'End':
        next = { i: cur.i, j: m - 1 };
        break;
      case 'PageUp':
        next = { i: Math.max(0, cur.i - 10), j: cur.j };
        break;
      case 'PageDown':
        next = { i: Math.min(n - 1, cur.i + 10), j: cur.j };
        break;
      case 'Escape':
        this.tipVisible = false;
        e.preventDefault();
        return;
      case 'Enter':
      case ' ':
        this.lock(cur.i);
        e.preventDefault();
        return;
      case '+':
      case '=':
        this.zoomAt(1.25);
        e.preventDefault();
        return;
      case '-':
        this.zoomAt(0.8);
        e.preventDefault();
        return;
      case '0':
        this.resetZoom();
        e.preventDefault();
        return;
      default:
        return;
    }
    e.preventDefault();
    this.moveTo(next);
  }

  // ---- template ----------------------------------------------------------

  private renderLegend(p: Prepared): TemplateResult {
    const d = p.domain;
    const showMasked = p.kind !== 'scores' && p.maskSource !== null;
    const mid = d.kind === 'diverging' ? html`<span>0</span>` : nothing;
    return html`<div class="legend" part="legend">
      <span class="ramp">
        <span>${fmtShort(d.min)}</span>
        <span class="bar" role="img" aria-label=${d.kind === 'diverging' ? 'Diverging colour scale: blue negative, light zero, red positive' : 'Sequential colour scale: dark low, yellow high'}
          ${styleProps({ background: cssGradient(d.kind) })}></span>
        ${mid}
        <span>${fmtShort(d.max)}</span>
      </span>
      <span>${d.kind === 'diverging' ? 'symmetric around 0' : 'weight'}</span>
      ${showMasked ? html`<span class="ramp"><span class="swatch" aria-hidden="true"></span><span>masked</span></span>` : nothing}
      ${this.hiddenTokens.length > 0 ? html`<span>dimmed: hidden tokens</span>` : nothing}
    </div>`;
  }

  private renderTooltip(): TemplateResult | typeof nothing {
    if (!this.tipVisible || !this.cell) return nothing;
    const d = this.derivation;
    if (!d) return nothing;
    return html`<div class="tooltip" part="tooltip" id="tip" popover="manual" role="tooltip">
      <div class="head">query ${d.row} “<bdi>${tokenLabel(d.query, 24)}</bdi>” → key ${d.col} “<bdi>${tokenLabel(d.key, 24)}</bdi>”${d.masked ? ' (masked)' : ''}</div>
      ${d.lines.map(
        (l) => html`<div class="line" data-key=${l.key}><span class="label">${l.label}</span><span class="text">${l.text}</span></div>`,
      )}
    </div>`;
  }

  private missingNote(): string {
    const none = this.result?.layers.every((L) => L.heads.every((h) => h.q === null)) ?? true;
    return none
      ? 'This result has only attention weights (Q and K are not in the file), so weights are shown.'
      : 'Scores of this head were not sent for this large result, so weights are shown.';
  }

  override render(): TemplateResult {
    const p = this.prepared;
    if (!this.result || !p) return html`<p class="empty">No attention result to show.</p>`;
    const name = headTitle(this.layer, this.head, p.head.name);
    const fallback = p.kind !== this.kind;
    const label = `${KIND_TITLE[p.kind]}, ${name}: ${p.matrix.rows} queries × ${p.matrix.cols} keys. Arrow keys move between cells, Enter locks the query token, Escape hides the details, plus and minus zoom.`;
    return html`
      <div class="toolbar">
        <span class="title">${KIND_TITLE[p.kind]} · ${name} · ${p.matrix.rows}×${p.matrix.cols}</span>
        <button type="button" aria-label="Zoom out" title="Zoom out" @click=${() => this.zoomAt(0.8)}>−</button>
        <button type="button" aria-label="Zoom in" title="Zoom in" @click=${() => this.zoomAt(1.25)}>+</button>
        <button type="button" aria-label="Fit matrix" title="Fit" @click=${this.resetZoom}>Fit</button>
      </div>
      ${fallback ? html`<p class="note">${this.missingNote()}</p>` : nothing}
      ${this.renderLegend(p)}
      <div
        class="viewport ${this.panning ? 'panning' : ''}"
        part="viewport"
        tabindex="0"
        role="group"
        aria-roledescription="attention matrix"
        aria-label=${label}
        aria-describedby="live"
        @pointerdown=${this.onPointerDown}
        @pointermove=${this.onPointerMove}
        @pointerup=${this.onPointerUp}
        @pointerleave=${this.onPointerLeave}
        @wheel=${this.onWheel}
        @keydown=${this.onKeyDown}
        @focus=${this.onFocus}
        @blur=${this.onBlur}
      >
        <canvas class="base" aria-hidden="true"></canvas>
        <canvas class="overlay" aria-hidden="true"></canvas>
        ${this.renderTooltip()}
      </div>
      <div class="sr-only" id="live" role="status" aria-live="polite">${isolatedText(this.liveText)}</div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-matrix': AttnMatrix;
  }
}
