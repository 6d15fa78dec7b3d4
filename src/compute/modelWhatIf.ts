/**
 * "What if" for real models, in the model worker. The original run is kept whole here (it is never streamed, so its
 * matrices stay in this thread) and reused while the text, the model and the BOS choice stay the same. The run with
 * the interventions streams its layers to the host, which moves their buffers away: each layer is compared as it
 * finishes, before it is posted.
 */
import { compareNextTokens, headChange, InterventionError, weightDifference, type Matrix, type Model, type ModelLayerResult, type ModelResult, type TokenEdit } from '../core';
import type { TokenShift } from '../core';
import type { NextTokenShift, TokenShiftView, WhatIfComparison } from '../shared/protocol';
import { TOP_TOKENS } from './modelProtocol';
import { differentTokens, type Changes } from './whatIf';

export class ModelComparison {
  private readonly difference: Matrix[][] = [];
  private readonly change: number[][] = [];

  constructor(private readonly original: ModelResult, private readonly changes: Changes) {}

  /** Compares one finished layer of the run with the interventions (call before its buffers are posted away). */
  addLayer(index: number, layer: ModelLayerResult): void {
    const before = this.original.layers[index];
    // An inserted or deleted token gives other shapes: finish() then reports different tokens.
    if (!before || before.heads.length !== layer.heads.length || before.heads[0]?.weights.rows !== layer.heads[0]?.weights.rows) return;
    this.difference[index] = layer.heads.map((head, h) => weightDifference(before.heads[h].weights, head.weights));
    this.change[index] = layer.heads.map((head, h) => headChange(before.heads[h].weights, head.weights));
  }

  /** The comparison, once every layer is in; without its per-head part when an insert or delete changed the tokens. */
  finish(model: Model, changed: ModelResult): WhatIfComparison {
    if (changed.tokens.length !== this.original.tokens.length || this.difference.length !== changed.layers.length) return differentTokens(this.changes);
    return {
      ...this.changes,
      original: this.original.layers.map((layer) => layer.heads.map((head) => head.weights)),
      difference: this.difference,
      headChange: this.change,
      nextTokens: nextTokenShift(model, this.original.logits, changed.logits, changed.tokens.length - 1),
    };
  }
}

/** A token edit from the panel (text) as the model's ids: the text must be exactly one token of the vocabulary. */
export function idEdit(model: Model, edit: TokenEdit<number> | TokenEdit<string>): TokenEdit<number> {
  if (edit.kind === 'delete-token' || typeof edit.token === 'number') return edit as TokenEdit<number>;
  const ids = model.tokenizer?.encode(edit.token) ?? [];
  if (ids.length !== 1) {
    throw new InterventionError(`The ${edit.kind} edit gives “${edit.token}”, which is ${ids.length} tokens for this model; it must be exactly one.`, -1);
  }
  return { kind: edit.kind, position: edit.position, token: ids[0].id };
}

/** The edit as the panel named it: its own text when it gave one, else the id's token text. */
export function textEdit(model: Model, edit: TokenEdit<number>, asked?: TokenEdit<number> | TokenEdit<string>): TokenEdit<string> {
  if (edit.kind === 'delete-token') return edit;
  if (asked && asked.kind !== 'delete-token' && typeof asked.token === 'string') return asked as TokenEdit<string>;
  return { ...edit, token: model.tokenizer?.tokenText(edit.token) ?? `#${edit.token}` };
}

/** The top tokens after the last position before and after, each with its log-probability in both runs. */
export function nextTokenShift(model: Model, before: Float32Array, after: Float32Array, position: number): NextTokenShift {
  const { before: top, after: topAfter } = compareNextTokens(before, after, TOP_TOKENS);
  const view = (t: TokenShift): TokenShiftView => ({ ...t, text: model.tokenizer?.tokenText(t.id) ?? `#${t.id}` });
  return { position, before: top.map(view), after: topAfter.map(view) };
}
