import type { AttentionResult, HeadResult, LayerResult } from '../core';

/** Above this many query–key cells a snapshot carries only what the focused head's views need. */
export const FULL_SNAPSHOT_CELLS = 256 * 256;

export interface Focus {
  readonly layer: number;
  readonly head: number;
}

/**
 * What crosses to the webview. Small results go whole. For large ones, every head keeps its
 * weights (the head grid and overlays need them), but only the focused head keeps Q, K, V, the
 * scores and Z, and only the focused layer keeps its layer-wide matrices.
 */
export function slimResult(result: AttentionResult, focus: Focus): AttentionResult {
  if (result.tokens.length * result.keyTokens.length <= FULL_SNAPSHOT_CELLS) return result;
  return {
    ...result,
    layers: result.layers.map((layer, l): LayerResult => ({
      input: l === focus.layer ? layer.input : null,
      heads: layer.heads.map((head, h) => (l === focus.layer && h === focus.head ? head : weightsOnly(head))),
      concat: l === focus.layer ? layer.concat : null,
      attentionOutput: l === focus.layer ? layer.attentionOutput : null,
      encoder: l === focus.layer ? layer.encoder : undefined,
      output: l === focus.layer ? layer.output : null,
    })),
  };
}

function weightsOnly(head: HeadResult): HeadResult {
  return { name: head.name, q: null, k: null, v: null, scores: null, scaled: null, weights: head.weights, output: null, scale: head.scale };
}

export function isSlimmed(result: AttentionResult): boolean {
  return result.tokens.length * result.keyTokens.length > FULL_SNAPSHOT_CELLS;
}
