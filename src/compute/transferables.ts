import type { AttentionResult, Matrix } from '../core';

/** The distinct ArrayBuffers behind every matrix of a result, for a zero-copy postMessage. */
export function transferables(result: AttentionResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  const add = (m: Matrix | null | undefined) => {
    if (m && m.data.buffer instanceof ArrayBuffer) buffers.add(m.data.buffer);
  };
  for (const layer of result.layers) {
    [layer.input, layer.concat, layer.attentionOutput, layer.output].forEach(add);
    if (layer.encoder) Object.values(layer.encoder).forEach(add);
    for (const h of layer.heads) [h.q, h.k, h.v, h.scores, h.scaled, h.weights, h.output, h.projections?.wq, h.projections?.wk, h.projections?.wv].forEach(add);
  }
  return [...buffers];
}
