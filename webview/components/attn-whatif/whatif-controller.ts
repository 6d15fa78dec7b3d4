/**
 * The "what if" side of `<attn-app>`: opens the context menu the views ask for, keeps the list (in the UI state, so it
 * persists with the panel), its undo history (Undo button, Ctrl/Cmd+Z), and picks what the views draw. It tells the
 * host with `whatif-change` ({ interventions }); the host recomputes and the snapshot brings the comparison.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { AttentionResult, Intervention } from '../../../src/shared/core';
import type { CompareMode, ErrorPayload, Snapshot, UiState, WhatIfComparison } from '../../../src/shared/protocol';
import { WHATIF_MENU_EVENT, type WhatIfMenuRequest } from './menu-request';
import { comparisonFor, shownResult, withIntervention } from './whatif-list';

export interface WhatIfHost extends ReactiveControllerHost, HTMLElement {
  readonly ui: UiState;
  readonly snapshot: Snapshot | null;
  readonly error: ErrorPayload | null;
  setUi(patch: Partial<UiState>): void;
}

/** Undo goes back this many changes. */
const UNDO_DEPTH = 100;

export class WhatIfController implements ReactiveController {
  private menu: WhatIfMenuRequest | null = null;
  private readonly undoStack: (readonly Intervention[])[] = [];

  constructor(private readonly host: WhatIfHost) {
    host.addController(this);
    const on = (type: string, fn: (detail: unknown) => void) => host.addEventListener(type, (e) => {
      e.stopPropagation();
      fn((e as CustomEvent).detail);
    });
    on(WHATIF_MENU_EVENT, (d) => this.openMenu(d as WhatIfMenuRequest));
    on('menu-close', () => this.openMenu(null));
    on('menu-pick', (d) => {
      const item = this.menu?.items[(d as { index: number }).index];
      this.openMenu(null);
      if (item) this.set(withIntervention(this.list, item.intervention));
    });
    on('whatif-remove', (d) => this.set(this.list.filter((_, i) => i !== (d as { index: number }).index)));
    on('whatif-clear', () => this.set([]));
    on('whatif-undo', () => this.undo());
    host.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z' && !isTextInput(e) && this.undo()) e.preventDefault();
    });
  }

  hostConnected(): void {}

  /** The panel's interventions, in the order chosen. */
  get list(): readonly Intervention[] {
    return this.host.ui.interventions ?? [];
  }

  /** The snapshot's comparison when it belongs to the list on screen (not while the worker recomputes). */
  get comparison(): WhatIfComparison | null {
    return this.list.length > 0 ? comparisonFor(this.host.snapshot?.whatIf, this.list) : null;
  }

  /** What the views draw: the chosen mode once the comparison is in, else the result. */
  get mode(): CompareMode {
    return this.comparison ? this.host.ui.compare ?? 'result' : 'result';
  }

  shown(snap: Snapshot): AttentionResult {
    return shownResult(snap.result, this.comparison, this.mode);
  }

  private openMenu(request: WhatIfMenuRequest | null): void {
    this.menu = request;
    this.host.requestUpdate();
  }

  /** A new list: the old one goes on the undo stack; the first intervention shows the difference at once. */
  private set(list: readonly Intervention[], remember = true): void {
    const before = this.list;
    if (list === before) return;
    if (remember) {
      this.undoStack.push(before);
      if (this.undoStack.length > UNDO_DEPTH) this.undoStack.shift();
    }
    this.host.setUi({ interventions: list, ...(before.length === 0 && list.length > 0 ? { compare: 'difference' as const } : {}) });
    this.host.dispatchEvent(new CustomEvent('whatif-change', { detail: { interventions: list }, bubbles: true, composed: true }));
  }

  private undo(): boolean {
    const previous = this.undoStack.pop();
    if (!previous) return false;
    this.set(previous, false);
    return true;
  }

  private note(view: UiState['view']): string | null {
    const mode = this.mode;
    if (mode === 'difference' && this.comparison?.headChange.every((layer) => layer.every((c) => c === 0))) {
      return 'No attention weight changed: an ablated head changes only the layers after its own, so add a layer (Computation) to see it move.';
    }
    if (mode !== 'result' && view === 'pipeline') return 'The pipeline shows the run with the interventions; the Matrix and Heads views show the original and the difference.';
    if (mode === 'difference' && view === 'tokens') return 'Token lines show the run with the interventions; the Matrix and Heads views draw the difference.';
    return null;
  }

  render(snap: Snapshot): TemplateResult {
    const note = this.list.length > 0 ? this.note(this.host.ui.view) : null;
    return html`<attn-whatif-bar .interventions=${this.list} .result=${snap.result} .compare=${this.host.ui.compare ?? 'result'}
        ?canUndo=${this.undoStack.length > 0} ?compared=${this.comparison !== null || this.host.error !== null}></attn-whatif-bar>
      ${note ? html`<p class="whatif-note" role="note">${note}</p>` : nothing}
      <attn-context-menu .request=${this.menu}></attn-context-menu>`;
  }
}

function isTextInput(e: KeyboardEvent): boolean {
  const target = e.composedPath()[0];
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA'].includes(target.tagName) || target.tagName.startsWith('VSCODE-TEXT'));
}
