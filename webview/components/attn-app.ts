import { LitElement, html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { customElement, property, state } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-tabs/index.js';
import '@vscode-elements/elements/dist/vscode-tab-header/index.js';
import '@vscode-elements/elements/dist/vscode-tab-panel/index.js';
import '@vscode-elements/elements/dist/vscode-progress-ring/index.js';
import type { Matrix, Problem } from '../../src/shared/core';
import { VIEWS } from '../../src/shared/enums';
import type { ErrorPayload, ExportFormat, ExportPayload, MatrixKind, NextTokens, Snapshot, TokenFocusPayload, UiState, ViewName } from '../../src/shared/protocol';
import type { AppTarget, InductionProbeAnswer } from '../host';
import { DEFAULT_UI, mergeUi } from '../../src/shared/uiState';
import { hideTokens, shownWeights } from '../../src/shared/hiddenTokens';
import { buildExport, exportColoursOf } from './app-export';
import { EXPORT_PROVIDER_EVENT, type ExportRegistration, type ViewExport } from '../export-provider';
import { isolatedText } from '../token-text';
import './attn-controls';
import './attn-export';
import './attn-token-view';
import './attn-matrix';
import './attn-pipeline';
import './attn-head-grid';
import './attn-next-tokens';
import { appStyles } from './attn-app.styles';
import './attn-whatif/attn-whatif-bar';
import './attn-whatif/attn-context-menu';
import { WhatIfController } from './attn-whatif/whatif-controller';
import { renderRolloutOption } from './attn-whatif/rollout';
import { renderGroupingOption, tokenWeights } from './attn-whatif/word-grouping';
import { viewResult, type ViewResult } from './attn-whatif/view-result';
import { rowMatrix, withheldExportNote, WithheldData } from '../withheld-data';
import { isWithheld } from '../../src/shared/protocol';

const VIEW_LABELS: Readonly<Record<ViewName, string>> = {
  tokens: 'Tokens',
  matrix: 'Matrix',
  pipeline: 'Pipeline',
  grid: 'Heads',
};

/** "line 3, column 7" from a problem's 0-based location. */
export function problemText(p: Problem): string {
  if (!p.location) return p.message;
  const message = p.message.replace(/ \(line \d+, column \d+\)\.?$/, '');
  return `Line ${p.location.line + 1}, column ${p.location.column + 1}: ${message}`;
}

/**
 * The panel shell: source label, honesty and error banners, controls, view tabs, busy indicator
 * and the current view. host.ts sets `snapshot`, `error`, `busy`, `highlightToken` and `ui`.
 *
 * Fires (bubbling, composed): `ui-change` (UiState), `token-focus` (TokenFocusPayload),
 * `export-request` ({format, suggestedName, content}); `settings-change` and `follow-change` come
 * from `<attn-controls>` and pass through.
 */
@customElement('attn-app')
export class AttnApp extends LitElement implements AppTarget {
  static override styles = appStyles;

  @property({ attribute: false }) snapshot: Snapshot | null = null;
  @property({ attribute: false }) error: ErrorPayload | null = null;
  @property({ type: Boolean }) busy = false;
  /** Token under the editor cursor, highlighted as if hovered. */
  @property({ attribute: false }) highlightToken: number | null = null;
  @property({ attribute: false }) ui: UiState = DEFAULT_UI;
  @property({ attribute: false }) hoverNextTokens: NextTokens | null = null;
  /** The induction probe's answer for a real model (asked for from the head grid). */
  @property({ attribute: false }) inductionProbe: InductionProbeAnswer | null = null;

  /** The token hovered or keyboard-focused in any view. */
  @state() private hoverToken: number | null = null;
  /** The focus to return to when a streamed run's whole result arrives (see followStreamedLayers). */
  private focusBeforeStream: { layer: number; head: number } | null = null;
  /** The position whose next tokens were last asked for, so a hover asks once. */
  private requestedNext: number | null = null;
  /** The element that last had focus inside the panel, given it back when the panel is entered again. */
  private lastFocused: WeakRef<HTMLElement> | null = null;
  /** The exporter each shown view registered. */
  private readonly exporters = new Map<ViewName, ViewExport>();
  /** What the editor was last told to show (token, head, hidden keys, snapshot), so it is told once per change. */
  private editorFocusKey = 'none';
  /** The "what if" list: its context menu, chips, undo and what each view shows. */
  private readonly whatIf = new WhatIfController(this);
  /** The rows and rasters the views ask for when the snapshot withholds a matrix (host.ts hands it the answers). */
  readonly data = new WithheldData((detail) => this.dispatchEvent(new CustomEvent('data-request', { detail, bubbles: true, composed: true })), () => this.dataVersion++);
  /** Grows with every answer the store takes: the views draw again. */
  @state() private dataVersion = 0;
  /** Why the last export did not happen, in one sentence (cleared by the next export or result). */
  @state() private exportNote: string | null = null;

  constructor() {
    super();
    this.addEventListener('token-hover', (e) => this.onTokenHover(e as CustomEvent<{ index: number | null }>));
    this.addEventListener('token-lock', (e) => this.onTokenLock(e as CustomEvent<{ index: number | null }>));
    this.addEventListener('head-select', (e) => {
      const d = (e as CustomEvent<{ layer: number; head: number }>).detail;
      if (d && Number.isInteger(d.layer) && Number.isInteger(d.head)) this.setUi({ layer: d.layer, head: d.head });
    });
    this.addEventListener('hidden-change', (e) => {
      const d = (e as CustomEvent<{ hiddenTokens: number[] }>).detail;
      if (d && Array.isArray(d.hiddenTokens)) this.setUi({ hiddenTokens: d.hiddenTokens });
    });
    this.addEventListener('ui-patch', (e) => {
      e.stopPropagation();
      this.setUi((e as CustomEvent<Partial<UiState>>).detail);
    });
    this.addEventListener('export-format', (e) => {
      e.stopPropagation();
      void this.exportCurrent((e as CustomEvent<{ format: ExportFormat }>).detail.format);
    });
    this.addEventListener('focusin', (e) => {
      const target = e.composedPath()[0];
      if (target instanceof HTMLElement) this.lastFocused = new WeakRef(target);
    });
    this.addEventListener(EXPORT_PROVIDER_EVENT, (e) => {
      e.stopPropagation();
      const reg = (e as CustomEvent<ExportRegistration>).detail;
      this.exporters.set(reg.view, reg.provider);
      reg.unregister = () => {
        if (this.exporters.get(reg.view) === reg.provider) this.exporters.delete(reg.view);
      };
    });
    this.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.ui.lockedToken !== null) {
        e.preventDefault();
        this.lockToken(null);
      }
    });
  }

  override connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('focus', this.restoreFocus);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('focus', this.restoreFocus);
  }

  /** Entering the panel (the webview's window gets focus) returns to where the user was, not to the top. */
  private readonly restoreFocus = (): void => {
    const last = this.lastFocused?.deref();
    const active = document.activeElement;
    if (last?.isConnected && (active === null || active === document.body || active === this)) last.focus();
  };

  /** The one rule for the token the views show as active: hovered, else under the editor cursor, else locked. */
  get activeToken(): number | null {
    const cursor = this.highlightToken === null ? null : this.shown()?.groups?.queries.groupOf[this.highlightToken] ?? this.highlightToken;
    return this.inResult(this.hoverToken ?? cursor ?? this.ui.lockedToken);
  }

  /** The token the editor tints follow: hovered or focused in the panel, else locked (the editor has its cursor). */
  private get editorToken(): number | null {
    return this.inResult(this.hoverToken ?? this.ui.lockedToken);
  }

  private inResult(t: number | null): number | null {
    return t !== null && t < (this.shown()?.result.tokens.length ?? 0) ? t : null;
  }

  /** Keeps the UI state inside what the current snapshot has. */
  private clampUi(ui: UiState): UiState {
    const r = this.snapshot?.result;
    if (!r) return ui;
    const layer = Math.min(ui.layer, r.layers.length - 1);
    const heads = r.layers[layer].heads.length;
    const head = Math.min(ui.head, heads - 1);
    const n = r.tokens.length;
    const m = r.keyTokens.length;
    const lockedToken = ui.lockedToken !== null && ui.lockedToken < n ? ui.lockedToken : null;
    const overlayHeads = ui.overlayHeads.filter((h) => h < heads && h !== head);
    const hiddenTokens = ui.hiddenTokens.filter((j) => j < m);
    const same = layer === ui.layer && head === ui.head && lockedToken === ui.lockedToken
      && overlayHeads.length === ui.overlayHeads.length && hiddenTokens.length === ui.hiddenTokens.length;
    return same ? ui : { ...ui, layer, head, lockedToken, overlayHeads, hiddenTokens };
  }

  override willUpdate(changed: PropertyValues<this>): void {
    if (changed.has('snapshot')) this.followStreamedLayers();
    if (changed.has('snapshot') || changed.has('ui')) {
      const next = this.clampUi(this.ui);
      if (next !== this.ui) {
        this.ui = next;
        if (changed.has('snapshot')) this.fireUi();
      }
    }
    if (changed.has('snapshot') && this.hoverToken !== null && this.hoverToken >= (this.snapshot?.result.tokens.length ?? 0)) {
      this.hoverToken = null;
    }
    if (changed.has('snapshot')) {
      if (this.snapshot) this.data.showing(this.snapshot.seq);
      this.exportNote = null;
      this.hoverNextTokens = null;
      this.requestedNext = null;
    }
  }

  override updated(): void {
    this.requestNextTokens();
    this.syncEditorFocus();
  }

  /**
   * Tells the host what the editor should tint whenever the token, the head, the hidden keys or the result change:
   * the weights the panel shows, hidden keys renormalised, so the editor and the panel agree.
   */
  private syncEditorFocus(): void {
    const index = this.editorToken;
    const { layer, head, hiddenTokens } = this.ui;
    const weights = index === null ? undefined : this.shown()?.weights.layers[layer]?.heads[head]?.weights;
    // A withheld matrix: its row comes on request (the tints follow when it is here).
    const asked = weights && index !== null && isWithheld(weights) ? this.data.row(layer, head, index)?.weights : undefined;
    const key = index === null ? 'none' : JSON.stringify([index, layer, head, hiddenTokens, this.snapshot?.seq, this.whatIf.mode, asked !== undefined]);
    if (key === this.editorFocusKey) return;
    this.editorFocusKey = key;
    const groups = this.shown()?.groups;
    const row = asked ? shownWeights(rowMatrix(asked), 0, hiddenTokens)
      : weights && index !== null && index < weights.rows ? shownWeights(weights, index, hiddenTokens) : null;
    const word = groups && index !== null ? groups.queries.groups[index] : undefined;
    const detail: TokenFocusPayload = !row || index === null ? { index: null, layer, head }
      : groups && word ? { index: word[0], lastIndex: word[word.length - 1], layer, head, weights: tokenWeights(row, groups.keys) }
        : { index, layer, head, weights: Array.from(row) };
    this.dispatchEvent(new CustomEvent('token-focus', { detail, bubbles: true, composed: true }));
  }

  /** A model result lists next tokens for the last position; the active token's list comes from the host on demand. */
  private requestNextTokens(): void {
    const active = this.activeToken;
    const last = this.snapshot?.nextTokens;
    if (!last || active === null || active === last.position || active === this.hoverNextTokens?.position || active === this.requestedNext) return;
    this.requestedNext = active;
    this.dispatchEvent(new CustomEvent('next-tokens-request', { detail: { position: active }, bubbles: true, composed: true }));
  }

  /**
   * A streamed model run's partial snapshot has only its first layers: the focus falls back into them, and comes back
   * to the layer and head the user had when the whole result arrives (unless they chose another meanwhile).
   */
  private followStreamedLayers(): void {
    if (this.snapshot?.progress) {
      this.focusBeforeStream ??= { layer: this.ui.layer, head: this.ui.head };
    } else if (this.focusBeforeStream) {
      this.ui = { ...this.ui, ...this.focusBeforeStream };
      this.focusBeforeStream = null;
    }
  }

  private fireUi(): void {
    this.dispatchEvent(new CustomEvent('ui-change', { detail: this.ui, bubbles: true, composed: true }));
  }

  /** Applies a partial UI change (validated and kept within the snapshot) and reports it. */
  setUi(patch: Partial<UiState>): void {
    if (patch.layer !== undefined || patch.head !== undefined) this.focusBeforeStream = null;
    const wasGrouped = this.shown()?.groups != null;
    let next = this.clampUi(mergeUi(this.ui, patch));
    // Back to subword tokens, or no token edit: mergeUi keeps only values, so these fields are cleared here.
    if ('grouping' in patch && patch.grouping === undefined) next = { ...next, grouping: undefined };
    if ('tokenEdit' in patch && patch.tokenEdit === undefined) next = { ...next, tokenEdit: undefined };
    if ((this.shown(next)?.groups != null) !== wasGrouped || next.grouping !== this.ui.grouping) {
      // Token and word indices differ: what was locked, hovered or hidden does not carry over.
      next = { ...next, lockedToken: null, hiddenTokens: [] };
      this.hoverToken = null;
    }
    this.ui = next;
    this.fireUi();
  }

  private lockToken(index: number | null): void {
    this.setUi({ lockedToken: index });
  }

  private onTokenHover(e: CustomEvent<{ index: number | null }>): void {
    const i = e.detail?.index;
    if (i !== null && !(Number.isInteger(i) && i >= 0)) return;
    this.hoverToken = i;
  }

  private onTokenLock(e: CustomEvent<{ index: number | null }>): void {
    const i = e.detail?.index;
    if (i !== null && !(Number.isInteger(i) && i >= 0)) return;
    this.lockToken(i);
  }

  /** The matrix the current view stands for: the matrix view's kind, else the weights. */
  currentMatrix(): { matrix: Matrix; kind: MatrixKind } | null {
    const r = this.snapshot?.result;
    const head = r?.layers[this.ui.layer]?.heads[this.ui.head];
    if (!r || !head) return null;
    const kind: MatrixKind = this.ui.view === 'matrix' ? this.ui.matrix : 'weights';
    const m = head[kind];
    if (kind === 'weights' || !m) return { matrix: isWithheld(head.weights) ? head.weights : hideTokens(head.weights, this.ui.hiddenTokens), kind: 'weights' };
    return { matrix: m, kind };
  }

  /**
   * Builds the export of the current view and fires `export-request` (returned); the CSV or JSON of a withheld matrix
   * fires `export-matrix-request` instead (null is returned: the host writes it).
   */
  async exportCurrent(format: ExportFormat): Promise<ExportPayload | null> {
    const snapshot = this.snapshot;
    const current = this.currentMatrix();
    if (!snapshot || !current) return null;
    const built = await buildExport({ snapshot, ui: this.ui, current, provider: this.exporters.get(this.ui.view), colours: () => exportColoursOf(this) }, format);
    this.exportNote = built && 'matrixFile' in built && isWithheld(current.matrix) ? withheldExportNote(current.matrix) : null;
    if (built && 'matrixFile' in built) this.dispatchEvent(new CustomEvent('export-matrix-request', { detail: built.matrixFile, bubbles: true, composed: true }));
    if (!built || !('payload' in built)) return null;
    this.dispatchEvent(new CustomEvent('export-request', { detail: built.payload, bubbles: true, composed: true }));
    return built.payload;
  }

  private renderBanners(snap: Snapshot | null): TemplateResult {
    const err = this.error;
    const prov = snap?.result.provenance;
    const first = err?.problems.find((p) => p.severity === 'error') ?? err?.problems[0];
    const more = err ? err.problems.length - 1 : 0;
    return html`
      ${err
        ? html`<div class="banner error" role="alert">
            <p>${isolatedText(first ? problemText(first) : err.message)}${more > 0 ? ` (+${more} more)` : ''}</p>
            ${first && !err.message.includes(first.message) ? html`<p class="detail">${isolatedText(err.message)}</p>` : nothing}
            ${snap ? html`<p class="detail">Showing the last good result.</p>` : nothing}
          </div>`
        : nothing}
      ${prov
        ? html`<div class="banner" role="note" data-provenance=${prov.kind}>
            <p>${prov.kind === 'random'
              ? 'Random weights: the pattern shows the mechanism, not learned meaning.'
              : isolatedText(prov.description)}</p>
          </div>`
        : nothing}
      ${snap && snap.warnings.length > 0
        ? html`<div class="banner warning" role="status">
            <p>${isolatedText(problemText(snap.warnings[0]))}${snap.warnings.length > 1 ? ` (+${snap.warnings.length - 1} more warnings)` : ''}</p>
          </div>`
        : nothing}`;
  }

  private renderNextTokens(last: NextTokens, tokens: readonly string[]): TemplateResult {
    const active = this.activeToken;
    const shown = active !== null && this.hoverNextTokens?.position === active ? this.hoverNextTokens : last;
    return html`<attn-next-tokens .nextTokens=${shown} .tokens=${tokens} .pending=${active}
      .shift=${this.whatIf.comparison?.nextTokens ?? null}></attn-next-tokens>`;
  }

  /** What the views draw (see view-result.ts): the run, the original or Δweight, rollout, words. */
  shown(ui = this.ui): ViewResult | null {
    return this.snapshot ? viewResult(this.snapshot, ui, (snap) => this.whatIf.shown(snap), this.whatIf.mode) : null;
  }

  private renderView(snap: Snapshot): TemplateResult {
    const ui = this.ui;
    const { result: r, weights, rollout, difference } = this.shown()!;
    const options = html`${renderRolloutOption(snap, ui.rollout ?? false, (on) => this.setUi({ rollout: on }))}
      ${renderGroupingOption(ui.grouping, (grouping) => this.setUi({ grouping }))}`;
    const active = this.activeToken;
    switch (ui.view) {
      case 'tokens':
        // The options follow the tokens, so the first token stays the first stop after the tabs.
        return html`<attn-token-view .result=${weights} .layer=${ui.layer} .head=${ui.head} .activeToken=${active} .data=${this.data} .dataVersion=${this.dataVersion}
          .lockedToken=${ui.lockedToken} .hiddenTokens=${ui.hiddenTokens} .overlayHeads=${ui.overlayHeads}
          .threshold=${ui.threshold} .lineRule=${ui.lineRule ?? 'top-k'}
          ?editorTints=${snap.source.tokenRanges !== undefined}></attn-token-view>
        ${options}`;
      case 'matrix':
        return html`${options}
        <attn-matrix .result=${r} .layer=${ui.layer} .head=${ui.head} .kind=${r === snap.result ? ui.matrix : 'weights'} .activeToken=${active} .data=${this.data} .dataVersion=${this.dataVersion}
          .lockedToken=${ui.lockedToken} .hiddenTokens=${ui.hiddenTokens} ?difference=${difference} ?rollout=${rollout}></attn-matrix>`;
      case 'pipeline':
        return html`<attn-pipeline .result=${snap.result} .layer=${ui.layer} .head=${ui.head} .activeToken=${active} .data=${this.data} .dataVersion=${this.dataVersion}
          .lockedToken=${ui.lockedToken} .hiddenTokens=${ui.hiddenTokens}></attn-pipeline>`;
      case 'grid':
        return html`<attn-head-grid .result=${weights} .layer=${ui.layer} .head=${ui.head} .activeToken=${active}
          .lockedToken=${ui.lockedToken} .hiddenTokens=${ui.hiddenTokens} .summaries=${this.snapshot?.headSummaries ?? null}
          .inductionProbe=${this.inductionProbe} ?canProbe=${snap.result.provenance.kind === 'model'}
          .difference=${difference ? r : null} .changes=${this.whatIf.comparison?.headChange ?? null} .interventions=${this.whatIf.list}></attn-head-grid>`;
    }
  }

  override render(): TemplateResult {
    const snap = this.snapshot;
    const r = snap?.result;
    const ui = this.ui;
    const selected = VIEWS.indexOf(ui.view);
    return html`
      <header>
        <h1>${snap ? isolatedText(snap.source.label) : 'Self-Attention Visualizer'}</h1>
        ${r
          ? html`<span class="meta">${r.tokens.length} tokens · ${r.layers.length} layer${r.layers.length === 1 ? '' : 's'} ·
              ${r.layers[ui.layer]?.heads.length ?? 0} heads · ${r.cost.computedPairs}/${r.cost.fullPairs} pairs</span>`
          : nothing}
        <span class="spacer"></span>
        ${this.busy || snap?.computing
          ? html`<span class="busy" role="status" data-progress=${snap?.progress ? `${snap.progress.done}/${snap.progress.total}` : nothing}>
              <vscode-progress-ring aria-label="Computing"></vscode-progress-ring>${snap?.progress
                ? `${snap.progress.done} of ${snap.progress.total} layers ready…`
                : snap?.computing ? 'Computing the attention weights…' : 'Computing…'}</span>`
          : nothing}
        <attn-export ?disabled=${!snap || snap.computing === true}></attn-export>
        ${this.exportNote ? html`<span class="export-note" role="status">${this.exportNote}</span>` : nothing}
      </header>
      <main>
      ${this.renderBanners(snap)}
      ${snap?.nextTokens ? this.renderNextTokens(snap.nextTokens, snap.result.tokens) : nothing}
      ${snap
        ? html`
          ${this.whatIf.render(snap)}
          <attn-controls .result=${r} .ui=${ui} .settings=${snap.settings} .panelSettings=${snap.panelSettings} .followSelection=${snap.followSelection}></attn-controls>
          <vscode-tabs selected-index=${selected} .selectedIndex=${selected}
            @vsc-tabs-select=${(e: CustomEvent<{ selectedIndex: number }>) => {
              const view = VIEWS[e.detail.selectedIndex];
              if (view && view !== this.ui.view) this.setUi({ view });
            }}>
            ${VIEWS.map((v) => html`<vscode-tab-header slot="header" data-view=${v}>${VIEW_LABELS[v]}</vscode-tab-header>`)}
            <!-- No tab stop on the panel itself: the view inside has its own (a negative one would hide the view). -->
            ${VIEWS.map((v) => html`<vscode-tab-panel .tabIndex=${undefined}>
              ${v === ui.view
                ? html`<div class="view" aria-busy=${this.busy || snap.computing ? 'true' : 'false'}>
                    ${snap.computing && v !== 'tokens'
                      ? html`<p class="placeholder" data-computing>The ${VIEW_LABELS[v].toLowerCase()} view appears when the attention weights are computed.</p>`
                      : this.renderView(snap)}
                  </div>`
                : nothing}
            </vscode-tab-panel>`)}
          </vscode-tabs>`
        : html`<p class="placeholder">${this.error ? '' : 'Waiting for attention data…'}</p>`}
      </main>
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-app': AttnApp;
  }
}
