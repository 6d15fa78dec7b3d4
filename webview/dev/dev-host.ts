/**
 * Dev host for the standalone page (npm run dev): plays the extension host's part in the browser.
 * Type a sentence or pick an example from examples/; core tokenizes / parses and evaluates here.
 * Messages go through host.ts exactly as in VS Code. As the host's stand-in it is the one webview file that may
 * import the core itself (eslint.config.mjs).
 */
import { buildSelectionSpec, evaluate } from '../../src/core';
import { parseTensorFile } from '../../src/core/tensorFile';
import type { ComputeSettings, FromWebview, Snapshot, ToWebview, UiState } from '../../src/shared/protocol';
import { DEFAULT_COMPUTE_SETTINGS } from '../../src/shared/settings';
import { DEFAULT_UI, mergeUi } from '../../src/shared/uiState';
import type { AttnApp } from '../components/attn-app';
import { connectHost, type HostConnection } from '../host';
import { applyTheme, type ThemeName } from '../theme';

const UI_KEY = 'attn-dev-ui';
const DEFAULT_TEXT = "The animal didn't cross the street because it was too tired.";

type Source = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'file'; readonly name: string; readonly text: string };

function byId<T extends HTMLElement>(id: string): T | null {
  return document.getElementById(id) as T | null;
}

class DevHost {
  private connection: HostConnection | null = null;
  private seq = 0;
  private settings: ComputeSettings = { ...DEFAULT_COMPUTE_SETTINGS };
  private follow = true;
  private source: Source = { kind: 'text', text: DEFAULT_TEXT };

  connect(app: AttnApp): void {
    const params = new URLSearchParams(location.search);
    let saved: Partial<UiState> = {};
    try {
      saved = JSON.parse(sessionStorage.getItem(UI_KEY) ?? '{}') as Partial<UiState>;
    } catch {
      saved = {};
    }
    const fromUrl: Partial<UiState> = {};
    const view = params.get('view');
    if (view) Object.assign(fromUrl, { view });
    const lock = params.get('lock');
    if (lock !== null) Object.assign(fromUrl, { lockedToken: Number(lock) });
    const overlay = params.get('overlay');
    if (overlay) Object.assign(fromUrl, { overlayHeads: overlay.split(',').map(Number) });
    const matrix = params.get('matrix');
    if (matrix) Object.assign(fromUrl, { matrix });
    app.ui = mergeUi(mergeUi(DEFAULT_UI, saved), fromUrl);
    this.connection = connectHost(app, (msg) => this.onMessage(msg), (ui) => sessionStorage.setItem(UI_KEY, JSON.stringify(ui)));
    this.setupToolbar(params);
  }

  private send(msg: ToWebview): void {
    this.connection?.receive(msg);
  }

  private onMessage(msg: FromWebview): void {
    switch (msg.type) {
      case 'ready':
        break;
      case 'updateSettings':
        this.settings = { ...this.settings, ...msg.settings };
        void this.run();
        break;
      case 'setFollowSelection':
        this.follow = msg.follow;
        break;
      case 'export':
        this.download(msg.suggestedName, msg.format, msg.content);
        break;
      case 'tokenFocus':
      case 'uiState':
        break;
    }
  }

  private download(name: string, format: string, content: string): void {
    let blob: Blob;
    if (format === 'png') {
      const bytes = Uint8Array.from(atob(content), (c) => c.charCodeAt(0));
      blob = new Blob([bytes], { type: 'image/png' });
    } else {
      const type = format === 'svg' ? 'image/svg+xml' : format === 'csv' ? 'text/csv' : 'application/json';
      blob = new Blob([content], { type });
    }
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = name;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  /** Computes the current source and sends a snapshot (or an error). */
  async run(): Promise<void> {
    this.send({ type: 'busy', busy: true });
    await new Promise((r) => setTimeout(r, 0));
    try {
      const seq = ++this.seq;
      if (this.source.kind === 'text') {
        const { spec, tokens } = buildSelectionSpec(this.source.text, this.settings);
        const snapshot: Snapshot = {
          seq,
          source: {
            kind: 'selection',
            ref: { kind: 'selection', uri: 'dev:typed-sentence', start: 0, end: this.source.text.length },
            label: 'Typed sentence',
            tokenRanges: tokens.map((t) => [t.start, t.end] as const),
          },
          result: evaluate(spec),
          settings: this.settings,
          followSelection: this.follow,
          warnings: [],
        };
        this.send({ type: 'snapshot', snapshot });
      } else {
        const parsed = parseTensorFile(this.source.text);
        if (!parsed.ok) {
          this.send({ type: 'error', message: `${this.source.name} cannot be shown.`, problems: parsed.problems });
        } else {
          const snapshot: Snapshot = {
            seq,
            source: { kind: 'file', ref: { kind: 'file', uri: `dev:examples/${this.source.name}` }, label: this.source.name },
            result: evaluate(parsed.spec),
            warnings: parsed.warnings,
          };
          this.send({ type: 'snapshot', snapshot });
        }
      }
    } catch (e) {
      this.send({ type: 'error', message: e instanceof Error ? e.message : String(e), problems: [] });
    } finally {
      this.send({ type: 'busy', busy: false });
    }
  }

  private async loadExample(name: string): Promise<void> {
    const res = await fetch(`/examples/${encodeURIComponent(name)}`);
    const text = await res.text();
    this.source = { kind: 'file', name, text };
    await this.run();
  }

  private setupToolbar(params: URLSearchParams): void {
    const theme = (params.get('theme') ?? 'dark') as ThemeName;
    applyTheme(theme);
    const themeSel = byId<HTMLSelectElement>('theme');
    if (themeSel) {
      themeSel.value = theme;
      themeSel.addEventListener('change', () => applyTheme(themeSel.value as ThemeName));
    }
    const input = byId<HTMLInputElement>('sentence');
    const form = byId<HTMLFormElement>('devbar');
    const select = byId<HTMLSelectElement>('example');
    const text = params.get('text');
    if (text !== null) this.source = { kind: 'text', text };
    if (input) input.value = this.source.kind === 'text' ? this.source.text : DEFAULT_TEXT;
    form?.addEventListener('submit', (e) => {
      e.preventDefault();
      if (select) select.value = '';
      this.source = { kind: 'text', text: input?.value ?? '' };
      void this.run();
    });
    select?.addEventListener('change', () => {
      if (select.value) void this.loadExample(select.value);
    });
    void fetch('/__examples')
      .then((r) => (r.ok ? (r.json() as Promise<string[]>) : []))
      .catch(() => [] as string[])
      .then((names) => {
        for (const name of names) {
          const opt = document.createElement('option');
          opt.value = name;
          opt.textContent = name;
          select?.append(opt);
        }
        const example = params.get('example');
        if (example && names.includes(example)) {
          if (select) select.value = example;
          void this.loadExample(example);
        } else {
          void this.run();
        }
      });
  }
}

window.attnDevHost = new DevHost();
