/**
 * "What if" for real models, in the model worker. The original run is kept whole here (it is never streamed, so its
 * matrices stay in this thread) and reused while the text, the model and the BOS choice stay the same. The run with
 * the interventions streams its layers to the host, which moves their buffers away: each layer is compared as it
 * finishes, before it is posted.
 */
import { compareNextTokens, headChange, weightDifference, type Intervention, type Matrix, type Model, type ModelLayerResult, type ModelResult } from '../core';
import type { TokenShift } from '../core';
import type { NextTokenShift, TokenShiftView, WhatIfComparison } from '../shared/protocol';
import { TOP_TOKENS } from './modelProtocol';

export class ModelComparison {
  private readonly difference: Matrix[][] = [];
  private readonly change: number[][] = [];

  constructor(private readonly original: ModelResult, private readonly interventions: readonly Intervention[]) {}

  /** Compares one finished layer of the run with the interventions (call before its buffers are posted away). */
  addLayer(index: number, layer: ModelLayerResult): void {
    const before = this.original.layers[index];
    if (!before || before.heads.length !== layer.heads.length) return;
    this.difference[index] = layer.heads.map((head, h) => weightDifference(before.heads[h].weights, head.weights));
    this.change[index] = layer.heads.map((head, h) => headChange(before.heads[h].weights, head.weights));
  }

  /** The comparison, once every layer is in; undefined when the runs do not line up (a token edit changed the length). */
  finish(model: Model, changed: ModelResult): WhatIfComparison | undefined {
    if (changed.tokens.length !== this.original.tokens.length || this.difference.length !== changed.layers.length) return undefined;
    return {
      interventions: this.interventions,
      original: this.original.layers.map((layer) => layer.heads.map((head) => head.weights)),
      difference: this.difference,
      headChange: this.change,
      nextTokens: nextTokenShift(model, this.original.logits, changed.logits, changed.tokens.length - 1),
    };
  }
}

/** The top tokens after the last position before and after, each with its log-probability in both runs. */
export function nextTokenShift(model: Model, before: Float32Array, after: Float32Array, position: number): NextTokenShift {
  const { before: top, after: topAfter } = compareNextTokens(before, after, TOP_TOKENS);
  const view = (t: TokenShift): TokenShiftView => ({ ...t, text: model.tokenizer?.tokenText(t.id) ?? `#${t.id}` });
  return { position, before: top.map(view), after: topAfter.map(view) };
}
