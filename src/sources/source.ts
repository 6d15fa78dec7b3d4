import type * as vscode from 'vscode';
import type { ComputeRequest } from '../compute/job';
import type { SourceInfo, SourceRef } from '../shared/protocol';


/** Something the panel visualizes: an editor selection or a tensor file. */
export interface AttentionSource extends vscode.Disposable {
  /** One panel per key. */
  readonly key: string;
  readonly uri: vscode.Uri;
  title(): string;
  info(): SourceInfo;
  ref(): SourceRef;
  /** The computation to run; may read files first (binary attention files). */
  request(): ComputeRequest | Promise<ComputeRequest>;
  /** Fires when the source changed enough to recompute. */
  readonly onDidChange: vscode.Event<void>;
  /** Fires with the token under the editor cursor, or null. */
  readonly onDidMoveCursor: vscode.Event<number | null>;
  /** Token character ranges in the source text, once a computation has produced them. */
  setTokenRanges(ranges: readonly (readonly [number, number])[] | undefined): void;
  /** Document ranges of the query and key tokens, for editor decorations. */
  tokenRanges(): { readonly queries: readonly vscode.Range[]; readonly keys: readonly vscode.Range[] } | undefined;
}

export function sourceKey(kind: 'selection' | 'file', uri: vscode.Uri): string {
  return `${kind}:${uri.toString()}`;
}
