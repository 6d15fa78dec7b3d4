/**
 * Per-head summaries for results too large to send whole to the webview: the head grid's statistics
 * and a small block-maximum thumbnail per head, computed once where the full weights live (the worker).
 * Pure: no DOM.
 */
import { scoreHead, type HeadScores } from './analysis/headLabels';
import type { Matrix } from './matrix';
import { type HeadStats, headStats } from './stats';
import type { AttentionResult } from './types';

/** Thumbnail side, in cells: a 512-token head becomes 64×64 block maxima (16 KB as float32). */
export const THUMBNAIL_SIZE = 64;

export interface HeadSummary {
  /** Statistics over the full weights (same numbers as headStats on them). */
  readonly stats: HeadStats;
  /** Block maxima of the weights, at most THUMBNAIL_SIZE a side (the weights themselves when they fit). */
  readonly thumbnail: Matrix;
  /** The head-label scores over the full weights (previous-token, induction, duplicate-token, sink), when summarized with tokens. */
  readonly scores?: HeadScores;
}

/** summaries[layer][head]. */
export type HeadSummaries = readonly (readonly HeadSummary[])[];

/**
 * Statistics and thumbnail of one head in a single pass over its weights (equal to headStats and
 * downsampleMax, which each read the whole matrix: this is the slow part of opening a large export).
 */
export function summarizeHead(weights: Matrix, size = THUMBNAIL_SIZE): HeadSummary {
  const { rows, cols, data } = weights;
  const s = Math.max(1, Math.floor(size));
  if (rows === 0 || cols === 0 || (rows <= s && cols <= s)) {
    // Small: the thumbnail is a copy of the weights, never a view that would keep a big buffer alive.
    return { stats: headStats(weights), thumbnail: { rows, cols, data: data.slice() } };
  }
  const tr = Math.min(rows, s);
  const tc = Math.min(cols, s);
  const thumb = new Float32Array(tr * tc).fill(-Infinity);
  const colMap = new Int32Array(cols);
  for (let j = 0; j < cols; j++) colMap[j] = Math.floor((j * tc) / cols);
  let hSum = 0;
  let max = -Infinity;
  let sink = 0;
  for (let i = 0; i < rows; i++) {
    const base = i * cols;
    const tBase = Math.floor((i * tr) / rows) * tc;
    let h = 0;
    for (let j = 0; j < cols; j++) {
      const w = data[base + j];
      if (w > 0) h -= w * Math.log(w);
      const o = tBase + colMap[j];
      if (w > thumb[o]) thumb[o] = w;
      if (w > max) max = w;
    }
    hSum += h;
    sink += data[base];
  }
  const meanEntropy = hSum / rows;
  const stats: HeadStats = {
    meanEntropy,
    meanEntropyBits: meanEntropy / Math.LN2,
    normalizedEntropy: cols > 1 ? meanEntropy / Math.log(cols) : 0,
    maxWeight: max,
    sinkShare: sink / rows,
  };
  return { stats, thumbnail: { rows: tr, cols: tc, data: thumb } };
}

/** Every head's summary, with its label scores over the result's tokens (the worker holds the full weights). */
export function summarizeHeads(result: AttentionResult, size = THUMBNAIL_SIZE): HeadSummaries {
  return result.layers.map((layer) => layer.heads.map((head) => ({ ...summarizeHead(head.weights, size), scores: scoreHead(head.weights, result.tokens) })));
}
