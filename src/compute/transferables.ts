import type { AttentionResult, LayerResult, Matrix } from '../core';

/** The distinct ArrayBuffers behind every matrix of a result, for a zero-copy postMessage. */
export function transferables(result: AttentionResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  for (const layer of result.layers) addLayer(buffers, layer);
  return [...buffers];
}

/**
 * A layer that has just finished, moved to the host while the run goes on: all but its output, which the next layer
 * (or the final norm) still reads, so that one is copied.
 */
export function finishedLayerTransferables(layer: LayerResult): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>();
  addLayer(buffers, layer);
  if (layer.output) buffers.delete(layer.output.data.buffer as ArrayBuffer);
  return [...buffers];
}

function addLayer(buffers: Set<ArrayBuffer>, layer: LayerResult): void {
  const add = (m: Matrix | null | undefined) => {
    if (m && m.data.buffer instanceof ArrayBuffer) buffers.add(m.data.buffer);
  };
  [layer.input, layer.concat, layer.attentionOutput, layer.output].forEach(add);
  if (layer.encoder) Object.values(layer.encoder).forEach(add);
  if (layer.model) [layer.model.attentionNormed, layer.model.residualMid, layer.model.mlpNormed, layer.model.mlpOutput].forEach(add);
  for (const h of layer.heads) [h.q, h.k, h.v, h.scores, h.scaled, h.weights, h.output, h.projections?.wq, h.projections?.wk, h.projections?.wv].forEach(add);
}
