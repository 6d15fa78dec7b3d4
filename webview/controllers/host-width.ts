/** The host element's content width, kept up to date by a ResizeObserver: views that fit their drawing to it. */
import type { ReactiveController, ReactiveControllerHost } from 'lit';

export class HostWidthController implements ReactiveController {
  /** Content width in CSS px; 0 until first observed. */
  width = 0;
  private observer?: ResizeObserver;

  constructor(private readonly host: ReactiveControllerHost & HTMLElement) {
    host.addController(this);
  }

  hostConnected(): void {
    this.observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      // Next frame: resizing a canvas inside this callback would change the observed box again in the same frame.
      if (w > 0 && Math.abs(w - this.width) > 1) requestAnimationFrame(() => {
        if (!this.host.isConnected) return;
        this.width = w;
        this.host.requestUpdate();
      });
    });
    this.observer.observe(this.host);
  }

  hostDisconnected(): void {
    this.observer?.disconnect();
  }
}
