/**
 * Pointer and wheel on the matrix: hovering a cell shows its derivation, a click locks its query token, dragging
 * pans a zoomed matrix. The template binds the handlers.
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { panTo, type Cell, type Viewport } from './viewport';

/** What the controllers need from <attn-matrix>. */
export interface MatrixPointerHost extends ReactiveControllerHost {
  viewport: Viewport;
  /** Canvas CSS pixels of a client point, or null before the first paint. */
  canvasPoint(clientX: number, clientY: number): { x: number; y: number } | null;
  cellAtClient(clientX: number, clientY: number): Cell | null;
  /** The cell under the pointer (null: none); shows or hides the tooltip. */
  pointAt(cell: Cell | null): void;
  hideTooltip(): void;
  toggleLock(row: number): void;
  panning: boolean;
}

interface Drag {
  readonly x: number;
  readonly y: number;
  readonly panX: number;
  readonly panY: number;
  readonly id: number;
  moved: boolean;
}

/** A press that moves further than this (CSS px) pans instead of clicking. */
const DRAG_SLOP = 3;

export class MatrixPointerController implements ReactiveController {
  private drag: Drag | null = null;

  constructor(private readonly host: MatrixPointerHost) {
    host.addController(this);
  }

  hostDisconnected(): void {
    this.drag = null;
  }

  readonly onPointerDown = (e: PointerEvent): void => {
    if (e.button !== 0) return;
    const v = this.host.viewport;
    this.drag = { x: e.clientX, y: e.clientY, panX: v.panX, panY: v.panY, moved: false, id: e.pointerId };
  };

  readonly onPointerMove = (e: PointerEvent): void => {
    const d = this.drag;
    if (d && d.id === e.pointerId) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (!d.moved && Math.hypot(dx, dy) > DRAG_SLOP && this.host.viewport.zoom > 1) {
        d.moved = true;
        this.host.panning = true;
        (e.currentTarget as HTMLElement).setPointerCapture?.(e.pointerId);
        this.host.hideTooltip();
      }
      if (d.moved) {
        this.host.viewport = panTo(this.host.viewport, d.panX + dx, d.panY + dy);
        return;
      }
    }
    this.host.pointAt(this.host.cellAtClient(e.clientX, e.clientY));
  };

  readonly onPointerUp = (e: PointerEvent): void => {
    const d = this.drag;
    this.drag = null;
    this.host.panning = false;
    if (!d || d.moved) return;
    const cell = this.host.cellAtClient(e.clientX, e.clientY);
    if (cell) this.host.toggleLock(cell.i);
  };

  readonly onPointerLeave = (): void => {
    if (this.drag?.moved) return;
    this.host.pointAt(null);
  };
}
