/**
 * The one module that talks protocol: component events → FromWebview messages, ToWebview messages
 * → app properties. Unknown or malformed messages are ignored, and so are snapshots older than the
 * one on screen and slices of another snapshot. The rows and rasters the views ask for (`data-request`) go out as
 * `row` and `raster` requests; their answers go to the app's WithheldData store, which drops stale ones.
 */
import { EXPORT_FORMATS, isOneOf } from '../src/shared/enums';
import type {
  ComputeSettings, ErrorPayload, ExportPayload, FromWebview, MatrixFileRequest, Intervention, TokenEdit, NextTokens, Snapshot, ToWebview, TokenFocusPayload, UiState,
} from '../src/shared/protocol';
import { isNextTokens, isProblem, isRasterAnswer, isRowAnswer, isSnapshot } from '../src/shared/validateMessage';
import type { DataRequest, WithheldData } from './withheld-data';
import { mergeUi, sanitizeUi } from '../src/shared/uiState';

/** What host.ts needs from `<attn-app>` (kept structural so tests can use a stub). */
export interface AppTarget extends EventTarget {
  snapshot: Snapshot | null;
  error: ErrorPayload | null;
  busy: boolean;
  highlightToken: number | null;
  ui: UiState;
  /** A real model's next tokens after a hovered position, as the host answered. */
  hoverNextTokens?: NextTokens | null;
  /** The induction probe's answer: every head's score, or why it did not run. */
  inductionProbe?: InductionProbeAnswer | null;
  /** Where the answers to the rows and rasters the views asked for go (it drops stale ones). */
  readonly data?: WithheldData;
}

export interface InductionProbeAnswer {
  readonly scores?: readonly (readonly number[])[];
  readonly message?: string;
}

/** Events `<attn-app>` fires for the host. */
export interface AppEventMap {
  'ui-change': CustomEvent<UiState>;
  'settings-change': CustomEvent<Partial<ComputeSettings>>;
  'settings-save-default': CustomEvent<null>;
  'follow-change': CustomEvent<{ follow: boolean }>;
  'export-request': CustomEvent<ExportPayload>;
  'export-matrix-request': CustomEvent<MatrixFileRequest>;
  'token-focus': CustomEvent<TokenFocusPayload>;
  'next-tokens-request': CustomEvent<{ position: number }>;
  'whatif-change': CustomEvent<{ interventions: readonly Intervention[]; tokenEdit?: TokenEdit<string> }>;
  'induction-probe-request': CustomEvent<null>;
  'data-request': CustomEvent<DataRequest>;
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null;
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
    case 'slice': {
      // Only for the snapshot on screen, and only if the views could still index the result with it.
      const snapshot = app.snapshot;
      if (!snapshot || msg.seq !== snapshot.seq || !Array.isArray(msg.layers)) return false;
      const next = { ...snapshot, result: { ...snapshot.result, layers: msg.layers } };
      if (!isSnapshot(next)) return false;
      app.snapshot = next;
      return true;
    }
    case 'withdraw': {
      // A computing run's tokens, taken back: its run failed and nothing finished came before it.
      if (!app.snapshot?.computing || app.snapshot.seq !== msg.seq) return false;
      app.snapshot = null;
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
    case 'showUi': {
      if (!isObject(msg.ui)) return false;
      app.ui = mergeUi(app.ui, sanitizeUi(msg.ui));
      return true;
    }
    case 'nextTokens': {
      if (!isNextTokens(msg.nextTokens)) return false;
      app.hoverNextTokens = msg.nextTokens;
      return true;
    }
    case 'inductionProbe': {
      if (typeof msg.message === 'string') {
        app.inductionProbe = { message: msg.message };
        return true;
      }
      if (!isScoreGrid(msg.scores)) return false;
      app.inductionProbe = { scores: msg.scores };
      return true;
    }
    case 'raster':
      return isRasterAnswer(msg.answer) && (app.data?.receiveRaster(msg.answer) ?? false);
    case 'row':
      return isRowAnswer(msg.answer) && (app.data?.receiveRow(msg.answer) ?? false);
    case 'busy': {
      if (typeof msg.busy !== 'boolean') return false;
      app.busy = msg.busy;
      return true;
    }
    default:
      return false;
  }
}

/** Scores in [0, 1], [layer][head]. */
function isScoreGrid(x: unknown): x is number[][] {
  return Array.isArray(x) && x.length <= 10_000 && x.every((row) => Array.isArray(row) && row.length <= 10_000
    && row.every((v) => typeof v === 'number' && v >= 0 && v <= 1));
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
    ['settings-save-default', () => post({ type: 'saveSettingsAsDefault' })],
    ['follow-change', (e) => {
      const d = (e as AppEventMap['follow-change']).detail;
      post({ type: 'setFollowSelection', follow: Boolean(d.follow) });
    }],
    ['export-request', (e) => {
      const d = (e as AppEventMap['export-request']).detail;
      if (!isOneOf(EXPORT_FORMATS, d.format) || typeof d.content !== 'string') return;
      post({ type: 'export', format: d.format, suggestedName: d.suggestedName, content: d.content });
    }],
    ['export-matrix-request', (e) => post({ type: 'exportMatrix', request: (e as AppEventMap['export-matrix-request']).detail })],
    ['token-focus', (e) => {
      const d = (e as AppEventMap['token-focus']).detail;
      post({ type: 'tokenFocus', index: d.index, layer: d.layer, head: d.head, ...(d.weights ? { weights: d.weights } : {}), ...(d.lastIndex !== undefined ? { lastIndex: d.lastIndex } : {}) });
    }],
    ['next-tokens-request', (e) => {
      const d = (e as AppEventMap['next-tokens-request']).detail;
      if (Number.isInteger(d?.position) && d.position >= 0) post({ type: 'nextTokens', position: d.position });
    }],
    ['induction-probe-request', () => post({ type: 'runInductionProbe' })],
    ['data-request', (e) => post((e as AppEventMap['data-request']).detail)],
    ['whatif-change', (e) => {
      const d = (e as AppEventMap['whatif-change']).detail;
      if (Array.isArray(d?.interventions)) post({ type: 'setInterventions', interventions: d.interventions, ...(d.tokenEdit ? { tokenEdit: d.tokenEdit } : {}) });
    }],
  ];
  for (const [name, fn] of listeners) app.addEventListener(name, fn);
  post({ type: 'ready' });
  // A restored panel's interventions: the host recomputes with them.
  const restored = app.ui.interventions ?? [];
  const edit = app.ui.tokenEdit;
  if (restored.length > 0 || edit) post({ type: 'setInterventions', interventions: restored, ...(edit ? { tokenEdit: edit } : {}) });
  // A restored panel that showed rollout: the host computes it with the next run.
  if (app.ui.rollout) post({ type: 'uiState', ui: app.ui });
  return {
    receive: (data) => applyMessage(app, data),
    dispose: () => {
      for (const [name, fn] of listeners) app.removeEventListener(name, fn);
    },
  };
}
