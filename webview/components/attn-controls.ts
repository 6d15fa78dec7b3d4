import { LitElement, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { styleProps } from '../directives/style-props';
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import '@vscode-elements/elements/dist/vscode-textfield/index.js';
import '@vscode-elements/elements/dist/vscode-checkbox/index.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import {
  describeMask, MASK_KINDS, maskDilation, maskOf, maskWindow, TOKENIZERS, type AttentionResult, type MaskKind, type TokenizerName,
} from '../../src/shared/core';
import { LINE_RULES, MATRIX_KINDS, type LineRule } from '../../src/shared/enums';
import type { ComputeSettings, MatrixKind, UiState } from '../../src/shared/protocol';
import { isTemperature, SETTINGS, type IntegerSettingKey } from '../../src/shared/settings';
import { LINE_RULE_LABELS } from '../render/line-selection';
import { RovingTabindexController } from '../controllers/roving-tabindex';
import { headColor } from '../theme';
import { controlsStyles } from './attn-controls.styles';
import { headTitle } from '../head-label';

const MASK_LABELS: Readonly<Record<MaskKind, string>> = {
  none: 'None (full)',
  causal: 'Causal',
  window: 'Sliding window',
  dilated: 'Dilated window',
};

const TOKENIZER_LABELS: Readonly<Record<TokenizerName, string>> = { words: 'Words', gpt2: 'GPT-2 BPE' };

const MATRIX_LABELS: Readonly<Record<MatrixKind, string>> = {
  scores: 'Scores Q·Kᵀ',
  scaled: 'Scaled (÷√d_k, masked)',
  weights: 'Weights (softmax)',
};

/** Parses an integer field; null when it is not a whole number within the setting's range. */
export function parseIntSetting(text: string, key: IntegerSettingKey): number | null {
  if (!/^\s*-?\d+\s*$/.test(text)) return null;
  const v = Number(text);
  const { minimum, maximum } = SETTINGS[key];
  return Number.isSafeInteger(v) && v >= minimum && v <= maximum ? v : null;
}

/**
 * Pickers for layer, head and matrix kind; display options (threshold, overlay heads, hidden
 * tokens); and, for selection snapshots, the computation settings.
 *
 * Fires `ui-patch` ({...Partial<UiState>}), `settings-change` ({...Partial<ComputeSettings>}, for this
 * panel only), `settings-save-default` (the host confirms, then writes the user's settings) and
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
  /** The settings this panel changed over the user's settings; "Save as default" needs some. */
  @property({ attribute: false }) panelSettings: Partial<ComputeSettings> | undefined = undefined;

  /** The overlay checkboxes are one tab stop: the list grows with the heads (11 stops for GPT-2 otherwise). */
  private readonly overlayKeys = new RovingTabindexController(this, {
    shape: () => ({ rows: 1, cols: () => this.overlayCandidates().length }),
    element: (at) => this.renderRoot.querySelectorAll<HTMLElement>('fieldset.overlay vscode-checkbox')[at.col],
  });

  /** Heads of the layer that can be overlaid on the focused one. */
  private overlayCandidates(): number[] {
    const ui = this.ui;
    const count = ui ? this.result?.layers[ui.layer]?.heads.length ?? 0 : 0;
    return Array.from({ length: count }, (_, i) => i).filter((i) => i !== ui?.head);
  }

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

  private intField(key: 'dModel' | 'dK' | 'heads' | 'layers' | 'seed', label: string): TemplateResult {
    const s = this.settings;
    if (!s) return html``;
    const { minimum, maximum } = SETTINGS[key];
    return html`<div class="field">
      <label for="f-${key}">${label}</label>
      <vscode-textfield id="f-${key}" type="number" min=${minimum} max=${maximum} step="1"
        .label=${label}
        .value=${String(s[key])}
        @change=${(e: Event) => {
          const el = e.target as HTMLElement & { value: string; invalid: boolean };
          const v = parseIntSetting(el.value, key);
          el.invalid = v === null;
          if (v !== null && v !== s[key]) this.changeSettings({ [key]: v });
        }}></vscode-textfield>
    </div>`;
  }

  private maskFields(s: ComputeSettings): TemplateResult {
    const mask = s.mask;
    const window = maskWindow(mask) ?? SETTINGS.window.default;
    const dilation = maskDilation(mask) ?? SETTINGS.dilation.default;
    const setMask = (kind: MaskKind, w = window, d = dilation): void => this.changeSettings({ mask: maskOf(kind, w, d) });
    const intInput = (id: string, label: string, value: number, key: 'window' | 'dilation', apply: (v: number) => void) => html`
      <div class="field">
        <label for=${id}>${label}</label>
        <vscode-textfield id=${id} type="number" min=${SETTINGS[key].minimum} max=${SETTINGS[key].maximum} step="1" .label=${label} .value=${String(value)}
          @change=${(e: Event) => {
            const el = e.target as HTMLElement & { value: string; invalid: boolean };
            const v = parseIntSetting(el.value, key);
            el.invalid = v === null;
            if (v !== null) apply(v);
          }}></vscode-textfield>
      </div>`;
    return html`
      <div class="field">
        <label for="f-mask">Mask</label>
        <vscode-single-select id="f-mask" label="Mask" .value=${mask.kind}
          @change=${(e: Event) => this.onSelect(e, (v) => v !== mask.kind && setMask(v as MaskKind))}>
          ${MASK_KINDS.map((k) => html`<vscode-option value=${k}>${MASK_LABELS[k]}</vscode-option>`)}
        </vscode-single-select>
      </div>
      ${mask.kind === 'window' || mask.kind === 'dilated'
        ? intInput('f-window', 'Window', window, 'window', (v) => v !== window && setMask(mask.kind, v, dilation))
        : nothing}
      ${mask.kind === 'dilated'
        ? intInput('f-dilation', 'Dilation', dilation, 'dilation', (v) => v !== dilation && setMask('dilated', window, v))
        : nothing}`;
  }

  /** The button goes away with the hidden keys: focus moves to the head picker rather than to the page. */
  private readonly showAllKeys = (): void => {
    this.patchUi({ hiddenTokens: [] });
    requestAnimationFrame(() => this.renderRoot.querySelector<HTMLElement>('#head')?.focus());
  };

  private settingsPanel(s: ComputeSettings): TemplateResult {
    const changed = Object.keys(this.panelSettings ?? {}).length > 0;
    // A native disclosure: a real button with aria-expanded, Space and Enter, and a chevron in the text colour.
    return html`<details class="computation">
      <summary>Computation (random weights)</summary>
      <div class="settings">
        <div class="row">
          <div class="field">
            <label for="f-tokenizer">Tokenizer</label>
            <vscode-single-select id="f-tokenizer" label="Tokenizer" .value=${s.tokenizer}
              @change=${(e: Event) => this.onSelect(e, (v) => v !== s.tokenizer && this.changeSettings({ tokenizer: v as TokenizerName }))}>
              ${TOKENIZERS.map((t) => html`<vscode-option value=${t}>${TOKENIZER_LABELS[t]}</vscode-option>`)}
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
            <vscode-textfield id="f-temperature" type="number" min=${SETTINGS.temperature.minimum} max=${SETTINGS.temperature.maximum}
              .label=${'Temperature'} .value=${String(s.temperature)}
              @change=${(e: Event) => {
                const el = e.target as HTMLElement & { value: string; invalid: boolean };
                const v = Number(el.value);
                const ok = el.value.trim() !== '' && isTemperature(v);
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
        <div class="row">
          <span class="settings-note">${changed ? 'Changes apply to this panel only.' : 'This panel uses your settings.'}</span>
          <vscode-button id="save-default" secondary ?disabled=${!changed}
            title="Write this panel's settings to your user settings (you are asked to confirm)"
            @click=${() => this.emit('settings-save-default', null)}>Save as default</vscode-button>
        </div>
      </div>
    </details>`;
  }

  private fileOptions(r: AttentionResult): TemplateResult {
    const o = r.options;
    const scale = r.layers[0]?.heads[0]?.scale;
    // Exported weights are already softmaxed: a scale or temperature would describe nothing that happened here.
    const exported = r.layers.every((L) => L.heads.every((h) => h.q === null));
    return html`<dl class="readonly" aria-label="Options from the file (read-only)">
      ${exported
        ? html`<dt>Weights</dt><dd>exported from the model (scaling, temperature and softmax were applied there)</dd>`
        : html`<dt>Scale</dt><dd>${o.scale === true ? `1/√d_k${scale !== undefined ? ` = ${scale.toPrecision(3)}` : ''}` : o.scale === false ? 'none' : String(o.scale)}</dd>`}
      <dt>Mask</dt><dd>${describeMask(o.mask)}</dd>
      ${exported ? nothing : html`<dt>Temperature</dt><dd>${o.temperature}</dd>`}
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
                ${MATRIX_KINDS.map((k) => html`<vscode-option value=${k} ?disabled=${!available(k)}>${MATRIX_LABELS[k]}</vscode-option>`)}
              </vscode-single-select>
            </div>`
          : nothing}
        ${ui.view === 'tokens'
          ? html`<div class="field">
              <label for="line-rule">Lines</label>
              <vscode-single-select id="line-rule" label="Lines" .value=${ui.lineRule ?? 'top-k'}
                @change=${(e: Event) => this.onSelect(e, (v) => this.patchUi({ lineRule: v as LineRule }))}>
                ${LINE_RULES.map((k) => html`<vscode-option value=${k}>${LINE_RULE_LABELS[k]}</vscode-option>`)}
              </vscode-single-select>
            </div>`
          : nothing}
        ${ui.view === 'tokens' && ui.lineRule === 'threshold'
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
              <button class="link-button" @click=${this.showAllKeys}>Show all</button></span>`
          : nothing}
      </div>
      ${ui.view === 'tokens' && heads.length > 1
        ? html`<fieldset class="overlay" @keydown=${this.overlayKeys.onKeyDown}>
            <legend>Overlay heads <span class="hint">(arrow keys move)</span></legend>
            ${this.overlayCandidates().map((i, k) => html`<span class="field inline"><span class="swatch" ${styleProps({ background: headColor(i) })}></span>
                  <vscode-checkbox label=${headTitle(ui.layer, i, heads[i].name)} .checked=${ui.overlayHeads.includes(i)}
                    .tabIndex=${this.overlayKeys.tabIndex(0, k)} @focus=${() => this.overlayKeys.setPosition({ row: 0, col: k })}
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
