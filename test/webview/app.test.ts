import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { evaluate } from '../../src/core';
import { fromRows } from '../../src/core/matrix';
import type { FromWebview, UiState } from '../../src/shared/protocol';
import { applyMessage, connectHost } from '../../webview/host';
import { DEFAULT_UI, sanitizeUi } from '../../src/shared/uiState';
import { cleanup, deep, deepAll, fileSnapshot, mountApp, selectionSnapshot, settle, tokenView } from './app-fixtures';

afterEach(cleanup);

function precomputed() {
  return evaluate({
    kind: 'precomputed',
    tokens: ['[CLS]', 'hello', 'world'],
    attention: [[fromRows([[1, 0, 0], [0.5, 0.5, 0], [0.2, 0.3, 0.5]])]],
    options: { scale: true, mask: { kind: 'causal' }, temperature: 1 },
    provenance: { kind: 'model', description: 'Exported from bert-base-uncased, layer 0.' },
  });
}

describe('attn-app shell', () => {
  it('the editor tints get the weights the panel shows: a hidden key renormalises them, and changes resend them', async () => {
    const result = evaluate({
      kind: 'precomputed',
      tokens: ['a', 'b', 'c', 'd'],
      attention: [[fromRows([[1, 0, 0, 0], [0.5, 0.5, 0, 0], [0.2, 0.3, 0.5, 0], [0.1, 0.2, 0.3, 0.4]])]],
      options: { scale: true, mask: { kind: 'none' }, temperature: 1 },
      provenance: { kind: 'model', description: 'Hand-written weights.' },
    });
    const app = await mountApp(fileSnapshot(result));
    const sent: FromWebview[] = [];
    connectHost(app, (m) => sent.push(m));
    const lastFocus = () => sent.filter((m) => m.type === 'tokenFocus').at(-1) as Extract<FromWebview, { type: 'tokenFocus' }>;
    app.setUi({ lockedToken: 3 });
    await settle(app);
    expect(lastFocus()).toEqual({ type: 'tokenFocus', index: 3, layer: 0, head: 0, weights: [expect.closeTo(0.1, 6), expect.closeTo(0.2, 6), expect.closeTo(0.3, 6), expect.closeTo(0.4, 6)] });
    // Hiding key 1 in the panel: 0.1 / 0.8, 0, 0.3 / 0.8, 0.4 / 0.8, as the token view draws them.
    app.setUi({ hiddenTokens: [1] });
    await settle(app);
    expect(lastFocus().weights).toEqual([expect.closeTo(0.125, 6), 0, expect.closeTo(0.375, 6), expect.closeTo(0.5, 6)]);
    const count = sent.length;
    await settle(app);
    expect(sent.length).toBe(count); // told once per change
    app.setUi({ lockedToken: null });
    await settle(app);
    expect(lastFocus()).toEqual({ type: 'tokenFocus', index: null, layer: 0, head: 0 });
  });

  it('shows the source label and a one-line honesty banner for random weights', async () => {
    const app = await mountApp(selectionSnapshot());
    const root = app.shadowRoot!;
    expect(root.querySelector('h1')?.textContent).toBe('story.md, line 1');
    const banner = root.querySelector('[data-provenance]') as HTMLElement;
    expect(banner.dataset.provenance).toBe('random');
    expect(banner.textContent?.trim()).toBe('Random weights: the pattern shows the mechanism, not learned meaning.');
  });

  it('shows the provenance description for model files and hides computation settings', async () => {
    const app = await mountApp(fileSnapshot(precomputed()));
    const banner = app.shadowRoot!.querySelector('[data-provenance]') as HTMLElement;
    expect(banner.textContent?.trim()).toBe('Exported from bert-base-uncased, layer 0.');
    const controls = deep(app, 'attn-controls');
    expect(deepAll(controls, 'vscode-textfield').length).toBe(0);
    const options = controls.shadowRoot!.querySelector('dl.readonly')?.textContent ?? '';
    expect(options).toContain('causal');
    // Exported weights: scale and temperature would describe nothing done here.
    expect(options).toContain('exported from the model');
    expect(options).not.toMatch(/Scale|Temperature/);
  });

  it('error banner names the first problem with line and column and keeps the last good view', async () => {
    const app = await mountApp(selectionSnapshot());
    applyMessage(app, {
      type: 'error',
      message: 'model.attention.json cannot be shown.',
      problems: [
        { severity: 'error', message: 'Expected a number', location: { offset: 40, length: 3, line: 4, column: 11, path: ['heads', 0] } },
        { severity: 'error', message: 'Second problem' },
      ],
    });
    await settle(app);
    const alert = app.shadowRoot!.querySelector('[role=alert]') as HTMLElement;
    expect(alert.textContent).toContain('Line 5, column 12: Expected a number');
    expect(alert.textContent).toContain('(+1 more)');
    expect(deepAll(app, 'attn-token-view').length).toBe(1);
    applyMessage(app, { type: 'snapshot', snapshot: selectionSnapshot(undefined, {}, 2) });
    await settle(app);
    expect(app.shadowRoot!.querySelector('[role=alert]')).toBeNull();
  });

  it('a locked token survives a re-render with a new snapshot', async () => {
    const app = await mountApp(selectionSnapshot());
    await userEvent.click(tokenView(app).query(7));
    await settle(app);
    expect(app.ui.lockedToken).toBe(7);
    applyMessage(app, { type: 'snapshot', snapshot: selectionSnapshot(undefined, { seed: 7, heads: 2 }, 2) });
    await settle(app);
    const tv = tokenView(app);
    expect(app.ui.lockedToken).toBe(7);
    expect(tv.query(7).classList.contains('locked')).toBe(true);
    expect(tv.lines().every((l) => l.dataset.from === '7')).toBe(true);
    // A shorter text drops a lock that no longer exists.
    applyMessage(app, { type: 'snapshot', snapshot: selectionSnapshot('one two', {}, 3) });
    await settle(app);
    expect(app.ui.lockedToken).toBeNull();
  });

  it('ignores snapshots older than the current one and malformed messages', async () => {
    const app = await mountApp(selectionSnapshot(undefined, {}, 5));
    expect(applyMessage(app, { type: 'snapshot', snapshot: selectionSnapshot('old text here', {}, 4) })).toBe(false);
    expect(app.snapshot?.seq).toBe(5);
    expect(applyMessage(app, { type: 'nonsense' })).toBe(false);
    expect(applyMessage(app, null)).toBe(false);
    expect(applyMessage(app, { type: 'snapshot', snapshot: { seq: 9 } })).toBe(false);
    const bad = selectionSnapshot(undefined, {}, 9);
    expect(applyMessage(app, { type: 'snapshot', snapshot: { ...bad, result: { ...bad.result, tokens: ['x'] } } })).toBe(false);
    expect(applyMessage(app, { type: 'busy', busy: 'yes' })).toBe(false);
    expect(applyMessage(app, { type: 'highlightToken', index: -2 })).toBe(false);
    expect(applyMessage(app, { type: 'busy', busy: true })).toBe(true);
    await settle(app);
    expect(app.shadowRoot!.querySelector('.busy')?.textContent).toContain('Computing');
    expect(sanitizeUi({ view: 'evil', layer: -1, head: 2.5, threshold: 9, lockedToken: 'x' })).toEqual({ threshold: 1 });
  });

  it('posts ready, tokenFocus, uiState and updateSettings through host.ts', async () => {
    const app = await mountApp(selectionSnapshot());
    const sent: FromWebview[] = [];
    const saved: UiState[] = [];
    const conn = connectHost(app, (m) => sent.push(m), (ui) => saved.push(ui));
    expect(sent[0]).toEqual({ type: 'ready' });
    await userEvent.click(tokenView(app).query(1));
    await settle(app);
    expect(sent.filter((m) => m.type === 'tokenFocus').at(-1)).toMatchObject({ type: 'tokenFocus', index: 1, layer: 0, head: 0 });
    expect(saved.at(-1)?.lockedToken).toBe(1);
    expect(sent.some((m) => m.type === 'uiState' && m.ui.lockedToken === 1)).toBe(true);

    (deep(app, 'details.computation') as HTMLDetailsElement).open = true;
    await settle(app);
    const heads = deep(app, 'vscode-textfield#f-heads') as HTMLElement & { value: string };
    const input = heads.shadowRoot!.querySelector('input') as HTMLInputElement;
    await userEvent.clear(input);
    await userEvent.type(input, '6{Enter}');
    await settle(app);
    expect(sent).toContainEqual({ type: 'updateSettings', settings: { heads: 6 } });

    // The host never restores UI state by message (the webview restores its own, see main.ts): ignored.
    expect(applyMessage(app, { type: 'restoreUi', ui: { view: 'matrix' } })).toBe(false);
    // It can switch the view and focus (the walkthrough's buttons); malformed fields are dropped.
    expect(applyMessage(app, { type: 'showUi', ui: { view: 'pipeline', lockedToken: 2, head: -1 } })).toBe(true);
    expect(app.ui).toMatchObject({ view: 'pipeline', lockedToken: 2, head: 0 });
    expect(applyMessage(app, { type: 'showUi', ui: 'matrix' })).toBe(false);
    app.setUi({ view: 'matrix' });
    await settle(app);
    expect(app.ui.view).toBe('matrix');
    expect(deepAll(app, 'attn-matrix').length).toBe(1);
    conn.dispose();
  });

  it('"Save as default" is offered only for a panel with its own settings, and asks the host', async () => {
    const app = await mountApp(selectionSnapshot());
    const sent: FromWebview[] = [];
    const conn = connectHost(app, (m) => sent.push(m));
    (deep(app, 'details.computation') as HTMLDetailsElement).open = true;
    await settle(app);
    const button = () => deep(app, 'vscode-button#save-default') as HTMLElement & { disabled: boolean };
    expect(button().disabled).toBe(true);
    expect(deep(app, '.settings-note').textContent).toBe('This panel uses your settings.');

    app.snapshot = { ...selectionSnapshot(undefined, { heads: 2 }, 2), panelSettings: { heads: 2 } };
    await settle(app);
    expect(button().disabled).toBe(false);
    expect(deep(app, '.settings-note').textContent).toBe('Changes apply to this panel only.');
    await userEvent.click(button());
    expect(sent).toContainEqual({ type: 'saveSettingsAsDefault' });
    conn.dispose();
  });

  it('tabs switch views and report the UI state', async () => {
    const app = await mountApp(selectionSnapshot());
    const states: UiState[] = [];
    app.addEventListener('ui-change', (e) => states.push((e as CustomEvent<UiState>).detail));
    const tab = (name: string) => app.shadowRoot!.querySelector(`vscode-tab-header[data-view="${name}"]`) as HTMLElement;
    await userEvent.click(tab('matrix'));
    await settle(app);
    expect(app.ui.view).toBe('matrix');
    expect(deepAll(app, 'attn-matrix').length).toBe(1);
    await userEvent.click(tab('pipeline'));
    await settle(app);
    expect(deepAll(app, 'attn-pipeline').length).toBe(1);
    await userEvent.click(tab('grid'));
    await settle(app);
    expect(deepAll(app, 'attn-head-grid').length).toBe(1);
    expect(states.map((s) => s.view)).toEqual(['matrix', 'pipeline', 'grid']);
  });

  it('head-select from the head grid picks layer and head', async () => {
    const app = await mountApp(selectionSnapshot(undefined, { heads: 4, layers: 2 }));
    app.setUi({ view: 'grid' });
    await settle(app);
    deep(app, 'attn-head-grid').dispatchEvent(new CustomEvent('head-select', { detail: { layer: 1, head: 3 }, bubbles: true, composed: true }));
    await settle(app);
    expect(app.ui).toMatchObject({ layer: 1, head: 3 });
    expect({ ...DEFAULT_UI, layer: 1, head: 3, view: 'grid' }).toMatchObject(app.ui);
  });
});
