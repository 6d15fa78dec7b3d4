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

function start(): void {
  const app = mount();
  if (typeof globalThis.acquireVsCodeApi === 'function') {
    const vscode = globalThis.acquireVsCodeApi();
    const saved = vscode.getState();
    const savedUi = typeof saved === 'object' && saved !== null ? (saved as { ui?: unknown }).ui : undefined;
    app.ui = mergeUi(DEFAULT_UI, (savedUi ?? {}) as Partial<UiState>);
    const persist = (): void => {
      const source = app.snapshot?.source.ref ?? (saved as PersistedState | undefined)?.source;
      vscode.setState({ source, ui: app.ui });
    };
    const connection: HostConnection = connectHost(app, (msg) => vscode.postMessage(msg), persist);
    window.addEventListener('message', (e: MessageEvent) => {
      if (connection.receive(e.data)) persist();
    });
  } else if (window.attnDevHost) {
    window.attnDevHost.connect(app);
  } else {
    app.error = { message: 'No host: open this panel from VS Code or from the dev page (npm run dev).', problems: [] };
  }
}

start();
