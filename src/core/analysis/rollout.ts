/**
 * Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers"): how much each input token
 * reaches each position through the layers, if attention were all that mixed them. Per layer, Â = (mean over heads of
 * A + I) / 2, rows renormalised (as the paper's code does); rollout after layer l = Â_l · … · Â_0. An approximation:
 * it ignores the values, W_O, the MLPs and the norms.
 */
import { matmul, zeros, type Matrix } from '../matrix';

/** (mean of the heads' weights + I) / 2, each row divided by its sum (rows with nothing visible keep their 1/2 on I, renormalised to 1). */
export function residualAttention(heads: readonly Matrix[]): Matrix {
  if (heads.length === 0) throw new RangeError('Rollout needs at least one head per layer.');
  const n = heads[0].rows;
  if (heads.some((h) => h.rows !== n || h.cols !== n)) throw new RangeError('Rollout needs square attention (self-attention) of one size in every head.');
  const out = zeros(n, n);
  const mean = 0.5 / heads.length;
  for (const h of heads) for (let p = 0; p < h.data.length; p++) out.data[p] += mean * h.data[p];
  for (let i = 0; i < n; i++) {
    out.data[i * n + i] += 0.5;
    let sum = 0;
    for (let j = 0; j < n; j++) sum += out.data[i * n + j];
    for (let j = 0; j < n; j++) out.data[i * n + j] /= sum;
  }
  return out;
}

/**
 * rollout[l] = Â_l · … · Â_0 for every layer l (n × n, rows summing to 1): row i says how much of position i after
 * layer l comes from each input token. Costs n³ per layer (the kernels' matmul).
 */
export function attentionRollout(layers: readonly { readonly heads: readonly { readonly weights: Matrix }[] }[]): Matrix[] {
  const out: Matrix[] = [];
  let joint: Matrix | null = null;
  for (const layer of layers) {
    const a = residualAttention(layer.heads.map((h) => h.weights));
    joint = joint ? matmul(a, joint) : a;
    out.push(joint);
  }
  return out;
}
