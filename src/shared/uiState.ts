/**
 * The panel's UI state: its default and its checks. The host checks a `uiState` message strictly (validateUi);
 * the webview restores what it saved, or what an old version saved, leniently (sanitizeUi). Both use the same
 * field rules.
 */
import { COMPARE_MODES, isOneOf, LINE_RULES, MATRIX_KINDS, VIEWS } from './enums';
import type { Intervention, TokenEdit, UiState } from './protocol';
import { WORD_GROUPINGS } from './core';

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

/** Longest list of heads or tokens a UI state may hold. */
const MAX_LIST = 100_000;

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A token, layer or head index. */
export function isIndex(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) < 10_000_000;
}

export function isIndexList(v: unknown): v is number[] {
  if (!Array.isArray(v) || v.length > MAX_LIST) return false;
  // A for loop, not every(): every() skips the holes of a sparse array.
  for (let i = 0; i < v.length; i++) if (!isIndex(v[i])) return false;
  return true;
}

function isThreshold(v: unknown): v is number {
  return typeof v === 'number' && v >= 0 && v <= 1;
}

/** Most interventions a panel keeps: far more than anyone clicks, few enough that a forged list costs nothing. */
export const MAX_INTERVENTIONS = 256;

/**
 * A well-formed intervention, copied field by field (nothing else rides along), or null. Whether its layer, head or
 * edge exists is the core's check, against the result (checkInterventions), with a sentence naming it.
 */
export function interventionOf(v: unknown): Intervention | null {
  if (!isObject(v) || !isIndex(v.layer) || !isIndex(v.head)) return null;
  if (v.kind === 'ablate-head') return { kind: 'ablate-head', layer: v.layer, head: v.head };
  if (v.kind === 'cut-edge' && isIndex(v.query) && isIndex(v.key)) return { kind: 'cut-edge', layer: v.layer, head: v.head, query: v.query, key: v.key };
  return null;
}

/** A list of well-formed interventions (copied), or null when it is not a list, too long or holds a bad one. */
export function interventionList(v: unknown): Intervention[] | null {
  if (!Array.isArray(v) || v.length > MAX_INTERVENTIONS) return null;
  const out: Intervention[] = [];
  for (let i = 0; i < v.length; i++) {
    const item = interventionOf(v[i]);
    if (!item) return null;
    out.push(item);
  }
  return out;
}

/** Longest replacement or inserted token text. */
const MAX_TOKEN_TEXT = 200;

/** A well-formed token edit with a text token (copied), or null; whether its position exists is the core's check. */
export function tokenEditOf(v: unknown): TokenEdit<string> | null {
  if (!isObject(v) || !isIndex(v.position)) return null;
  if (v.kind === 'delete-token') return { kind: 'delete-token', position: v.position };
  if ((v.kind === 'replace-token' || v.kind === 'insert-token') && typeof v.token === 'string' && v.token.length > 0 && v.token.length <= MAX_TOKEN_TEXT) {
    return { kind: v.kind, position: v.position, token: v.token };
  }
  return null;
}

/** A complete, well-formed UiState, or null. */
export function validateUi(raw: unknown): UiState | null {
  if (!isObject(raw)) return null;
  if (!isOneOf(VIEWS, raw.view) || !isOneOf(MATRIX_KINDS, raw.matrix)) return null;
  if (!isIndex(raw.layer) || !isIndex(raw.head)) return null;
  if (!(raw.lockedToken === null || isIndex(raw.lockedToken))) return null;
  if (!isThreshold(raw.threshold)) return null;
  if (!isIndexList(raw.overlayHeads) || !isIndexList(raw.hiddenTokens)) return null;
  return {
    view: raw.view, matrix: raw.matrix, layer: raw.layer, head: raw.head,
    lockedToken: raw.lockedToken, threshold: raw.threshold,
    overlayHeads: [...raw.overlayHeads], hiddenTokens: [...raw.hiddenTokens],
    // Optional: state from before the rule existed has none (the views then use 'top-k').
    ...(isOneOf(LINE_RULES, raw.lineRule) ? { lineRule: raw.lineRule } : {}),
    ...whatIfFields(raw),
  };
}

/** The optional "what if" fields, when well-formed (a forged list is dropped whole, never half-applied). */
function whatIfFields(o: Record<string, unknown>): Pick<UiState, 'interventions' | 'tokenEdit' | 'compare' | 'rollout' | 'grouping'> {
  const interventions = interventionList(o.interventions);
  const tokenEdit = tokenEditOf(o.tokenEdit);
  return {
    ...(interventions ? { interventions } : {}),
    ...(tokenEdit ? { tokenEdit } : {}),
    ...(isOneOf(COMPARE_MODES, o.compare) ? { compare: o.compare } : {}),
    ...(typeof o.rollout === 'boolean' ? { rollout: o.rollout } : {}),
    ...(isOneOf(WORD_GROUPINGS, o.grouping) ? { grouping: o.grouping } : {}),
  };
}

/** The indices of a list, deduplicated and sorted; bad entries dropped. */
function indexList(x: unknown): number[] | undefined {
  if (!Array.isArray(x)) return undefined;
  const out = [...new Set(x.filter(isIndex))].sort((a, b) => a - b);
  return out.slice(0, MAX_LIST);
}

/** Keeps only the well-formed fields of an untrusted partial UiState (a threshold is clamped into [0, 1]). */
export function sanitizeUi(x: unknown): Partial<UiState> {
  if (typeof x !== 'object' || x === null) return {};
  const o = x as Record<string, unknown>;
  const out: { -readonly [K in keyof UiState]?: UiState[K] } = {};
  if (isOneOf(VIEWS, o.view)) out.view = o.view;
  if (isOneOf(MATRIX_KINDS, o.matrix)) out.matrix = o.matrix;
  if (isIndex(o.layer)) out.layer = o.layer;
  if (isIndex(o.head)) out.head = o.head;
  const overlay = indexList(o.overlayHeads);
  if (overlay) out.overlayHeads = overlay;
  if (o.lockedToken === null || isIndex(o.lockedToken)) out.lockedToken = o.lockedToken;
  if (typeof o.threshold === 'number' && Number.isFinite(o.threshold)) out.threshold = Math.min(1, Math.max(0, o.threshold));
  if (isOneOf(LINE_RULES, o.lineRule)) out.lineRule = o.lineRule;
  const hidden = indexList(o.hiddenTokens);
  if (hidden) out.hiddenTokens = hidden;
  return { ...out, ...whatIfFields(o) };
}

export function mergeUi(base: UiState, patch: Partial<UiState>): UiState {
  return { ...base, ...sanitizeUi(patch) };
}
