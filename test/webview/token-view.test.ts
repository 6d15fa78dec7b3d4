import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { HEAD_PALETTE, headColor } from '../../webview/theme';
import { hideTokens } from '../../webview/hidden-tokens';
import { rowSums } from './attn-fixtures';
import '../../webview/components/attn-token-view';
import { ALL_LINES_LIMIT, type AttnTokenView } from '../../webview/components/attn-token-view';
import { cleanup, mountApp, resultFor, selectionSnapshot, settle, tokenView } from './app-fixtures';
import { bigResult } from './attn-fixtures';
import { TOP_K } from '../../webview/render/line-selection';

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
    // The pointer may rest on a token after an earlier test: move it off, so every row's lines are drawn.
    await userEvent.hover(app.shadowRoot!.querySelector('h1')!);
    await settle(app);
    const tv = tokenView(app);
    const before = tv.lines().length;
    app.setUi({ lineRule: 'threshold', threshold: 0.3 });
    await settle(app);
    // One line per (query, key) whose weight in the focused head is at least 0.3, counted from the result itself.
    const w = app.snapshot!.result.layers[0].heads[0].weights;
    const strong = Array.from(w.data).filter((x) => x >= 0.3).length;
    expect(strong).toBeGreaterThan(0);
    expect(tv.lines().length).toBe(strong);
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
    app.setUi({ overlayHeads: [1, 2, 3, 4, 5, 6, 7, 8, 9], lineRule: 'threshold', threshold: 0 });
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

  it('at 2,000 tokens, where every weight is far below 0.05, hovering a token draws its strongest lines and key bars', async () => {
    const n = 2000;
    const el = document.createElement('attn-token-view') as AttnTokenView;
    el.result = bigResult(n, { kind: 'none' });
    el.editorTints = true;
    // The view only reports the hover; <attn-app> owns the active token and hands it back.
    el.addEventListener('token-hover', (e) => (el.activeToken = (e as CustomEvent<{ index: number | null }>).detail.index));
    document.body.append(el);
    await el.updateComplete;
    const q = 1500;
    const row = el.result.layers[0].heads[0].weights.data.subarray(q * n, (q + 1) * n);
    expect(Math.max(...row)).toBeLessThan(0.05); // the old fixed threshold drew nothing here
    const token = el.shadowRoot!.querySelector<HTMLElement>(`.tok[data-col="q"][data-index="${q}"]`)!;
    await userEvent.hover(token);
    await el.updateComplete;
    const lines = [...el.shadowRoot!.querySelectorAll('line')];
    expect(lines).toHaveLength(TOP_K);
    expect(lines.every((l) => l.getAttribute('data-from') === String(q))).toBe(true);
    // The strongest line of the row is drawn at full strength.
    const strongest = Math.max(...lines.map((l) => Number(l.getAttribute('stroke-width'))));
    expect(strongest).toBeCloseTo(5.75, 2);
    expect(el.shadowRoot!.querySelectorAll('.tok[data-col="k"] .bar')).toHaveLength(TOP_K);
    const legend = el.shadowRoot!.querySelector('.legend')!.textContent!.replace(/\s+/g, ' ');
    expect(legend).toContain(`Top ${TOP_K} keys per query`);
    expect(legend).toMatch(/Editor tints: darkest = 0\.\d+/);
  });

  it('unlocking with Escape keeps the editor tints of the token that still has focus', async () => {
    const app = await mountApp(selectionSnapshot());
    const tv = tokenView(app);
    const focus: { index: number | null }[] = [];
    app.addEventListener('token-focus', (e) => focus.push((e as CustomEvent).detail));
    tv.query(3).focus();
    await userEvent.keyboard('{Enter}');
    await settle(app);
    expect(app.ui.lockedToken).toBe(3);
    await userEvent.keyboard('{Escape}');
    await settle(app);
    expect(app.ui.lockedToken).toBeNull();
    expect(focus.at(-1)).toMatchObject({ index: 3 });
  });
});
