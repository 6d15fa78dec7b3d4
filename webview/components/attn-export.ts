import { LitElement, html, type TemplateResult } from 'lit';
import { customElement, property } from 'lit/decorators.js';
import '@vscode-elements/elements/dist/vscode-button/index.js';
import type { ExportFormat } from '../../src/shared/protocol';
import { exportStyles } from './attn-export.styles';
import { RovingTabindexController } from '../controllers/roving-tabindex';

const FORMATS: readonly { readonly format: ExportFormat; readonly label: string; readonly title: string }[] = [
  { format: 'png', label: 'PNG', title: 'Export the current view as a PNG image' },
  { format: 'svg', label: 'SVG', title: 'Export the current view as an SVG image' },
  { format: 'csv', label: 'CSV', title: 'Export the current matrix as CSV' },
  { format: 'json', label: 'JSON', title: 'Export the current matrix as JSON' },
];

/**
 * Export buttons, a toolbar with one tab stop (arrow keys move between the formats). Fires `export-format`
 * ({format}); `<attn-app>` builds the content.
 */
@customElement('attn-export')
export class AttnExport extends LitElement {
  static override styles = exportStyles;

  @property({ type: Boolean }) disabled = false;

  private readonly keys = new RovingTabindexController(this, {
    shape: () => ({ rows: 1, cols: () => FORMATS.length }),
    element: (at) => this.renderRoot.querySelectorAll<HTMLElement>('vscode-button')[at.col],
  });

  /** vscode-button resets its tabIndex in its first update (its disabled handling): set it after that. */
  protected override updated(): void {
    this.renderRoot.querySelectorAll<HTMLElement & { updateComplete: Promise<boolean> }>('vscode-button').forEach((b, k) => {
      void b.updateComplete.then(() => (b.tabIndex = this.keys.tabIndex(0, k)));
    });
  }

  override render(): TemplateResult {
    return html`<span class="label" id="lbl">Export</span>
      <span class="formats" role="toolbar" aria-labelledby="lbl" @keydown=${this.keys.onKeyDown}>
      ${FORMATS.map((f, k) => html`<vscode-button secondary ?disabled=${this.disabled} title=${f.title} aria-label=${f.title}
        @focus=${() => this.keys.setPosition({ row: 0, col: k })}
        data-format=${f.format}
        @click=${() => this.dispatchEvent(new CustomEvent('export-format', { detail: { format: f.format }, bubbles: true, composed: true }))}
      >${f.label}</vscode-button>`)}
      </span>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-export': AttnExport;
  }
}
