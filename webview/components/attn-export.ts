import { LitElement, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ExportFormat } from '../../src/shared/protocol';
import { exportStyles } from './attn-export.styles';

const FORMATS: readonly { readonly format: ExportFormat; readonly label: string; readonly title: string }[] = [
  { format: 'png', label: 'PNG', title: 'Export the current view as a PNG image' },
  { format: 'svg', label: 'SVG', title: 'Export the current view as an SVG image' },
  { format: 'csv', label: 'CSV', title: 'Export the current matrix as CSV' },
  { format: 'json', label: 'JSON', title: 'Export the current matrix as JSON' },
];

/** Export buttons. Fires `export-format` ({format}); `<attn-app>` builds the content. */
@customElement('attn-export')
export class AttnExport extends LitElement {
  static override styles = exportStyles;

  @property({ type: Boolean }) disabled = false;

  override render(): TemplateResult {
    return html`<span class="label" id="lbl">Export</span>
      ${FORMATS.map((f) => html`<vscode-button secondary ?disabled=${this.disabled} title=${f.title} aria-label=${f.title}
        data-format=${f.format}
        @click=${() => this.dispatchEvent(new CustomEvent('export-format', { detail: { format: f.format }, bubbles: true, composed: true }))}
      >${f.label}</vscode-button>`)}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-export': AttnExport;
  }
}
