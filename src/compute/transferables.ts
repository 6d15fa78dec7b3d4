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
  for (const m of layerMatrices(layer)) if (m.data.buffer instanceof ArrayBuffer) buffers.add(m.data.buffer);
}

/** Every matrix a layer carries (its heads', the layer-wide ones, an encoder's or a real model's steps). */
export function layerMatrices(layer: LayerResult): Matrix[] {
  const all: (Matrix | null | undefined)[] = [layer.input, layer.concat, layer.attentionOutput, layer.output];
  if (layer.encoder) all.push(...Object.values(layer.encoder));
  if (layer.model) all.push(layer.model.attentionNormed, layer.model.residualMid, layer.model.mlpNormed, layer.model.mlpOutput);
  for (const h of layer.heads) all.push(h.q, h.k, h.v, h.scores, h.scaled, h.weights, h.output, h.projections?.wq, h.projections?.wk, h.projections?.wv);
  return all.filter((m): m is Matrix => !!m);
}
