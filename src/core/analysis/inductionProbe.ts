/**
 * The induction probe for real models, as TransformerLens's tutorials run it: a random sequence of distinct tokens
 * repeated once (after BOS when the model uses one). In the second copy, an induction head attends from each token to
 * the token that followed it the first time; `scoreHead`'s induction score measures exactly that share.
 */
import { mulberry32 } from '../random';
import { runModel } from '../model/model';
import { ModelError, type Model } from '../model/types';
import { scoreHead } from './headLabels';

export interface InductionProbeOptions {
  /** Tokens in each copy (TransformerLens uses 50). */
  readonly length?: number;
  readonly seed?: number;
}

export const INDUCTION_PROBE_LENGTH = 50;

/**
 * [BOS] + R + R, R being `length` distinct ids drawn uniformly from 0 … vocabSize − 1 without `bos` (seeded, so the
 * same options give the same probe).
 */
export function inductionProbeIds(vocabSize: number, bos: number | null, options: InductionProbeOptions = {}): number[] {
  const length = options.length ?? INDUCTION_PROBE_LENGTH;
  const available = vocabSize - (bos !== null && bos < vocabSize ? 1 : 0);
  if (!Number.isSafeInteger(length) || length < 2 || length > available) {
    throw new ModelError(`The induction probe needs 2 to ${available} distinct tokens per copy (the vocabulary's size), not ${length}.`);
  }
  const random = mulberry32(options.seed ?? 0);
  const chosen = new Set<number>();
  while (chosen.size < length) {
    const id = Math.floor(random() * vocabSize);
    if (id !== bos) chosen.add(id);
  }
  const half = [...chosen];
  return [...(bos === null ? [] : [bos]), ...half, ...half];
}

/**
 * Runs the probe on a model and scores every head's induction: scores[layer][head] in [0, 1]. Weights only are kept
 * (the probe is 2·length + 1 tokens, at most ~101).
 */
export function runInductionProbe(model: Model, options: InductionProbeOptions = {}): { readonly ids: number[]; readonly scores: number[][] } {
  const bos = model.prependsBos ? model.config.bosTokenId : null;
  const ids = inductionProbeIds(model.config.vocabSize, bos, options);
  if (ids.length > model.config.maxPositions) {
    throw new ModelError(`The induction probe is ${ids.length} tokens, over the model's max_position_embeddings of ${model.config.maxPositions}; give a shorter length.`);
  }
  const result = runModel(model, { ids, prependBos: false, keep: 'weights' });
  return { ids, scores: result.layers.map((layer) => layer.heads.map((head) => scoreHead(head.weights, ids).induction ?? 0)) };
}
