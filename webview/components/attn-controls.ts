import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleProps } from '../directives/style-props';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import type { AttentionResult, MaskSpec } from '../../src/core/types';
import type { ComputeSettings, MatrixKind, TokenizerName, UiState } from '../../src/protocol';
import { headColor } from '../theme';
import { controlsStyles } from './attn-controls.styles';
import { headTitle } from '../head-label';

type NumberSetting = 'dModel' | 'dK' | 'heads' | 'layers' | 'seed';

/** Limits of the integer settings (same as the extension's configuration schema). */
export const LIMITS: Readonly<Record<NumberSetting | 'window' | 'dilation', readonly [number, number]>> = {
  dModel: [2, 1024],
  dK: [1, 512],
  heads: [1, 16],
  layers: [1, 12],
  seed: [-2147483648, 2147483647],
  window: [1, 100000],
  dilation: [1, 100000],
};

const MATRIX_LABELS: Readonly<Record<MatrixKind, string>> = {
  scores: 'Scores Q·Kᵀ',
  scaled: 'Scaled (÷√d_k, masked)',
  weights: 'Weights (softmax)',
};

function describeMask(mask: MaskSpec): string {
  switch (mask.kind) {
    case 'none': return 'none';
    case 'causal': return 'causal';
    case 'window': return `sliding window ${mask.window}`;
    case 'dilated': return `dilated window ${mask.window}, dilation ${mask.dilation}`;
  }
}

/** Parses an integer field; null when it is not a whole number within [min, max]. */
export function parseIntSetting(text: string, [min, max]: readonly [number, number]): number | null {
  if (!/^\s*-?\d+\s*$/.test(text)) return null;
  const v = Number(text);
  return Number.isSafeInteger(v) && v >= min && v <= max ? v : null;
}

/**
 * Pickers for layer, head and matrix kind; display options (threshold, overlay heads, hidden
 * tokens); and, for selection snapshots, the computation settings.
 *
 * Fires `ui-patch` ({...Partial<UiState>}), `settings-change` ({...Partial<ComputeSettings>}) and
 * `follow-change` ({follow}); all bubble and are composed.
 */
@customElement('attn-controls')
export class AttnControls extends LitElement {
  static override styles = controlsStyles;

  @property({ attribute: false }) result: AttentionResult | null = null;
  @property({ attribute: false }) ui: UiState | null = null;
  /** Present for selection snapshots: the computation settings shown as editable controls. */
  @property({ attribute: false }) settings: ComputeSettings | undefined = undefined;
  @property({ attribute: false }) followSelection: boolean | undefined = undefined;

  private emit(name: string, detail: unknown): void {
    this.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
  }

  private patchUi(patch: Partial<UiState>): void {
    this.emit('ui-patch', patch);
  }

  private changeSettings(patch: Partial<ComputeSettings>): void {
    this.emit('settings-change', patch);
  }

  private onSelect<T>(e: Event, apply: (value: string) => T): T {
    return apply((e.target as HTMLElement & { value: string }).value);
  }

  private intField(key: NumberSetting, label: string): TemplateResult {
    const s = this.settings;
    if (!s) return html``;
    const limits = LIMITS[key];
    return html`<div class="field">
      <label for="f-${key}">${label}</label>
      <vscode-textfield id="f-${key}" type="number" min=${limits[0]} max=${limits[1]} step="1"
        .label=${label}
        .value=${String(s[key])}
        @change=${(e: Event) => {
          const el = e.target as HTMLElement & { value: string; invalid: boolean };
          const v = parseIntSetting(el.value, limits);
          el.invalid = v === null;
          if (v !== null && v !== s[key]) this.changeSettings({ [key]: v });
        }}></vscode-textfield>
    </div>`;
  }

  private maskFields(s: ComputeSettings): TemplateResult {
    const mask = s.mask;
    const window = mask.kind === 'window' || mask.kind === 'dilated' ? mask.window : 4;
    const dilation = mask.kind === 'dilated' ? mask.dilation : 2;
    const setMask = (kind: MaskSpec['kind'], w = window, d = dilation): void => {
      const next: MaskSpec = kind === 'window' ? { kind, window: w } : kind === 'dilated' ? { kind, window: w, dilation: d } : { kind };
      this.changeSettings({ mask: next });
    };
    const intInput = (id: string, label: string, value: number, limits: readonly [number, number], apply: (v: number) => void) => html`
      <div class="field">
        <label for=${id}>${label}</label>
        <vscode-textfield id=${id} type="number" min=${limits[0]} step="1" .label=${label} .value=${String(value)}
          @change=${(e: Event) => {
            const el = e.target as HTMLElement & { value: string; invalid: boolean };
            const v = parseIntSetting(el.value, limits);
            el.invalid = v === null;
            if (v !== null) apply(v);
          }}></vscode-textfield>
      </div>`;
    return html`
      <div class="field">
        <label for="f-mask">Mask</label>
        <vscode-single-select id="f-mask" label="Mask" .value=${mask.kind}
          @change=${(e: Event) => this.onSelect(e, (v) => v !== mask.kind && setMask(v as MaskSpec['kind']))}>
          <vscode-option value="none">None (full)</vscode-option>
          <vscode-option value="causal">Causal</vscode-option>
          <vscode-option value="window">Sliding window</vscode-option>
          <vscode-option value="dilated">Dilated window</vscode-option>
        </vscode-single-select>
      </div>
      ${mask.kind === 'window' || mask.kind === 'dilated'
        ? intInput('f-window', 'Window', window, LIMITS.window, (v) => v !== window && setMask(mask.kind, v, dilation))
        : nothing}
      ${mask.kind === 'dilated'
        ? intInput('f-dilation', 'Dilation', dilation, LIMITS.dilation, (v) => v !== dilation && setMask('dilated', window, v))
        : nothing}`;
  }

  private settingsPanel(s: ComputeSettings): TemplateResult {
    return html`<vscode-collapsible heading="Computation (random weights)">
      <div class="settings">
        <div class="row">
          <div class="field">
            <label for="f-tokenizer">Tokenizer</label>
            <vscode-single-select id="f-tokenizer" label="Tokenizer" .value=${s.tokenizer}
              @change=${(e: Event) => this.onSelect(e, (v) => v !== s.tokenizer && this.changeSettings({ tokenizer: v as TokenizerName }))}>
              <vscode-option value="words">Words</vscode-option>
              <vscode-option value="gpt2">GPT-2 BPE</vscode-option>
            </vscode-single-select>
          </div>
          ${this.intField('dModel', 'd_model')}
          ${this.intField('dK', 'd_k')}
          ${this.intField('heads', 'Heads')}
          ${this.intField('layers', 'Layers')}
          ${this.intField('seed', 'Seed')}
        </div>
        <div class="row">
          ${this.maskFields(s)}
          <div class="field">
            <label for="f-temperature">Temperature</label>
            <vscode-textfield id="f-temperature" type="number" .label=${'Temperature'} .value=${String(s.temperature)}
              @change=${(e: Event) => {
                const el = e.target as HTMLElement & { value: string; invalid: boolean };
                const v = Number(el.value);
                const ok = el.value.trim() !== '' && Number.isFinite(v) && v > 0 && v <= 1000;
                el.invalid = !ok;
                if (ok && v !== s.temperature) this.changeSettings({ temperature: v });
              }}></vscode-textfield>
          </div>
          <vscode-checkbox label="Positional encoding" .checked=${s.positionalEncoding}
            @change=${(e: Event) => this.changeSettings({ positionalEncoding: (e.target as HTMLInputElement).checked })}></vscode-checkbox>
          <vscode-checkbox label="Scale by 1/√d_k" .checked=${s.scale}
            @change=${(e: Event) => this.changeSettings({ scale: (e.target as HTMLInputElement).checked })}></vscode-checkbox>
          ${this.followSelection !== undefined
            ? html`<vscode-checkbox label="Follow editor selection" .checked=${this.followSelection}
                @change=${(e: Event) => this.emit('follow-change', { follow: (e.target as HTMLInputElement).checked })}></vscode-checkbox>`
            : nothing}
        </div>
      </div>
    </vscode-collapsible>`;
  }

  private fileOptions(r: AttentionResult): TemplateResult {
    const o = r.options;
    const scale = r.layers[0]?.heads[0]?.scale;
    return html`<dl class="readonly" aria-label="Options from the file (read-only)">
      <dt>Scale</dt><dd>${o.scale === true ? `1/√d_k${scale !== undefined ? ` = ${scale.toPrecision(3)}` : ''}` : o.scale === false ? 'none' : String(o.scale)}</dd>
      <dt>Mask</dt><dd>${describeMask(o.mask)}</dd>
      <dt>Temperature</dt><dd>${o.temperature}</dd>
      <dt>Cost</dt><dd>${r.cost.computedPairs} of ${r.cost.fullPairs} pairs</dd>
    </dl>`;
  }

  override render(): TemplateResult {
    const r = this.result;
    const ui = this.ui;
    if (!r || !ui) return html``;
    const layer = r.layers[ui.layer] ?? r.layers[0];
    const heads = layer?.heads ?? [];
    const headOf = heads[ui.head];
    // Computed results can give every kind (a large one sends scores on request); model exports only weights.
    const available = (k: MatrixKind) => k === 'weights' || (headOf ? headOf[k] !== null || r.provenance.kind !== 'model' : false);
    return html`
      <div class="row">
        ${r.layers.length > 1
          ? html`<div class="field">
              <label for="layer">Layer</label>
              <vscode-single-select id="layer" label="Layer" .value=${String(ui.layer)}
                @change=${(e: Event) => this.onSelect(e, (v) => this.patchUi({ layer: Number(v), overlayHeads: [] }))}>
                ${r.layers.map((_, i) => html`<vscode-option value=${String(i)}>Layer ${i}</vscode-option>`)}
              </vscode-single-select>
            </div>`
          : nothing}
        <div class="field">
          <label for="head">Head</label>
          <vscode-single-select id="head" label="Head" .value=${String(ui.head)}
            @change=${(e: Event) => this.onSelect(e, (v) => this.patchUi({ head: Number(v) }))}>
            ${heads.map((h, i) => html`<vscode-option value=${String(i)}>${headTitle(ui.layer, i, h.name)}</vscode-option>`)}
          </vscode-single-select>
        </div>
        ${ui.view === 'matrix'
          ? html`<div class="field">
              <label for="kind">Matrix</label>
              <vscode-single-select id="kind" label="Matrix" .value=${ui.matrix}
                @change=${(e: Event) => this.onSelect(e, (v) => this.patchUi({ matrix: v as MatrixKind }))}>
                ${(['scores', 'scaled', 'weights'] as const).map((k) => html`<vscode-option value=${k} ?disabled=${!available(k)}>${MATRIX_LABELS[k]}</vscode-option>`)}
              </vscode-single-select>
            </div>`
          : nothing}
        ${ui.view === 'tokens'
          ? html`<div class="field">
              <label for="threshold">Line threshold</label>
              <span class="field inline">
                <input id="threshold" type="range" min="0" max="0.5" step="0.01" .value=${String(ui.threshold)}
                  @input=${(e: Event) => this.patchUi({ threshold: Number((e.target as HTMLInputElement).value) })} />
                <output for="threshold">${ui.threshold.toFixed(2)}</output>
              </span>
            </div>`
          : nothing}
        ${ui.hiddenTokens.length > 0
          ? html`<span class="hidden-info">${ui.hiddenTokens.length} key token${ui.hiddenTokens.length === 1 ? '' : 's'} hidden, rows renormalised.
              <button class="link-button" @click=${() => this.patchUi({ hiddenTokens: [] })}>Show all</button></span>`
          : nothing}
      </div>
      ${ui.view === 'tokens' && heads.length > 1
        ? html`<fieldset class="overlay">
            <legend>Overlay heads</legend>
            ${heads.map((h, i) => i === ui.head
              ? nothing
              : html`<span class="field inline"><span class="swatch" ${styleProps({ background: headColor(i) })}></span>
                  <vscode-checkbox label=${headTitle(ui.layer, i, h.name)} .checked=${ui.overlayHeads.includes(i)}
                    @change=${(e: Event) => {
                      const on = (e.target as HTMLInputElement).checked;
                      const set = new Set(ui.overlayHeads);
                      if (on) set.add(i);
                      else set.delete(i);
                      this.patchUi({ overlayHeads: [...set].sort((a, b) => a - b) });
                    }}></vscode-checkbox></span>`)}
          </fieldset>`
        : nothing}
      ${this.settings ? this.settingsPanel(this.settings) : this.fileOptions(r)}
    `;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-controls': AttnControls;
  }
}
