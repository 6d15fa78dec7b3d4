import { finiteMax, hiddenPairs, maxAbsFinite, type AttentionResult, type HeadResult, type Matrix } from '../shared/core';
import { blockFor, poolBlockMax } from '../core/pooling';
import type { DataRefusal, MatrixKind, RasterAnswer, RasterRequest, RowAnswer, RowRequest } from '../shared/protocol';

/** The most values one raster answer carries (4 MB of float32): above it the blocks grow (a screen has fewer pixels). */
export const MAX_RASTER_VALUES = 1024 * 1024;

/**
 * Answers the heatmap's request from a result held whole (the compute worker's, or a model run's): the requested
 * rows × cols pooled by block max, with the colour domain of the whole matrix. Pure: any holder of a result answers.
 */
export function answerRaster(result: AttentionResult, request: RasterRequest): RasterAnswer | DataRefusal {
  const head = result.layers[request.layer]?.heads[request.head];
  if (!head) return refuse(request, `Layer ${request.layer}, head ${request.head} is not in this result.`);
  const matrix = matrixOf(head, request.matrix);
  const rows = clampRange(request.rows, matrix.rows);
  const cols = clampRange(request.cols, matrix.cols);
  let block = Math.max(blockFor(rows[1] - rows[0], request.outHeight), blockFor(cols[1] - cols[0], request.outWidth));
  // Coarser blocks rather than a refusal when a huge canvas asks for more values than the limit.
  while (Math.ceil((rows[1] - rows[0]) / block) * Math.ceil((cols[1] - cols[0]) / block) > MAX_RASTER_VALUES) block++;
  const kind = matrix === head.weights ? 'weights' : request.matrix;
  // Weights are shown over the mask of the scaled scores (or of the result's mask, for weights alone); raw scores show none.
  const maskSource = kind === 'scaled' ? matrix : kind === 'weights' ? head.scaled ?? maskOf(result, matrix) : null;
  const pooled = poolBlockMax(matrix, kind === 'weights' ? 'sequential' : 'diverging', block, maskSource, kind === 'weights' ? result.options.mask : undefined, rows, cols);
  return {
    requestId: request.requestId, seq: request.seq, layer: request.layer, head: request.head, matrix: kind,
    rows, cols, block, width: pooled.cols, height: pooled.rows, values: pooled.values, domain: domainOf(matrix, kind),
  };
}

/** One query's row of the weights (and of the raw and scaled scores, when the result has them). */
export function answerRow(result: AttentionResult, request: RowRequest): RowAnswer | DataRefusal {
  const head = result.layers[request.layer]?.heads[request.head];
  if (!head) return refuse(request, `Layer ${request.layer}, head ${request.head} is not in this result.`);
  if (request.query >= head.weights.rows) return refuse(request, `Query ${request.query + 1} is not in this result.`);
  const row = (m: Matrix | null) => (m ? m.data.slice(request.query * m.cols, (request.query + 1) * m.cols) : null);
  return {
    requestId: request.requestId, seq: request.seq, layer: request.layer, head: request.head, query: request.query,
    weights: row(head.weights) as Float32Array, scores: row(head.scores), scaled: row(head.scaled),
  };
}

/** The Float32 bytes an answer carries (logged by the host). */
export function answerBytes(answer: RasterAnswer | RowAnswer | DataRefusal): number {
  if ('values' in answer) return answer.values.byteLength;
  if ('weights' in answer) return answer.weights.byteLength + (answer.scores?.byteLength ?? 0) + (answer.scaled?.byteLength ?? 0);
  return 0;
}

/** The ArrayBuffers of an answer, for a zero-copy postMessage from a thread. */
export function answerTransferables(answer: RasterAnswer | RowAnswer | DataRefusal): ArrayBuffer[] {
  if ('values' in answer) return [answer.values.buffer as ArrayBuffer];
  if ('weights' in answer) return [answer.weights, answer.scores, answer.scaled].filter((a) => a !== null).map((a) => a.buffer as ArrayBuffer);
  return [];
}

function refuse(request: RasterRequest | RowRequest, problem: string): DataRefusal {
  return { requestId: request.requestId, seq: request.seq, problem };
}

function matrixOf(head: HeadResult, kind: MatrixKind): Matrix {
  return (kind === 'scores' ? head.scores : kind === 'scaled' ? head.scaled : null) ?? head.weights;
}

function clampRange([start, end]: readonly [number, number], size: number): readonly [number, number] {
  const s = Math.min(Math.max(0, start), size);
  return [s, Math.min(Math.max(s, end), size)];
}

const domains = new WeakMap<Matrix, { min: number; max: number }>();

/** The colours of the whole matrix, as the webview's matrixDomain gives them: weights 0…max, scores ±max|value|. */
function domainOf(matrix: Matrix, kind: MatrixKind): { min: number; max: number } {
  let domain = domains.get(matrix);
  if (!domain) {
    const top = kind === 'weights' ? finiteMax(matrix.data) : maxAbsFinite(matrix.data);
    const max = top > 0 ? top : 1;
    domain = kind === 'weights' ? { min: 0, max } : { min: -max, max };
    domains.set(matrix, domain);
  }
  return domain;
}

const masks = new WeakMap<Matrix, Matrix | null>();

/** −∞ wherever the result's mask hides a pair, for weights that came without scaled scores (a model's file). */
function maskOf(result: AttentionResult, weights: Matrix): Matrix | null {
  let mask = masks.get(weights);
  if (mask === undefined) {
    mask = hiddenPairs(result.options.mask, weights.rows, weights.cols);
    masks.set(weights, mask);
  }
  return mask;
}
