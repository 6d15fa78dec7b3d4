/** Messages between the host's ModelClient and the model worker (modelWorker.ts). */
import type { AttentionResult, LayerResult, TokenEdit } from '../core';
import type { NextTokens } from '../shared/protocol';
import type { ComputeOutcome, WhatIf } from './job';

export interface ModelRequest extends WhatIf {
  /** Absolute path of the model folder (already resolved from the setting or the picker). */
  readonly folder: string;
  readonly text: string;
  /** Undefined: the family's default. */
  readonly prependBos?: boolean;
  readonly maxTokens: number;
  /** Refuse a model whose estimated memory exceeds this. */
  readonly budgetBytes: number;
  /**
   * Change one token of the run (positions count BOS); the text is not edited. A text token (from the panel) must be
   * exactly one token of the model's vocabulary.
   */
  readonly tokenEdit?: TokenEdit<number> | TokenEdit<string>;
}


export type ModelOutcome = ComputeOutcome & { readonly nextTokens?: NextTokens };

export type ToModelWorker =
  | { readonly type: 'run'; readonly id: number; readonly request: ModelRequest }
  /** Top tokens after another position of the last run. */
  | { readonly type: 'nextTokens'; readonly id: number; readonly runId: number; readonly position: number }
  /** The TransformerLens-style induction probe on the model in `folder`: every head's induction score. */
  | { readonly type: 'inductionProbe'; readonly id: number; readonly folder: string };

/** What a streamed run's layers belong to: the result without its layers, and the tokens' ranges in the text. */
export interface RunFrame {
  readonly result: Omit<AttentionResult, 'layers'>;
  readonly tokenRanges: readonly (readonly [number, number])[];
}

/** Layer `index` (0-based) of `total`, as the views draw it; the first one carries the run's frame. */
export interface LayerMessage {
  readonly type: 'layer';
  readonly id: number;
  readonly index: number;
  readonly total: number;
  readonly layer: LayerResult;
  readonly frame?: RunFrame;
}

export type FromModelWorker =
  | { readonly type: 'progress'; readonly id: number; readonly message: string; readonly done: number; readonly total: number }
  /** Sent as each layer finishes, before the outcome; the outcome's result then comes without its layers. */
  | LayerMessage
  | { readonly type: 'outcome'; readonly id: number; readonly outcome: ModelOutcome }
  | { readonly type: 'nextTokens'; readonly id: number; readonly nextTokens: NextTokens | undefined }
  | { readonly type: 'inductionProbe'; readonly id: number; readonly probe: InductionProbeOutcome }
  | { readonly type: 'crash'; readonly id: number; readonly message: string };

/** Every head's induction score on the probe, [layer][head], or why it could not run. */
export type InductionProbeOutcome = { readonly ok: true; readonly scores: number[][] } | { readonly ok: false; readonly message: string };

/** How many next tokens the panel lists. */
export const TOP_TOKENS = 10;
