/**
 * Checks of everything that crosses between host and webview. Messages are untrusted both ways: the host checks
 * what the webview sends (validateMessage), the webview checks what it is given (isSnapshot, isProblem).
 */
import { isOneOf, EXPORT_FORMATS, MATRIX_KINDS } from './enums';
import { maskOf, MASK_KINDS, TOKENIZERS, type MaskSpec, type Problem } from './core';
import type { ComputeSettings, DataRefusal, FromWebview, MatrixFileRequest, NextTokens, RasterAnswer, RasterRequest, RowAnswer, RowRequest, Snapshot, SourceRef } from './protocol';
import { INTEGER_COMPUTE_SETTINGS, isIntegerSetting, isTemperature } from './settings';
import { interventionList, isIndex, isIndexList, isObject, tokenEditOf, validateUi } from './uiState';

/** Largest export the host accepts (characters of text or base64). */
const MAX_EXPORT_CHARS = 512 * 1024 * 1024;

/** Longest weight row a tokenFocus message may carry (keys of the largest result). */
const MAX_WEIGHT_ROW = 1_000_000;

/** Finite, non-negative weights; a for loop, not every(), which skips the holes of a sparse array. */
function isWeightRow(v: unknown): v is number[] {
  if (!Array.isArray(v) || v.length > MAX_WEIGHT_ROW) return false;
  for (let j = 0; j < v.length; j++) if (typeof v[j] !== 'number' || !Number.isFinite(v[j]) || v[j] < 0) return false;
  return true;
}

/** A message from the webview, checked field by field; null when malformed. */
export function validateMessage(raw: unknown): FromWebview | null {
  if (!isObject(raw) || typeof raw.type !== 'string') return null;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'tokenFocus': {
      if (!(raw.index === null || isIndex(raw.index)) || !isIndex(raw.layer) || !isIndex(raw.head)) return null;
      const last = isIndex(raw.lastIndex) && raw.index !== null && raw.lastIndex >= raw.index ? { lastIndex: raw.lastIndex } : {};
      const focus = { type: 'tokenFocus', index: raw.index, layer: raw.layer, head: raw.head, ...last } as const;
      if (raw.weights === undefined) return focus;
      return isWeightRow(raw.weights) ? { ...focus, weights: raw.weights } : null;
    }
    case 'updateSettings': {
      const settings = validateSettings(raw.settings);
      return settings ? { type: 'updateSettings', settings } : null;
    }
    case 'saveSettingsAsDefault':
      return { type: 'saveSettingsAsDefault' };
    case 'setFollowSelection':
      return typeof raw.follow === 'boolean' ? { type: 'setFollowSelection', follow: raw.follow } : null;
    case 'nextTokens':
      return isIndex(raw.position) ? { type: 'nextTokens', position: raw.position } : null;
    case 'runInductionProbe':
      return { type: 'runInductionProbe' };
    case 'setInterventions': {
      const interventions = interventionList(raw.interventions);
      const tokenEdit = raw.tokenEdit === undefined ? undefined : tokenEditOf(raw.tokenEdit);
      if (!interventions || tokenEdit === null) return null;
      return { type: 'setInterventions', interventions, ...(tokenEdit ? { tokenEdit } : {}) };
    }
    case 'uiState': {
      const ui = validateUi(raw.ui);
      return ui ? { type: 'uiState', ui } : null;
    }
    case 'raster': {
      const request = rasterRequestOf(raw.request);
      return request ? { type: 'raster', request } : null;
    }
    case 'row': {
      const request = rowRequestOf(raw.request);
      return request ? { type: 'row', request } : null;
    }
    case 'exportMatrix': {
      const request = matrixFileRequestOf(raw.request);
      return request ? { type: 'exportMatrix', request } : null;
    }
    case 'export': {
      if (!isOneOf(EXPORT_FORMATS, raw.format) || typeof raw.suggestedName !== 'string' || typeof raw.content !== 'string') return null;
      if (raw.content.length > MAX_EXPORT_CHARS) return null;
      return { type: 'export', format: raw.format, suggestedName: safeFileName(raw.suggestedName), content: raw.content };
    }
    default:
      return null;
  }
}

/** The most values a raster request may ask for along one axis (a screen's pixels, with room to spare). */
const MAX_RASTER_SIDE = 8192;

function isRange(x: unknown): x is readonly [number, number] {
  return Array.isArray(x) && x.length === 2 && isIndex(x[0]) && isIndex(x[1]) && x[0] <= x[1];
}

function rowRequestOf(raw: unknown): RowRequest | null {
  if (!isObject(raw) || !isIndex(raw.requestId) || !isIndex(raw.seq) || !isIndex(raw.layer) || !isIndex(raw.head) || !isIndex(raw.query)) return null;
  return { requestId: raw.requestId, seq: raw.seq, layer: raw.layer, head: raw.head, query: raw.query };
}

/** Longest head name or source label a matrix file request may carry (they go into the JSON's metadata). */
const MAX_LABEL = 1000;

function matrixFileRequestOf(raw: unknown): MatrixFileRequest | null {
  if (!isObject(raw) || !isIndex(raw.seq) || !isIndex(raw.layer) || !isIndex(raw.head) || !isOneOf(MATRIX_KINDS, raw.matrix)) return null;
  if ((raw.format !== 'csv' && raw.format !== 'json') || typeof raw.suggestedName !== 'string' || !isIndexList(raw.hiddenTokens)) return null;
  if (typeof raw.headName !== 'string' || typeof raw.source !== 'string' || raw.headName.length > MAX_LABEL || raw.source.length > MAX_LABEL) return null;
  return {
    seq: raw.seq, layer: raw.layer, head: raw.head, matrix: raw.matrix, format: raw.format, suggestedName: safeFileName(raw.suggestedName),
    hiddenTokens: [...raw.hiddenTokens], headName: raw.headName, source: raw.source,
  };
}

function rasterRequestOf(raw: unknown): RasterRequest | null {
  if (!isObject(raw) || !isIndex(raw.requestId) || !isIndex(raw.seq) || !isIndex(raw.layer) || !isIndex(raw.head)) return null;
  if (!isOneOf(MATRIX_KINDS, raw.matrix) || !isRange(raw.rows) || !isRange(raw.cols)) return null;
  const side = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_RASTER_SIDE;
  if (!side(raw.outWidth) || !side(raw.outHeight)) return null;
  return {
    requestId: raw.requestId, seq: raw.seq, layer: raw.layer, head: raw.head, matrix: raw.matrix,
    rows: [raw.rows[0], raw.rows[1]], cols: [raw.cols[0], raw.cols[1]], outWidth: raw.outWidth, outHeight: raw.outHeight,
  };
}

/** A raster answer (or refusal) the webview can draw without indexing out of range. */
export function isRasterAnswer(x: unknown): x is RasterAnswer | DataRefusal {
  if (isRefusal(x)) return true;
  if (!isObject(x) || !isIndex(x.requestId) || !isIndex(x.seq) || !isIndex(x.layer) || !isIndex(x.head) || !isOneOf(MATRIX_KINDS, x.matrix)) return false;
  if (!isRange(x.rows) || !isRange(x.cols) || !isIndex(x.block) || x.block < 1 || !isIndex(x.width) || !isIndex(x.height)) return false;
  if (!(x.values instanceof Float32Array) || x.values.length !== x.width * x.height) return false;
  return isObject(x.domain) && Number.isFinite(x.domain.min) && Number.isFinite(x.domain.max) && (x.domain.max as number) > (x.domain.min as number);
}

/** A row answer (or refusal): rows of one length. */
export function isRowAnswer(x: unknown): x is RowAnswer | DataRefusal {
  if (isRefusal(x)) return true;
  if (!isObject(x) || !isIndex(x.requestId) || !isIndex(x.seq) || !isIndex(x.layer) || !isIndex(x.head) || !isIndex(x.query)) return false;
  if (!(x.weights instanceof Float32Array)) return false;
  const n = x.weights.length;
  return [x.scores, x.scaled].every((r) => r === null || (r instanceof Float32Array && r.length === n));
}

function isRefusal(x: unknown): x is DataRefusal {
  return isObject(x) && isIndex(x.requestId) && isIndex(x.seq) && typeof x.problem === 'string';
}

/** What a restored panel's saved state may hold; undefined fields were missing or malformed. */
export interface RestoredState {
  readonly source?: SourceRef;
  readonly settings: Partial<ComputeSettings>;
}

/**
 * The webview's saved state, handed back by VS Code when a panel is restored, is a message from the webview
 * like any other: the same checks apply.
 */
export function validateRestoredState(raw: unknown): RestoredState {
  if (!isObject(raw)) return { settings: {} };
  return { source: validateSourceRef(raw.source) ?? undefined, settings: validateSettings(raw.settings) ?? {} };
}

function validateSourceRef(raw: unknown): SourceRef | null {
  if (!isObject(raw) || typeof raw.uri !== 'string' || raw.uri.length > 4096) return null;
  if (raw.kind === 'file') return { kind: 'file', uri: raw.uri };
  if (raw.kind === 'selection' && isIndex(raw.start) && isIndex(raw.end) && raw.start <= raw.end) {
    return { kind: 'selection', uri: raw.uri, start: raw.start, end: raw.end };
  }
  return null;
}

/** Settings changed in the panel: every field present must be in range (settings.ts); absent fields are fine. */
export function validateSettings(raw: unknown): Partial<ComputeSettings> | null {
  if (!isObject(raw)) return null;
  const out: Record<string, unknown> = {};
  for (const key of INTEGER_COMPUTE_SETTINGS) {
    if (raw[key] === undefined) continue;
    if (!isIntegerSetting(key, raw[key])) return null;
    out[key] = raw[key];
  }
  if (raw.tokenizer !== undefined) {
    if (!isOneOf(TOKENIZERS, raw.tokenizer)) return null;
    out.tokenizer = raw.tokenizer;
  }
  for (const key of ['positionalEncoding', 'scale'] as const) {
    if (raw[key] === undefined) continue;
    if (typeof raw[key] !== 'boolean') return null;
    out[key] = raw[key];
  }
  if (raw.temperature !== undefined) {
    if (!isTemperature(raw.temperature)) return null;
    out.temperature = raw.temperature;
  }
  if (raw.mask !== undefined) {
    const mask = validateMask(raw.mask);
    if (!mask) return null;
    out.mask = mask;
  }
  return out as Partial<ComputeSettings>;
}

function validateMask(raw: unknown): MaskSpec | null {
  if (!isObject(raw) || !isOneOf(MASK_KINDS, raw.kind)) return null;
  const needsWindow = raw.kind === 'window' || raw.kind === 'dilated';
  if (needsWindow && !isIntegerSetting('window', raw.window)) return null;
  if (raw.kind === 'dilated' && !isIntegerSetting('dilation', raw.dilation)) return null;
  return maskOf(raw.kind, raw.window as number, raw.dilation as number);
}

function safeFileName(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N}._ -]/gu, '_').replace(/^\.+/, '').slice(0, 120);
  return cleaned || 'attention';
}

function isMatrixLike(x: unknown): boolean {
  return isObject(x) && typeof x.rows === 'number' && typeof x.cols === 'number' && x.data instanceof Float32Array
    && x.data.length === x.rows * x.cols;
}

function isStringList(x: unknown): x is string[] {
  return Array.isArray(x) && x.every((t) => typeof t === 'string');
}

/** Structural check of a snapshot: enough that the views can index it without throwing. */
export function isSnapshot(x: unknown): x is Snapshot {
  if (!isObject(x) || typeof x.seq !== 'number' || !Number.isFinite(x.seq)) return false;
  if (!isObject(x.source) || typeof x.source.label !== 'string') return false;
  if (x.source.kind !== 'selection' && x.source.kind !== 'file') return false;
  if (!Array.isArray(x.warnings)) return false;
  if (x.nextTokens !== undefined && !isNextTokens(x.nextTokens)) return false;
  const r = x.result;
  if (x.whatIf !== undefined && !isWhatIf(x.whatIf, r)) return false;
  if (x.rollout !== undefined && !isRollout(x.rollout, r)) return false;
  if (x.progress !== undefined && !isLayerProgress(x.progress, isObject(r) && Array.isArray(r.layers) ? r.layers.length : -1)) return false;
  if (!isObject(r) || !isStringList(r.tokens) || !isStringList(r.keyTokens)) return false;
  if (!isObject(r.provenance) || !isObject(r.options) || !Array.isArray(r.layers) || r.layers.length === 0) return false;
  // A large result's heads outside the focus carry 0×0 weights; their summaries stand in (see Snapshot.headSummaries).
  // A computing snapshot's heads are all 0×0, with nothing standing in yet (see Snapshot.computing).
  const summaries = Array.isArray(x.headSummaries) ? (x.headSummaries as unknown[]) : undefined;
  if (x.computing !== undefined && x.computing !== true) return false;
  for (const [l, layer] of r.layers.entries()) {
    if (!isObject(layer) || !Array.isArray(layer.heads) || layer.heads.length === 0) return false;
    for (const [i, h] of layer.heads.entries()) {
      if (!isObject(h) || !isMatrixLike(h.weights)) return false;
      const w = h.weights as { rows: number; cols: number; withheld?: unknown };
      if (w.withheld !== undefined && !isWithheldOf(w.withheld, r.tokens.length, r.keyTokens.length)) return false;
      // Withheld 'summarized': its summary stands in; 'on-request': the views ask for its rows and rasters.
      const stands = w.withheld !== undefined && ((w.withheld as { reason: string }).reason === 'on-request' || isSummary((summaries?.[l] as unknown[] | undefined)?.[i]));
      // A computing run's frame (its tokens, drawn before its weights exist) has 0 × 0 weights.
      const computing = x.computing === true && w.rows === 0 && w.cols === 0;
      if (!stands && !computing && (w.rows !== r.tokens.length || w.cols !== r.keyTokens.length)) return false;
    }
  }
  return true;
}

function isWithheldOf(x: unknown, rows: number, cols: number): boolean {
  return isObject(x) && x.kind === 'withheld' && x.rows === rows && x.cols === cols && (x.reason === 'summarized' || x.reason === 'on-request');
}

/** Per-head matrices laid out as the result's heads, each the head's shape or 0×0 (left out of a slimmed snapshot). */
function isPerHead(x: unknown, r: Record<string, unknown>, tokens: number, keys: number): boolean {
  const layers = r.layers as unknown[];
  if (!Array.isArray(x) || x.length !== layers.length) return false;
  return x.every((heads: unknown, l) => Array.isArray(heads) && isObject(layers[l]) && heads.length === (layers[l] as { heads: unknown[] }).heads.length
    && heads.every((m: unknown) => isMatrixLike(m) && ((m as { rows: number }).rows === 0 || ((m as { rows: number }).rows === tokens && (m as { cols: number }).cols === keys))));
}

/** A "what if" comparison that fits the result it came with. */
function isWhatIf(x: unknown, r: unknown): boolean {
  if (!isObject(x) || !isObject(r) || !Array.isArray(r.layers) || !isStringList(r.tokens) || !isStringList(r.keyTokens)) return false;
  if (interventionList(x.interventions) === null) return false;
  if (x.tokenEdit !== undefined && tokenEditOf(x.tokenEdit) === null) return false;
  // An inserted or deleted token: the runs have different tokens, so there is nothing per head to compare.
  if (x.shapesDiffer === true) return [x.original, x.difference, x.headChange].every((a) => Array.isArray(a) && a.length === 0);
  const n = r.tokens.length;
  const m = r.keyTokens.length;
  if (!isPerHead(x.original, r, n, m) || !isPerHead(x.difference, r, n, m)) return false;
  if (x.nextTokens !== undefined && !isNextTokenShift(x.nextTokens)) return false;
  const changes = x.headChange;
  return Array.isArray(changes) && changes.length === r.layers.length
    && changes.every((row: unknown) => Array.isArray(row) && row.every((v) => typeof v === 'number' && Number.isFinite(v)));
}

/** Rollout after each layer of the result (n × n), or the sentence that refused it. */
function isRollout(x: unknown, r: unknown): boolean {
  if (!isObject(x) || !isObject(r) || !Array.isArray(r.layers) || !Array.isArray(r.tokens)) return false;
  if (typeof x.problem === 'string') return true;
  const n = r.tokens.length;
  return Array.isArray(x.layers) && x.layers.length === r.layers.length && x.layers.every((m) => isMatrixLike(m) && m.rows === n && m.cols === n);
}

function isNextTokenShift(x: unknown): boolean {
  const isShift = (t: unknown): boolean => isObject(t) && Number.isInteger(t.id) && typeof t.text === 'string'
    && [t.before, t.after, t.delta].every((v) => typeof v === 'number' && !Number.isNaN(v));
  return isObject(x) && isIndex(x.position) && [x.before, x.after].every((list) => Array.isArray(list) && list.length <= 100 && list.every(isShift));
}

/** A streamed run's progress: exactly the layers the result holds, fewer than the total. */
function isLayerProgress(x: unknown, layers: number): boolean {
  return isObject(x) && x.done === layers && Number.isSafeInteger(x.total) && (x.total as number) > layers;
}

function isSummary(x: unknown): boolean {
  return isObject(x) && isObject(x.stats) && typeof x.stats.meanEntropy === 'number' && isMatrixLike(x.thumbnail);
}

/** Next tokens as the host sends them: a position and up to a hundred { id, text, probability }. */
export function isNextTokens(x: unknown): x is NextTokens {
  return isObject(x) && isIndex(x.position) && Array.isArray(x.top) && x.top.length <= 100
    && x.top.every((t: unknown) => isObject(t) && Number.isInteger(t.id) && typeof t.text === 'string'
      && typeof t.probability === 'number' && t.probability >= 0 && t.probability <= 1);
}

export function isProblem(x: unknown): x is Problem {
  return isObject(x) && typeof x.message === 'string' && (x.severity === 'error' || x.severity === 'warning');
}
