/**
 * <attn-matrix>: one head's scores, scaled scores or weights as a canvas heatmap.
 *
 * prepared.ts picks the matrix and rasterises it once at 1 px per cell (or per block of cells); viewport.ts owns
 * fit, zoom and pan; painter.ts draws the base canvas (heatmap, labels, values, hatching) and the overlay (hover,
 * keyboard cursor, crosshair, token rows), so moving the pointer never repaints the heatmap. Pointer, wheel and
 * keyboard are reactive controllers. Hidden tokens are dimmed (rows and columns stay, so indices keep their meaning).
 */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, query, state } from 'lit/decorators.js';
import { AttnView } from '../attn-view';
import { styleProps } from '../../directives/style-props';
import type { MatrixKind } from '../../../src/shared/protocol';
import { deriveCell, deriveDifferenceCell, type CellDerivation } from '../../render/cell-derivation';
import { cssGradient } from '../../render/colour-scale';
import { fmt, fmtShort, tokenLabel } from '../../render/format';
import { isolatedText } from '../../token-text';
import { placePopup } from '../../render/place-popup';
import { headTitle } from '../../head-label';
import { readVar } from '../../theme';
import { HostWidthController } from '../../controllers/host-width';
import { RovingTabindexController, type GridPosition } from '../../controllers/roving-tabindex';
import { matrixStyles } from './styles';
import { askedRaster, blockForCell, noRaster, prepare, rasterFor, type Prepared, type PreparedRaster } from './prepared';
import type { IndexRange } from '../../../src/shared/core';
import type { RasterWanted } from '../../withheld-data';
import { drawBase, drawOverlay, sizedContext, widestLabel, type MatrixColours } from './painter';
import {
  cellAt, cellCenter, cellSize, EMPTY_VIEWPORT, ensureVisible, fitViewport, labelSizes, resetZoom, visibleCellBox, visibleRange, zoomAt,
  type Cell, type Viewport,
} from './viewport';
import { MatrixPointerController, type MatrixPointerHost } from './pointer-controller';
import { MatrixWheelController } from './wheel-controller';
import type { ExportContext } from '../../export-provider';
import { matrixToSvg } from '../../export';
import { hideTokens } from '../../../src/shared/hiddenTokens';
import { tokenText } from '../../token-text';
import { elementBox, isMenuKey, pointBox, requestWhatIfMenu } from '../attn-whatif/menu-request';
import type { Box } from '../../render/place-popup';

const KIND_TITLE: Record<MatrixKind, string> = {
  scores: 'Scores Q·Kᵀ (raw)',
  scaled: 'Scaled scores (× scale ÷ temperature, masked)',
  weights: 'Attention weights (softmax)',
};

/** The pause after a zoom or pan before a withheld matrix's next raster is asked for. */
const RASTER_DEBOUNCE_MS = 80;

const DIFFERENCE_TITLE = 'Δweight (what if − original)';
const ROLLOUT_TITLE = 'Attention rollout, an approximation (Abnar & Zuidema 2020)';

@customElement('attn-matrix')
export class AttnMatrix extends AttnView implements MatrixPointerHost {
  static override styles = matrixStyles;

  @property() kind: MatrixKind = 'weights';
  /** The result's weights are Δweight of a "what if" run (diverging colours, a Δ tooltip). */
  @property({ type: Boolean }) difference = false;
  /** The result's weights are attention rollout (the title says so: it is an approximation). */
  @property({ type: Boolean }) rollout = false;

  /** The cell under the pointer or the keyboard cursor. */
  @state() private cell: Cell | null = null;
  @state() private tipVisible = false;
  @state() private liveText = '';
  @state() viewport: Viewport = EMPTY_VIEWPORT;
  @state() panning = false;
  @state() private windowHeight = typeof window !== 'undefined' ? window.innerHeight : 800;

  @query('canvas.base') private baseCanvas?: HTMLCanvasElement;
  @query('canvas.overlay') private overlayCanvas?: HTMLCanvasElement;
  @query('.tooltip') private tooltipEl?: HTMLElement;

  private readonly hostWidth = new HostWidthController(this);
  private readonly pointer = new MatrixPointerController(this);
  private readonly keys = new RovingTabindexController(this, {
    shape: () => ({ rows: this.prepared?.rows ?? 0, cols: () => this.prepared?.cols ?? 0 }),
    onMove: (at) => this.moveTo({ i: at.row, j: at.col }),
    onActivate: (at) => this.toggleLock(at.row),
  });

  private prepared: Prepared | null = null;
  private raster: PreparedRaster | null = null;
  /** What the viewport was last fitted to and the base canvas last drawn from: redone only when these change. */
  private fittedTo: readonly unknown[] = [];
  private drawnFrom: readonly unknown[] = [];
  private lastHoverRow: number | null = null;
  /** The raster last asked for (a withheld matrix) and its block size, and the pause before asking for the next. */
  private asked: { readonly wanted: RasterWanted; readonly block: number } | null = null;
  private rasterTimer: ReturnType<typeof setTimeout> | undefined;
  private fontFamily = 'sans-serif';

  constructor() {
    super();
    // It registers itself with the element and listens for the wheel on its own.
    new MatrixWheelController(this);
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('resize', this.onWindowResize);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.rasterTimer);
    window.removeEventListener('resize', this.onWindowResize);
  }

  /** The panel's height changed: the cell size follows it, as it follows the width. */
  private readonly onWindowResize = (): void => {
    if (window.innerHeight !== this.windowHeight) this.windowHeight = window.innerHeight;
  };

  /** Centre of cell (i, j) in CSS pixels relative to the canvas (for tests and tools). */
  cellCenter(i: number, j: number): { x: number; y: number } {
    return cellCenter(this.viewport, i, j);
  }

  /** Current cell size in CSS pixels. */
  get cellSize(): number {
    return cellSize(this.viewport);
  }

  /** The active (hovered or keyboard) cell. */
  get activeCell(): Cell | null {
    return this.cell;
  }

  /** Derivation of the active cell, as shown in the tooltip. */
  get derivation(): CellDerivation | null {
    if (!this.cell || !this.result) return null;
    const { i, j } = this.cell;
    if (this.difference) return deriveDifferenceCell(this.result, this.layer, this.head, i, j);
    if (!this.prepared?.withheld) return deriveCell(this.result, this.layer, this.head, i, j);
    // A withheld matrix: the row is asked for once, and the tooltip comes with it.
    const row = this.data?.row(this.layer, this.head, i);
    return row ? deriveCell(this.result, this.layer, this.head, i, j, row) : null;
  }

  protected override exportView() {
    return { view: 'matrix' as const, provider: { svg: (ctx: ExportContext) => this.toSvg(ctx), png: () => this.baseCanvas?.toDataURL('image/png') ?? null } };
  }

  /** The matrix as an SVG heatmap (weights with hidden keys renormalised, as the CSV has them). */
  private toSvg(ctx: ExportContext): string {
    const p = this.prepared;
    const r = this.result;
    if (!p || !r) return matrixToSvg({ rows: 0, cols: 0, data: new Float32Array(0) }, [], [], { title: ctx.title, colors: ctx.colors });
    // A withheld matrix is exported as drawn: the heatmap picture, its shape and labels.
    const m = p.withheld ? { rows: p.rows, cols: p.cols, data: new Float32Array(0) } : p.kind === 'weights' ? hideTokens(p.matrix, this.hiddenTokens) : p.matrix;
    const png = this.baseCanvas?.toDataURL('image/png');
    return matrixToSvg(m, r.tokens.map(tokenText), r.keyTokens.map(tokenText), { title: ctx.title, colors: ctx.colors, kind: p.kind, mask: r.options.mask, pngDataUrl: png });
  }

  /** Zooms by `factor`, keeping the matrix point under (px, py) (canvas CSS px) in place. */
  zoomAt(factor: number, px?: number, py?: number): void {
    this.viewport = zoomAt(this.viewport, factor, px, py);
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('result') || changed.has('layer') || changed.has('head') || changed.has('kind') || changed.has('difference')) {
      const shape = (p: Prepared | null): string => (p ? `${p.rows}x${p.cols}` : '');
      const before = shape(this.prepared);
      this.prepared = prepare(this.result, this.layer, this.head, this.kind, this.difference);
      if (shape(this.prepared) !== before) {
        this.viewport = resetZoom(this.viewport);
        this.cell = null;
        this.tipVisible = false;
      }
    }
    const p = this.prepared;
    if (!p) return;
    const room = [p, this.hostWidth.width, this.windowHeight, this.themeTick];
    if (room.some((x, k) => x !== this.fittedTo[k])) {
      this.fit(p);
      this.fittedTo = room;
    }
    // The keyboard cursor's row of a withheld matrix has come: announce the derivation it waited for.
    if (changed.has('dataVersion') && p.withheld && this.cell && this.liveText === '') this.announce();
    const cellDevicePx = cellSize(this.viewport) * (window.devicePixelRatio || 1);
    // Cached per matrix and block size: cheap when the cell size did not change. A withheld matrix: the raster asked for.
    this.raster = p.withheld ? this.askedRaster(p, cellDevicePx) : rasterFor(p, cellDevicePx);
  }

  /**
   * The raster of a withheld matrix: the last one the worker sent for this head and kind (it stays on screen while
   * the next comes), and a request for another when it does not cover the visible cells at the cell size drawn.
   * Zoom and pan ask again after a short pause; the first picture asks at once.
   */
  private askedRaster(p: Prepared, cellDevicePx: number): PreparedRaster {
    const data = this.data;
    const answer = data?.raster(this.layer, this.head, p.kind) ?? null;
    if (!data) return noRaster();
    const block = blockForCell(cellDevicePx);
    const { i0, i1, j0, j1 } = visibleRange(this.viewport);
    const wanted: RasterWanted = {
      layer: this.layer, head: this.head, matrix: p.kind, rows: [i0, i1], cols: [j0, j1],
      outWidth: Math.max(1, Math.ceil((j1 - j0) / block)), outHeight: Math.max(1, Math.ceil((i1 - i0) / block)),
    };
    // Good enough: the same head and kind, covering the visible cells, at about the block size drawn (not coarser).
    const fits = (have: { layer: number; head: number; matrix: MatrixKind; rows: IndexRange; cols: IndexRange }, haveBlock: number) =>
      have.layer === wanted.layer && have.head === wanted.head && have.matrix === wanted.matrix && haveBlock <= block && haveBlock * 2 > block
      && have.rows[0] <= i0 && have.rows[1] >= i1 && have.cols[0] <= j0 && have.cols[1] >= j1;
    const pending = this.asked && data.lastWanted === this.asked.wanted && fits(this.asked.wanted, this.asked.block);
    const waiting = this.asked && data.lastWanted !== this.asked.wanted && JSON.stringify(this.asked.wanted) === JSON.stringify(wanted);
    if (!pending && !waiting && !(answer && fits(answer, answer.block))) {
      clearTimeout(this.rasterTimer);
      this.asked = { wanted, block };
      // The first picture asks at once; zoom and pan ask after a short pause, the last raster staying meanwhile.
      if (answer) this.rasterTimer = setTimeout(() => data.askRaster(wanted), RASTER_DEBOUNCE_MS);
      else data.askRaster(wanted);
    }
    return answer ? askedRaster(answer) : noRaster();
  }

  /** Fits the viewport to the room below the matrix's top edge and to its labels (measured in the theme's font). */
  private fit(p: Prepared): void {
    this.fontFamily = getComputedStyle(this).fontFamily || 'sans-serif';
    const rowW = widestLabel(p.rowLabels, this.fontFamily);
    const same = this.result?.keyTokens === this.result?.tokens && p.rows === p.cols;
    const { labelW, labelH } = labelSizes(rowW, same ? rowW : widestLabel(p.colLabels, this.fontFamily));
    // Fill the height from the matrix's top edge to the bottom of the panel (the page scrolls below a floor).
    const top = this.renderRoot.querySelector('.viewport')?.getBoundingClientRect().top ?? this.getBoundingClientRect().top + 64;
    const room = { width: this.hostWidth.width || this.clientWidth || 640, height: this.windowHeight - (top + window.scrollY) - 12 };
    this.viewport = fitViewport(this.viewport, { rows: p.rows, cols: p.cols, labelW, labelH }, room);
  }

  private colours(): MatrixColours {
    return {
      background: readVar(this, 'editor-background', '#1f1f1f'),
      foreground: readVar(this, 'foreground', '#cccccc'),
      dim: readVar(this, 'descriptionForeground', '#9d9d9d'),
      focus: readVar(this, 'focusBorder', '#0078d4'),
    };
  }

  protected override updated(): void {
    const p = this.prepared;
    const dpr = window.devicePixelRatio || 1;
    if (p && this.raster && this.baseCanvas && this.overlayCanvas) {
      const from = [p, this.raster, this.viewport, this.hiddenTokens, this.themeTick, dpr];
      const colours = this.colours();
      if (from.some((x, k) => x !== this.drawnFrom[k])) {
        const ctx = sizedContext(this.baseCanvas, this.viewport, dpr);
        // Until a withheld matrix's first raster comes the canvas stays empty (the note says it is on its way).
        if (ctx && this.raster !== noRaster()) drawBase(ctx, this.viewport, p, this.raster, colours, { hiddenTokens: this.hiddenTokens, fontFamily: this.fontFamily });
        this.drawnFrom = from;
      }
      const overlay = sizedContext(this.overlayCanvas, this.viewport, dpr);
      if (overlay) drawOverlay(overlay, this.viewport, colours, { lockedToken: this.lockedToken, activeToken: this.activeToken, cell: this.cell });
    }
    this.placeTooltip();
  }

  /** Shows the tooltip in the top layer and places it beside the active cell, whole inside the viewport. */
  private placeTooltip(): void {
    const tip = this.tooltipEl;
    const canvas = this.baseCanvas;
    if (!tip || !canvas || !this.cell || !tip.isConnected) return;
    if (!tip.matches(':popover-open')) tip.showPopover();
    const r = canvas.getBoundingClientRect();
    // The cell, clipped to the drawn matrix area (after zoom and pan the cell may lie partly outside it).
    const box = visibleCellBox(this.viewport, this.cell);
    const view = { width: document.documentElement.clientWidth || window.innerWidth, height: window.innerHeight };
    const at = placePopup({ ...box, left: r.left + box.left, top: r.top + box.top }, { width: tip.offsetWidth, height: tip.offsetHeight }, view);
    tip.style.translate = `${Math.round(at.x)}px ${Math.round(at.y)}px`;
  }

  // ---- interaction (the controllers call these) ----------------------------

  canvasPoint(clientX: number, clientY: number): { x: number; y: number } | null {
    const canvas = this.baseCanvas;
    if (!canvas || !this.prepared) return null;
    const r = canvas.getBoundingClientRect();
    return { x: clientX - r.left, y: clientY - r.top };
  }

  cellAtClient(clientX: number, clientY: number): Cell | null {
    const p = this.canvasPoint(clientX, clientY);
    return p ? cellAt(this.viewport, p.x, p.y) : null;
  }

  pointAt(cell: Cell | null): void {
    if (!cell) {
      this.tipVisible = false;
      this.setHoverRow(null);
      return;
    }
    if (!this.cell || this.cell.i !== cell.i || this.cell.j !== cell.j) this.cell = cell;
    this.keys.setPosition({ row: cell.i, col: cell.j });
    this.tipVisible = true;
    this.setHoverRow(cell.i);
  }

  hideTooltip(): void {
    this.tipVisible = false;
  }

  toggleLock(row: number): void {
    this.emit('token-lock', this.lockedToken === row ? null : row);
  }

  private emit(type: 'token-hover' | 'token-lock', index: number | null): void {
    this.dispatchEvent(new CustomEvent(type, { detail: { index }, bubbles: true, composed: true }));
  }

  private setHoverRow(i: number | null): void {
    if (i === this.lastHoverRow) return;
    this.lastHoverRow = i;
    this.emit('token-hover', i);
  }

  /** The keyboard cursor moved to `cell`: show and announce its derivation, scrolled into view. */
  private moveTo(cell: Cell): void {
    this.cell = cell;
    this.tipVisible = true;
    this.viewport = ensureVisible(this.viewport, cell);
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
    const v = p.withheld ? d.lines.find((l) => l.key === (p.kind === 'scores' ? 'score' : 'scaled'))?.value ?? NaN : p.matrix.data[d.row * p.matrix.cols + d.col];
    const valueText = p.kind === 'weights' ? '' : ` ${p.kind === 'scores' ? 'Score' : 'Scaled score'} ${fmt(v)}.`;
    // The whole derivation, not only the weight: keyboard and screen-reader users get what the tooltip shows.
    const steps = d.lines.map((l) => `${l.label}: ${l.text}.`).join(' ');
    this.liveText = `${d.summary}${valueText} ${steps}`;
  }

  private onFocus(): void {
    const p = this.prepared;
    if (!p) return;
    const start: GridPosition = this.cell
      ? { row: this.cell.i, col: this.cell.j }
      : { row: Math.min(p.rows - 1, this.lockedToken ?? this.activeToken ?? 0), col: 0 };
    this.keys.setPosition(start);
    this.moveTo({ i: start.row, j: start.col });
  }

  /** "What if": cut this edge of this head (the pointer's right click, or Shift+F10 on the keyboard cursor's cell). */
  private openMenu(cell: Cell, anchor: Box): void {
    const p = this.prepared;
    if (!p || !this.result) return;
    const masked = p.withheld ? this.derivation?.masked ?? false : p.maskSource !== null && p.maskSource.data[cell.i * p.matrix.cols + cell.j] === -Infinity;
    if (masked) return;
    const name = headTitle(this.layer, this.head, p.head.name);
    requestWhatIfMenu(this, {
      anchor,
      items: [{
        label: `Cut edge query ${cell.i + 1} “${tokenLabel(p.rowLabels[cell.i] ?? '', 12)}” → key ${cell.j + 1} “${tokenLabel(p.colLabels[cell.j] ?? '', 12)}” in ${name}`,
        intervention: { kind: 'cut-edge', layer: this.layer, head: this.head, query: cell.i, key: cell.j },
      }],
      returnFocus: this.renderRoot.querySelector<HTMLElement>('.viewport'),
    });
  }

  private onContextMenu(e: MouseEvent): void {
    const cell = this.cellAtClient(e.clientX, e.clientY);
    if (!cell) return;
    e.preventDefault();
    this.openMenu(cell, pointBox(e));
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (!this.prepared) return;
    if (isMenuKey(e) && this.cell) {
      e.preventDefault();
      const canvas = this.baseCanvas?.getBoundingClientRect();
      const box = visibleCellBox(this.viewport, this.cell);
      this.openMenu(this.cell, canvas ? { ...box, left: canvas.left + box.left, top: canvas.top + box.top } : elementBox(this));
      return;
    }
    if (this.keys.onKeyDown(e)) return;
    const zoom: Record<string, (v: Viewport) => Viewport> = {
      '+': (v) => zoomAt(v, 1.25),
      '=': (v) => zoomAt(v, 1.25),
      '-': (v) => zoomAt(v, 0.8),
      '0': resetZoom,
    };
    if (e.key === 'Escape') this.tipVisible = false;
    else if (zoom[e.key]) this.viewport = zoom[e.key](this.viewport);
    else return;
    e.preventDefault();
  }

  // ---- template ------------------------------------------------------------

  private renderLegend(p: Prepared, r: PreparedRaster): TemplateResult {
    const d = r.domain;
    const showMasked = p.kind !== 'scores' && (p.withheld ? p.maskSpec.kind !== 'none' : p.maskSource !== null);
    const mid = d.kind !== 'sequential' ? html`<span>0</span>` : nothing;
    const meaning = p.difference ? 'Δweight: with the interventions − without' : d.kind === 'diverging' ? 'symmetric around 0' : 'weight';
    const scaleName = d.kind === 'sequential' ? 'Sequential colour scale: dark low, yellow high' : `Diverging colour scale: blue ${p.difference ? 'lower' : 'negative'}, light zero, red ${p.difference ? 'higher' : 'positive'}`;
    return html`<div class="legend" part="legend">
      <span class="ramp">
        <span>${fmtShort(d.min)}</span>
        <span class="bar" role="img" aria-label=${scaleName}
          ${styleProps({ background: cssGradient(d.kind) })}></span>
        ${mid}
        <span>${fmtShort(d.max)}</span>
      </span>
      <span class="meaning">${meaning}</span>
      ${showMasked ? html`<span class="ramp"><span class="swatch" aria-hidden="true"></span><span>masked</span></span>` : nothing}
      ${this.hiddenTokens.length > 0 ? html`<span>dimmed: hidden tokens</span>` : nothing}
    </div>`;
  }

  private renderTooltip(): TemplateResult | typeof nothing {
    if (!this.tipVisible || !this.cell) return nothing;
    const d = this.derivation;
    if (!d) return nothing;
    return html`<div class="tooltip" part="tooltip" id="tip" popover="manual" role="tooltip">
      <div class="head">query ${d.row + 1} “<bdi>${tokenLabel(d.query, 24)}</bdi>” → key ${d.col + 1} “<bdi>${tokenLabel(d.key, 24)}</bdi>”${d.masked ? ' (masked)' : ''}</div>
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
    const r = this.raster;
    if (!this.result || !p || !r) return html`<p class="empty">No attention result to show.</p>`;
    const name = headTitle(this.layer, this.head, p.head.name);
    const fallback = p.kind !== this.kind;
    const title = this.rollout ? ROLLOUT_TITLE : p.difference ? DIFFERENCE_TITLE : KIND_TITLE[p.kind];
    const label = `${title}, ${name}: ${p.rows} queries × ${p.cols} keys, counted from 1. Arrow keys move between cells, Enter locks the query token, Escape hides the details, plus and minus zoom.`;
    return html`
      <div class="toolbar">
        <span class="title">${title} · ${name} · ${p.rows}×${p.cols}</span>
        <button type="button" aria-label="Zoom out" title="Zoom out" @click=${() => this.zoomAt(0.8)}>−</button>
        <button type="button" aria-label="Zoom in" title="Zoom in" @click=${() => this.zoomAt(1.25)}>+</button>
        <button type="button" aria-label="Fit matrix" title="Fit" @click=${() => (this.viewport = resetZoom(this.viewport))}>Fit</button>
      </div>
      ${fallback ? html`<p class="note">${this.missingNote()}</p>` : nothing}
      ${p.withheld && r === noRaster() ? html`<p class="note" role="status">${this.data?.problem ?? 'Asking the compute process for the heatmap…'}</p>` : nothing}
      ${this.renderLegend(p, r)}
      <div
        class="viewport ${this.panning ? 'panning' : ''}"
        part="viewport"
        tabindex="0"
        role="group"
        aria-roledescription="attention matrix"
        aria-label=${label}
        aria-describedby="live"
        @pointerdown=${this.pointer.onPointerDown}
        @pointermove=${this.pointer.onPointerMove}
        @pointerup=${this.pointer.onPointerUp}
        @pointerleave=${this.pointer.onPointerLeave}
        @keydown=${this.onKeyDown}
        @contextmenu=${this.onContextMenu}
        @focus=${this.onFocus}
        @blur=${this.hideTooltip}
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
