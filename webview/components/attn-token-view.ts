import { html, svg, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { repeat } from 'lit/directives/repeat.js';
import { AttnView } from './attn-view';
import { customElement, property } from 'lit/decorators.js';
import { styleProps } from '../directives/style-props';
import type { Matrix } from '../../src/shared/core';
import { hideTokens, shownWeights } from '../../src/shared/hiddenTokens';
import { FULL_SNAPSHOT_CELLS, isWithheld } from '../../src/shared/protocol';
import { rowMatrix } from '../withheld-data';
import { headColor } from '../theme';
import { shortToken, tokenText } from '../token-text';
import { TOKEN_ROW_HEIGHT, tokenViewSvg, type SvgColors, type TokenSvgLine } from '../export';
import { tokenViewStyles } from './attn-token-view.styles';
import { keysToDraw, LINE_RULE_LABELS } from '../render/line-selection';
import { readableOn } from '../render/contrast';
import { fmtWeight } from '../render/format';
import type { LineRule } from '../../src/shared/enums';
import { headTitle } from '../head-label';
import type { ExportContext } from '../export-provider';
import { RovingTabindexController, type GridPosition } from '../controllers/roving-tabindex';
import { VisibleRowsController } from '../controllers/visible-rows';

/** Rows of the token view's keyboard grid: its two columns. */
const QUERIES = 0;
const KEYS = 1;

/**
 * Above this many query tokens only the active token's lines are drawn. It is the side of the largest square result
 * that travels whole (FULL_SNAPSHOT_CELLS): above it the weights come a row at a time, so one rule covers both.
 */
export const ALL_LINES_LIMIT = Math.sqrt(FULL_SNAPSHOT_CELLS);
/** At most this many lines are drawn at once (the strongest win). */
export const MAX_LINES = 4000;
/** The faintest line's opacity; line colours are chosen to keep 3:1 on the background even at it. */
export const MIN_LINE_OPACITY = 0.6;
/** Above this many tokens in a column only the rows on screen (and the focused, active and locked ones) are in the DOM. */
export const VIRTUALIZE_ABOVE = 200;

export interface DrawnLine extends TokenSvgLine {
  readonly head: number;
}

/**
 * BertViz-style view: query tokens left, key tokens right, one line per (query, key) pair the line rule
 * picks (by default the strongest keys of each query); opacity and width grow with the weight, scaled to
 * the strongest line drawn, so a row of small weights at thousands of tokens still reads. Several heads
 * can be overlaid, each in its own palette colour.
 *
 * Fires `token-hover` and `token-lock` ({index}) for query tokens and `hidden-change`
 * ({hiddenTokens}) when a key token is clicked (hide / show it, weights renormalised); `<attn-app>` decides
 * what is active and hands it back. One tab stop: arrows move within a column, Left and Right between them.
 */
@customElement('attn-token-view')
export class AttnTokenView extends AttnView {
  static override styles = tokenViewStyles;

  /** Other heads of the same layer drawn on top, each in its own colour. */
  @property({ attribute: false }) overlayHeads: readonly number[] = [];
  /** Which keys each query's lines go to. */
  @property() lineRule: LineRule = 'top-k';
  /** Under the 'threshold' rule, lines below this weight are not drawn. */
  @property({ type: Number }) threshold = 0.05;
  /** The source text is in an editor, which tints the keys of the focused token (the legend gives the scale). */
  @property({ type: Boolean }) editorTints = false;

  private readonly keys = new RovingTabindexController(this, {
    vertical: true,
    rememberPerRow: true,
    shape: () => ({ rows: 2, cols: (row) => (row === QUERIES ? this.result?.tokens.length : this.result?.keyTokens.length) ?? 0 }),
    element: (at) => this.renderRoot.querySelector<HTMLElement>(`.tok[data-col="${at.row === QUERIES ? 'q' : 'k'}"][data-index="${at.col}"]`),
    onActivate: (at: GridPosition) => (at.row === QUERIES ? this.toggleLock(at.col) : this.toggleHidden(at.col)),
  });

  private readonly visibleRows = new VisibleRowsController(this, {
    rowHeight: TOKEN_ROW_HEIGHT,
    overscan: 12,
    initialRows: 64,
    target: () => this.renderRoot.querySelector('.board'),
  });

  /** The rows of one column to put in the DOM: all of a short column; of a long one, those on screen and the pinned. */
  private rowsOf(column: typeof QUERIES | typeof KEYS, count: number, pinned: readonly (number | null)[]): number[] {
    if (count <= VIRTUALIZE_ABOVE) return Array.from({ length: count }, (_, i) => i);
    const { row, col } = this.keys.position;
    return this.visibleRows.rows(count, [...pinned, row === column ? col : null]);
  }

  /** The query token whose lines are shown alone, or null for all lines. */
  get shownToken(): number | null {
    const n = this.result?.tokens.length ?? 0;
    const t = this.activeToken ?? this.lockedToken;
    return t !== null && t >= 0 && t < n ? t : null;
  }

  /** Heads drawn, focused head first. */
  get drawnHeads(): number[] {
    const count = this.result?.layers[this.layer]?.heads.length ?? 0;
    const out = this.head < count ? [this.head] : [];
    for (const h of this.overlayHeads) if (h >= 0 && h < count && !out.includes(h)) out.push(h);
    return out;
  }

  /** Head colour adjusted to the theme's background (read each render: themeTick re-renders on a switch). */
  private lineColour(head: number): string {
    const bg = getComputedStyle(this).getPropertyValue('--vscode-editor-background').trim() || '#1f1f1f';
    return readableOn(headColor(head), bg, MIN_LINE_OPACITY);
  }

  private weightsOf(head: number): Matrix | null {
    const h = this.result?.layers[this.layer]?.heads[head];
    return h && !isWithheld(h.weights) ? hideTokens(h.weights, this.hiddenTokens) : null;
  }

  /** Whether the focused layer's weights are withheld: lines are drawn for the active token only, from its asked-for row. */
  private get onRequest(): boolean {
    return isWithheld(this.result?.layers[this.layer]?.heads[this.head]?.weights);
  }

  /** Row i of a head as shown (hidden keys renormalised): from the matrix, or asked for when it is withheld (null until here). */
  private rowOf(head: number, i: number, whole: Matrix | null): Float32Array | null {
    if (whole) return whole.data.subarray(i * whole.cols, (i + 1) * whole.cols);
    const asked = this.data?.row(this.layer, head, i);
    return asked ? shownWeights(rowMatrix(asked.weights), 0, this.hiddenTokens) : null;
  }

  /** The lines currently drawn (also used for export). */
  computeLines(): DrawnLine[] {
    const r = this.result;
    if (!r) return [];
    const n = r.tokens.length;
    const active = this.shownToken;
    if (active === null && (n > ALL_LINES_LIMIT || this.onRequest)) return [];
    const lines: DrawnLine[] = [];
    for (const head of this.drawnHeads) {
      const w = this.weightsOf(head);
      const color = this.lineColour(head);
      const from = active ?? 0;
      const to = active === null ? w?.rows ?? 0 : active + 1;
      for (let i = from; i < to; i++) {
        const row = this.rowOf(head, i, w);
        if (!row) continue;
        for (const j of keysToDraw(row, this.lineRule, this.threshold)) lines.push({ from: i, to: j, weight: row[j], color, head });
      }
    }
    if (lines.length > MAX_LINES) {
      lines.sort((a, b) => b.weight - a.weight);
      lines.length = MAX_LINES;
    }
    // Faint lines first so strong ones are painted on top.
    return lines.sort((a, b) => a.weight - b.weight);
  }

  protected override exportView() {
    return { view: 'tokens' as const, provider: { svg: (ctx: ExportContext) => this.toSvg(ctx.colors) } };
  }

  /** A standalone SVG of what is shown now (locked / hovered token included). */
  toSvg(colors?: SvgColors): string {
    const r = this.result;
    if (!r) return tokenViewSvg({ title: 'No data', queryTokens: [], keyTokens: [], lines: [], activeToken: null, colors });
    const name = headTitle(this.layer, this.head, r.layers[this.layer]?.heads[this.head]?.name);
    return tokenViewSvg({
      title: `${name}${this.drawnHeads.length > 1 ? ` + ${this.drawnHeads.length - 1} overlaid` : ''}`,
      queryTokens: r.tokens.map(tokenText),
      keyTokens: r.keyTokens.map(tokenText),
      lines: this.computeLines(),
      activeToken: this.shownToken,
      hiddenTokens: this.hiddenTokens,
      colors,
    });
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('lockedToken') && this.lockedToken !== null) this.keys.setPosition({ row: QUERIES, col: this.lockedToken });
  }

  private fire(name: 'token-hover' | 'token-lock', index: number | null): void {
    this.dispatchEvent(new CustomEvent(name, { detail: { index }, bubbles: true, composed: true }));
  }

  private toggleLock(index: number): void {
    this.fire('token-lock', this.lockedToken === index ? null : index);
  }

  private toggleHidden(j: number): void {
    const set = new Set(this.hiddenTokens);
    if (set.has(j)) set.delete(j);
    else set.add(j);
    const hiddenTokens = [...set].sort((a, b) => a - b);
    this.dispatchEvent(new CustomEvent('hidden-change', { detail: { hiddenTokens }, bubbles: true, composed: true }));
  }

  private onKeyDown(e: KeyboardEvent): void {
    if (this.keys.onKeyDown(e)) return;
    if (e.key === 'Escape' && this.lockedToken !== null && this.keys.position.row === QUERIES) {
      e.preventDefault();
      e.stopPropagation();
      this.fire('token-lock', null);
    }
  }

  private queryLabel(i: number, w: Matrix | null, activeRow: Float32Array | null): string {
    const r = this.result;
    if (!r) return '';
    let label = `Token ${i + 1}: ${shortToken(r.tokens[i])}`;
    // A withheld matrix: only the active token's row is here (asked for), so only it says where it attends most.
    const row = w ? w.data.subarray(i * w.cols, (i + 1) * w.cols) : i === this.shownToken ? activeRow : null;
    if (row && row.length > 0) {
      let best = -1;
      let bestW = -Infinity;
      for (let j = 0; j < row.length; j++) {
        const v = row[j];
        if (v > bestW) { bestW = v; best = j; }
      }
      if (best >= 0 && bestW > 0) label += `, attends most to ${shortToken(r.keyTokens[best])} (token ${best + 1}, ${bestW.toFixed(2)})`;
    }
    if (this.lockedToken === i) label += ', locked';
    return label;
  }

  override render(): TemplateResult {
    const r = this.result;
    if (!r || !r.layers[this.layer]?.heads[this.head]) return html`<p class="empty">No attention to show.</p>`;
    const n = r.tokens.length;
    const m = r.keyTokens.length;
    const rh = TOKEN_ROW_HEIGHT;
    const height = Math.max(n, m) * rh;
    const gap = 200;
    const focused = this.weightsOf(this.head);
    const active = this.shownToken;
    const hidden = new Set(this.hiddenTokens);
    const lines = this.computeLines();
    const heads = this.drawnHeads;
    const layerHeads = r.layers[this.layer].heads;
    // No row while the weights are still being computed (0 × 0): the tokens are drawn without lines.
    const activeRow = active !== null && focused?.cols !== 0 ? this.rowOf(this.head, active, focused) : null;
    const drawnKeys = new Set(activeRow ? keysToDraw(activeRow, this.lineRule, this.threshold) : []);
    const rowMax = activeRow ? Math.max(0, ...[...drawnKeys].map((j) => activeRow[j])) : 0;
    // Line strength is relative to the strongest line drawn: absolute weights vanish at thousands of tokens.
    const lineMax = lines.reduce((m, l) => Math.max(m, l.weight), 0) || 1;
    const focusColor = this.lineColour(this.head);
    return html`
      <ul class="legend" aria-label="Heads shown">
        ${heads.map((h) => html`<li><span class="swatch" ${styleProps({ background: this.lineColour(h) })}></span>${headTitle(this.layer, h, layerHeads[h].name)}</li>`)}
        <li class="scale">${LINE_RULE_LABELS[this.lineRule]}${lines.length > 0 ? html`; the widest line is weight ${fmtWeight(lineMax)}` : nothing}</li>
        ${this.editorTints && activeRow && rowMax > 0
          ? html`<li class="scale">Editor tints: darkest = ${fmtWeight(rowMax)}, this token's largest weight</li>`
          : nothing}
      </ul>
      ${(n > ALL_LINES_LIMIT || this.onRequest) && active === null
        ? html`<p class="hint">${n} tokens: hover or select a token to see its lines.</p>`
        : nothing}
      <div class="board" ${styleProps({ '--row': `${rh}px`, '--gap': `${gap}px` })} @mouseleave=${() => this.fire('token-hover', null)}
        @keydown=${this.onKeyDown}>
        <div class="col queries" role="group" aria-label="Query tokens" ${styleProps({ height: `${n * rh}px` })}>
          ${repeat(this.rowsOf(QUERIES, n, [active, this.lockedToken]), (i) => i, (i) => html`<div
              class="tok ${i === active ? 'active' : ''} ${i === this.lockedToken ? 'locked' : ''}"
              ${styleProps({ top: `${i * rh}px` })}
              role="button"
              data-col="q"
              data-index=${i}
              tabindex=${this.keys.tabIndex(QUERIES, i)}
              aria-pressed=${i === this.lockedToken ? 'true' : 'false'}
              aria-label=${this.queryLabel(i, focused, activeRow)}
              @mouseenter=${() => this.fire('token-hover', i)}
              @focus=${() => { this.keys.setPosition({ row: QUERIES, col: i }); this.fire('token-hover', i); }}
              @blur=${() => this.fire('token-hover', null)}
              @click=${() => this.toggleLock(i)}
            ><span class="text">${tokenText(r.tokens[i])}</span></div>`)}
        </div>
        <svg class="lines" aria-hidden="true" height=${height} viewBox="0 0 ${gap} ${height}" preserveAspectRatio="none">
          ${lines.map((l) => svg`<line
              data-from=${l.from} data-to=${l.to} data-head=${l.head}
              x1="2" y1=${l.from * rh + rh / 2} x2=${gap - 2} y2=${l.to * rh + rh / 2}
              stroke=${l.color}
              stroke-opacity=${(MIN_LINE_OPACITY + (1 - MIN_LINE_OPACITY) * Math.min(1, l.weight / lineMax)).toFixed(3)}
              stroke-width=${(0.75 + 5 * Math.min(1, l.weight / lineMax)).toFixed(2)}
              vector-effect="non-scaling-stroke"></line>`)}
        </svg>
        <div class="col keys" role="group" aria-label="Key tokens (select to hide or show)" ${styleProps({ height: `${m * rh}px` })}>
          ${repeat(this.rowsOf(KEYS, m, []), (j) => j, (j) => {
            const w = activeRow ? activeRow[j] : 0;
            const isHidden = hidden.has(j);
            return html`<div
                class="tok ${isHidden ? 'hidden-key' : ''} ${activeRow && !drawnKeys.has(j) ? 'dim' : ''}"
                ${styleProps({ top: `${j * rh}px` })}
                role="button"
                data-col="k"
                data-index=${j}
                tabindex=${this.keys.tabIndex(KEYS, j)}
                aria-pressed=${isHidden ? 'true' : 'false'}
                aria-label=${`Key ${j + 1}: ${shortToken(r.keyTokens[j])}${activeRow ? `, weight ${w.toFixed(2)}` : ''}${isHidden ? ', hidden' : ''}`}
                title=${isHidden ? 'Hidden: click to show again' : 'Click to hide this key (weights renormalised)'}
                @focus=${() => this.keys.setPosition({ row: KEYS, col: j })}
                @click=${() => this.toggleHidden(j)}
              ><span class="text">${tokenText(r.keyTokens[j])}</span>${activeRow && drawnKeys.has(j)
                ? html`<span class="bar" ${styleProps({ width: `${Math.max(1, Math.round((w / rowMax) * 80))}px`, background: focusColor })}></span>`
                : nothing}</div>`;
          })}
        </div>
      </div>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-token-view': AttnTokenView;
  }
}
