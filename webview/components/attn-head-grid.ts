/**
 * <attn-head-grid>: every head of every layer as a small weights thumbnail with its statistics
 * (mean row entropy in nats, max weight, sink share = mean weight on key 0). Click or Enter on a card
 * fires head-select. Statistics and thumbnails are computed once per weights Matrix (WeakMap caches).
 */
import { html, type PropertyValues, type TemplateResult } from 'lit';
import { AttnView } from './attn-view';
import { customElement, property, state } from 'lit/decorators.js';
import { styleProps } from '../directives/style-props';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { cachedHeadStats, type HeadResult, type HeadStats, type HeadSummaries, type HeadSummary } from '../../src/shared/core';
import { drawThumb, thumbnail } from '../render/thumbnail';
import { headGridStyles } from './attn-head-grid.styles';
import { headTitle } from '../head-label';

export type HeadSort = 'order' | 'entropy' | 'max' | 'sink';

export interface HeadItem {
  readonly layer: number;
  readonly head: number;
  readonly result: HeadResult;
  readonly stats: HeadStats;
  /** Present for large results: the stats and thumbnail came from the host (the weights may not have). */
  readonly summary?: HeadSummary;
}

const THUMB_LIMIT = 64;
const THUMB_BOX = 64;

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

  private items: HeadItem[] = [];
  @state() private sorted: HeadItem[] = [];

  protected override willUpdate(changed: PropertyValues): void {
    if (changed.has('result') || changed.has('summaries')) {
      const items: HeadItem[] = [];
      this.result?.layers.forEach((L, l) =>
        L.heads.forEach((H, h) => {
          const summary = this.summaryOf(l, h);
          items.push(summary ? { layer: l, head: h, result: H, stats: summary.stats, summary } : { layer: l, head: h, result: H, stats: cachedHeadStats(H.weights) });
        }),
      );
      this.items = items;
    }
    if (changed.has('result') || changed.has('summaries') || changed.has('sort')) this.sorted = sortHeads(this.items, this.sort);
  }

  protected override updated(): void {
    const focus = getComputedStyle(this).getPropertyValue('--vscode-focusBorder').trim() || '#0078d4';
    const row = this.activeToken ?? this.lockedToken;
    const canvases = this.renderRoot.querySelectorAll<HTMLCanvasElement>('canvas[data-layer]');
    for (const canvas of canvases) {
      const l = Number(canvas.dataset.layer);
      const h = Number(canvas.dataset.head);
      const H = this.result?.layers[l]?.heads[h];
      if (!H) continue;
      const summary = this.summaryOf(l, h);
      if (summary && this.result) {
        // The thumbnail is already block maxima; drawThumb only needs the full row count for the row marker.
        const full = { rows: this.result.tokens.length, cols: this.result.keyTokens.length, data: summary.thumbnail.data };
        drawThumb(canvas, full, thumbnail(summary.thumbnail, THUMB_LIMIT, true), THUMB_BOX, row, focus);
        continue;
      }
      const t = thumbnail(H.weights, THUMB_LIMIT, true, H.scaled);
      drawThumb(canvas, H.weights, t, THUMB_BOX, row, focus);
    }
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

  private renderCard(item: HeadItem): TemplateResult {
    const s = item.stats;
    const selected = item.layer === this.layer && item.head === this.head;
    const title = `${headTitle(item.layer, item.head, item.result.name)}: mean row entropy ${s.meanEntropy.toFixed(3)} nats (${s.meanEntropyBits.toFixed(3)} bits), max weight ${s.maxWeight.toFixed(3)}, sink share ${(s.sinkShare * 100).toFixed(1)}% (mean weight on the first token)`;
    return html`<li>
      <button
        type="button"
        class="card"
        aria-pressed=${selected ? 'true' : 'false'}
        title=${title}
        data-layer=${item.layer}
        data-head=${item.head}
        @click=${() => this.select(item)}
      >
        <span class="name">${headTitle(item.layer, item.head, item.result.name)}</span>
        <canvas data-layer=${item.layer} data-head=${item.head} aria-hidden="true"></canvas>
        <span class="stats">
          <span class="entropy">H ${s.meanEntropy.toFixed(2)} nats,</span>
          <span class="max">max ${s.maxWeight.toFixed(2)},</span>
          <span class="sink">sink ${(s.sinkShare * 100).toFixed(0)}%</span>
        </span>
      </button>
    </li>`;
  }

  override render(): TemplateResult {
    const result = this.result;
    if (!result || this.items.length === 0) return html`<p class="empty">No attention result to show.</p>`;
    const heads = Math.max(...result.layers.map((L) => L.heads.length));
    const byLayer = this.sort === 'order';
    const body: TemplateResult[] = [];
    let lastLayer = -1;
    for (const item of this.sorted) {
      if (byLayer && item.layer !== lastLayer) {
        body.push(html`<li class="layer-label" aria-hidden="true">Layer ${item.layer}</li>`);
        lastLayer = item.layer;
      }
      body.push(this.renderCard(item));
      if (byLayer) {
        // pad a layer with fewer heads so the next layer starts on a new row
        const count = result.layers[item.layer].heads.length;
        if (item.head === count - 1) for (let k = count; k < heads; k++) body.push(html`<li aria-hidden="true"></li>`);
      }
    }
    return html`
      <div class="bar">
        <span aria-hidden="true">Sort heads by</span>
        <vscode-single-select label="Sort heads by" .value=${this.sort} @change=${this.onSort}>
          <vscode-option value="order">Layer and head</vscode-option>
          <vscode-option value="entropy">Entropy (focused first)</vscode-option>
          <vscode-option value="max">Max weight (high first)</vscode-option>
          <vscode-option value="sink">Sink share (high first)</vscode-option>
        </vscode-single-select>
        <span class="hint">H: mean row entropy in nats (0 = one key, ln n = uniform). Sink: mean weight on the first token.</span>
      </div>
      <ul class="grid ${byLayer ? 'by-layer' : ''}" aria-label="Heads" ${styleProps({ '--attn-heads': String(heads) })}>
        ${body}
      </ul>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-head-grid': AttnHeadGrid;
  }
}
