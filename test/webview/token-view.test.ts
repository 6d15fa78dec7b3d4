import { afterEach, describe, expect, it } from 'vitest';
import { userEvent } from 'vitest/browser';
import { HEAD_PALETTE, headColor } from '../../webview/theme';
import { hideTokens } from '../../src/shared/hiddenTokens';
import { rowSums } from './attn-fixtures';
import '../../webview/components/attn-token-view';
import { ALL_LINES_LIMIT, VIRTUALIZE_ABOVE, type AttnTokenView } from '../../webview/components/attn-token-view';
import { cleanup, mountApp, resultFor, selectionSnapshot, settle, tokenView } from './app-fixtures';
import { bigResult } from './attn-fixtures';
import { TOP_K } from '../../webview/render/line-selection';
import { TOKEN_ROW_HEIGHT } from '../../webview/export';

afterEach(() => {
  cleanup();
  window.scrollTo(0, 0);
});

const nextFrame = () => new Promise((r) => requestAnimationFrame(r));

/** Scrolls the page until row `index` of a column is on screen and rendered (long columns render only what is visible). */
async function scrollToRow(el: AttnTokenView, index: number, col: 'q' | 'k' = 'q'): Promise<HTMLElement> {
  const board = el.shadowRoot!.querySelector('.board')!;
  window.scrollTo(0, board.getBoundingClientRect().top + window.scrollY + index * TOKEN_ROW_HEIGHT - window.innerHeight / 2);
  return rendered(el, () => el.shadowRoot!.querySelector<HTMLElement>(`.tok[data-col="${col}"][data-index="${index}"]`));
}

/** Waits frame by frame (scrolling renders on the next frame) until `find` finds something. */
async function rendered<T>(el: AttnTokenView, find: () => T | null | undefined): Promise<T> {
  for (let frame = 0; frame < 120; frame++) {
    const found = find();
    if (found) return found;
    await nextFrame();
    await el.updateComplete;
  }
  throw new Error('never rendered');
}

/** The token is what a person sees at its centre: on screen and not covered. */
function isHitAtCentre(el: AttnTokenView, token: HTMLElement): boolean {
  const box = token.getBoundingClientRect();
  const x = box.left + box.width / 2;
  const y = box.top + box.height / 2;
  if (y < 0 || y > window.innerHeight || x < 0 || x > window.innerWidth) return false;
  const hit = el.shadowRoot!.elementFromPoint(x, y);
  return hit !== null && token.contains(hit);
}

async function mountBig(n: number): Promise<AttnTokenView> {
  const el = document.createElement('attn-token-view') as AttnTokenView;
  el.result = bigResult(n, { kind: 'causal' }, 4);
  document.body.append(el);
  await el.updateComplete;
  return el;
}

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
    const onHover = (e: Event) => (el.activeToken = (e as CustomEvent<{ index: number | null }>).detail.index);
    el.addEventListener('token-hover', onHover);
    document.body.append(el);
    await el.updateComplete;
    const q = 1500;
    const row = el.result.layers[0].heads[0].weights.data.subarray(q * n, (q + 1) * n);
    expect(Math.max(...row)).toBeLessThan(0.05); // the old fixed threshold drew nothing here
    const token = await scrollToRow(el, q);
    await userEvent.hover(token);
    await el.updateComplete;
    const lines = [...el.shadowRoot!.querySelectorAll('line')];
    expect(lines).toHaveLength(TOP_K);
    expect(lines.every((l) => l.getAttribute('data-from') === String(q))).toBe(true);
    // The strongest line of the row is drawn at full strength.
    const strongest = Math.max(...lines.map((l) => Number(l.getAttribute('stroke-width'))));
    expect(strongest).toBeCloseTo(5.75, 2);
    // Each line's key has its bar where it is drawn: scroll to it (the view keeps the active token, not the pointer).
    el.removeEventListener('token-hover', onHover);
    for (const line of lines) {
      const key = await scrollToRow(el, Number(line.getAttribute('data-to')), 'k');
      expect(key.querySelector('.bar'), `key ${key.dataset.index}`).not.toBeNull();
    }
    expect(el.activeToken).toBe(q);
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
  describe(`virtualised above ${VIRTUALIZE_ABOVE} tokens`, () => {
    it('at 4,096 tokens keeps only the rows on screen in the DOM, wherever the page is scrolled', async () => {
      const el = await mountBig(4096);
      /** Rows a screen holds, the overscan above and below, and the pinned rows (tab stop, active, locked). */
      const bound = 2 * (Math.ceil(window.innerHeight / TOKEN_ROW_HEIGHT) + 2 * 12 + 3);
      await nextFrame();
      expect(el.shadowRoot!.querySelectorAll('.tok').length).toBeGreaterThan(0);
      expect(el.shadowRoot!.querySelectorAll('.tok').length).toBeLessThanOrEqual(bound);
      await scrollToRow(el, 2048);
      const toks = el.shadowRoot!.querySelectorAll('.tok').length;
      expect(toks).toBeLessThanOrEqual(bound);
      // Every element of the view, lines and legend included: a few hundred, not the 16,000 of a full render.
      expect(el.shadowRoot!.querySelectorAll('*').length).toBeLessThan(2 * bound + 50);
      // The column is still the full height, so the scrollbar tells where in the text this is.
      expect(el.shadowRoot!.querySelector<HTMLElement>('.col.queries')!.getBoundingClientRect().height).toBe(4096 * TOKEN_ROW_HEIGHT);
    });

    it('scrolling to the end shows the last tokens of both columns', async () => {
      const el = await mountBig(4096);
      window.scrollTo(0, document.documentElement.scrollHeight);
      const last = await rendered(el, () => el.shadowRoot!.querySelector<HTMLElement>('.tok[data-col="q"][data-index="4095"]'));
      await nextFrame();
      expect(last.textContent).toContain('t4095');
      expect(isHitAtCentre(el, last)).toBe(true);
      const lastKey = el.shadowRoot!.querySelector<HTMLElement>('.tok[data-col="k"][data-index="4095"]')!;
      expect(isHitAtCentre(el, lastKey)).toBe(true);
      // Hovering it draws its lines, as at the top.
      el.activeToken = 4095;
      await el.updateComplete;
      const lines = [...el.shadowRoot!.querySelectorAll('line')];
      expect(lines.length).toBe(TOP_K);
      expect(lines.every((l) => l.getAttribute('data-from') === '4095')).toBe(true);
    });

    it('End and Home move focus to the last and first token, scrolled into view', async () => {
      const el = await mountBig(4096);
      const root = el.shadowRoot!;
      const first = root.querySelector<HTMLElement>('.tok[data-col="q"][data-index="0"]')!;
      first.focus();
      await userEvent.keyboard('{End}');
      const end = await rendered(el, () => (root.activeElement as HTMLElement | null)?.dataset.index === '4095' ? root.activeElement as HTMLElement : null);
      await rendered(el, () => isHitAtCentre(el, end) || null);
      expect(end.getAttribute('tabindex')).toBe('0');
      expect(root.querySelectorAll('.tok[tabindex="0"]').length).toBe(1);
      await userEvent.keyboard('{ArrowUp}');
      await rendered(el, () => (root.activeElement as HTMLElement | null)?.dataset.index === '4094' || null);
      await userEvent.keyboard('{Home}');
      const home = await rendered(el, () => (root.activeElement as HTMLElement | null)?.dataset.index === '0' ? root.activeElement as HTMLElement : null);
      await rendered(el, () => isHitAtCentre(el, home) || null);
      expect(home.dataset.col).toBe('q');
    });

    it('keeps the focused token in the DOM when it is scrolled away, so focus and the tab stop survive', async () => {
      const el = await mountBig(4096);
      const root = el.shadowRoot!;
      const token = root.querySelector<HTMLElement>('.tok[data-col="q"][data-index="3"]')!;
      token.focus();
      await scrollToRow(el, 3000);
      expect(root.activeElement).toBe(token);
      expect(token.getAttribute('tabindex')).toBe('0');
      await userEvent.keyboard('{ArrowDown}');
      const next = await rendered(el, () => (root.activeElement as HTMLElement | null)?.dataset.index === '4' ? root.activeElement as HTMLElement : null);
      await rendered(el, () => isHitAtCentre(el, next) || null);
    });
  });
});
