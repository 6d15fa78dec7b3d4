/**
 * Which rows of a tall list of fixed-height rows are on screen, so a component renders only those (the token view
 * at thousands of tokens). Follows scrolling of the page or any ancestor and resizing of the window, at most once a
 * frame, and asks the host to render again when the range changes.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export interface VisibleRowsOptions {
  readonly rowHeight: number;
  /** Rows rendered beyond each edge of the screen, so a fast scroll shows rows rather than a gap. */
  readonly overscan: number;
  /** Rows rendered before the first measurement (the top of the list). */
  readonly initialRows: number;
  /** The element whose top is row 0. */
  target(): Element | null | undefined;
}

export class VisibleRowsController implements ReactiveController {
  /** The on-screen rows plus overscan: [first, last). */
  private first = 0;
  private last: number;
  private frame = 0;

  constructor(
    private readonly host: ReactiveControllerHost & HTMLElement,
    private readonly opts: VisibleRowsOptions,
  ) {
    this.last = opts.initialRows;
    host.addController(this);
  }

  hostConnected(): void {
    // Capture: scroll events do not bubble, and the scrolling element may be any ancestor (or the page).
    window.addEventListener('scroll', this.schedule, { capture: true, passive: true });
    window.addEventListener('resize', this.schedule, { passive: true });
  }

  hostDisconnected(): void {
    window.removeEventListener('scroll', this.schedule, { capture: true });
    window.removeEventListener('resize', this.schedule);
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  /** After every render: the list's length or position may have changed. */
  hostUpdated(): void {
    this.schedule();
  }

  /**
   * The rows to render out of `count`, ascending: the visible range, plus `pinned` rows wherever they are (the
   * keyboard's tab stop must exist to be focused, and a focused row must not be recycled under the focus).
   */
  rows(count: number, pinned: readonly (number | null)[]): number[] {
    const first = Math.min(this.first, count);
    const last = Math.min(this.last, count);
    const out: number[] = [];
    for (const p of new Set(pinned)) if (p !== null && p >= 0 && p < count && (p < first || p >= last)) out.push(p);
    for (let i = first; i < last; i++) out.push(i);
    return out.sort((a, b) => a - b);
  }

  private readonly schedule = (): void => {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.measure();
    });
  };

  private measure(): void {
    const el = this.opts.target();
    if (!el || !this.host.isConnected) return;
    const { rowHeight, overscan } = this.opts;
    const box = el.getBoundingClientRect();
    const top = Math.max(0, -box.top);
    const bottom = Math.min(box.height, window.innerHeight - box.top);
    // Off screen: keep the nearest edge's overscan, so coming back into view starts from rendered rows.
    const first = bottom <= top ? (box.top > 0 ? 0 : Math.floor(box.height / rowHeight)) : Math.floor(top / rowHeight);
    const last = bottom <= top ? first : Math.ceil(bottom / rowHeight);
    const next = { first: Math.max(0, first - overscan), last: last + overscan };
    if (next.first === this.first && next.last === this.last) return;
    this.first = next.first;
    this.last = next.last;
    this.host.requestUpdate();
  }
}
