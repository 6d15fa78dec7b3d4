/**
 * The memory budget (issue 12): the bytes a job will hold, estimated from its sizes before anything big is allocated,
 * and the one-sentence refusal when it is over. Pure: the host reads the setting (selfAttention.memoryBudgetMB, in
 * src/shared/settings.ts) and the machine's memory and passes the budget in bytes (see budgetBytes).
 */
import { FFN_MULTIPLIER, type SelectionSettings } from './selection';
import { formatMemory } from './memory';

// The budget's leaf helpers live in ./memory, so the extension host and the webview use them without the tokenizers.
export { budgetBytes, formatMemory } from './memory';
import type { Matrix } from './matrix';
import type { AttentionSpec } from './types';

const FLOAT32 = 4;
const MB = 1024 * 1024;

/** Jobs estimated under this many bytes may run inline on the caller's thread; bigger ones go to the worker. */
export const TRIVIAL_JOB_BYTES = MB;

/** What a job's memory depends on. */
export interface JobSize {
  readonly queries: number;
  readonly keys: number;
  /** Heads in each layer. */
  readonly headsPerLayer: readonly number[];
  /** query × key matrices each head keeps: 3 when computed (raw scores, scaled, weights), 1 when given. */
  readonly matricesPerHead: number;
  /** Bytes per token (of the longer side, queries or keys): embeddings, Q, K, V, head outputs, layer-wide matrices. */
  readonly bytesPerToken: number;
  /** Bytes that do not: weights, and the input held while it is read (text or file bytes). */
  readonly fixedBytes: number;
}

export function totalHeads(size: JobSize): number {
  return size.headsPerLayer.reduce((sum, h) => sum + h, 0);
}

/** Estimated bytes the job holds at its peak (the result plus its input). */
export function estimateJobBytes(size: JobSize): number {
  return size.queries * size.keys * totalHeads(size) * size.matricesPerHead * FLOAT32 + Math.max(size.queries, size.keys) * size.bytesPerToken + size.fixedBytes;
}


/** The size of a selection's job before its spec is built: `tokens` tokens through layers of random weights. */
export function selectionJobSize(tokens: number, s: Pick<SelectionSettings, 'dModel' | 'dK' | 'heads' | 'layers'>): JobSize {
  const { dModel: d, dK: k, heads: h, layers } = s;
  const dFf = FFN_MULTIPLIER * d;
  // W_Q, W_K, W_V per head; W_O; the feed-forward weights and biases.
  const weightsPerLayer = h * 3 * d * k + h * k * d + 2 * d * dFf + dFf + d;
  // Per token and layer: Q, K, V, Z of each head; X, concat, ·W_O, two add & norms, the FFN hidden and output rows.
  const perTokenPerLayer = h * 4 * k + d + h * k + d + 2 * d + dFf + d;
  return {
    queries: tokens,
    keys: tokens,
    headsPerLayer: Array<number>(layers).fill(h),
    matricesPerHead: 3,
    bytesPerToken: FLOAT32 * (d + layers * perTokenPerLayer),
    fixedBytes: FLOAT32 * layers * weightsPerLayer,
  };
}

const bytesOf = (m: Matrix | undefined): number => (m ? m.rows * m.cols * FLOAT32 : 0);

/** The size of a parsed spec's job; `inputBytes` is what is still held for its input (text or file bytes). */
export function specJobSize(spec: AttentionSpec, inputBytes: number): JobSize {
  const queries = spec.tokens.length;
  const keys = (spec.keyTokens ?? spec.tokens).length;
  if (spec.kind === 'precomputed') {
    // The weights are already allocated (views on the file's buffer or parsed numbers): they are counted once.
    return { queries, keys, headsPerLayer: spec.attention.map((heads) => heads.length), matricesPerHead: 1, bytesPerToken: 0, fixedBytes: inputBytes };
  }
  let fixed = inputBytes + bytesOf(spec.embeddings) + bytesOf(spec.keyEmbeddings);
  let perToken = 0;
  let width = spec.embeddings?.cols ?? 0;
  for (const layer of spec.layers) {
    let concatWidth = 0;
    for (const head of layer.heads) {
      const [q, k, v] = 'query' in head ? [head.query, head.key, head.value] : [head.wq, head.wk, head.wv];
      fixed += bytesOf(q) + bytesOf(k) + bytesOf(v);
      // Q, K, V and Z rows.
      perToken += FLOAT32 * (2 * q.cols + 2 * v.cols);
      concatWidth += v.cols;
    }
    if (layer.heads.length === 0) concatWidth = width; // the identity head: Q = K = V = X
    fixed += bytesOf(layer.wo) + bytesOf(layer.ffn?.w1) + bytesOf(layer.ffn?.w2) + FLOAT32 * ((layer.ffn?.b1.length ?? 0) + (layer.ffn?.b2.length ?? 0));
    const out = layer.wo?.cols ?? concatWidth;
    const ffn = layer.ffn ? 3 * out + layer.ffn.w1.cols : 0;
    perToken += FLOAT32 * (width + concatWidth + out + ffn);
    width = out;
  }
  return { queries, keys, headsPerLayer: spec.layers.map((l) => Math.max(1, l.heads.length)), matricesPerHead: 3, bytesPerToken: perToken, fixedBytes: fixed };
}


/** The most tokens (queries, keys scaled alike) with which the job fits the budget; 0 when even the weights do not. */
export function tokensWithin(size: JobSize, budget: number): number {
  const scaled = (t: number): JobSize => ({ ...size, queries: Math.floor(size.queries * t), keys: Math.floor(size.keys * t) });
  if (estimateJobBytes(scaled(0)) > budget) return 0;
  let lo = 0;
  let hi = 1;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (estimateJobBytes(scaled(mid)) <= budget) lo = mid;
    else hi = mid;
  }
  return Math.floor(size.queries * lo);
}

/**
 * One sentence when the job is over the budget, else undefined: how much it needs, and what would bring it under.
 * `what` names the input ("This selection", "This file"); `tokensHint` says how to have fewer tokens there.
 */
export function budgetProblem(size: JobSize, budget: number, what: string, tokensHint: string): string | undefined {
  const need = estimateJobBytes(size);
  if (need <= budget) return undefined;
  const layers = size.headsPerLayer.length;
  const heads = Math.max(0, ...size.headsPerLayer);
  const shape = `${heads} head${heads === 1 ? '' : 's'} × ${layers} layer${layers === 1 ? '' : 's'}`;
  const fit = tokensWithin(size, budget);
  const fewer = fit > 0 ? `${tokensHint} (at most about ${fit.toLocaleString('en-US')} tokens of ${size.queries.toLocaleString('en-US')} fit), or fewer heads or layers (now ${shape})` : `fewer heads or layers (now ${shape}) or smaller dimensions`;
  return `${what} needs about ${formatMemory(need)} of memory, over the budget of ${formatMemory(budget)} (setting selfAttention.memoryBudgetMB, at most a quarter of this machine's memory): to bring it under, use ${fewer}.`;
}
