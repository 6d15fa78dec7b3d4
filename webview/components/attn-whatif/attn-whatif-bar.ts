/**
 * <attn-whatif-bar>: the panel's "what if" list above the views. Each intervention is a chip with a remove button;
 * Undo (also Ctrl/Cmd+Z in the panel) and Clear all; and what the views show: the Result, the Original run or the
 * Difference (Δweight). Fires `whatif-remove` ({ index }), `whatif-undo`, `whatif-clear` and `ui-patch` ({ compare }).
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import { hostStyles } from '../base.styles';
import { COMPARE_MODES } from '../../../src/shared/enums';
import type { AttentionResult, Intervention, TokenEdit } from '../../../src/shared/core';
import type { CompareMode } from '../../../src/shared/protocol';
import { chipLabel, tokenEditLabel } from './whatif-list';
import type { PendingEdit } from './whatif-controller';

const MODE_LABELS: Readonly<Record<CompareMode, string>> = { result: 'Result', original: 'Original', difference: 'Difference' };

@customElement('attn-whatif-bar')
export class AttnWhatIfBar extends LitElement {
  static override styles = [hostStyles, css`
    :host { margin: 6px 0; }
    .bar { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
    .label { font-weight: 600; }
    ul { display: contents; list-style: none; }
    .chip {
      display: inline-flex;
      align-items: center;
      gap: 2px;
      padding: 1px 2px 1px 8px;
      border-radius: 10px;
      border: 1px solid var(--vscode-badge-background, #616161);
      background: var(--vscode-badge-background, #616161);
      color: var(--vscode-badge-foreground, #ffffff);
      font-family: var(--vscode-editor-font-family, monospace);
      font-size: 12px;
    }
    .chip button {
      border: none;
      background: none;
      color: inherit;
      font: inherit;
      cursor: pointer;
      padding: 0 4px;
      border-radius: 8px;
    }
    button:focus-visible { outline: 1px solid var(--vscode-focusBorder, #0078d4); outline-offset: 1px; }
    .action {
      border: 1px solid var(--vscode-button-border, transparent);
      background: var(--vscode-button-secondaryBackground, #3a3d41);
      color: var(--vscode-button-secondaryForeground, #ffffff);
      font: inherit;
      padding: 1px 8px;
      border-radius: 2px;
      cursor: pointer;
    }
    .action:disabled { opacity: 0.5; cursor: default; }
    [role='radiogroup'] { display: inline-flex; border: 1px solid var(--vscode-widget-border, #454545); border-radius: 2px; }
    [role='radio'] {
      border: none;
      background: none;
      color: inherit;
      font: inherit;
      padding: 1px 8px;
      cursor: pointer;
    }
    [role='radio'][aria-checked='true'] {
      background: var(--vscode-button-background, #0e639c);
      color: var(--vscode-button-foreground, #ffffff);
    }
    form.token-edit { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; margin-top: 4px; }
    form.token-edit input {
      font: inherit;
      padding: 1px 4px;
      color: var(--vscode-input-foreground, #cccccc);
      background: var(--vscode-input-background, #3c3c3c);
      border: 1px solid var(--vscode-input-border, var(--vscode-widget-border, #454545));
    }
    form.token-edit input:focus { outline: 1px solid var(--vscode-focusBorder, #0078d4); }
    .note { margin: 4px 0 0; color: var(--vscode-descriptionForeground, #9d9d9d); font-size: 12px; }
  `];

  @property({ attribute: false }) interventions: readonly Intervention[] = [];
  @property({ attribute: false }) tokenEdit: TokenEdit<string> | null = null;
  /** A replacement or insertion asking for its text. */
  @property({ attribute: false }) pending: PendingEdit | null = null;
  /** False when the runs have different tokens (an insert or delete): no Original or Difference. */
  @property({ type: Boolean }) canCompare = true;
  @property({ attribute: false }) result: AttentionResult | null = null;
  @property() compare: CompareMode = 'result';
  @property({ type: Boolean }) canUndo = false;
  /** Whether the snapshot's comparison belongs to this list (false while the worker recomputes). */
  @property({ type: Boolean }) compared = false;

  private fire(type: string, detail: unknown = null): void {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /** Arrow keys move the choice inside the radio group (one Tab stop), as native radio buttons do. */
  private onModeKey(e: KeyboardEvent): void {
    const step = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    e.preventDefault();
    const next = COMPARE_MODES[(COMPARE_MODES.indexOf(this.compare) + step + COMPARE_MODES.length) % COMPARE_MODES.length];
    this.fire('ui-patch', { compare: next });
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>(`[data-mode="${next}"]`)?.focus());
  }

  private renderModes(): TemplateResult {
    return html`<span role="radiogroup" aria-label="Show" @keydown=${this.onModeKey}>
      ${COMPARE_MODES.map((mode) => html`<button type="button" role="radio" data-mode=${mode}
        aria-checked=${mode === this.compare ? 'true' : 'false'} tabindex=${mode === this.compare ? 0 : -1}
        @click=${() => this.fire('ui-patch', { compare: mode })}>${MODE_LABELS[mode]}</button>`)}
    </span>`;
  }

  protected override updated(): void {
    const input = this.renderRoot.querySelector<HTMLInputElement>('form.token-edit input');
    if (input && !this.renderRoot.contains((this.renderRoot as ShadowRoot).activeElement)) input.focus();
  }

  private renderPending(p: PendingEdit): TemplateResult {
    const label = p.kind === 'replace-token' ? `Replace token ${p.position} with` : `Insert before token ${p.position}`;
    return html`<form class="token-edit" @submit=${(e: Event) => {
      e.preventDefault();
      this.fire('token-edit-text', { token: (this.renderRoot.querySelector('form.token-edit input') as HTMLInputElement).value });
    }} @keydown=${(e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.stopPropagation();
        this.fire('token-edit-cancel');
      }
    }}>
      <label>${label} <input type="text" maxlength="200" required .value=${p.token}></label>
      <button type="submit" class="action">Apply</button>
      <button type="button" class="action" @click=${() => this.fire('token-edit-cancel')}>Cancel</button>
    </form>`;
  }

  override render(): TemplateResult | typeof nothing {
    const list = this.interventions;
    const edit = this.tokenEdit;
    const any = list.length > 0 || edit !== null;
    if (!any && !this.canUndo && !this.pending) return nothing;
    return html`<div class="bar" role="group" aria-label="What if">
        <span class="label">What if</span>
        <ul aria-label="Interventions">
          ${list.map((item, index) => {
            const label = chipLabel(item, this.result);
            return html`<li class="chip" data-intervention=${label}>${label}<button type="button" aria-label=${`Remove ${label}`} title=${`Remove ${label}`}
              @click=${() => this.fire('whatif-remove', { index })}>×</button></li>`;
          })}
          ${edit ? html`<li class="chip" data-intervention=${tokenEditLabel(edit)}>${tokenEditLabel(edit)}<button type="button" aria-label=${`Remove ${tokenEditLabel(edit)}`}
            title=${`Remove ${tokenEditLabel(edit)}`} @click=${() => this.fire('whatif-remove-edit')}>×</button></li>` : nothing}
        </ul>
        ${any && this.canCompare ? this.renderModes() : nothing}
        <button type="button" class="action" ?disabled=${!this.canUndo} @click=${() => this.fire('whatif-undo')}>Undo</button>
        <button type="button" class="action" ?disabled=${!any} @click=${() => this.fire('whatif-clear')}>Clear all</button>
      </div>
      ${this.pending ? this.renderPending(this.pending) : nothing}
      ${any && !this.compared ? html`<p class="note" role="status">Recomputing with ${list.length + (edit ? 1 : 0) === 1 ? 'this change' : 'these changes'}…</p>` : nothing}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-whatif-bar': AttnWhatIfBar;
  }
}
