/**
 * Messages between the extension host and the webview. Both sides import this file.
 * Every update is a full snapshot, because VS Code drops messages sent to a hidden webview.
 * Matrices travel as Float32Array (structured clone), never as nested JSON lists.
 */
import type { SelectionSettings } from './core/selection';
import type { AttentionResult, Problem } from './core/types';
import type { HeadSummaries } from './core/summaries';

export type ViewName = 'tokens' | 'matrix' | 'pipeline' | 'grid';
export type MatrixKind = 'scores' | 'scaled' | 'weights';
export type { TokenizerName } from './core/tokenize';

/** Settings that change the computation (selection flow). The host recomputes when they change. */
export type ComputeSettings = SelectionSettings;

/** UI state the webview persists with setState and the host restores after a reload. */
export interface UiState {
  readonly view: ViewName;
  readonly matrix: MatrixKind;
  readonly layer: number;
  readonly head: number;
  /** Heads overlaid in the token view, besides the focused one. */
  readonly overlayHeads: readonly number[];
  readonly lockedToken: number | null;
  readonly threshold: number;
  readonly hiddenTokens: readonly number[];
}

/** What a panel needs to find its source again after a window reload. Offsets are into the document. */
export type SourceRef =
  | { readonly kind: 'selection'; readonly uri: string; readonly start: number; readonly end: number }
  | { readonly kind: 'file'; readonly uri: string };

export interface SourceInfo {
  readonly kind: 'selection' | 'file';
  /** Persisted by the webview with its UI state, so the panel can be restored. */
  readonly ref: SourceRef;
  /** Shown in the panel, e.g. "story.md, lines 3–4". */
  readonly label: string;
  /** Character ranges of the tokens in the source text, when the tokens come from text. */
  readonly tokenRanges?: readonly (readonly [number, number])[];
}

export interface Snapshot {
  /** Grows with every computation; the webview ignores a snapshot older than the one it shows. */
  readonly seq: number;
  readonly source: SourceInfo;
  readonly result: AttentionResult;
  /** Present in the selection flow, where the panel can change them. */
  readonly settings?: ComputeSettings;
  readonly followSelection?: boolean;
  /** Warnings about the input that did not stop the computation. */
  readonly warnings: readonly Problem[];
  /**
   * Large results only: statistics and a small thumbnail of every head, [layer][head]. Then only the
   * focused layer's heads (or only the focused head) carry their weights; every other head's weights
   * are an empty 0×0 matrix, and the host sends a new snapshot when the focus moves.
   */
  readonly headSummaries?: HeadSummaries;
  /** A real model's most likely next tokens after the last position. */
  readonly nextTokens?: NextTokens;
}

/** One candidate next token of a real model. */
export interface NextToken {
  readonly id: number;
  readonly text: string;
  readonly probability: number;
}

/** The most likely tokens after `position` (0-based, in the result's tokens). */
export interface NextTokens {
  readonly position: number;
  readonly top: readonly NextToken[];
}

/** Interpretability's name for a head: layer and head, 0-based ("L0H5"). */
export function headLabel(layer: number, head: number): string {
  return `L${layer}H${head}`;
}

export type ToWebview =
  /** A new result to show. Clears any error banner. */
  | { readonly type: 'snapshot'; readonly snapshot: Snapshot }
  /** The input is broken or too big: show a banner, keep the last good view. */
  | { readonly type: 'error'; readonly message: string; readonly problems: readonly Problem[] }
  /** The editor cursor sits on this token (or on none): highlight it as if hovered. */
  | { readonly type: 'highlightToken'; readonly index: number | null }
  /** Restore UI state after a reload. */
  | { readonly type: 'restoreUi'; readonly ui: Partial<UiState> }
  /** The most likely next tokens after a hovered position (answering `nextTokens`). */
  | { readonly type: 'nextTokens'; readonly nextTokens: NextTokens }
  /** A computation is running (for a spinner) or finished. */
  | { readonly type: 'busy'; readonly busy: boolean };

export type ExportFormat = 'png' | 'svg' | 'csv' | 'json';

export type FromWebview =
  /** The webview has loaded and listens. The host queues messages until it arrives. */
  | { readonly type: 'ready' }
  /** A token is hovered or locked in the panel (null: none). The editor highlights its range. */
  | { readonly type: 'tokenFocus'; readonly index: number | null; readonly locked: boolean; readonly layer: number; readonly head: number }
  /** The user changed a computation setting in the panel. */
  | { readonly type: 'updateSettings'; readonly settings: Partial<ComputeSettings> }
  | { readonly type: 'setFollowSelection'; readonly follow: boolean }
  /** The next-token list for another position of a model result. */
  | { readonly type: 'nextTokens'; readonly position: number }
  /** UI state changed; the host keeps it for restore. */
  | { readonly type: 'uiState'; readonly ui: UiState }
  /** Save an export through the host's save dialog. PNG content is base64; the rest is text. */
  | { readonly type: 'export'; readonly format: ExportFormat; readonly suggestedName: string; readonly content: string };
