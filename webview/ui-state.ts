import { LINE_RULES, type LineRule, type MatrixKind, type UiState, type ViewName } from '../src/protocol';

export const VIEWS: readonly ViewName[] = ['tokens', 'matrix', 'pipeline', 'grid'];
export const MATRIX_KINDS: readonly MatrixKind[] = ['scores', 'scaled', 'weights'];

export const DEFAULT_UI: UiState = {
  view: 'tokens',
  matrix: 'weights',
  layer: 0,
  head: 0,
  overlayHeads: [],
  lockedToken: null,
  threshold: 0.05,
  lineRule: 'top-k',
  hiddenTokens: [],
};

function isIndex(x: unknown): x is number {
  return typeof x === 'number' && Number.isInteger(x) && x >= 0 && x < 1e7;
}

function indexList(x: unknown): number[] | undefined {
  if (!Array.isArray(x)) return undefined;
  const out = [...new Set(x.filter(isIndex))].sort((a, b) => a - b);
  return out.slice(0, 100_000);
}

/** Keeps only the well-formed fields of an untrusted partial UiState. */
export function sanitizeUi(x: unknown): Partial<UiState> {
  if (typeof x !== 'object' || x === null) return {};
  const o = x as Record<string, unknown>;
  const out: { -readonly [K in keyof UiState]?: UiState[K] } = {};
  if (typeof o.view === 'string' && (VIEWS as readonly string[]).includes(o.view)) out.view = o.view as ViewName;
  if (typeof o.matrix === 'string' && (MATRIX_KINDS as readonly string[]).includes(o.matrix)) out.matrix = o.matrix as MatrixKind;
  if (isIndex(o.layer)) out.layer = o.layer;
  if (isIndex(o.head)) out.head = o.head;
  const overlay = indexList(o.overlayHeads);
  if (overlay) out.overlayHeads = overlay;
  if (o.lockedToken === null || isIndex(o.lockedToken)) out.lockedToken = o.lockedToken;
  if (typeof o.threshold === 'number' && Number.isFinite(o.threshold)) out.threshold = Math.min(1, Math.max(0, o.threshold));
  if ((LINE_RULES as readonly unknown[]).includes(o.lineRule)) out.lineRule = o.lineRule as LineRule;
  const hidden = indexList(o.hiddenTokens);
  if (hidden) out.hiddenTokens = hidden;
  return out;
}

export function mergeUi(base: UiState, patch: Partial<UiState>): UiState {
  return { ...base, ...sanitizeUi(patch) };
}
