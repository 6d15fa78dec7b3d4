import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { HEAD_PALETTE, headColor } from '../../webview/theme';
import { hideTokens } from '../../webview/hidden-tokens';
import { rowSums } from './attn-fixtures';
import '../../webview/components/attn-token-view';
import { ALL_LINES_LIMIT, type AttnTokenView } from '../../webview/components/attn-token-view';
import { cleanup, mountApp, resultFor, selectionSnapshot, settle, tokenView } from './app-fixtures';

afterEach(cleanup);

describe('attn-token-view', () => {
  it('hovering a query token shows only its lines and highlights it', async () => {
    const app = await mountApp(selectionSnapshot());
    const tv = tokenView(app);
    const all = tv.lines();
    expect(new Set(all.map((l) => l.dataset.from)).size).toBeGreaterThan(1);
    await userEvent.hover(tv.query(3));
    await settle(app);
    const lines = tv.lines();
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.dataset.from === '3')).toBe(true);
    expect(tv.query(3).classList.contains('active')).toBe(true);
    await userEvent.hover(app.shadowRoot!.querySelector('h1')!);
    await settle(app);
    expect(new Set(tv.lines().map((l) => l.dataset.from)).size).toBeGreaterThan(1);
  });

  it('click locks, a second click or Escape releases', async () => {
    const app = await mountApp(selectionSnapshot());
    const tv = tokenView(app);
    await userEvent.click(tv.query(2));
    await settle(app);
    expect(app.ui.lockedToken).toBe(2);
    expect(tv.query(2).getAttribute('aria-pressed')).toBe('true');
    await userEvent.click(tv.query(2));
    await settle(app);
    expect(app.ui.lockedToken).toBeNull();
    await userEvent.click(tv.query(5));
    await settle(app);
    expect(app.ui.lockedToken).toBe(5);
    await userEvent.keyboard('{Escape}');
    await settle(app);
    expect(app.ui.lockedToken).toBeNull();
  });

  it('roving tabindex: arrows move focus, focus acts as hover, Enter locks', async () => {
    const app = await mountApp(selectionSnapshot());
    const tv = tokenView(app);
    const root = tv.view.shadowRoot as ShadowRoot;
    expect(root.querySelectorAll('.tok[data-col="q"][tabindex="0"]').length).toBe(1);
    tv.query(0).focus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    await settle(app);
    expect(root.activeElement).toBe(tv.query(2));
    expect(root.querySelectorAll('.tok[data-col="q"][tabindex="0"]').length).toBe(1);
    expect(tv.query(2).getAttribute('tabindex')).toBe('0');
    expect(tv.lines().every((l) => l.dataset.from === '2')).toBe(true);
    await userEvent.keyboard('{Enter}');
    await settle(app);
    expect(app.ui.lockedToken).toBe(2);
    await userEvent.keyboard('{Escape}');
    await settle(app);
    expect(app.ui.lockedToken).toBeNull();
  });

  it('labels tokens with what they attend to most', async () => {
    const app = await mountApp(selectionSnapshot());
    const label = tokenView(app).query(1).getAttribute('aria-label') ?? '';
    expect(label).toMatch(/^Token 2: animal, attends most to .+ \(token \d+, 0\.\d\d\)$/);
  });

  it('threshold hides faint lines', async () => {
    const app = await mountApp(selectionSnapshot());
    const tv = tokenView(app);
    const before = tv.lines().length;
    app.setUi({ threshold: 0.3 });
    await settle(app);
    const w = tv.view.computeLines();
    expect(w.every((l) => l.weight >= 0.3)).toBe(true);
    expect(tv.lines().length).toBe(w.length);
    expect(tv.lines().length).toBeLessThan(before);
  });

  it('palette: 10 heads get 10 distinct colours, and ≥ 12 colours in all', () => {
    expect(HEAD_PALETTE.length).toBeGreaterThanOrEqual(12);
    expect(new Set(HEAD_PALETTE.map((c) => c.toLowerCase())).size).toBe(HEAD_PALETTE.length);
    for (let start = 0; start < 20; start++) {
      const colours = Array.from({ length: 10 }, (_, i) => headColor(start + i));
      expect(new Set(colours).size).toBe(10);
    }
  });

  it('overlays heads, each in its own colour', async () => {
    const app = await mountApp(selectionSnapshot(undefined, { heads: 10 }));
    app.setUi({ overlayHeads: [1, 2, 3, 4, 5, 6, 7, 8, 9], threshold: 0 });
    await settle(app);
    const lines = tokenView(app).lines();
    const byHead = new Map<string, Set<string>>();
    for (const l of lines) {
      const set = byHead.get(l.dataset.head ?? '') ?? new Set();
      set.add(l.getAttribute('stroke') ?? '');
      byHead.set(l.dataset.head ?? '', set);
    }
    expect(byHead.size).toBe(10);
    const colours = [...byHead.values()].map((s) => [...s][0]);
    expect(colours.every((_, i) => byHead.get(String(i))?.size === 1)).toBe(true);
    expect(new Set(colours).size).toBe(10);
  });

  it('clicking a key hides it and renormalises the rows', async () => {
    const app = await mountApp(selectionSnapshot());
    const tv = tokenView(app);
    await userEvent.click(tv.key(4));
    await settle(app);
    expect(app.ui.hiddenTokens).toEqual([4]);
    expect(tv.key(4).classList.contains('hidden-key')).toBe(true);
    const head = app.snapshot!.result.layers[0].heads[0];
    const w = hideTokens(head.weights, app.ui.hiddenTokens);
    for (const s of rowSums(w)) expect(s).toBeCloseTo(1, 5);
    for (let i = 0; i < w.rows; i++) expect(w.data[i * w.cols + 4]).toBe(0);
    expect(tv.lines().every((l) => l.dataset.to !== '4')).toBe(true);
  });

  it(`above ${ALL_LINES_LIMIT} tokens draws only the active token's lines`, async () => {
    const tokens = Array.from({ length: ALL_LINES_LIMIT + 20 }, (_, i) => `w${i}`);
    const el = document.createElement('attn-token-view') as AttnTokenView;
    el.result = resultFor(tokens, 1);
    el.threshold = 0;
    document.body.append(el);
    await el.updateComplete;
    expect(el.shadowRoot!.querySelectorAll('line').length).toBe(0);
    el.activeToken = 7;
    await el.updateComplete;
    const lines = [...el.shadowRoot!.querySelectorAll('line')];
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((l) => l.getAttribute('data-from') === '7')).toBe(true);
  });
});
