/**
 * Attention rollout for the panel, in the worker: checked against the memory budget and the multiply-add cap first
 * (rolloutProblem), then built layer by layer, so a streamed model run can add each layer before it is posted away.
 */
import { matmul, residualAttention, rolloutProblem, type AttentionResult, type Matrix } from '../core';
import type { RolloutView } from '../shared/protocol';

export class RolloutBuilder {
  private readonly layers: Matrix[] = [];
  readonly problem: string | undefined;

  constructor(tokens: number, layerCount: number, budget: number, keyTokens = tokens) {
    this.problem = tokens !== keyTokens ? 'Attention rollout needs self-attention: this result has different query and key tokens.' : rolloutProblem(tokens, layerCount, budget);
  }

  addLayer(heads: readonly { readonly weights: Matrix }[]): void {
    if (this.problem) return;
    const a = residualAttention(heads.map((h) => h.weights));
    const previous = this.layers.at(-1);
    this.layers.push(previous ? matmul(a, previous) : a);
  }

  view(): RolloutView {
    return this.problem ? { problem: this.problem } : { layers: this.layers };
  }
}

/** Rollout after every layer of a finished result. */
export function rolloutOf(result: AttentionResult, budget: number): RolloutView {
  const builder = new RolloutBuilder(result.tokens.length, result.layers.length, budget, result.keyTokens.length);
  for (const layer of result.layers) builder.addLayer(layer.heads);
  return builder.view();
}
