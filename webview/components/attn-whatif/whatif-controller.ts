/**
 * The "what if" side of `<attn-app>`: opens the context menus (head cards and matrix cells ask for theirs; a token of
 * the token view gets one here, from its data-index), keeps the list and the token edit (in the UI state, so they
 * persist with the panel), their undo history (Undo button, Ctrl/Cmd+Z), and picks what the views draw. It tells the
 * host with `whatif-change` ({ interventions, tokenEdit }); the host recomputes and the snapshot brings the comparison.
 */
import { html, nothing, type ReactiveController, type ReactiveControllerHost, type TemplateResult } from 'lit';
import type { AttentionResult, Intervention, TokenEdit } from '../../../src/shared/core';
import type { CompareMode, ErrorPayload, Snapshot, UiState, WhatIfComparison } from '../../../src/shared/protocol';
import { tokenLabel } from '../../render/format';
import { elementBox, isMenuKey, pointBox, WHATIF_MENU_EVENT, type WhatIfMenuItem, type WhatIfMenuRequest } from './menu-request';
import { comparisonFor, shownResult, withIntervention } from './whatif-list';

export interface WhatIfHost extends ReactiveControllerHost, HTMLElement {
  readonly ui: UiState;
  readonly snapshot: Snapshot | null;
  readonly error: ErrorPayload | null;
  setUi(patch: Partial<UiState>): void;
}

/** What Undo goes back to. */
interface WhatIfState {
  readonly interventions: readonly Intervention[];
  readonly tokenEdit: TokenEdit<string> | undefined;
}

/** A replacement or insertion waiting for its text (typed in the bar). */
export type PendingEdit = { readonly kind: 'replace-token' | 'insert-token'; readonly position: number; readonly token: string };

/** Undo goes back this many changes. */
const UNDO_DEPTH = 100;

export class WhatIfController implements ReactiveController {
  private menu: WhatIfMenuRequest | null = null;
  private pending: PendingEdit | null = null;
  private readonly undoStack: WhatIfState[] = [];

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
      if (item) this.pick(item);
    });
    on('whatif-remove', (d) => this.set({ ...this.state, interventions: this.list.filter((_, i) => i !== (d as { index: number }).index) }));
    on('whatif-remove-edit', () => this.set({ ...this.state, tokenEdit: undefined }));
    on('whatif-clear', () => this.set({ interventions: [], tokenEdit: undefined }));
    on('whatif-undo', () => this.undo());
    on('token-edit-text', (d) => {
      const token = String((d as { token: string }).token ?? '');
      const pending = this.pending;
      this.pending = null;
      host.requestUpdate();
      if (pending && token.length > 0) this.set({ ...this.state, tokenEdit: { kind: pending.kind, position: pending.position, token } });
    });
    on('token-edit-cancel', () => {
      this.pending = null;
      host.requestUpdate();
    });
    host.addEventListener('keydown', (e) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && !e.altKey && e.key.toLowerCase() === 'z' && !isTextInput(e) && this.undo()) e.preventDefault();
      else if (isMenuKey(e)) this.tokenMenu(e, null);
    });
    host.addEventListener('contextmenu', (e) => this.tokenMenu(e, pointBox(e)));
  }

  hostConnected(): void {}

  /** The panel's interventions, in the order chosen. */
  get list(): readonly Intervention[] {
    return this.host.ui.interventions ?? [];
  }

  private get state(): WhatIfState {
    return { interventions: this.list, tokenEdit: this.host.ui.tokenEdit };
  }

  private get active(): boolean {
    return this.list.length > 0 || this.host.ui.tokenEdit !== undefined;
  }

  /** The snapshot's comparison when it belongs to the list on screen (not while the worker recomputes). */
  get comparison(): WhatIfComparison | null {
    return this.active ? comparisonFor(this.host.snapshot?.whatIf, this.list, this.host.ui.tokenEdit) : null;
  }

  /** What the views draw: the chosen mode once the comparison is in (and has one per head), else the result. */
  get mode(): CompareMode {
    const c = this.comparison;
    return c && !c.shapesDiffer ? this.host.ui.compare ?? 'result' : 'result';
  }

  shown(snap: Snapshot): AttentionResult {
    return shownResult(snap.result, this.comparison, this.mode);
  }

  private openMenu(request: WhatIfMenuRequest | null): void {
    this.menu = request;
    this.host.requestUpdate();
  }

  private pick(item: WhatIfMenuItem): void {
    if ('intervention' in item) {
      this.set({ ...this.state, interventions: withIntervention(this.list, item.intervention) });
    } else if (item.tokenEdit.kind === 'delete-token') {
      this.set({ ...this.state, tokenEdit: item.tokenEdit });
    } else {
      const token = 'token' in item.tokenEdit ? item.tokenEdit.token : '';
      this.pending = { kind: item.tokenEdit.kind, position: item.tokenEdit.position, token };
      this.host.requestUpdate();
    }
  }

  /**
   * A right click or the menu key on a token of the token view (a selection or a real model's run): change this
   * token. A tensor file's weights belong to its own tokens, so it gets no menu.
   */
  private tokenMenu(e: Event, anchor: ReturnType<typeof pointBox> | null): void {
    const snap = this.host.snapshot;
    const path = e.composedPath();
    if (!snap || snap.source.kind !== 'selection' || this.host.ui.grouping || !path.some((el) => el instanceof HTMLElement && el.tagName === 'ATTN-TOKEN-VIEW')) return;
    const tok = path.find((el): el is HTMLElement => el instanceof HTMLElement && el.dataset.col === 'q' && el.dataset.index !== undefined);
    const position = Number(tok?.dataset.index);
    if (!tok || !Number.isInteger(position) || position >= snap.result.tokens.length) return;
    e.preventDefault();
    const text = tokenLabel(snap.result.tokens[position], 16);
    this.openMenu({
      anchor: anchor ?? elementBox(tok),
      returnFocus: tok,
      items: [
        { label: `Replace token ${position} “${text}”…`, tokenEdit: { kind: 'replace-token', position } },
        { label: `Insert a token before ${position} “${text}”…`, tokenEdit: { kind: 'insert-token', position } },
        { label: `Delete token ${position} “${text}”`, tokenEdit: { kind: 'delete-token', position } },
      ],
    });
  }

  /** A new list or edit: the old one goes on the undo stack; the first change shows the difference at once. */
  private set(next: WhatIfState, remember = true): void {
    const before = this.state;
    if (next.interventions === before.interventions && JSON.stringify(next.tokenEdit) === JSON.stringify(before.tokenEdit)) return;
    if (remember) {
      this.undoStack.push(before);
      if (this.undoStack.length > UNDO_DEPTH) this.undoStack.shift();
    }
    const first = !this.active && (next.interventions.length > 0 || next.tokenEdit !== undefined);
    this.host.setUi({ interventions: next.interventions, tokenEdit: next.tokenEdit, ...(first ? { compare: 'difference' as const } : {}) });
    this.host.dispatchEvent(new CustomEvent('whatif-change', {
      detail: { interventions: next.interventions, ...(next.tokenEdit ? { tokenEdit: next.tokenEdit } : {}) }, bubbles: true, composed: true,
    }));
  }

  private undo(): boolean {
    const previous = this.undoStack.pop();
    if (!previous) return false;
    this.set(previous, false);
    return true;
  }

  private note(view: UiState['view']): string | null {
    const c = this.comparison;
    if (c?.shapesDiffer) return 'An inserted or deleted token moves every later position, so there is no Original or Difference to draw: the views show the edited run.';
    const mode = this.mode;
    if (mode === 'difference' && c?.headChange.every((layer) => layer.every((x) => x === 0))) {
      return 'No attention weight changed: an ablated head changes only the layers after its own, so add a layer (Computation) to see it move.';
    }
    if (mode !== 'result' && view === 'pipeline') return 'The pipeline shows the run with the interventions; the Matrix and Heads views show the original and the difference.';
    if (mode === 'difference' && view === 'tokens') return 'Token lines show the run with the interventions; the Matrix and Heads views draw the difference.';
    return null;
  }

  render(snap: Snapshot): TemplateResult {
    const note = this.active ? this.note(this.host.ui.view) : null;
    return html`<attn-whatif-bar .interventions=${this.list} .tokenEdit=${this.host.ui.tokenEdit ?? null} .pending=${this.pending}
        .result=${snap.result} .compare=${this.host.ui.compare ?? 'result'} ?canCompare=${!this.comparison?.shapesDiffer}
        ?canUndo=${this.undoStack.length > 0} ?compared=${this.comparison !== null || this.host.error !== null}></attn-whatif-bar>
      ${note ? html`<p class="whatif-note" role="note">${note}</p>` : nothing}
      <attn-context-menu .request=${this.menu}></attn-context-menu>`;
  }
}

function isTextInput(e: KeyboardEvent): boolean {
  const target = e.composedPath()[0];
  return target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA'].includes(target.tagName) || target.tagName.startsWith('VSCODE-TEXT'));
}
