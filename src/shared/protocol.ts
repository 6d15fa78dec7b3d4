/**
 * Messages between the extension host and the webview. Both sides import this file.
 * A new result is a full snapshot, because VS Code drops messages sent to a hidden webview (the host sends it again
 * when the webview says ready). A large result stays in the compute worker: the snapshot carries the slice the
 * focused views draw, and a focus change sends only the new slice (`slice`), never the whole snapshot again. The
 * matrices a slice leaves out are withheld by name (WithheldMatrix), and the token and matrix views ask for the rows
 * and the heatmap raster they draw (`row`, `raster`), answered from where the result is held.
 * Matrices travel as Float32Array (structured clone), never as nested JSON lists.
 * Both sides check what they receive with ./validateMessage.ts.
 */
import type { SelectionSettings } from '../core/selection';
import type { AttentionResult, HeadSummaries, IndexRange, Intervention, Matrix, Problem, TokenEdit, WordGrouping } from './core';
import type { CompareMode, ExportFormat, LineRule, MatrixKind, ViewName } from './enums';

export type { CompareMode, ExportFormat, LineRule, MatrixKind, ViewName } from './enums';
export type { Intervention, TokenEdit } from './core';
export type { TokenizerName } from './core';

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
  /** Absent in state saved before the rule existed: then 'top-k'. */
  readonly lineRule?: LineRule;
  readonly hiddenTokens: readonly number[];
  /** "What if": heads ablated and edges cut in this panel, in the order chosen (absent in older state: none). */
  readonly interventions?: readonly Intervention[];
  /** "What if" this token were replaced, inserted or deleted (one edit, 0-based positions of the result's tokens). */
  readonly tokenEdit?: TokenEdit<string>;
  /** What the views show while interventions apply (absent: the result). */
  readonly compare?: CompareMode;
  /** The matrix and token views show attention rollout instead of the head's weights (the worker computes it). */
  readonly rollout?: boolean;
  /** The views show words or identifiers, not subword tokens (absent: tokens). */
  readonly grouping?: WordGrouping;
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

/** What the webview keeps with setState, and the panel serializer gets back (untrusted) after a window reload. */
export interface PersistedState {
  readonly source?: SourceRef;
  readonly ui?: UiState;
  /** The panel's own settings over the user's (Snapshot.panelSettings), restored with it. */
  readonly settings?: Partial<ComputeSettings>;
}

/**
 * Above this many query–key cells a snapshot is slimmed: it carries `headSummaries`, and only what the focused
 * head's views draw (see src/compute/slice.ts). The worker summarizes exactly these results.
 */
export const FULL_SNAPSHOT_CELLS = 256 * 256;

export function isSlimmed(result: AttentionResult): boolean {
  return result.tokens.length * result.keyTokens.length > FULL_SNAPSHOT_CELLS;
}

/**
 * Why a snapshot does not carry a matrix. 'summarized': a head outside the focus of a large result, whose statistics
 * and thumbnail (Snapshot.headSummaries) stand in. 'on-request': the focused head of a large result, whose views ask
 * for what they draw (`raster`, `row`).
 */
export type WithheldReason = 'summarized' | 'on-request';

/** What a withheld matrix stands for: its true shape and why it is not here. */
export interface Withheld {
  readonly kind: 'withheld';
  readonly rows: number;
  readonly cols: number;
  readonly reason: WithheldReason;
}

/** A matrix a snapshot does not carry: 0×0, so nothing indexes into it, and named by `withheld`. */
export interface WithheldMatrix extends Matrix {
  readonly withheld: Withheld;
}

export function withheldMatrix(rows: number, cols: number, reason: WithheldReason): WithheldMatrix {
  return Object.freeze({ rows: 0, cols: 0, data: new Float32Array(0), withheld: { kind: 'withheld' as const, rows, cols, reason } });
}

export function isWithheld(m: Matrix | null | undefined): m is WithheldMatrix {
  return !!m && (m as Partial<WithheldMatrix>).withheld?.kind === 'withheld';
}

/**
 * The heatmap asks for the part of a withheld matrix it draws: rows × cols of it, pooled by block max (the rule of
 * poolBlockMax, which the webview uses for the matrices it holds) into at most outWidth × outHeight values.
 */
export interface RasterRequest {
  /** Grows with every request of the webview: an answer to an older one than the last asked is dropped. */
  readonly requestId: number;
  /** The snapshot whose result is pooled. */
  readonly seq: number;
  readonly layer: number;
  readonly head: number;
  readonly matrix: MatrixKind;
  readonly rows: IndexRange;
  readonly cols: IndexRange;
  readonly outWidth: number;
  readonly outHeight: number;
}

export interface RasterAnswer {
  readonly requestId: number;
  readonly seq: number;
  readonly layer: number;
  readonly head: number;
  readonly matrix: MatrixKind;
  readonly rows: IndexRange;
  readonly cols: IndexRange;
  /** Cells per value along each axis. */
  readonly block: number;
  /** The pooled grid: `height` rows of `width` values. */
  readonly width: number;
  readonly height: number;
  /** Block maxima (see PooledBlocks.values): −∞ where every cell of the block is masked. */
  readonly values: Float32Array;
  /** The colour domain of the whole matrix, so zoom and pan keep the colours. */
  readonly domain: { readonly min: number; readonly max: number };
}

/** One query's row of a withheld matrix: the hover line, the tooltip, "attends most to", a traced row. */
export interface RowRequest {
  readonly requestId: number;
  readonly seq: number;
  readonly layer: number;
  readonly head: number;
  readonly query: number;
}

export interface RowAnswer {
  readonly requestId: number;
  readonly seq: number;
  readonly layer: number;
  readonly head: number;
  readonly query: number;
  readonly weights: Float32Array;
  /** The raw and scaled scores of the row, when the result has them (a file's weights alone have not). */
  readonly scores: Float32Array | null;
  readonly scaled: Float32Array | null;
}

/** A request that could not be answered (its snapshot is gone, or it is over the budget): one sentence why. */
export interface DataRefusal {
  readonly requestId: number;
  readonly seq: number;
  readonly problem: string;
}

/** A result's layers as one slice carries them (see src/compute/slice.ts for what a slice holds). */
export type SliceLayers = AttentionResult['layers'];

export interface Snapshot {
  /** Grows with every computation; the webview ignores a snapshot older than the one it shows. */
  readonly seq: number;
  readonly source: SourceInfo;
  readonly result: AttentionResult;
  /** Present in the selection flow, where the panel can change them: the defaults with this panel's changes. */
  readonly settings?: ComputeSettings;
  /** This panel's own changes over the user's settings (selection flow); the webview keeps them with its state. */
  readonly panelSettings?: Partial<ComputeSettings>;
  readonly followSelection?: boolean;
  /** Warnings about the input that did not stop the computation. */
  readonly warnings: readonly Problem[];
  /**
   * Large results only: statistics and a small thumbnail of every head, [layer][head]. Then only the
   * focused layer's heads (or only the focused head) carry their weights, or none in the token and matrix views
   * (withheld 'on-request'); every other head's weights are withheld 'summarized', and the host sends the new
   * focus's slice (`slice`) when the focus moves.
   */
  readonly headSummaries?: HeadSummaries;
  /** A real model's most likely next tokens after the last position. */
  readonly nextTokens?: NextTokens;
  /**
   * A real model's run still going: the result holds its first `done` of `total` layers, and a snapshot with the
   * rest (or an error) follows. Absent on a finished result.
   */
  readonly progress?: LayerProgress;
  /**
   * The run is still computing: the result is its frame (tokens, options, every head by name with 0×0 weights and no
   * summary), so the tokens are drawn at once. Its result follows; if the run ends without one, the last finished
   * snapshot comes back (or `withdraw` takes this one away).
   */
  readonly computing?: true;
  /** A "what if" run (the result has interventions): the worker's comparison with the run without them. */
  readonly whatIf?: WhatIfComparison;
  /** Attention rollout after each layer (asked for with UiState.rollout), or why it was refused. */
  readonly rollout?: RolloutView;
}

/** Attention rollout (Abnar & Zuidema 2020), an approximation: per layer, n × n, rows summing to 1; or one sentence. */
export type RolloutView = { readonly layers: readonly Matrix[] } | { readonly problem: string };

/**
 * The worker compares a "what if" run with the original it also computed. Per head, [layer][head], the same heads as
 * the result: a head whose weights a slimmed snapshot leaves out (0×0) has 0×0 here too.
 */
export interface WhatIfComparison {
  readonly interventions: readonly Intervention[];
  /** The token edit of the run, if any (a replacement keeps the shapes; an insert or delete has no Δ). */
  readonly tokenEdit?: TokenEdit<string>;
  /** The runs have different tokens (an insert or a delete): original, difference and headChange are empty. */
  readonly shapesDiffer?: true;
  /** The original run's weights. */
  readonly original: readonly (readonly Matrix[])[];
  /** Δweight = result − original, cell by cell. */
  readonly difference: readonly (readonly Matrix[])[];
  /** How far each head's attention moved: mean over queries of ½·Σ|Δw| (total variation), in [0, 1]. */
  readonly headChange: readonly (readonly number[])[];
  /** A real model's likeliest next tokens after the last position, before and after, with Δlog-prob. */
  readonly nextTokens?: NextTokenShift;
}

/** One candidate next token's log-probability before and after the interventions. */
export interface TokenShiftView {
  readonly id: number;
  readonly text: string;
  readonly before: number;
  readonly after: number;
  /** after − before. */
  readonly delta: number;
}

export interface NextTokenShift {
  readonly position: number;
  /** The top tokens of the original run and of the changed one. */
  readonly before: readonly TokenShiftView[];
  readonly after: readonly TokenShiftView[];
}

/** How far a streamed model run has got: `done` layers of `total` are in the snapshot. */
export interface LayerProgress {
  readonly done: number;
  readonly total: number;
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

/** The input is broken or too big: the webview shows a banner and keeps the last good view. */
export interface ErrorPayload {
  readonly message: string;
  readonly problems: readonly Problem[];
}

/** The token active in the panel (hovered, else locked; null: none), in the head it was seen in. */
export interface TokenFocusPayload {
  readonly index: number | null;
  readonly layer: number;
  readonly head: number;
  /**
   * The focused token's weights as the panel shows them (hidden keys renormalised), one per key token: the editor
   * tints follow these, so the editor and the panel agree. The webview always sends them with a token.
   */
  readonly weights?: readonly number[];
  /** With word grouping, the focused word runs from token `index` to this token (inclusive). */
  readonly lastIndex?: number;
}

/** An export to save through the host's save dialog. PNG content is base64; the rest is text. */
export interface ExportPayload {
  readonly format: ExportFormat;
  readonly suggestedName: string;
  readonly content: string;
}

/**
 * CSV or JSON of a whole matrix the snapshot withholds (a large result): the process that holds the result writes the
 * file the user picks, with the text the webview writes for a matrix it holds (src/shared/matrixExport.ts).
 */
export interface MatrixFileRequest {
  readonly seq: number;
  readonly layer: number;
  readonly head: number;
  readonly matrix: MatrixKind;
  readonly format: 'csv' | 'json';
  readonly suggestedName: string;
  /** Keys hidden in the panel: weights are written as shown, each row renormalised over the keys left. */
  readonly hiddenTokens: readonly number[];
  /** The JSON's metadata. */
  readonly headName: string;
  readonly source: string;
}

/** What writing a MatrixFileRequest's file came to: its size, or one sentence why not. */
export type MatrixFileOutcome = { readonly bytes: number } | { readonly problem: string };

export type ToWebview =
  /** A new result to show. Clears any error banner. */
  | { readonly type: 'snapshot'; readonly snapshot: Snapshot }
  /** The slice a new focus draws, for the snapshot `seq` on screen: its layers replace the snapshot's; the rest stays. */
  | { readonly type: 'slice'; readonly seq: number; readonly layers: SliceLayers }
  | ({ readonly type: 'error' } & ErrorPayload)
  /** The computing snapshot `seq` is taken back: its run ended without a result, and no finished one came before it. */
  | { readonly type: 'withdraw'; readonly seq: number }
  /** The editor cursor sits on this token (or on none): highlight it as if hovered. */
  | { readonly type: 'highlightToken'; readonly index: number | null }
  /** Switch to a view, matrix, head or locked token (the walkthrough's buttons). Fields are checked like a restored UI. */
  | { readonly type: 'showUi'; readonly ui: Partial<UiState> }
  /** The most likely next tokens after a hovered position (answering `nextTokens`). */
  | { readonly type: 'nextTokens'; readonly nextTokens: NextTokens }
  /** The induction probe's answer (`runInductionProbe`): every head's score, [layer][head], or why it did not run. */
  | { readonly type: 'inductionProbe'; readonly scores?: readonly (readonly number[])[]; readonly message?: string }
  /** A computation is running (for a spinner) or finished. */
  | { readonly type: 'busy'; readonly busy: boolean }
  /** The answer to a `raster` request (or why there is none). */
  | { readonly type: 'raster'; readonly answer: RasterAnswer | DataRefusal }
  /** The answer to a `row` request (or why there is none). */
  | { readonly type: 'row'; readonly answer: RowAnswer | DataRefusal };

export type FromWebview =
  /** The webview has loaded and listens. The host queues messages until it arrives. */
  | { readonly type: 'ready' }
  /** The editor highlights the token's range, tinted by its weights. */
  | ({ readonly type: 'tokenFocus' } & TokenFocusPayload)
  /** The user changed a computation setting in the panel: it applies to this panel only. */
  | { readonly type: 'updateSettings'; readonly settings: Partial<ComputeSettings> }
  /** "Save as default": the host asks for confirmation, then writes this panel's settings to the user's settings. */
  | { readonly type: 'saveSettingsAsDefault' }
  | { readonly type: 'setFollowSelection'; readonly follow: boolean }
  /** The next-token list for another position of a model result. */
  | { readonly type: 'nextTokens'; readonly position: number }
  /** The panel's "what if" list changed: the host recomputes with it (an empty list: the original run). */
  | { readonly type: 'setInterventions'; readonly interventions: readonly Intervention[]; readonly tokenEdit?: TokenEdit<string> }
  /** Run the induction probe on the active real model (answered with `inductionProbe`). */
  | { readonly type: 'runInductionProbe' }
  /** UI state changed; the host keeps the focus it implies and answers with a `slice` when the views need one. */
  | { readonly type: 'uiState'; readonly ui: UiState }
  | ({ readonly type: 'export' } & ExportPayload)
  /** The heatmap of a withheld matrix at the current zoom and viewport (answered with `raster`). */
  | { readonly type: 'raster'; readonly request: RasterRequest }
  /** One row of a withheld matrix (answered with `row`). */
  | { readonly type: 'row'; readonly request: RowRequest }
  /** CSV or JSON of a withheld matrix, written by the process that holds it. */
  | { readonly type: 'exportMatrix'; readonly request: MatrixFileRequest };
