/**
 * How a view asks `<attn-app>` for a "what if" context menu: it fires `whatif-menu` with where the menu goes and what
 * it offers. The pointer's right click and the keyboard's Shift+F10 or ContextMenu key open the same menu.
 */
import type { Intervention, TokenEdit } from '../../../src/shared/core';
import type { Box } from '../../render/place-popup';

/** A menu entry: an intervention, or a token edit (a replacement or insertion asks for its text first). */
export type WhatIfMenuItem =
  | { readonly label: string; readonly intervention: Intervention }
  | { readonly label: string; readonly tokenEdit: TokenEdit<string> | { readonly kind: 'replace-token' | 'insert-token'; readonly position: number } };

export interface WhatIfMenuRequest {
  /** Viewport CSS px: the menu opens beside this box (the card, the cell or the pointer). */
  readonly anchor: Box;
  readonly items: readonly WhatIfMenuItem[];
  /** Gets the focus back when the menu closes. */
  readonly returnFocus: HTMLElement | null;
}

export const WHATIF_MENU_EVENT = 'whatif-menu';

/** Shift+F10 or the ContextMenu key: the keyboard's right click. */
export function isMenuKey(e: KeyboardEvent): boolean {
  return e.key === 'ContextMenu' || (e.key === 'F10' && e.shiftKey);
}

export function requestWhatIfMenu(from: HTMLElement, request: WhatIfMenuRequest): void {
  from.dispatchEvent(new CustomEvent<WhatIfMenuRequest>(WHATIF_MENU_EVENT, { detail: request, bubbles: true, composed: true }));
}

/** The box of a pointer event (a point), for a menu opened by a right click. */
export function pointBox(e: MouseEvent): Box {
  return { left: e.clientX, top: e.clientY, width: 0, height: 0 };
}

/** The box of an element, for a menu opened from the keyboard. */
export function elementBox(el: Element): Box {
  const r = el.getBoundingClientRect();
  return { left: r.left, top: r.top, width: r.width, height: r.height };
}
