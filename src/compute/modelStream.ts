/**
 * The host's assembly of a streamed model run: the worker sends each layer as it finishes (the first with the run's
 * tokens), as the slice the panel's focus draws, then the outcome. Pure, so the order rules are tested without a worker.
 */
import type { AttentionResult, HeadSummary, LayerResult } from '../core';
import type { LayerMessage, RunFrame } from './modelProtocol';

/** The layers a run has finished so far, as a result the views can draw. */
export interface PartialModelResult {
  readonly result: AttentionResult;
  readonly tokenRanges: RunFrame['tokenRanges'];
  /** A large result's summaries of every head so far, [layer][head]: they stand in for the weights not sent. */
  readonly headSummaries?: readonly (readonly HeadSummary[])[];
  readonly done: number;
  readonly total: number;
}

export class StreamedRun {
  private frame: RunFrame | undefined;
  private readonly layers: LayerResult[] = [];
  private readonly summaries: (readonly HeadSummary[])[] = [];

  /** Adds the next layer and returns what the run has so far; a layer out of order is the worker's bug. */
  add(message: LayerMessage): PartialModelResult {
    if (message.index !== this.layers.length) throw new Error(`internal: layer ${message.index} arrived after ${this.layers.length} layers`);
    if (message.frame) this.frame = message.frame;
    if (!this.frame) throw new Error('internal: the first layer came without the run\'s tokens');
    this.layers.push(message.layer);
    if (message.summaries) this.summaries.push(message.summaries);
    return {
      result: { ...this.frame.result, layers: [...this.layers] },
      tokenRanges: this.frame.tokenRanges,
      ...(this.summaries.length === this.layers.length ? { headSummaries: [...this.summaries] } : {}),
      done: this.layers.length,
      total: message.total,
    };
  }
}
