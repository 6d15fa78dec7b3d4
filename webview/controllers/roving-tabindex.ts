/**
 * Keyboard movement through a grid of items with one tab stop (the WAI-ARIA roving tabindex pattern), shared by
 * the token view (two columns of tokens), the matrix (a canvas with a cell cursor) and the head grid.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface GridPosition {
  readonly row: number;
  readonly col: number;
}

/** Rows may differ in length (a layer with fewer heads, a column of key tokens). */
export interface GridShape {
  readonly rows: number;
  cols(row: number): number;
}

export interface GridKeys {
  /** Up/Down move within a row and Left/Right between rows (the token view's rows are its two columns). */
  readonly vertical?: boolean;
  /** Rows (or, vertical, items) that PageUp/PageDown skip. */
  readonly page?: number;
}

const clamp = (x: number, lo: number, hi: number): number => Math.max(lo, Math.min(hi, x));

/**
 * Where a key moves the cursor, or null when the key is not a movement key. Arrows move one step (no wrap),
 * Home/End go to the ends of the row (with Ctrl, of the grid), PageUp/PageDown move by `page`. Moving to another
 * row keeps the column, clamped to that row's length.
 */
export function nextPosition(e: Pick<KeyboardEvent, 'key' | 'ctrlKey'>, at: GridPosition, shape: GridShape, opts: GridKeys = {}): GridPosition | null {
  if (shape.rows === 0) return null;
  const page = opts.page ?? 10;
  const inRow = (row: number, col: number): GridPosition => {
    const r = clamp(row, 0, shape.rows - 1);
    return { row: r, col: clamp(col, 0, Math.max(0, shape.cols(r) - 1)) };
  };
  const along = opts.vertical ? { next: 'ArrowDown', prev: 'ArrowUp' } : { next: 'ArrowRight', prev: 'ArrowLeft' };
  const across = opts.vertical ? { next: 'ArrowRight', prev: 'ArrowLeft' } : { next: 'ArrowDown', prev: 'ArrowUp' };
  switch (e.key) {
    case along.next: return inRow(at.row, at.col + 1);
    case along.prev: return inRow(at.row, at.col - 1);
    case across.next: return inRow(at.row + 1, at.col);
    case across.prev: return inRow(at.row - 1, at.col);
    case 'Home': return e.ctrlKey ? inRow(0, 0) : inRow(at.row, 0);
    case 'End': return e.ctrlKey ? inRow(shape.rows - 1, Infinity) : inRow(at.row, Infinity);
    case 'PageDown': return opts.vertical ? inRow(at.row, at.col + page) : inRow(at.row + page, at.col);
    case 'PageUp': return opts.vertical ? inRow(at.row, at.col - page) : inRow(at.row - page, at.col);
    default: return null;
  }
}

export interface RovingOptions extends GridKeys {
  shape(): GridShape;
  /** The element at a position, focused when the cursor moves there; absent for a canvas with a cell cursor. */
  element?(at: GridPosition): HTMLElement | null | undefined;
  /** Moving to another row returns to where the cursor last was in it (the token view's two columns). */
  readonly rememberPerRow?: boolean;
  onMove?(at: GridPosition): void;
  /** Enter or Space. */
  onActivate?(at: GridPosition): void;
}

export class RovingTabindexController implements ReactiveController {
  private at: GridPosition = { row: 0, col: 0 };
  private readonly lastInRow = new Map<number, number>();

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly opts: RovingOptions,
  ) {
    host.addController(this);
  }

  get position(): GridPosition {
    return this.at;
  }

  /** 0 for the one item in the tab order, −1 for the others. */
  tabIndex(row: number, col: number): 0 | -1 {
    return row === this.at.row && col === this.at.col ? 0 : -1;
  }

  /** Moves the tab stop without moving focus (an item got focus or was clicked, or the selection changed). */
  setPosition(at: GridPosition): void {
    if (at.row === this.at.row && at.col === this.at.col) return;
    this.at = at;
    this.lastInRow.set(at.row, at.col);
    this.host.requestUpdate();
  }

  hostUpdate(): void {
    const shape = this.opts.shape();
    if (shape.rows === 0) return;
    const row = clamp(this.at.row, 0, shape.rows - 1);
    const col = clamp(this.at.col, 0, Math.max(0, shape.cols(row) - 1));
    if (row !== this.at.row || col !== this.at.col) this.at = { row, col };
  }

  /** Moves the cursor (and focus, for element grids) to `at`. */
  moveTo(at: GridPosition): void {
    this.setPosition(at);
    this.opts.onMove?.(at);
    const element = this.opts.element;
    if (!element) return;
    void this.host.updateComplete.then(() => {
      const el = element(at);
      el?.focus();
      el?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
    });
  }

  /** Handles movement keys, Enter and Space; returns whether the key was used. */
  readonly onKeyDown = (e: KeyboardEvent): boolean => {
    if (e.key === 'Enter' || e.key === ' ') {
      if (!this.opts.onActivate) return false;
      e.preventDefault();
      this.opts.onActivate(this.at);
      return true;
    }
    let next = nextPosition(e, this.at, this.opts.shape(), this.opts);
    if (!next) return false;
    e.preventDefault();
    if (this.opts.rememberPerRow && next.row !== this.at.row) {
      const remembered = this.lastInRow.get(next.row);
      if (remembered !== undefined) next = { row: next.row, col: Math.min(remembered, Math.max(0, this.opts.shape().cols(next.row) - 1)) };
    }
    this.moveTo(next);
    return true;
  };
}
