import { LitElement } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { AttentionResult } from '../../src/shared/core';
import type { ViewName } from '../../src/shared/protocol';
import { registerExport, type ViewExport } from '../export-provider';
import type { WithheldData } from '../withheld-data';

/**
 * What every attention view takes from `<attn-app>`. Views fire bubbling, composed `token-hover`,
 * `token-lock` ({index}) and `head-select` ({layer, head}) events; they never talk to the host. A view that can be
 * exported names itself in `exportView` and builds its export from its own state.
 */
export class AttnView extends LitElement {
  @property({ attribute: false }) result: AttentionResult | null = null;
  @property({ type: Number }) layer = 0;
  @property({ type: Number }) head = 0;
  /** The token hovered here or elsewhere (another view, the editor cursor), else the locked one. */
  @property({ attribute: false }) activeToken: number | null = null;
  @property({ attribute: false }) lockedToken: number | null = null;
  /** Key tokens hidden by the user; the views renormalise or dim them. */
  @property({ attribute: false }) hiddenTokens: readonly number[] = [];
  /** Where a view asks for the rows and rasters of matrices the snapshot withholds (see isWithheld). */
  @property({ attribute: false }) data: WithheldData | null = null;
  /** Grows with every answer the store receives: views that drew from it draw again. */
  @property({ type: Number }) dataVersion = 0;
  /** Grows when the VS Code theme changes: views that paint canvases repaint on it. */
  @state() protected themeTick = 0;
  private unregisterExport?: () => void;

  /** The view this element draws and how to export it, or null when it is not exported on its own. */
  protected exportView(): { view: ViewName; provider: ViewExport } | null {
    return null;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    themeViews.add(this);
    watchTheme();
    const e = this.exportView();
    if (e) this.unregisterExport = registerExport(this, e.view, e.provider);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    themeViews.delete(this);
    this.unregisterExport?.();
    this.unregisterExport = undefined;
  }
}

const themeViews = new Set<AttnView>();
let themeObserver: MutationObserver | null = null;

/**
 * VS Code switches themes by rewriting the `<html>` style (the --vscode-* variables) and the body's
 * class (vscode-dark, vscode-high-contrast-light, ...). Canvases read colours once, so they must be told.
 */
function watchTheme(): void {
  if (themeObserver || typeof MutationObserver === 'undefined') return;
  themeObserver = new MutationObserver(() => {
    for (const view of themeViews) view['themeTick']++;
  });
  themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
  themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-kind'] });
}
