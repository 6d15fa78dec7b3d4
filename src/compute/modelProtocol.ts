/** Messages between the host's ModelClient and the model worker (modelWorker.ts, in the process modelProcess.ts). */
import type { AttentionResult, HeadSummary, LayerResult, TokenEdit } from '../core';
import type { DataRefusal, MatrixFileOutcome, MatrixFileRequest, NextTokens, RasterAnswer, RasterRequest, RowAnswer, RowRequest, SliceLayers } from '../shared/protocol';
import type { ComputeOutcome, WhatIf } from './job';
import type { Focus } from './slice';

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
  /** What the panel draws: the slice each streamed layer and the outcome carry (the worker keeps the whole). */
  readonly focus?: Focus;
}


export type ModelOutcome = ComputeOutcome & { readonly nextTokens?: NextTokens };

export type ToModelWorker =
  | { readonly type: 'run'; readonly id: number; readonly request: ModelRequest }
  /** Top tokens after another position of the last run. */
  | { readonly type: 'nextTokens'; readonly id: number; readonly runId: number; readonly position: number }
  /** The TransformerLens-style induction probe on the model in `folder`: every head's induction score. */
  | { readonly type: 'inductionProbe'; readonly id: number; readonly folder: string }
  /** The slice `focus` draws of run `runId`'s result, which the worker keeps (null when it no longer does). */
  | { readonly type: 'slice'; readonly id: number; readonly runId: number; readonly focus: Focus }
  /** A heatmap raster or one row of run `runId`'s result, which the worker keeps (see raster.ts). */
  | { readonly type: 'raster'; readonly id: number; readonly runId: number; readonly request: RasterRequest }
  | { readonly type: 'row'; readonly id: number; readonly runId: number; readonly request: RowRequest }
  /** Write a matrix of run `runId`'s result to `path` as CSV or JSON (see matrixFile.ts). */
  | { readonly type: 'matrixFile'; readonly id: number; readonly runId: number; readonly request: MatrixFileRequest; readonly path: string; readonly budget: number }
  /** Stop run `id` and every run queued before it, at the next layer (the process sets the thread's cancel flag). */
  | { readonly type: 'cancel'; readonly id: number };

/** What a streamed run's layers belong to: the result without its layers, and the tokens' ranges in the text. */
export interface RunFrame {
  readonly result: Omit<AttentionResult, 'layers'>;
  readonly tokenRanges: readonly (readonly [number, number])[];
}

/**
 * Layer `index` (0-based) of `total`: the slice of it the run's focus draws (see slice.ts), and for a large result its
 * heads' summaries, which stand in for the weights it leaves out. The first one carries the run's frame.
 */
export interface LayerMessage {
  readonly type: 'layer';
  readonly id: number;
  readonly index: number;
  readonly total: number;
  readonly layer: LayerResult;
  readonly summaries?: readonly HeadSummary[];
  readonly frame?: RunFrame;
}

export type FromModelWorker =
  | { readonly type: 'progress'; readonly id: number; readonly message: string; readonly done: number; readonly total: number }
  /** Sent as each layer finishes, before the outcome (whose result is sliced for the same focus). */
  | LayerMessage
  | { readonly type: 'outcome'; readonly id: number; readonly outcome: ModelOutcome }
  | { readonly type: 'nextTokens'; readonly id: number; readonly nextTokens: NextTokens | undefined }
  | { readonly type: 'inductionProbe'; readonly id: number; readonly probe: InductionProbeOutcome }
  | { readonly type: 'slice'; readonly id: number; readonly layers: SliceLayers | null }
  | { readonly type: 'raster'; readonly id: number; readonly answer: RasterAnswer | DataRefusal | null }
  | { readonly type: 'row'; readonly id: number; readonly answer: RowAnswer | DataRefusal | null }
  | { readonly type: 'matrixFile'; readonly id: number; readonly outcome: MatrixFileOutcome | null }
  | { readonly type: 'crash'; readonly id: number; readonly message: string };

/** Every head's induction score on the probe, [layer][head], or why it could not run. */
export type InductionProbeOutcome = { readonly ok: true; readonly scores: number[][] } | { readonly ok: false; readonly message: string };

/** How many next tokens the panel lists. */
export const TOP_TOKENS = 10;
