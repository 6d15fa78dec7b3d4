/** Messages between the host's ModelClient and the model worker (modelWorker.ts). */
import type { TokenEdit } from '../core';
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
  /** Change one token id of the run (positions count BOS); the text is not edited. */
  readonly tokenEdit?: TokenEdit<number>;
}


export type ModelOutcome = ComputeOutcome & { readonly nextTokens?: NextTokens };

export type ToModelWorker =
  | { readonly type: 'run'; readonly id: number; readonly request: ModelRequest }
  /** Top tokens after another position of the last run. */
  | { readonly type: 'nextTokens'; readonly id: number; readonly runId: number; readonly position: number };

export type FromModelWorker =
  | { readonly type: 'progress'; readonly id: number; readonly message: string; readonly done: number; readonly total: number }
  | { readonly type: 'outcome'; readonly id: number; readonly outcome: ModelOutcome }
  | { readonly type: 'nextTokens'; readonly id: number; readonly nextTokens: NextTokens | undefined }
  | { readonly type: 'crash'; readonly id: number; readonly message: string };

/** How many next tokens the panel lists. */
export const TOP_TOKENS = 10;
