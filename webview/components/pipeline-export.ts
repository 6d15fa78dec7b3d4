/** The Pipeline view as drawn, as an SVG: built from the steps and the result, not from the DOM. */
import type { AttentionResult } from '../../src/shared/core';
import type { ExportContext } from '../export-provider';
import { headTitle } from '../head-label';
import { pipelineSvg, svgThumb } from '../render/view-svg';
import { tokenText } from '../token-text';
import { thumbnail } from '../render/thumbnail';
import { maskCost, traceText, type PipelineStep } from './attn-pipeline';

/** As the view draws them: 64 cells a side at most, in a 120 px box; cards 168 px wide with 10 px gaps. */
const THUMB_LIMIT = 64;
const THUMB_BOX = 120;
const CARD_PITCH = 178;

export function pipelineExport(
  result: AttentionResult | null,
  layer: number,
  head: number,
  row: number | null,
  steps: readonly PipelineStep[],
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
    steps: steps.map((s) => ({
      id: s.id,
      name: s.name,
      shape: s.shape,
      explain: s.explain,
      thumb: s.matrix ? svgThumb(thumbnail(s.matrix, THUMB_LIMIT, s.sequential ?? false, s.maskSource ?? null), s.matrix.rows, THUMB_BOX, s.tokenRows ? row : null) : null,
      missing: s.id.startsWith('w') ? 'weights not kept in the result' : 'not in this result',
      trace: row !== null && s.matrix && s.tokenRows ? traceText(s, row) : null,
    })),
    cost: {
      readout: cost.readout,
      rows: [['n', 'pairs', 'n²', 'share'], ...cost.rows.map((r) => [r.n, r.pairs, r.full].map((x) => x.toLocaleString('en-US')).concat(r.share))],
    },
    columns: Math.max(1, Math.floor((width + 10) / CARD_PITCH)),
    colors: ctx.colors,
  });
}
