/**
 * The wheel zooms the matrix around the pointer. The listener is the controller's own, not passive, so the page
 * does not scroll while the matrix zooms.
 */
import type { ReactiveController } from 'lit';
import type { MatrixPointerHost } from './pointer-controller';
import { zoomAt } from './viewport';

export class MatrixWheelController implements ReactiveController {
  constructor(private readonly host: Pick<MatrixPointerHost, 'viewport' | 'canvasPoint' | 'addController'> & { readonly renderRoot: HTMLElement | DocumentFragment }) {
    host.addController(this);
  }

  hostConnected(): void {
    this.host.renderRoot.addEventListener('wheel', this.onWheel as EventListener, { passive: false });
  }

  hostDisconnected(): void {
    this.host.renderRoot.removeEventListener('wheel', this.onWheel as EventListener);
  }

  private readonly onWheel = (e: WheelEvent): void => {
    const p = this.host.canvasPoint(e.clientX, e.clientY);
    const v = this.host.viewport;
    if (!p || p.x < 0 || p.y < 0 || p.x >= v.cssW || p.y >= v.cssH) return;
    e.preventDefault();
    this.host.viewport = zoomAt(v, e.deltaY < 0 ? 1.25 : 0.8, p.x, p.y);
  };
}
