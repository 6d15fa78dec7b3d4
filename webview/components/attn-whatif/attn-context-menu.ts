/**
 * <attn-context-menu>: the "what if" menu a view asked for, in the top layer (Popover API) beside its anchor. A menu
 * in the ARIA sense: focus goes to the first item, arrows move, Enter or Space picks, Escape or Tab closes, and the
 * focus goes back to where the menu was opened. Fires `menu-pick` ({ index }) and `menu-close`.
 */
import { LitElement, css, html, nothing, type TemplateResult } from 'lit';
import { customElement, property, query } from 'lit/decorators.js';
import { hostStyles } from '../base.styles';
import { placePopup } from '../../render/place-popup';
import type { WhatIfMenuRequest } from './menu-request';

@customElement('attn-context-menu')
export class AttnContextMenu extends LitElement {
  static override styles = [hostStyles, css`
    [popover] {
      margin: 0;
      inset: 0 auto auto 0;
      padding: 4px 0;
      min-width: 180px;
      border: 1px solid var(--vscode-menu-border, var(--vscode-widget-border, #454545));
      border-radius: 4px;
      background: var(--vscode-menu-background, #252526);
      color: var(--vscode-menu-foreground, #cccccc);
      box-shadow: 0 2px 8px var(--vscode-widget-shadow, rgba(0, 0, 0, 0.36));
    }
    button {
      display: block;
      width: 100%;
      padding: 4px 16px;
      border: 1px solid transparent;
      background: none;
      color: inherit;
      font: inherit;
      text-align: left;
      cursor: pointer;
    }
    button:hover, button:focus {
      background: var(--vscode-menu-selectionBackground, #04395e);
      color: var(--vscode-menu-selectionForeground, #ffffff);
      outline: 1px solid var(--vscode-menu-selectionBorder, var(--vscode-focusBorder, #0078d4));
      outline-offset: -1px;
    }
  `];

  @property({ attribute: false }) request: WhatIfMenuRequest | null = null;
  @query('[popover]') private popup?: HTMLElement;

  private items(): HTMLButtonElement[] {
    return [...this.renderRoot.querySelectorAll<HTMLButtonElement>('button[role="menuitem"]')];
  }

  protected override updated(): void {
    const popup = this.popup;
    const request = this.request;
    if (!popup || !request) return;
    if (!popup.matches(':popover-open')) popup.showPopover();
    const view = { width: document.documentElement.clientWidth || window.innerWidth, height: window.innerHeight };
    const at = placePopup(request.anchor, { width: popup.offsetWidth, height: popup.offsetHeight }, view);
    popup.style.translate = `${Math.round(at.x)}px ${Math.round(at.y)}px`;
    if (!this.renderRoot.contains((this.renderRoot as ShadowRoot).activeElement)) this.items()[0]?.focus();
  }

  private close(returnFocus = true): void {
    const target = this.request?.returnFocus;
    this.dispatchEvent(new CustomEvent('menu-close', { bubbles: true, composed: true }));
    if (returnFocus) target?.focus();
  }

  private pick(index: number): void {
    const target = this.request?.returnFocus;
    this.dispatchEvent(new CustomEvent('menu-pick', { detail: { index }, bubbles: true, composed: true }));
    target?.focus();
  }

  private onKeyDown(e: KeyboardEvent): void {
    const items = this.items();
    const at = items.indexOf((this.renderRoot as ShadowRoot).activeElement as HTMLButtonElement);
    const move: Record<string, number> = { ArrowDown: at + 1, ArrowUp: at - 1, Home: 0, End: items.length - 1 };
    if (e.key in move) items[(move[e.key] + items.length) % items.length]?.focus();
    else if (e.key === 'Escape') this.close();
    else if (e.key === 'Tab') this.close(false);
    else return;
    e.preventDefault();
    e.stopPropagation();
  }

  /** A click outside or the focus leaving closes the menu (the focus then stays where it went). */
  private onFocusOut(e: FocusEvent): void {
    const to = e.relatedTarget as Node | null;
    if (!to || !this.renderRoot.contains(to)) this.close(false);
  }

  override render(): TemplateResult | typeof nothing {
    const request = this.request;
    if (!request || request.items.length === 0) return nothing;
    return html`<div popover="manual" role="menu" aria-label="What if" @keydown=${this.onKeyDown} @focusout=${this.onFocusOut}>
      ${request.items.map((item, i) => html`<button type="button" role="menuitem" tabindex="-1" @click=${() => this.pick(i)}>${item.label}</button>`)}
    </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    'attn-context-menu': AttnContextMenu;
  }
}
