/**
 * <attn-head-grid>: small multiples of every head, rows = layers and columns = heads (L0H5, 0-based), sized
 * so a whole layer fits the panel's width. Each card is a weights thumbnail; its statistics (mean row entropy
 * in nats, max weight, sink share = mean weight on key 0) show on the card when there is room, and above the
 * grid for the head under the pointer or keyboard focus. Arrow keys move through the grid (one tab stop);
 * click or Enter fires head-select. Statistics and thumbnails are computed once per weights Matrix.
 */
import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { AttnView } from './attn-view';
import { customElement, property, state } from 'lit/decorators.js';
import { repeat } from 'lit/directives/repeat.js';
import { styleProps } from '../directives/style-props';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { cachedHeadStats, HEAD_LABELS, headLabels, scoreHead, type AttentionResult, type HeadLabel, type Intervention, type HeadLabelKind, type HeadResult, type HeadStats, type HeadSummaries, type HeadSummary } from '../../src/shared/core';
import { drawThumb, thumbnail } from '../render/thumbnail';
import { headGridStyles } from './attn-head-grid.styles';
import { headTitle } from '../head-label';
import type { ExportContext } from '../export-provider';
import { headGridExport } from './head-grid-export';
import { HostWidthController } from '../controllers/host-width';
import { RovingTabindexController, type GridPosition } from '../controllers/roving-tabindex';

import { elementBox, isMenuKey, pointBox, requestWhatIfMenu } from './attn-whatif/menu-request';
import type { Box } from '../render/place-popup';

export type HeadSort = 'order' | 'entropy' | 'max' | 'sink' | 'change' | 'previous-token' | 'induction' | 'duplicate-token';

/** Label kinds the grid sorts by (the sink label sorts as the sink share, which is the same measure over every query). */
const LABEL_SORTS = ['previous-token', 'induction', 'duplicate-token'] as const satisfies readonly HeadLabelKind[];

export interface HeadItem {
  readonly layer: number;
  readonly head: number;
  readonly result: HeadResult;
  readonly stats: HeadStats;
  /** Present for large results: the stats and thumbnail came from the host (the weights may not have). */
  readonly summary?: HeadSummary;
  /** A "what if" run: how far this head's attention moved (total variation, 0…1). */
  readonly change?: number;
  /** What the head does (scores ≥ 0.5), best first; scores of the kinds that apply, for sorting. */
  readonly labels?: readonly HeadLabel[];
  readonly scores?: Partial<Record<HeadLabelKind, number | null>>;
}

/** What ablation means, on an ablated head's card (see AblateHead in the core). */
const ABLATED_TEXT = 'ablated: its output Z is replaced by zeros, its weights are as computed';
const THUMB_LIMIT = 64;
/** Cell size bounds (CSS px): small multiples fit 12 heads in a 320 px panel and stay legible when wide. */
const MIN_CELL = 24;
const MAX_CELL = 112;
/** Cards at least this wide show their statistics; smaller ones show them on hover and focus. */
const STATS_CELL = 96;
const GAP = 4;
const LABEL_COL = 36;

/** Sorts a copy: order = layer then head; entropy ascending (most focused first); max and sink descending. */
export function sortHeads(items: readonly HeadItem[], by: HeadSort): HeadItem[] {
  const order = (a: HeadItem, b: HeadItem): number => a.layer - b.layer || a.head - b.head;
  const out = items.slice();
  switch (by) {
    case 'order':
      return out.sort(order);
    case 'entropy':
      return out.sort((a, b) => a.stats.meanEntropy - b.stats.meanEntropy || order(a, b));
    case 'max':
      return out.sort((a, b) => b.stats.maxWeight - a.stats.maxWeight || order(a, b));
    case 'sink':
      return out.sort((a, b) => b.stats.sinkShare - a.stats.sinkShare || order(a, b));
    case 'change':
      return out.sort((a, b) => (b.change ?? 0) - (a.change ?? 0) || order(a, b));
    default:
      return out.sort((a, b) => (b.scores?.[by] ?? -1) - (a.scores?.[by] ?? -1) || order(a, b));
  }
}

@customElement('attn-head-grid')
export class AttnHeadGrid extends AttnView {
  static override styles = headGridStyles;

  @property() sort: HeadSort = 'order';
  /**
   * Snapshot.headSummaries of a large result: stats and thumbnails for every head, so heads whose
   * weights were not sent (0×0) still get a card. Used whenever present.
   */
  @property({ attribute: false }) summaries: HeadSummaries | null = null;
  /** Δweight of a "what if" run, laid out as the result: the thumbnails draw it, diverging around 0. */
  @property({ attribute: false }) difference: AttentionResult | null = null;
  /** A real model: the grid offers the induction probe. */
  @property({ type: Boolean }) canProbe = false;
  /** The probe's answer: its scores replace the induction scores read from this input. */
  @property({ attribute: false }) inductionProbe: { readonly scores?: readonly (readonly number[])[]; readonly message?: string } | null = null;
  @state() private probing = false;
  /** The panel's "what if" interventions: an ablated head's card says so. */
  @property({ attribute: false }) interventions: readonly Intervention[] = [];
  /** A "what if" run's change per head, [layer][head] (the worker's total variation), or null. */
  @property({ attribute: false }) changes: readonly (readonly number[])[] | null = null;

  private items: HeadItem[] = [];
  @state() private sorted: HeadItem[] = [];
  /** The head under the pointer or keyboard focus: its statistics are shown above the grid. */
  @state() private probe: HeadItem | null = null;
  private thumbsDirty = true;
  private drawnWidth = 0;
  private readonly hostWidth = new HostWidthController(this);
  /** In layer order a row is a layer and a column a head; sorted, the cards wrap into rows of `columns`. */
  private readonly keys = new RovingTabindexController(this, {
    shape: () => {
      if (this.sort === 'order') return { rows: this.result?.layers.length ?? 0, cols: (l) => this.result?.layers[l]?.heads.length ?? 0 };
      const n = this.sorted.length;
      const cols = this.columns;
      return { rows: Math.ceil(n / cols), cols: (r) => Math.min(cols, n - r * cols) };
    },
    element: (at) => this.renderRoot.querySelectorAll<HTMLButtonElement>('button.card')[this.indexAt(at)],
    onMove: (at) => (this.probe = this.sorted[this.indexAt(at)] ?? null),
  });

  protected override exportView() {
    return { view: 'grid' as const, provider: { svg: (ctx: ExportContext) => this.toSvg(ctx) } };
  }

  private toSvg(ctx: ExportContext): string {
    const heads = this.headCount;
    return headGridExport({
      items: this.sorted,
      byLayer: this.sort === 'order',
      columns: this.columns,
      layers: this.result?.layers.length ?? 0,
      heads,
      cell: this.cellSize,
      showStats: this.cellSize >= STATS_CELL,
      selected: { layer: this.layer, head: this.head },
      row: this.activeToken ?? this.lockedToken,
      tokens: this.result?.tokens.length ?? 0,
      caption: this.caption(heads),
    }, ctx);
  }

  private caption(heads: number): string {
    return `${this.result?.layers.length ?? 0} layers × ${heads} heads. H: mean row entropy in nats (0 = one key, ln n = uniform). Sink: mean weight on the first token.`;
  }

  /** Index in `sorted` of a grid position. */
  private indexAt(at: GridPosition): number {
    if (this.sort !== 'order') return at.row * this.columns + at.col;
    return this.sorted.findIndex((it) => it.layer === at.row && it.head === at.col);
  }

  private positionOf(index: number): GridPosition {
    const item = this.sorted[index];
    if (this.sort === 'order') return { row: item?.layer ?? 0, col: item?.head ?? 0 };
    return { row: Math.floor(index / this.columns), col: index % this.columns };
  }

  /** Heads per row of the layers × heads grid. */
  private get headCount(): number {
    return Math.max(1, ...(this.result?.layers.map((L) => L.heads.length) ?? [1]));
  }

  /** Side of one small multiple, so that a whole layer fits the panel's width. */
  get cellSize(): number {
    const width = this.hostWidth.width || this.clientWidth || 640;
    const fit = Math.floor((width - LABEL_COL - GAP * this.headCount) / this.headCount);
    return Math.max(MIN_CELL, Math.min(MAX_CELL, fit));
  }

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('changes') && !this.changes && this.sort === 'change') this.sort = 'order';
    if (changed.has('inductionProbe')) this.probing = false;
    if (changed.has('result') || changed.has('summaries') || changed.has('changes') || changed.has('inductionProbe')) {
      const items: HeadItem[] = [];
      this.result?.layers.forEach((L, l) =>
        L.heads.forEach((H, h) => {
          const summary = this.summaryOf(l, h);
          const change = this.changes?.[l]?.[h];
          const more = change === undefined ? {} : { change };
          // A large result's summaries carry the scores over the full weights (the worker has them).
          const own = summary?.scores ?? (H.weights.rows > 0 ? cachedScores(H.weights, this.result!.tokens) : undefined);
          const probed = this.inductionProbe?.scores?.[l]?.[h];
          const scores = probed === undefined ? own : { 'previous-token': null, 'duplicate-token': null, sink: null, ...own, induction: probed };
          if (scores) Object.assign(more, { scores, labels: headLabels(scores) });
          items.push(summary ? { layer: l, head: h, result: H, stats: summary.stats, summary, ...more } : { layer: l, head: h, result: H, stats: cachedHeadStats(H.weights), ...more });
        }),
      );
      this.items = items;
      this.probe = null;
    }
    if (changed.has('result') || changed.has('summaries') || changed.has('changes') || changed.has('inductionProbe') || changed.has('sort')) {
      this.sorted = sortHeads(this.items, this.sort);
      const selected = this.sorted.findIndex((it) => it.layer === this.layer && it.head === this.head);
      this.keys.setPosition(this.positionOf(Math.max(0, selected)));
    }
    // Not on 'sort': cards are keyed, so each canvas moves with its card and keeps its drawing.
    for (const k of ['result', 'summaries', 'activeToken', 'lockedToken', 'themeTick', 'difference']) {
      if (changed.has(k)) this.thumbsDirty = true;
    }
    if (this.hostWidth.width !== this.drawnWidth) {
      this.drawnWidth = this.hostWidth.width;
      this.thumbsDirty = true;
    }
  }

  protected override updated(): void {
    if (!this.thumbsDirty) return;
    this.thumbsDirty = false;
    const focus = getComputedStyle(this).getPropertyValue('--vscode-focusBorder').trim() || '#0078d4';
    const row = this.activeToken ?? this.lockedToken;
    const box = this.thumbBox;
    const limit = Math.min(THUMB_LIMIT, box);
    const canvases = this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-layer]');
    for (const canvas of canvases) {
      const l = Number(canvas.dataset.layer);
      const h = Number(canvas.dataset.head);
      const H = this.result?.layers[l]?.heads[h];
      if (!H) continue;
      const summary = this.summaryOf(l, h);
      const delta = this.difference?.layers[l]?.heads[h]?.weights;
      if (delta && delta.rows > 0) {
        drawThumb(canvas, delta, thumbnail(delta, limit, false, null, true), box, row, focus);
        continue;
      }
      if (summary && this.result) {
        // The thumbnail is already block maxima; drawThumb only needs the full row count for the row marker.
        const full = { rows: this.result.tokens.length, cols: this.result.keyTokens.length, data: summary.thumbnail.data };
        drawThumb(canvas, full, thumbnail(summary.thumbnail, limit, true), box, row, focus);
        continue;
      }
      drawThumb(canvas, H.weights, thumbnail(H.weights, limit, true, H.scaled), box, row, focus);
    }
  }

  /** Thumbnail side inside a card (CSS px). */
  private get thumbBox(): number {
    return Math.max(16, this.cellSize - 8);
  }

  /** The host's summary of a head, when it matches this result's shape. */
  private summaryOf(layer: number, head: number): HeadSummary | undefined {
    const s = this.summaries?.[layer]?.[head];
    const H = this.result?.layers[layer]?.heads[head];
    if (!s || !H || !s.stats || !s.thumbnail || !(s.thumbnail.data instanceof Float32Array)) return undefined;
    if (s.thumbnail.data.length !== s.thumbnail.rows * s.thumbnail.cols) return undefined;
    return s;
  }

  private select(item: HeadItem): void {
    this.dispatchEvent(new CustomEvent('head-select', { detail: { layer: item.layer, head: item.head }, bubbles: true, composed: true }));
  }

  private onSort(e: Event): void {
    const v = (e.target as HTMLSelectElement).value as HeadSort;
    if (v && v !== this.sort) this.sort = v;
  }

  /** Cards per visual row: one layer when in layer order, else as many as fit. */
  private get columns(): number {
    if (this.sort === 'order') return this.headCount;
    const width = this.hostWidth.width || this.clientWidth || 640;
    return Math.max(1, Math.floor((width + GAP) / (this.cellSize + GAP)));
  }

  private statsText(item: HeadItem): string {
    const s = item.stats;
    return `mean row entropy ${s.meanEntropy.toFixed(3)} nats (${s.meanEntropyBits.toFixed(3)} bits), max weight ${s.maxWeight.toFixed(3)}, sink share ${(s.sinkShare * 100).toFixed(1)}% (mean weight on the first token)`;
  }

  /** "What if": ablate this head (right click, or Shift+F10 / the ContextMenu key on the card). */
  private openMenu(item: HeadItem, anchor: Box, returnFocus: HTMLElement): void {
    const name = headTitle(item.layer, item.head, item.result.name);
    requestWhatIfMenu(this, { anchor, items: [{ label: `Ablate head ${name}`, intervention: { kind: 'ablate-head', layer: item.layer, head: item.head } }], returnFocus });
  }

  private onCardKey(e: KeyboardEvent, item: HeadItem): void {
    if (isMenuKey(e)) {
      e.preventDefault();
      const card = e.currentTarget as HTMLElement;
      this.openMenu(item, elementBox(card), card);
      return;
    }
    this.keys.onKeyDown(e);
  }

  private readonly runProbe = (): void => {
    this.probing = true;
    this.dispatchEvent(new CustomEvent('induction-probe-request', { bubbles: true, composed: true }));
  };

  private labelsText(item: HeadItem): string {
    return (item.labels ?? []).map((label) => `${HEAD_LABELS[label.kind].name} ${label.score.toFixed(2)}`).join(', ');
  }

  private changeText(item: HeadItem): string {
    return item.change === undefined ? '' : `Δ ${item.change.toFixed(3)}`;
  }

  private isAblated(item: HeadItem): boolean {
    return this.interventions.some((i) => i.kind === 'ablate-head' && i.layer === item.layer && i.head === item.head);
  }

  private renderCard(item: HeadItem, index: number, showStats: boolean): TemplateResult {
    const s = item.stats;
    const selected = item.layer === this.layer && item.head === this.head;
    const name = headTitle(item.layer, item.head, item.result.name);
    const ablated = this.isAblated(item);
    return html`<li>
      <button
        type="button"
        class="card ${showStats ? '' : 'compact'} ${ablated ? 'ablated' : ''}"
        aria-pressed=${selected ? 'true' : 'false'}
        aria-describedby=${(item.labels ?? []).map((label) => `def-${label.kind}`).join(' ') || nothing}
        title=${`${name}${ablated ? ` (${ABLATED_TEXT})` : ''}: ${this.statsText(item)}${item.labels?.length ? `; ${this.labelsText(item)}` : ''}${item.change === undefined ? '' : `; attention moved ${item.change.toFixed(3)} (total variation)`}`}
        tabindex=${this.keys.tabIndex(this.positionOf(index).row, this.positionOf(index).col)}
        data-layer=${item.layer}
        data-head=${item.head}
        @click=${() => this.select(item)}
        @focus=${() => { this.keys.setPosition(this.positionOf(index)); this.probe = item; }}
        @pointerenter=${() => (this.probe = item)}
        @keydown=${(e: KeyboardEvent) => this.onCardKey(e, item)}
        @contextmenu=${(e: MouseEvent) => { e.preventDefault(); this.openMenu(item, pointBox(e), e.currentTarget as HTMLElement); }}
      >
        <span class="name ${showStats || this.sort !== 'order' ? '' : 'sr-only'}">${name}</span>
        ${ablated ? html`<span class="ablated-badge ${showStats ? '' : 'sr-only'}">ablated</span>` : nothing}
        <canvas data-layer=${item.layer} data-head=${item.head} aria-hidden="true"></canvas>
        <span class="stats ${showStats ? '' : 'sr-only'}">
          <span class="entropy">H ${s.meanEntropy.toFixed(2)} nats,</span>
          <span class="max">max ${s.maxWeight.toFixed(2)},</span>
          <span class="sink">sink ${(s.sinkShare * 100).toFixed(0)}%</span>
        </span>
        ${item.labels?.length ? html`<span class="labels">${item.labels.map((label) => html`<span class="label" data-kind=${label.kind}
          title=${HEAD_LABELS[label.kind].definition}>${HEAD_LABELS[label.kind].name} ${label.score.toFixed(2)}</span>`)}</span>` : nothing}
        ${item.change === undefined ? nothing : html`<span class="change" data-change=${item.change}>${this.changeText(item)}</span>`}
      </button>
    </li>`;
  }

  override render(): TemplateResult {
    const result = this.result;
    if (!result || this.items.length === 0) return html`<p class="empty">No attention result to show.</p>`;
    const heads = this.headCount;
    const byLayer = this.sort === 'order';
    const cell = this.cellSize;
    const showStats = cell >= STATS_CELL;
    const body: { key: string; part: TemplateResult }[] = [];
    if (byLayer) {
      body.push({ key: 'corner', part: html`<li class="corner" aria-hidden="true"></li>` });
      for (let h = 0; h < heads; h++) body.push({ key: `H${h}`, part: html`<li class="col-label" aria-hidden="true">H${h}</li>` });
    }
    let lastLayer = -1;
    this.sorted.forEach((item, index) => {
      if (byLayer && item.layer !== lastLayer) {
        body.push({ key: `L${item.layer}`, part: html`<li class="layer-label" aria-hidden="true">L${item.layer}</li>` });
        lastLayer = item.layer;
      }
      body.push({ key: `${item.layer}/${item.head}`, part: this.renderCard(item, index, showStats) });
      if (byLayer) {
        // pad a layer with fewer heads so the next layer starts on a new row
        const count = result.layers[item.layer].heads.length;
        if (item.head === count - 1) for (let k = count; k < heads; k++) body.push({ key: `pad${item.layer}/${k}`, part: html`<li aria-hidden="true"></li>` });
      }
    });
    const probe = this.probe ?? this.sorted.find((it) => it.layer === this.layer && it.head === this.head) ?? null;
    return html`
      <div class="bar">
        <span aria-hidden="true">Sort heads by</span>
        <vscode-single-select label="Sort heads by" .value=${this.sort} @change=${this.onSort}>
          <vscode-option value="order">Layer and head</vscode-option>
          <vscode-option value="entropy">Entropy (focused first)</vscode-option>
          <vscode-option value="max">Max weight (high first)</vscode-option>
          <vscode-option value="sink">Sink share (high first)</vscode-option>
          ${this.changes ? html`<vscode-option value="change">Change (most first)</vscode-option>` : nothing}
          ${LABEL_SORTS.map((kind) => html`<vscode-option value=${kind}>${labelSortName(kind)} score (high first)</vscode-option>`)}
        </vscode-single-select>
        ${this.canProbe ? html`<button type="button" class="probe-run" ?disabled=${this.probing} @click=${this.runProbe}>${this.probing ? 'Running the induction probe…' : 'Run the induction probe'}</button>` : nothing}
        <span class="hint">${this.caption(heads)}</span>
      </div>
      ${this.inductionProbe?.scores ? html`<p class="legend" role="status">Induction scores from the probe: a random token sequence repeated once, scored on the repeat (TransformerLens style).</p>` : nothing}
      ${this.inductionProbe?.message ? html`<p class="legend" role="alert">${this.inductionProbe.message}</p>` : nothing}
      ${this.difference ? html`<p class="legend">Thumbnails: Δweight (with the interventions − without), blue lower, red higher. Δ on a card: how far its attention moved, the mean over queries of ½·Σ|Δweight| (0 to 1).</p>` : nothing}
      <p class="probe">${probe ? html`<strong>${headTitle(probe.layer, probe.head, probe.result.name)}</strong>: ${this.statsText(probe)}${probe.change === undefined ? '' : `; attention moved ${probe.change.toFixed(3)}`}` : nothing}</p>
      ${probe?.labels?.length ? html`<ul class="definitions" aria-label="What its labels mean">${probe.labels.map((label) => html`<li data-kind=${label.kind}>
        <strong>${HEAD_LABELS[label.kind].name} ${label.score.toFixed(2)}</strong>: ${HEAD_LABELS[label.kind].definition}</li>`)}</ul>` : nothing}
      <div class="sr-only">${Object.entries(HEAD_LABELS).map(([kind, label]) => html`<span id=${`def-${kind}`}>${label.name}: ${label.definition}</span>`)}</div>
      <ul class="grid ${byLayer ? 'by-layer' : ''}" aria-label="Heads: arrow keys move, Enter focuses a head"
        @pointerleave=${() => (this.probe = null)}
        ${styleProps({ '--attn-heads': String(heads), '--attn-cell': `${cell}px`, '--attn-label': `${LABEL_COL}px`, '--attn-gap': `${GAP}px` })}>
        ${repeat(body, (b) => b.key, (b) => b.part)}
      </ul>
    `;
  }
}

/** "Previous token" for the sort menu. */
function labelSortName(kind: HeadLabelKind): string {
  const name = HEAD_LABELS[kind].name;
  return name.charAt(0).toUpperCase() + name.slice(1);
}

const scoreCache = new WeakMap<object, ReturnType<typeof scoreHead>>();

/** A head's label scores, computed once per weights matrix. */
function cachedScores(weights: HeadResult['weights'], tokens: readonly string[]): ReturnType<typeof scoreHead> {
  let hit = scoreCache.get(weights);
  if (!hit) scoreCache.set(weights, (hit = scoreHead(weights, tokens)));
  return hit;
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-head-grid': AttnHeadGrid;
  }
}
