/**
 * The host's assembly of a streamed model run: the worker sends each layer as it finishes (the first with the run's
 * tokens), then the outcome without layers. Pure, so the order rules are tested without a worker.
 */
import type { AttentionResult, LayerResult } from '../core';
import type { LayerMessage, ModelOutcome, RunFrame } from './modelProtocol';

/** The layers a run has finished so far, as a result the views can draw. */
export interface PartialModelResult {
  readonly result: AttentionResult;
  readonly tokenRanges: RunFrame['tokenRanges'];
  readonly done: number;
  readonly total: number;
}

export class StreamedRun {
  private frame: RunFrame | undefined;
  private readonly layers: LayerResult[] = [];

  /** Adds the next layer and returns what the run has so far; a layer out of order is the worker's bug. */
  add(message: LayerMessage): PartialModelResult {
    if (message.index !== this.layers.length) throw new Error(`internal: layer ${message.index} arrived after ${this.layers.length} layers`);
    if (message.frame) this.frame = message.frame;
    if (!this.frame) throw new Error('internal: the first layer came without the run\'s tokens');
    this.layers.push(message.layer);
    return {
      result: { ...this.frame.result, layers: [...this.layers] },
      tokenRanges: this.frame.tokenRanges,
      done: this.layers.length,
      total: message.total,
    };
  }

  /** The outcome with every streamed layer put back into its result. */
  finish(outcome: ModelOutcome): ModelOutcome {
    if (!outcome.ok) return outcome;
    if (outcome.result.layers.length > 0 || this.layers.length === 0) return outcome;
    return { ...outcome, result: { ...outcome.result, layers: [...this.layers] } };
  }
}
