import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import type { NextTokens, NextTokenShift, TokenShiftView } from '../../src/shared/protocol';
import { styleProps } from '../directives/style-props';
import { shortToken, tokenText } from '../token-text';

/**
 * A real model's most likely next tokens after one position: the last one, or the hovered token once
 * the host has answered. Probabilities are softmax(logits) over the whole vocabulary.
 */
@customElement('attn-next-tokens')
export class AttnNextTokens extends LitElement {
  static override styles = css`
    :host { display: block; margin: 6px 0; font-size: 12px; }
    h2 { font-size: 12px; font-weight: 600; margin: 0 0 4px; }
    ol { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: max-content 1fr max-content; gap: 2px 8px; align-items: center; max-width: 480px; }
    li { display: contents; }
    .token { font-family: var(--vscode-editor-font-family, monospace); white-space: pre; unicode-bidi: isolate; }
    .bar { height: 8px; background: var(--vscode-charts-blue, #3794ff); min-width: 1px; }
    .p { text-align: right; font-variant-numeric: tabular-nums; color: var(--vscode-descriptionForeground, #9d9d9d); }
    .pending { color: var(--vscode-descriptionForeground, #9d9d9d); }
    .shift { display: flex; flex-wrap: wrap; gap: 4px 24px; }
    .shift table { border-collapse: collapse; font-variant-numeric: tabular-nums; }
    .shift th, .shift td { padding: 0 6px; text-align: right; }
    .shift th:first-child, .shift td:first-child { text-align: left; }
    .shift caption { text-align: left; font-weight: 600; }
  `;

  @property({ attribute: false }) nextTokens: NextTokens | null = null;
  /** The result's tokens, to name the position. */
  @property({ attribute: false }) tokens: readonly string[] = [];
  /** The position the user points at, when its list has not arrived yet. */
  @property({ attribute: false }) pending: number | null = null;
  /** A "what if" run: the top tokens after the last position before and after the interventions. */
  @property({ attribute: false }) shift: NextTokenShift | null = null;

  private renderShiftTable(caption: string, rows: readonly TokenShiftView[], when: 'before' | 'after'): TemplateResult {
    const pct = (logp: number) => {
      const p = Math.exp(logp);
      return `${(p * 100).toFixed(p >= 0.001 ? 1 : 3)}%`;
    };
    return html`<table data-when=${when}>
      <caption>${caption}</caption>
      <thead><tr><th scope="col">token</th><th scope="col">before</th><th scope="col">after</th><th scope="col">Δlog-prob</th></tr></thead>
      <tbody>${rows.map((t) => html`<tr data-token-id=${String(t.id)}>
        <td class="token">${tokenText(t.text)}</td><td>${pct(t.before)}</td><td>${pct(t.after)}</td>
        <td class="delta">${t.delta >= 0 ? '+' : '−'}${Math.abs(t.delta).toFixed(3)}</td>
      </tr>`)}</tbody>
    </table>`;
  }

  override render(): TemplateResult | typeof nothing {
    const n = this.nextTokens;
    const shift = this.shift;
    if (shift && (!n || n.position === shift.position)) {
      const after = this.tokens[shift.position];
      return html`<section aria-label="Next-token predictions before and after the interventions">
        <h2>Next token after <span class="token">“${after === undefined ? '' : shortToken(after)}”</span> (position ${shift.position}), before and after the interventions</h2>
        <div class="shift">
          ${this.renderShiftTable('Top before', shift.before, 'before')}
          ${this.renderShiftTable('Top after', shift.after, 'after')}
        </div>
      </section>`;
    }
    if (!n) return nothing;
    const after = this.tokens[n.position];
    const max = n.top[0]?.probability ?? 1;
    return html`<section aria-label="Next-token predictions">
      <h2>Next token after <span class="token">“${after === undefined ? '' : shortToken(after)}”</span> (position ${n.position})
        ${this.pending !== null && this.pending !== n.position ? html`<span class="pending">· loading position ${this.pending}…</span>` : nothing}</h2>
      <ol>
        ${n.top.map((t) => html`<li data-token-id=${String(t.id)}>
          <span class="token">${tokenText(t.text)}</span>
          <span class="bar" ${styleProps({ width: `${((t.probability / max) * 100).toFixed(1)}%` })} aria-hidden="true"></span>
          <span class="p">${(t.probability * 100).toFixed(t.probability >= 0.001 ? 1 : 3)}%</span>
        </li>`)}
      </ol>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-next-tokens': AttnNextTokens;
  }
}
