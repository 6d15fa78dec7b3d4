import { attentionHead } from './attention';
import { add, addBias, columns, concatColumns, layerNorm, matmul, relu, type Matrix } from './matrix';
import type { LayerInterventions } from './interventions/apply';
import type { AttentionOptions, HeadResult, HeadSpec, LayerResult, LayerSpec } from './types';

/** Name of the single head of a layer without projections (Q = K = V = X). */
export const IDENTITY_HEAD_NAME = 'identity (Q = K = V = X)';

function needed(m: Matrix | null, what: string): Matrix {
  if (!m) throw new Error(`${what} is missing: heads with wq/wk/wv need embeddings`);
  return m;
}

type ProjectionHead = Extract<HeadSpec, { wq: Matrix }>;
const hasProjections = (head: HeadSpec): head is ProjectionHead => 'wq' in head;

/** Q, K and V of one projection head, sliced out of the fused products. */
interface Projected {
  readonly q: Matrix;
  readonly k: Matrix;
  readonly v: Matrix;
}

/**
 * Q, K and V of every projection head from as few products as possible: X·[W_Q… | W_K… | W_V…] once for
 * self-attention, X·[W_Q…] and X_kv·[W_K… | W_V…] for cross-attention. One big product keeps the kernels busy on
 * one copy of X instead of 3 × heads small ones; each output column is the same dot product either way.
 */
function projectHeads(heads: readonly ProjectionHead[], x: Matrix, keyX: Matrix): Projected[] {
  const wq = heads.map((h) => h.wq);
  const kv = [...heads.map((h) => h.wk), ...heads.map((h) => h.wv)];
  const slices = (product: Matrix, parts: readonly Matrix[]): Matrix[] => {
    let start = 0;
    return parts.map((w) => columns(product, (start += w.cols) - w.cols, w.cols));
  };
  let q: Matrix[];
  let kvs: Matrix[];
  if (x === keyX) {
    const all = slices(matmul(x, concatColumns([...wq, ...kv])), [...wq, ...kv]);
    q = all.slice(0, heads.length);
    kvs = all.slice(heads.length);
  } else {
    q = slices(matmul(x, concatColumns(wq)), wq);
    kvs = slices(matmul(keyX, concatColumns(kv)), kv);
  }
  return heads.map((_, h) => ({ q: q[h], k: kvs[h], v: kvs[heads.length + h] }));
}

function runHeads(specs: readonly HeadSpec[], x: Matrix | null, keyX: Matrix | null, options: AttentionOptions): HeadResult[] {
  const projectionHeads = specs.filter(hasProjections);
  const projected = projectionHeads.length > 0 ? projectHeads(projectionHeads, needed(x, 'Layer input'), needed(keyX, 'Key input')) : [];
  let next = 0;
  return specs.map((head, index) => {
    const name = head.name ?? `head ${index + 1}`;
    if (!hasProjections(head)) return attentionHead(name, head.query, head.key, head.value, options);
    const { q, k, v } = projected[next++];
    return { ...attentionHead(name, q, k, v, options), projections: { wq: head.wq, wk: head.wk, wv: head.wv } };
  });
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
      : runHeads(spec.heads, x, keyX, options);
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
