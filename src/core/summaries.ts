/**
 * Per-head summaries for results too large to send whole to the webview: the head grid's statistics
 * and a small block-maximum thumbnail per head, computed once where the full weights live (the worker).
 * Pure: no DOM.
 */
import type { Matrix } from './matrix';
import { type HeadStats, downsampleMax, headStats } from './stats';
import type { AttentionResult } from './types';

/** Thumbnail side, in cells: a 512-token head becomes 64×64 block maxima (16 KB as float32). */
export const THUMBNAIL_SIZE = 64;

export interface HeadSummary {
  /** Statistics over the full weights (same numbers as headStats on them). */
  readonly stats: HeadStats;
  /** Block maxima of the weights, at most THUMBNAIL_SIZE a side (the weights themselves when they fit). */
  readonly thumbnail: Matrix;
}

/** summaries[layer][head]. */
export type HeadSummaries = readonly (readonly HeadSummary[])[];

export function summarizeHead(weights: Matrix, size = THUMBNAIL_SIZE): HeadSummary {
  const small = downsampleMax(weights, size);
  // Always a matrix of its own, so it never keeps a large buffer alive or aliases the weights.
  const thumbnail = small === weights ? { rows: weights.rows, cols: weights.cols, data: weights.data.slice() } : small;
  return { stats: headStats(weights), thumbnail };
}

export function summarizeHeads(result: AttentionResult, size = THUMBNAIL_SIZE): HeadSummaries {
  return result.layers.map((layer) => layer.heads.map((head) => summarizeHead(head.weights, size)));
}
