/**
 * The Pipeline view as drawn, as an SVG: built from the view's step cards and the result, not from the DOM. A large
 * result's withheld steps are in it as the view drew them, from the rasters and rows it asked for; a step whose
 * answer has not come yet says so in one sentence (export again when it has).
 */
import type { AttentionResult } from '../../src/shared/core';
import type { ExportContext } from '../export-provider';
import { headTitle } from '../head-label';
import { pipelineSvg, svgThumb } from '../render/view-svg';
import { tokenText } from '../token-text';
import { maskCost, missingText, type StepCard } from './attn-pipeline';
import { THUMB_BOX } from './attn-pipeline-thumbs';

/** Cards 168 px wide with 10 px gaps. */
const CARD_PITCH = 178;

export const PENDING_EXPORT_NOTE = 'Not in this export: this step was still coming from the compute process; export again in a moment.';

export function pipelineExport(
  result: AttentionResult | null,
  layer: number,
  head: number,
  row: number | null,
  cards: readonly StepCard[],
  width: number,
  ctx: ExportContext,
): string {
  const h = result?.layers[layer]?.heads[head];
  if (!result || !h) return pipelineSvg({ title: ctx.title, notes: ['No attention result to show.'], steps: [], cost: { readout: '', rows: [] }, columns: 1, colors: ctx.colors });
  const token = row !== null ? result.tokens[row] : undefined;
  const notes = [
    `${headTitle(layer, head, h.name)}: how the numbers flow`,
    ...(row !== null && token !== undefined ? [`Tracing token ${row + 1} “${tokenText(token)}” through every step.`] : []),
  ];
  const cost = maskCost(result);
  return pipelineSvg({
    title: ctx.title,
    notes,
    steps: cards.map(({ step: s, picture, trace }) => ({
      id: s.id,
      name: s.name,
      shape: s.shape,
      explain: s.explain,
      thumb: picture && 'thumb' in picture ? svgThumb(picture.thumb, picture.rows, THUMB_BOX, s.tokenRows ? row : null) : null,
      missing: !picture ? missingText(s) : 'note' in picture ? (picture.pending ? PENDING_EXPORT_NOTE : picture.note) : '',
      trace: trace && !trace.pending ? trace.text : null,
    })),
    cost: {
      readout: cost.readout,
      rows: [['n', 'pairs', 'n²', 'share'], ...cost.rows.map((r) => [r.n, r.pairs, r.full].map((x) => x.toLocaleString('en-US')).concat(r.share))],
    },
    columns: Math.max(1, Math.floor((width + 10) / CARD_PITCH)),
    colors: ctx.colors,
  });
}
