import { formatMemory, type AttentionResult, type HeadResult, type HeadSummaries, type LayerResult, type Matrix } from '../shared/core';
import { isSlimmed, isWithheld, withheldMatrix, type MatrixKind, type ViewName } from '../shared/protocol';
import { layerMatrices } from './transferables';

/**
 * With head summaries, the most weight cells a slimmed snapshot carries for the focused layer
 * (4 M cells = 16 MB of float32: 12 heads at 512 tokens). Above it only the focused head keeps its weights.
 */
export const MAX_LAYER_WEIGHT_CELLS = 4 * 1024 * 1024;

export interface Focus {
  readonly layer: number;
  readonly head: number;
  readonly view: ViewName;
  readonly matrix: MatrixKind;
  /**
   * The views compute from the focused head's whole matrices (a "what if" comparison, word grouping): it travels
   * whole. Otherwise the token, matrix and pipeline views of a large result ask for the rows and rasters they draw.
   */
  readonly whole?: boolean;
}

export const DEFAULT_FOCUS: Focus = { layer: 0, head: 0, view: 'tokens', matrix: 'weights' };

/** Whether the views on screen draw the focused head's scores or scaled scores, or the layer-wide matrices. */
export function needsMatrix(focus: Focus, kind: 'scores' | 'scaled' | 'layer'): boolean {
  return focus.view === 'pipeline' || (focus.view === 'matrix' && focus.matrix === kind);
}

/**
 * Whether the focused layer's n×n matrices stay in the worker, and the views ask for rows and rasters: the token and
 * matrix views, and the pipeline (its thumbnails of scores, scaling, mask and softmax are rasters at thumbnail size,
 * its traced row a row). Only the head grid draws every head of the layer from their weights.
 */
export function onRequest(focus: Focus): boolean {
  return !focus.whole && focus.view !== 'grid';
}

/**
 * What crosses to the webview. Small results go whole. For large ones only the focused head keeps
 * Q, K, V and Z, and its raw or scaled scores only when a view on screen draws them; only the
 * focused layer keeps its layer-wide matrices, and only in the pipeline view. Those are n×d (n×d_model, or the
 * feed-forward's n×d_ff): they grow with n, not n², so they travel whole (64 × 2,000 tokens is 0.5 MB) and the pipeline
 * reads every step's thumbnail and traced row from them.
 *
 * Weights: without `summaries` every head keeps them (the head grid computes from them). With
 * `summaries` (statistics and thumbnails of every head, see summarizeHeads) only the focused layer's
 * heads keep them, or only the focused head when the layer exceeds MAX_LAYER_WEIGHT_CELLS; every
 * other head's are withheld ('summarized'). In the token, matrix and pipeline views (see onRequest) the focused
 * layer's n×n matrices are withheld too ('on-request'): those views ask for the rows and rasters they draw.
 */
export function slimResult(result: AttentionResult, focus: Focus, summaries?: HeadSummaries): AttentionResult {
  if (!isSlimmed(result)) return standaloneWeights(result);
  const cells = result.tokens.length * result.keyTokens.length;
  const dropWeights = summaries !== undefined && hasEveryHead(result, summaries);
  const layerFits = (heads: number) => heads * cells <= MAX_LAYER_WEIGHT_CELLS;
  const requested = dropWeights && onRequest(focus);
  return {
    ...result,
    layers: result.layers.map((layer, l): LayerResult => {
      const focused = l === focus.layer;
      const keepWeights = (h: number): boolean | 'on-request' => (focused && requested ? 'on-request'
        : !dropWeights || (focused && (h === focus.head || layerFits(layer.heads.length))));
      // The layer-wide matrices (X, concat, ·W_O, the encoder steps) are drawn by the pipeline view only.
      const whole = focused && needsMatrix(focus, 'layer');
      return {
        input: whole ? layer.input : null,
        heads: layer.heads.map((head, h) => (focused && h === focus.head ? focusedHead(head, focus, requested) : weightsOnly(head, keepWeights(h)))),
        concat: whole ? layer.concat : null,
        attentionOutput: whole ? layer.attentionOutput : null,
        encoder: whole ? layer.encoder : undefined,
        output: whole ? layer.output : null,
        ...(layer.model ? { model: whole ? layer.model : { ...layer.model, attentionNormed: null, residualMid: null, mlpNormed: null, mlpOutput: null } } : {}),
      };
    }),
  };
}

/**
 * The first picture of a large result: no matrix at all, every head's statistics and thumbnail standing in (the worker
 * summarizes every large result). The token view draws its tokens from it at once; the focused slice follows.
 */
export function tokensOnly(result: AttentionResult): AttentionResult {
  if (!isSlimmed(result)) return standaloneWeights(result);
  return {
    ...result,
    layers: result.layers.map((layer): LayerResult => ({
      input: null,
      heads: layer.heads.map((head) => weightsOnly(head, false)),
      concat: null,
      attentionOutput: null,
      encoder: undefined,
      output: null,
      ...(layer.model ? { model: { ...layer.model, attentionNormed: null, residualMid: null, mlpNormed: null, mlpOutput: null } } : {}),
    })),
  };
}

/**
 * The focused head keeps Q, K, V and Z (n×d, small) and only the n×n matrices its views draw: whole, or withheld
 * 'on-request' (the views ask for rows and rasters of them).
 */
function focusedHead(head: HeadResult, focus: Focus, requested: boolean): HeadResult {
  const drawn = (m: Matrix | null, kind: 'scores' | 'scaled'): Matrix | null => (!m || !needsMatrix(focus, kind) ? null : requested ? withheldLike(m, 'on-request') : m);
  return {
    ...head,
    weights: requested ? withheldLike(head.weights, 'on-request') : standalone(head.weights),
    scores: drawn(head.scores, 'scores'),
    scaled: drawn(head.scaled, 'scaled'),
  };
}

/** `m` withheld for `reason`, with its true shape (a result sliced again keeps the shape of what it withholds). */
function withheldLike(m: Matrix, reason: 'summarized' | 'on-request'): Matrix {
  if (!isWithheld(m)) return withheldMatrix(m.rows, m.cols, reason);
  return m.withheld.reason === reason ? m : withheldMatrix(m.withheld.rows, m.withheld.cols, reason);
}

function hasEveryHead(result: AttentionResult, summaries: HeadSummaries): boolean {
  return summaries.length === result.layers.length && result.layers.every((L, l) => summaries[l].length === L.heads.length);
}

function weightsOnly(head: HeadResult, keep: boolean | 'on-request'): HeadResult {
  const weights = keep === true ? standalone(head.weights) : withheldLike(head.weights, keep === false ? 'summarized' : keep);
  return { name: head.name, q: null, k: null, v: null, scores: null, scaled: null, weights, output: null, scale: head.scale };
}

const copies = new WeakMap<Matrix, Matrix>();

/**
 * Weights read from a binary file are views on one big buffer. Structured clone (and VS Code's
 * postMessage) send a view's whole ArrayBuffer, so a view is copied into its own buffer before it
 * crosses (once per matrix).
 */
export function standalone(m: Matrix): Matrix {
  if (m.data.byteOffset === 0 && m.data.byteLength === m.data.buffer.byteLength) return m;
  let copy = copies.get(m);
  if (!copy) {
    copy = { rows: m.rows, cols: m.cols, data: m.data.slice() };
    copies.set(m, copy);
  }
  return copy;
}

function standaloneWeights(result: AttentionResult): AttentionResult {
  const views = result.layers.some((L) => L.heads.some((h) => standalone(h.weights) !== h.weights));
  if (!views) return result;
  return { ...result, layers: result.layers.map((L) => ({ ...L, heads: L.heads.map((h) => ({ ...h, weights: standalone(h.weights) })) })) };
}

/** Float32 bytes of every matrix a (slimmed) result carries, counting each buffer view once. */
export function payloadBytes(result: AttentionResult): number {
  const seen = new Set<Float32Array>();
  let bytes = 0;
  const add = (m: Matrix | null | undefined) => {
    if (m && !seen.has(m.data)) {
      seen.add(m.data);
      bytes += m.data.byteLength;
    }
  };
  for (const layer of result.layers) layerMatrices(layer).forEach(add);
  return bytes;
}

/** One sentence when a (slimmed) result is over the memory budget and must not be posted to the webview, else undefined. */
export function payloadProblem(result: AttentionResult, budget: number): string | undefined {
  const bytes = payloadBytes(result);
  if (bytes <= budget) return undefined;
  return `The view would need ${formatMemory(bytes)} of matrices, over the memory budget of ${formatMemory(budget)} (setting selfAttention.memoryBudgetMB): use fewer tokens, heads or layers.`;
}
