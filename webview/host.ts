/**
 * The one module that talks protocol: component events → FromWebview messages, ToWebview messages
 * → app properties. Unknown or malformed messages are ignored, and so are snapshots older than the
 * one on screen.
 */
import type { ComputeSettings, ExportFormat, FromWebview, NextTokens, Snapshot, ToWebview } from '../src/protocol';
import type { Problem } from '../src/core/types';
import type { UiState } from '../src/protocol';
import { mergeUi, sanitizeUi } from './ui-state';

/** What host.ts needs from `<attn-app>` (kept structural so tests can use a stub). */
export interface AppTarget extends EventTarget {
  snapshot: Snapshot | null;
  error: { readonly message: string; readonly problems: readonly Problem[] } | null;
  busy: boolean;
  highlightToken: number | null;
  ui: UiState;
  /** A real model's next tokens after a hovered position, as the host answered. */
  hoverNextTokens?: NextTokens | null;
}

/** Events `<attn-app>` fires for the host. */
export interface AppEventMap {
  'ui-change': CustomEvent<UiState>;
  'settings-change': CustomEvent<Partial<ComputeSettings>>;
  'follow-change': CustomEvent<{ follow: boolean }>;
  'export-request': CustomEvent<{ format: ExportFormat; suggestedName: string; content: string }>;
  'token-focus': CustomEvent<{ index: number | null; locked: boolean; layer: number; head: number }>;
  'next-tokens-request': CustomEvent<{ position: number }>;
}

const EXPORT_FORMATS: readonly string[] = ['png', 'svg', 'csv', 'json'];

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
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
  if (!isObject(r) || !isStringList(r.tokens) || !isStringList(r.keyTokens)) return false;
  if (!isObject(r.provenance) || !isObject(r.options) || !Array.isArray(r.layers) || r.layers.length === 0) return false;
  // A large result's heads outside the focus carry 0×0 weights; their summaries stand in (see Snapshot.headSummaries).
  const summaries = Array.isArray(x.headSummaries) ? (x.headSummaries as unknown[]) : undefined;
  for (const [l, layer] of r.layers.entries()) {
    if (!isObject(layer) || !Array.isArray(layer.heads) || layer.heads.length === 0) return false;
    for (const [i, h] of layer.heads.entries()) {
      if (!isObject(h) || !isMatrixLike(h.weights)) return false;
      const w = h.weights as { rows: number; cols: number };
      const summarized = w.rows === 0 && w.cols === 0 && isSummary((summaries?.[l] as unknown[] | undefined)?.[i]);
      if (!summarized && (w.rows !== r.tokens.length || w.cols !== r.keyTokens.length)) return false;
    }
  }
  return true;
}

function isSummary(x: unknown): boolean {
  return isObject(x) && isObject(x.stats) && typeof x.stats.meanEntropy === 'number' && isMatrixLike(x.thumbnail);
}

/** Next tokens as the host sends them: a position and up to a few dozen { id, text, probability }. */
export function isNextTokens(x: unknown): x is NextTokens {
  return isObject(x) && Number.isInteger(x.position) && (x.position as number) >= 0 && Array.isArray(x.top) && x.top.length <= 100
    && x.top.every((t: unknown) => isObject(t) && Number.isInteger(t.id) && typeof t.text === 'string'
      && typeof t.probability === 'number' && t.probability >= 0 && t.probability <= 1);
}

function isProblem(x: unknown): x is Problem {
  return isObject(x) && typeof x.message === 'string' && (x.severity === 'error' || x.severity === 'warning');
}

/** Applies one ToWebview message to the app. Returns false when the message was ignored. */
export function applyMessage(app: AppTarget, data: unknown): boolean {
  if (!isObject(data) || typeof data.type !== 'string') return false;
  const msg = data as ToWebview;
  switch (msg.type) {
    case 'snapshot': {
      if (!isSnapshot(msg.snapshot)) return false;
      if (app.snapshot && msg.snapshot.seq < app.snapshot.seq) return false;
      app.snapshot = msg.snapshot;
      app.error = null;
      return true;
    }
    case 'error': {
      if (typeof msg.message !== 'string') return false;
      const problems = Array.isArray(msg.problems) ? msg.problems.filter(isProblem) : [];
      app.error = { message: msg.message, problems };
      return true;
    }
    case 'highlightToken': {
      const i = msg.index;
      if (i !== null && !(typeof i === 'number' && Number.isInteger(i) && i >= 0)) return false;
      app.highlightToken = i;
      return true;
    }
    case 'restoreUi': {
      if (!isObject(msg.ui)) return false;
      app.ui = mergeUi(app.ui, sanitizeUi(msg.ui));
      return true;
    }
    case 'nextTokens': {
      if (!isNextTokens(msg.nextTokens)) return false;
      app.hoverNextTokens = msg.nextTokens;
      return true;
    }
    case 'busy': {
      if (typeof msg.busy !== 'boolean') return false;
      app.busy = msg.busy;
      return true;
    }
    default:
      return false;
  }
}

export interface HostConnection {
  /** Feed a message received from the host (e.g. `event.data`). */
  receive(data: unknown): boolean;
  dispose(): void;
}

/**
 * Wires the app to a host. `post` sends a FromWebview message (vscode.postMessage or the dev host).
 * `onUi` is called with every UI state change (main.ts persists it with setState).
 */
export function connectHost(app: AppTarget, post: (msg: FromWebview) => void, onUi?: (ui: UiState) => void): HostConnection {
  const listeners: [string, EventListener][] = [
    ['ui-change', (e) => {
      const ui = (e as AppEventMap['ui-change']).detail;
      onUi?.(ui);
      post({ type: 'uiState', ui });
    }],
    ['settings-change', (e) => {
      const settings = (e as AppEventMap['settings-change']).detail;
      if (isObject(settings) && Object.keys(settings).length > 0) post({ type: 'updateSettings', settings });
    }],
    ['follow-change', (e) => {
      const d = (e as AppEventMap['follow-change']).detail;
      post({ type: 'setFollowSelection', follow: Boolean(d.follow) });
    }],
    ['export-request', (e) => {
      const d = (e as AppEventMap['export-request']).detail;
      if (!EXPORT_FORMATS.includes(d.format) || typeof d.content !== 'string') return;
      post({ type: 'export', format: d.format, suggestedName: d.suggestedName, content: d.content });
    }],
    ['token-focus', (e) => {
      const d = (e as AppEventMap['token-focus']).detail;
      post({ type: 'tokenFocus', index: d.index, locked: d.locked, layer: d.layer, head: d.head });
    }],
    ['next-tokens-request', (e) => {
      const d = (e as AppEventMap['next-tokens-request']).detail;
      if (Number.isInteger(d?.position) && d.position >= 0) post({ type: 'nextTokens', position: d.position });
    }],
  ];
  for (const [name, fn] of listeners) app.addEventListener(name, fn);
  post({ type: 'ready' });
  return {
    receive: (data) => applyMessage(app, data),
    dispose: () => {
      for (const [name, fn] of listeners) app.removeEventListener(name, fn);
    },
  };
}
