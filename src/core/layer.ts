import { attentionHead } from './attention';
import { add, addBias, concatColumns, layerNorm, matmul, relu, type Matrix } from './matrix';
import type { LayerInterventions } from './interventions/apply';
import type { AttentionOptions, HeadResult, HeadSpec, LayerResult, LayerSpec } from './types';

/** Name of the single head of a layer without projections (Q = K = V = X). */
export const IDENTITY_HEAD_NAME = 'identity (Q = K = V = X)';

function needed(m: Matrix | null, what: string): Matrix {
  if (!m) throw new Error(`${what} is missing: heads with wq/wk/wv need embeddings`);
  return m;
}

function runHead(head: HeadSpec, index: number, x: Matrix | null, keyX: Matrix | null, options: AttentionOptions): HeadResult {
  const name = head.name ?? `head ${index + 1}`;
  if ('query' in head) return attentionHead(name, head.query, head.key, head.value, options);
  const xq = needed(x, 'Layer input');
  const xk = needed(keyX, 'Key input');
  const result = attentionHead(name, matmul(xq, head.wq), matmul(xk, head.wk), matmul(xk, head.wv), options);
  return { ...result, projections: { wq: head.wq, wk: head.wk, wv: head.wv } };
}

/**
 * One layer: multi-head attention, then (when `ffn` is given) add & norm → FFN (ReLU) → add & norm.
 * `x` is the query-side input, `keyX` the key/value-side input (the same matrix for self-attention).
 * Without `ffn` the layer's output is the attention output itself, with no residual.
 * `interventions` (checked) change heads before their Z is concatenated.
 */
export function runLayer(
  spec: LayerSpec, x: Matrix | null, keyX: Matrix | null, options: AttentionOptions, interventions: LayerInterventions | null = null,
): LayerResult {
  const computed =
    spec.heads.length === 0
      ? [attentionHead(IDENTITY_HEAD_NAME, needed(x, 'Layer input'), needed(keyX, 'Key input'), needed(keyX, 'Key input'), options)]
      : spec.heads.map((h, i) => runHead(h, i, x, keyX, options));
  const heads = interventions ? computed.map((h, i) => interventions.apply(i, h)) : computed;
  const concat = concatColumns(heads.map((h) => h.output as Matrix));
  const attentionOutput = spec.wo ? matmul(concat, spec.wo) : concat;
  if (!spec.ffn) return { input: x, heads, concat, attentionOutput, output: attentionOutput };

  const { w1, b1, w2, b2 } = spec.ffn;
  const addNorm1 = layerNorm(add(needed(x, 'Layer input (for the residual)'), attentionOutput));
  const ffnHidden = relu(addBias(matmul(addNorm1, w1), b1));
  const ffnOutput = addBias(matmul(ffnHidden, w2), b2);
  const addNorm2 = layerNorm(add(addNorm1, ffnOutput));
  return { input: x, heads, concat, attentionOutput, encoder: { addNorm1, ffnHidden, ffnOutput, addNorm2 }, output: addNorm2 };
}
