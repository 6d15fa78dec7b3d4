/**
 * What the panel's Export builds for the view on screen: the file's content (CSV or JSON of the matrix the view stands
 * for, SVG or PNG of the view as drawn), or, for a large result's withheld matrix, the request that the process holding
 * it write the file.
 */
import { isWithheld, type ExportFormat, type ExportPayload, type MatrixFileRequest, type MatrixKind, type Snapshot, type UiState } from '../../src/shared/protocol';
import type { Matrix } from '../../src/shared/core';
import { base64FromDataUrl, matrixToCsv, matrixToJson, suggestedName, svgToPngDataUrl } from '../export';
import type { ViewExport } from '../export-provider';
import type { ExportColours } from '../render/view-svg';
import { readVar } from '../theme';
import { headLabel, headTitle } from '../head-label';

export interface ExportInput {
  readonly snapshot: Snapshot;
  readonly ui: UiState;
  /** The matrix the view stands for (see AttnApp.currentMatrix). */
  readonly current: { readonly matrix: Matrix; readonly kind: MatrixKind };
  /** The view's own SVG/PNG export, if it registered one. */
  readonly provider: ViewExport | undefined;
  readonly colours: () => ExportColours;
}

export type BuiltExport = { readonly payload: ExportPayload } | { readonly matrixFile: MatrixFileRequest } | null;

export async function buildExport({ snapshot: snap, ui, current: cur, provider, colours }: ExportInput, format: ExportFormat): Promise<BuiltExport> {
  const r = snap.result;
  const headName = r.layers[ui.layer].heads[ui.head].name || headLabel(ui.layer, ui.head);
  const what = ui.view === 'pipeline' ? 'pipeline' : ui.view === 'grid' ? 'heads' : cur.kind;
  const title = `${snap.source.label} — ${ui.view === 'grid' ? `${r.layers.length} layer${r.layers.length === 1 ? '' : 's'}` : headTitle(ui.layer, ui.head, headName)}, ${what}`;
  const name = suggestedName([snap.source.label.replace(/\.attention\.json$|\.json$/, ''), ui.view, headLabel(ui.layer, ui.head), ui.view === 'tokens' ? '' : cur.kind], format);
  if ((format === 'csv' || format === 'json') && isWithheld(cur.matrix)) {
    // A large result's matrix stays where it is held: that process writes the file.
    return { matrixFile: { seq: snap.seq, layer: ui.layer, head: ui.head, matrix: cur.kind, format, suggestedName: name, hiddenTokens: ui.hiddenTokens, headName, source: snap.source.label } };
  }
  let content: string;
  if (format === 'csv') {
    content = matrixToCsv(cur.matrix, r.tokens, r.keyTokens);
  } else if (format === 'json') {
    content = matrixToJson(cur.matrix, r.tokens, r.keyTokens, {
      kind: cur.kind, layer: ui.layer, head: ui.head, headName, source: snap.source.label, hiddenTokens: ui.hiddenTokens,
    });
  } else {
    if (!provider) return null;
    const svg = () => provider.svg({ title, colors: colours() });
    content = format === 'svg' ? svg() : base64FromDataUrl(provider.png?.() ?? (await svgToPngDataUrl(svg())));
  }
  return { payload: { format, suggestedName: name, content } };
}

/** The theme's colours for an exported picture, read from the element's CSS variables. */
export function exportColoursOf(el: Element): ExportColours {
  return {
    background: readVar(el, 'editor-background', '#1f1f1f'),
    foreground: readVar(el, 'editor-foreground', readVar(el, 'foreground', '#cccccc')),
    font: readVar(el, 'editor-font-family', 'monospace'),
    dim: readVar(el, 'descriptionForeground', '#9d9d9d'),
    border: readVar(el, 'widget-border', readVar(el, 'panel-border', '#454545')),
    highlight: readVar(el, 'focusBorder', '#0078d4'),
  };
}
