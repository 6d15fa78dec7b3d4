/** The Heads view as drawn, as an SVG: the same cards in the same order and grid, with their thumbnails and statistics. */
import type { ExportContext } from '../export-provider';
import { headTitle } from '../head-label';
import { headGridSvg, svgThumb } from '../render/view-svg';
import { thumbnail } from '../render/thumbnail';
import type { HeadItem } from './attn-head-grid';

export interface HeadGridLayout {
  readonly items: readonly HeadItem[];
  /** Layer order: rows are layers and columns heads; else the sorted cards wrap into `columns`. */
  readonly byLayer: boolean;
  readonly columns: number;
  readonly layers: number;
  readonly heads: number;
  readonly cell: number;
  readonly showStats: boolean;
  readonly selected: { readonly layer: number; readonly head: number };
  /** The token row outlined in every thumbnail, of `tokens`. */
  readonly row: number | null;
  readonly tokens: number;
  readonly caption: string;
}

const THUMB_LIMIT = 64;

export function headGridExport(g: HeadGridLayout, ctx: ExportContext): string {
  const box = Math.max(16, g.cell - 8);
  const cards = g.items.map((item, index) => {
    const s = item.stats;
    const limit = Math.min(THUMB_LIMIT, box);
    // As the grid draws it: a large result's thumbnail came from the host, the row band is relative to every token.
    const thumb = item.summary
      ? thumbnail(item.summary.thumbnail, limit, true)
      : thumbnail(item.result.weights, limit, true, item.result.scaled);
    return {
      label: headTitle(item.layer, item.head, item.result.name),
      row: g.byLayer ? item.layer : Math.floor(index / g.columns),
      col: g.byLayer ? item.head : index % g.columns,
      thumb: svgThumb(thumb, g.tokens, box, g.row),
      stats: g.showStats ? [`H ${s.meanEntropy.toFixed(2)} nats,`, `max ${s.maxWeight.toFixed(2)},`, `sink ${(s.sinkShare * 100).toFixed(0)}%`] : [],
      selected: item.layer === g.selected.layer && item.head === g.selected.head,
    };
  });
  return headGridSvg({
    title: ctx.title,
    caption: g.caption,
    cards,
    cell: g.cell,
    rowLabels: g.byLayer ? Array.from({ length: g.layers }, (_, l) => `L${l}`) : null,
    colLabels: g.byLayer ? Array.from({ length: g.heads }, (_, h) => `H${h}`) : null,
    colors: ctx.colors,
  });
}
