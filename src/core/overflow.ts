/**
 * Float32 overflow (issue 12 row 11). Numbers up to ±1e9 are accepted, but their products through projections reach
 * beyond float32's ±3.4e38: scores become ±∞, mixed signs turn them into NaN, and softmax would give a silent row of
 * zeros. Rather than show such a result, the job is refused, naming where it overflowed and how large the inputs are.
 */
import type { Matrix } from './matrix';
import type { AttentionResult, AttentionSpec } from './types';

function hasNonFinite(m: Matrix | null | undefined): boolean {
  if (!m) return false;
  const data = m.data;
  for (let i = 0; i < data.length; i++) {
    // x − x is 0 for finite x and NaN for ±∞ and NaN.
    if (data[i] - data[i] !== 0) return true;
  }
  return false;
}

/** The largest magnitude among the spec's numbers (embeddings and weights, or given attention). */
export function largestInput(spec: AttentionSpec): number {
  let largest = 0;
  const scan = (m: Matrix | undefined) => {
    if (!m) return;
    for (let i = 0; i < m.data.length; i++) largest = Math.max(largest, Math.abs(m.data[i]));
  };
  if (spec.kind === 'precomputed') {
    spec.attention.forEach((heads) => heads.forEach(scan));
    return largest;
  }
  scan(spec.embeddings);
  scan(spec.keyEmbeddings);
  for (const layer of spec.layers) {
    for (const head of layer.heads) ('query' in head ? [head.query, head.key, head.value] : [head.wq, head.wk, head.wv]).forEach(scan);
    [layer.wo, layer.ffn?.w1, layer.ffn?.w2].forEach(scan);
  }
  return largest;
}

/** Where a result first holds ±∞ or NaN (`scaled` may hold −∞ for masked cells by design), or undefined. */
export function firstOverflow(result: AttentionResult): string | undefined {
  for (let l = 0; l < result.layers.length; l++) {
    const layer = result.layers[l];
    const at = result.layers.length > 1 ? `layer ${l + 1}, ` : '';
    for (const head of layer.heads) {
      for (const [name, m] of [['Q', head.q], ['K', head.k], ['V', head.v], ['the scores Q·Kᵀ', head.scores], ['the weights', head.weights], ['the output', head.output]] as const) {
        if (hasNonFinite(m)) return `${at}${head.name}: ${name}`;
      }
    }
    const steps = [['the concatenated heads', layer.concat], ['the attention output', layer.attentionOutput], ...Object.entries(layer.encoder ?? {}), ['the layer output', layer.output]] as const;
    for (const [name, m] of steps) if (hasNonFinite(m)) return `${at}${name}`;
  }
  return undefined;
}

/** One sentence when the result overflowed float32, else undefined. */
export function overflowProblem(spec: AttentionSpec, result: AttentionResult): string | undefined {
  const where = firstOverflow(result);
  if (where === undefined) return undefined;
  const largest = largestInput(spec);
  return `The numbers overflow 32-bit floats (beyond ±3.4e38) in ${where}: the inputs reach ${largest.toPrecision(2).replace('e+', 'e')} in magnitude, and their products through the projections grow past that, so scale the embeddings or weights down (for example to within ±1e3).`;
}
