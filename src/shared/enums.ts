/**
 * The fixed lists both sides switch on, each written once as an `as const` array; the types are derived from them.
 * Mask kinds and tokenizers belong to the core and are re-exported from ./core.
 */

/** The panel's views, in tab order. */
export const VIEWS = ['tokens', 'matrix', 'pipeline', 'grid'] as const;
export type ViewName = (typeof VIEWS)[number];

/** The n×n matrices of a head the matrix view can show. */
export const MATRIX_KINDS = ['scores', 'scaled', 'weights'] as const;
export type MatrixKind = (typeof MATRIX_KINDS)[number];

/** How the token view picks the keys a query's lines go to (webview/render/line-selection.ts). */
export const LINE_RULES = ['top-k', 'mass', 'threshold'] as const;
export type LineRule = (typeof LINE_RULES)[number];

/** What the views show of a "what if" run: its result, the run without the interventions, or result − original. */
export const COMPARE_MODES = ['result', 'original', 'difference'] as const;
export type CompareMode = (typeof COMPARE_MODES)[number];

export const EXPORT_FORMATS = ['png', 'svg', 'csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Whether a model run puts the BOS token first: the family's convention, always, or never (selfAttention.prependBos). */
export const BOS_MODES = ['auto', 'on', 'off'] as const;
export type BosMode = (typeof BOS_MODES)[number];

/** Whether `value` is one of `list` (narrows an untrusted value to the list's type). */
export function isOneOf<T extends string>(list: readonly T[], value: unknown): value is T {
  return typeof value === 'string' && (list as readonly string[]).includes(value);
}
