/**
 * How a view hands its export to <attn-app>: when connected it fires `export-provider` with what it can export,
 * and the app fills in `unregister`, which the view calls when it leaves. The app never reads a view's shadow root.
 */
import type { ViewName } from '../src/shared/protocol';
import type { ExportColours } from './render/view-svg';

export interface ExportContext {
  /** Source, head and kind, as the app names the export. */
  readonly title: string;
  readonly colors: ExportColours;
}

export interface ViewExport {
  /** The view as drawn, as a standalone SVG. */
  svg(ctx: ExportContext): string;
  /** A PNG data URL the view paints itself (the matrix canvas); without it, the SVG is rasterised. */
  png?(): string | null;
}

export interface ExportRegistration {
  readonly view: ViewName;
  readonly provider: ViewExport;
  unregister?: () => void;
}

export const EXPORT_PROVIDER_EVENT = 'export-provider';

/** Announces `provider` for `view` to the app above `el`; returns the call that withdraws it. */
export function registerExport(el: HTMLElement, view: ViewName, provider: ViewExport): () => void {
  const registration: ExportRegistration = { view, provider };
  el.dispatchEvent(new CustomEvent(EXPORT_PROVIDER_EVENT, { detail: registration, bubbles: true, composed: true }));
  return registration.unregister ?? (() => undefined);
}
