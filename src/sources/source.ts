import type * as vscode from 'vscode';
import type { ComputeRequest } from '../compute/job';
import type { ComputeSettings, SourceInfo, SourceRef } from '../shared/protocol';

/** The settings one computation runs with, read once for it (the snapshot then says which they were). */
export interface RunSettings {
  /** The user's settings with this panel's changes. */
  readonly compute: ComputeSettings;
  readonly maxTokens: number;
  /** The memory budget in bytes (setting selfAttention.memoryBudgetMB, capped by this machine's memory). */
  readonly budgetBytes: number;
}

/**
 * Where a source's tokens are, as UTF-16 offsets [start, end) into the text the source computed from: a selection's
 * own text, a tensor file's whole text. Keys differ from queries only in a file with "key_tokens".
 */
export interface TokenRanges {
  readonly queries: readonly (readonly [number, number])[];
  readonly keys: readonly (readonly [number, number])[];
}

/** Something the panel visualizes: an editor selection or a tensor file. */
export interface AttentionSource extends vscode.Disposable {
  /** One panel per key. */
  readonly key: string;
  readonly uri: vscode.Uri;
  title(): string;
  info(): SourceInfo;
  ref(): SourceRef;
  /**
   * Whether the computation depends on the settings (the panel's, the user's, the model setting): then a change to
   * them recomputes, the panel offers its settings controls, and a real model may stand in for the random one.
   */
  readonly usesSettings: boolean;
  /** Present when the source can follow the editor's selection: whether it does. */
  follow?: boolean;
  /** The computation to run with the settings read for it; may read files first (binary attention files). */
  request(settings: RunSettings): ComputeRequest | Promise<ComputeRequest>;
  /** Fires when the source changed enough to recompute. */
  readonly onDidChange: vscode.Event<void>;
  /** Fires with the token under the editor cursor, or null. */
  readonly onDidMoveCursor: vscode.Event<number | null>;
  /** Where the tokens of the result now shown are (undefined: unknown, e.g. a binary file), for the editor sync. */
  setTokenRanges(ranges: TokenRanges | undefined): void;
  /** Document ranges of the query and key tokens, for editor decorations. */
  tokenRanges(): { readonly queries: readonly vscode.Range[]; readonly keys: readonly vscode.Range[] } | undefined;
}

export function sourceKey(kind: 'selection' | 'file', uri: vscode.Uri): string {
  return `${kind}:${uri.toString()}`;
}
