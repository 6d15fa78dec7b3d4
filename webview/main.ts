/**
 * Webview entry. The only place that calls acquireVsCodeApi(). Mounts <attn-app>, restores and
 * persists the UI state, and connects the app to the extension host (or, on the standalone dev
 * page, to the dev host that webview/dev/dev-host.ts installs on window).
 */
import type { FromWebview, PersistedState, UiState } from '../src/shared/protocol';
import { connectHost, type HostConnection } from './host';
import { DEFAULT_UI, mergeUi } from '../src/shared/uiState';
import './components/attn-app';
import type { AttnApp } from './components/attn-app';

interface VsCodeApi {
  postMessage(msg: FromWebview): void;
  getState(): unknown;
  setState(state: PersistedState): void;
}

/** Installed by the dev page before this bundle runs. */
export interface DevHost {
  connect(app: AttnApp): void;
}

declare global {
  // Provided by VS Code inside webviews.
  var acquireVsCodeApi: (() => VsCodeApi) | undefined;
  interface Window {
    attnDevHost?: DevHost;
  }
}

function mount(): AttnApp {
  const existing = document.querySelector('attn-app');
  if (existing) return existing;
  const app = document.createElement('attn-app');
  document.body.append(app);
  return app;
}

/**
 * Start-up marks on the webview's performance timeline (bench/e2e-vscode.mjs reads them): the bundle ran, the app
 * said ready, the first snapshot arrived, and it was drawn.
 */
const MARKS = { ready: 'sav:ready', snapshot: 'sav:first-snapshot', drawn: 'sav:first-snapshot-drawn' } as const;

function markFirstSnapshot(app: AttnApp, data: unknown): void {
  if (performance.getEntriesByName(MARKS.snapshot).length > 0 || (data as { type?: unknown } | null)?.type !== 'snapshot') return;
  performance.mark(MARKS.snapshot);
  void app.updateComplete.then(() => requestAnimationFrame(() => performance.mark(MARKS.drawn)));
}

function start(): void {
  performance.mark('sav:bundle-ran');
  const app = mount();
  if (typeof globalThis.acquireVsCodeApi === 'function') {
    const vscode = globalThis.acquireVsCodeApi();
    const saved = vscode.getState();
    const savedUi = typeof saved === 'object' && saved !== null ? (saved as { ui?: unknown }).ui : undefined;
    app.ui = mergeUi(DEFAULT_UI, (savedUi ?? {}) as Partial<UiState>);
    const persist = (): void => {
      const before = saved as PersistedState | undefined;
      const snapshot = app.snapshot;
      vscode.setState({ source: snapshot?.source.ref ?? before?.source, ui: app.ui, settings: snapshot ? snapshot.panelSettings : before?.settings });
    };
    const connection: HostConnection = connectHost(app, (msg) => vscode.postMessage(msg), persist);
    performance.mark(MARKS.ready);
    window.addEventListener('message', (e: MessageEvent) => {
      if (connection.receive(e.data)) persist();
      markFirstSnapshot(app, e.data);
    });
  } else if (window.attnDevHost) {
    window.attnDevHost.connect(app);
  } else {
    app.error = { message: 'No host: open this panel from VS Code or from the dev page (npm run dev).', problems: [] };
  }
}

start();
