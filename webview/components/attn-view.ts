import { LitElement } from 'lit';
import { property } from 'lit/decorators.js';
import type { AttentionResult } from '../../src/shared/core';

/**
 * What every attention view takes from `<attn-app>`. Views fire bubbling, composed `token-hover`,
 * `token-lock` ({index}) and `head-select` ({layer, head}) events; they never talk to the host.
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
}
