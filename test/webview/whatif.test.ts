/**
 * "What if" in the panel, in Chromium: the context menus (pointer and keyboard), the chips with remove, Undo,
 * Ctrl+Z and Clear all, the Result / Original / Difference toggle, the diverging Δweight colours, the head ranking
 * by change, and a forged UI state. The comparison comes from the worker's own code (runJob), as the host sends it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runJob } from '../../src/compute/job';
import { evaluate, fromRows, HEAD_LABELS, type PrecomputedSpec } from '../../src/core';
import gpt2Layer from '../fixtures/gpt2/gpt2-induction-layer.json';
import type { Intervention, Snapshot } from '../../src/shared/protocol';
import { DEFAULT_UI, sanitizeUi } from '../../src/shared/uiState';
import type { AttnApp } from '../../webview/components/attn-app';
import type { AttnMatrix } from '../../webview/components/attn-matrix';
import '../../webview/components/attn-next-tokens';
import '../../webview/components/attn-head-grid';
import { pixel } from './attn-fixtures';
import { colourOf, differenceDomain } from '../../webview/render/colour-scale';
import { contrastRatio, parseColour } from '../../webview/render/contrast';
import { THEME_PRESETS } from '../../webview/theme';
import { cleanup, deep, deepAll, mountApp, selectionSnapshot, settings, settle, SENTENCE } from './app-fixtures';

afterEach(cleanup);

const TWO_LAYERS = { layers: 2, heads: 4 };

/** What the host sends after `setInterventions`: the worker's run and comparison. */
function whatIfSnapshot(base: Snapshot, interventions: Intervention[], seq: number): Snapshot {
  const outcome = runJob({ kind: 'selection', text: SENTENCE, settings: settings(TWO_LAYERS), maxTokens: 4096, interventions });
  if (!outcome.ok || !outcome.whatIf) throw new Error('no comparison');
  return { ...base, seq, result: outcome.result, whatIf: outcome.whatIf };
}

function recordChanges(app: AttnApp): Intervention[][] {
  const got: Intervention[][] = [];
  app.addEventListener('whatif-change', (e) => got.push([...(e as CustomEvent<{ interventions: Intervention[] }>).detail.interventions]));
  return got;
}

const chips = (app: AttnApp) => deepAll(app, '.chip').map((c) => c.getAttribute('data-intervention'));
const card = (app: AttnApp, l: number, h: number) => deep<HTMLButtonElement>(app, `button.card[data-layer="${l}"][data-head="${h}"]`);
const menuItems = (app: AttnApp) => deepAll(app, '[role="menuitem"]') as HTMLButtonElement[];

async function ablateFromCard(app: AttnApp, l: number, h: number): Promise<void> {
  const c = card(app, l, h);
  const r = c.getBoundingClientRect();
  c.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, composed: true, clientX: r.left + 4, clientY: r.top + 4 }));
  await settle(app);
  menuItems(app)[0].click();
  await settle(app);
}

describe('what if, in the panel', () => {
  it('ablating a head from its card: a chip, the difference view, Δ per head ranked, then remove restores the result', async () => {
    const base = selectionSnapshot(SENTENCE, TWO_LAYERS);
    const app = await mountApp(base);
    app.setUi({ view: 'grid' });
    await settle(app);
    const changes = recordChanges(app);
    await ablateFromCard(app, 0, 1);
    expect(menuItems(app)).toEqual([]);
    expect(changes).toEqual([[{ kind: 'ablate-head', layer: 0, head: 1 }]]);
    expect(chips(app)).toEqual(['ablate L0H1']);
    expect(app.ui.compare).toBe('difference');
    // The ablated head's card says so: a dashed border at any size, the word where the card has room, and its title.
    const ablatedCard = card(app, 0, 1);
    expect(getComputedStyle(ablatedCard).borderTopStyle).toBe('dashed');
    expect(getComputedStyle(card(app, 0, 0)).borderTopStyle).toBe('solid');
    expect(ablatedCard.title).toMatch(/^L0H1 \(ablated: its output Z is replaced by zeros, its weights are as computed\): /);
    const badge = ablatedCard.querySelector<HTMLElement>('.ablated-badge')!;
    expect(badge.textContent).toBe('ablated');
    const b = badge.getBoundingClientRect();
    expect((ablatedCard.getRootNode() as ShadowRoot).elementFromPoint(b.left + b.width / 2, b.top + b.height / 2)).toBe(badge);
    expect(deepAll(app, '.ablated-badge')).toHaveLength(1);
    // Until the host answers, the views keep the result and the bar says it is recomputing.
    expect(deep(app, 'attn-whatif-bar').shadowRoot!.querySelector('.note')!.textContent).toContain('Recomputing');

    app.snapshot = whatIfSnapshot(base, changes[0], 2);
    await settle(app);
    const whatIf = app.snapshot.whatIf!;
    // Layer 0 is upstream of nothing the ablation changes; every head of layer 1 moved.
    expect(deep(app, 'button.card[data-layer="0"][data-head="1"] .change').textContent).toBe('Δ 0.000');
    const moved = whatIf.headChange[1][2];
    expect(moved).toBeGreaterThan(0);
    expect(card(app, 1, 2).querySelector('.change')!.textContent).toBe(`Δ ${moved.toFixed(3)}`);
    // Ranked by change: layer 1's heads, most moved first, then layer 0's in order.
    const grid = deep<HTMLElement & { sort: string }>(app, 'attn-head-grid');
    grid.sort = 'change';
    await settle(app);
    const order = deepAll(app, 'button.card').map((c) => `${(c as HTMLElement).dataset.layer}/${(c as HTMLElement).dataset.head}`);
    const expected = [0, 1, 2, 3].sort((a, b) => whatIf.headChange[1][b] - whatIf.headChange[1][a] || a - b).map((h) => `1/${h}`);
    expect(order).toEqual([...expected, '0/0', '0/1', '0/2', '0/3']);

    // Remove the chip: the list is empty, the views show the result again.
    deep<HTMLButtonElement>(app, '.chip button').click();
    await settle(app);
    expect(changes.at(-1)).toEqual([]);
    expect(chips(app)).toEqual([]);
    app.snapshot = { ...base, seq: 3 };
    await settle(app);
    expect(deepAll(app, '.change')).toEqual([]);
    expect(deepAll(app, '.ablated-badge')).toEqual([]);
    expect(getComputedStyle(card(app, 0, 1)).borderTopStyle).toBe('solid');
  });

  it('Undo, Ctrl+Z and Clear all walk the list back', async () => {
    const app = await mountApp(selectionSnapshot(SENTENCE, TWO_LAYERS));
    app.setUi({ view: 'grid' });
    await settle(app);
    const changes = recordChanges(app);
    await ablateFromCard(app, 0, 0);
    await ablateFromCard(app, 0, 2);
    await ablateFromCard(app, 0, 2);
    expect(chips(app)).toEqual(['ablate L0H0', 'ablate L0H2']);
    const undo = deepAll(app, 'button.action').find((b) => b.textContent === 'Undo') as HTMLButtonElement;
    undo.click();
    await settle(app);
    expect(chips(app)).toEqual(['ablate L0H0']);
    card(app, 0, 0).dispatchEvent(new KeyboardEvent('keydown', { key: 'z', ctrlKey: true, bubbles: true, composed: true }));
    await settle(app);
    expect(chips(app)).toEqual([]);
    await ablateFromCard(app, 1, 3);
    (deepAll(app, 'button.action').find((b) => b.textContent === 'Clear all') as HTMLButtonElement).click();
    await settle(app);
    expect(chips(app)).toEqual([]);
    expect(changes.map((c) => c.length)).toEqual([1, 2, 1, 0, 1, 0]);
  });

  it('the keyboard opens the same menus: Shift+F10 on a card, the ContextMenu key on a matrix cell; Escape gives focus back', async () => {
    const app = await mountApp(selectionSnapshot(SENTENCE, TWO_LAYERS));
    app.setUi({ view: 'grid' });
    await settle(app);
    const c = card(app, 1, 0);
    c.focus();
    c.dispatchEvent(new KeyboardEvent('keydown', { key: 'F10', shiftKey: true, bubbles: true, composed: true }));
    await settle(app);
    expect(menuItems(app).map((b) => b.textContent)).toEqual(['Ablate head L1H0']);
    expect(menuItems(app)[0].matches(':focus')).toBe(true);
    menuItems(app)[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, composed: true }));
    await settle(app);
    expect(menuItems(app)).toEqual([]);
    expect(c.matches(':focus')).toBe(true);

    app.setUi({ view: 'matrix', layer: 1, head: 2 });
    await settle(app);
    const viewport = deep<HTMLElement>(deep(app, 'attn-matrix'), '.viewport');
    viewport.focus();
    viewport.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    viewport.dispatchEvent(new KeyboardEvent('keydown', { key: 'ContextMenu', bubbles: true, composed: true }));
    await settle(app);
    expect(menuItems(app).map((b) => b.textContent)).toEqual(['Cut edge query 2 “animal” → key 1 “The” in L1H2']);
    const changes = recordChanges(app);
    menuItems(app)[0].dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true, composed: true }));
    menuItems(app)[0].click();
    await settle(app);
    expect(changes).toEqual([[{ kind: 'cut-edge', layer: 1, head: 2, query: 1, key: 0 }]]);
    expect(chips(app)).toEqual(['cut L1H2 1→0 (animal→The)']);
  });

  it('a token\'s menu replaces, inserts or deletes it: a replacement is compared head by head, a deletion is not', async () => {
    const base = selectionSnapshot(SENTENCE, TWO_LAYERS);
    const app = await mountApp(base);
    const changes: unknown[] = [];
    app.addEventListener('whatif-change', (e) => changes.push((e as CustomEvent).detail));
    const tok = deep(deep(app, 'attn-token-view'), '.tok[data-col="q"][data-index="1"]');
    tok.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, composed: true, clientX: 10, clientY: 10 }));
    await settle(app);
    expect(menuItems(app).map((b) => b.textContent)).toEqual(['Replace token 1 “animal”…', 'Insert a token before 1 “animal”…', 'Delete token 1 “animal”']);
    menuItems(app)[0].click();
    await settle(app);
    const input = deep<HTMLInputElement>(deep(app, 'attn-whatif-bar'), 'form.token-edit input');
    input.value = 'cat';
    deep<HTMLButtonElement>(deep(app, 'attn-whatif-bar'), 'form.token-edit button[type="submit"]').click();
    await settle(app);
    const replace = { kind: 'replace-token', position: 1, token: 'cat' } as const;
    expect(changes).toEqual([{ interventions: [], tokenEdit: replace }]);
    expect(chips(app)).toEqual(['replace token 1 with “cat”']);
    const replaced = runJob({ kind: 'selection', text: SENTENCE, settings: settings(TWO_LAYERS), maxTokens: 4096, tokenEdit: replace });
    if (!replaced.ok || !replaced.whatIf) throw new Error('no comparison');
    expect(replaced.result.tokens[1]).toBe('cat');
    app.snapshot = { ...base, seq: 2, result: replaced.result, whatIf: replaced.whatIf };
    await settle(app);
    expect(app.ui.compare).toBe('difference');
    expect(Math.max(...replaced.whatIf.headChange[0])).toBeGreaterThan(0);

    // Delete instead: every later position moves, so only the edited run is shown, and the bar offers no comparison.
    const del = { kind: 'delete-token', position: 1 } as const;
    tok.dispatchEvent(new MouseEvent('contextmenu', { bubbles: true, composed: true, clientX: 10, clientY: 10 }));
    await settle(app);
    menuItems(app)[2].click();
    await settle(app);
    expect(chips(app)).toEqual(['delete token 1']);
    const deleted = runJob({ kind: 'selection', text: SENTENCE, settings: settings(TWO_LAYERS), maxTokens: 4096, tokenEdit: del });
    if (!deleted.ok || !deleted.whatIf) throw new Error('no comparison');
    expect(deleted.whatIf.shapesDiffer).toBe(true);
    app.snapshot = { ...base, seq: 3, result: deleted.result, whatIf: deleted.whatIf };
    await settle(app);
    expect(deepAll(app, '[role="radio"]')).toEqual([]);
    expect(deep(app, '.whatif-note').textContent).toContain('An inserted or deleted token moves every later position');
    expect(deep<HTMLElement & { result: { tokens: string[] } }>(app, 'attn-token-view').result.tokens).toEqual(deleted.result.tokens);
  });

  it('Difference colours a known Δweight on the diverging ramp, with Δweight and its range in the legend', async () => {
    const file = JSON.stringify({ tokens: ['a', 'b', 'c'], attention: [[1, 0, 0], [0.5, 0.5, 0], [0.25, 0.25, 0.5]] });
    const cut: Intervention[] = [{ kind: 'cut-edge', layer: 0, head: 0, query: 2, key: 2 }];
    const outcome = runJob({ kind: 'file', text: file, interventions: cut });
    if (!outcome.ok || !outcome.whatIf) throw new Error('no comparison');
    const snapshot: Snapshot = { seq: 1, source: { kind: 'file', ref: { kind: 'file', uri: 'file:///a.attention.json' }, label: 'a.attention.json' }, result: outcome.result, warnings: [], whatIf: outcome.whatIf };
    const app = await mountApp(snapshot);
    app.setUi({ view: 'matrix', interventions: cut, compare: 'difference' });
    await settle(app);
    const matrix = deep<AttnMatrix>(app, 'attn-matrix');
    // Row 2 was [0.25, 0.25, 0.5] and is [0.5, 0.5, 0]: Δ = [+0.25, +0.25, −0.5] on a domain of ±0.5.
    expect(pixel(matrix, 2, 2)).toEqual([40, 120, 230]);
    expect(pixel(matrix, 2, 0)).toEqual([235, 150, 130]);
    expect(pixel(matrix, 0, 0)).toEqual([236, 235, 235]);
    const legend = matrix.shadowRoot!.querySelector('.legend')!.textContent!.replace(/\s+/g, ' ');
    expect(legend).toContain('-0.50');
    expect(legend).toContain('Δweight: with the interventions − without');
    expect(matrix.shadowRoot!.querySelector('.title')!.textContent).toContain('Δweight');
    // Original: the file's weights again, on the sequential ramp; Result: the cut row.
    app.setUi({ compare: 'original' });
    await settle(app);
    expect(Array.from(matrix.result!.layers[0].heads[0].weights.data.subarray(6))).toEqual([0.25, 0.25, 0.5]);
    app.setUi({ compare: 'result' });
    await settle(app);
    expect(Array.from(matrix.result!.layers[0].heads[0].weights.data.subarray(6))).toEqual([0.5, 0.5, 0]);
  });

  it('the next-token panel lists the top tokens before and after with Δlog-prob', async () => {
    const el = document.createElement('attn-next-tokens');
    el.tokens = ['The', ' cat'];
    el.nextTokens = { position: 1, top: [{ id: 7, text: ' sat', probability: 0.5 }] };
    el.shift = {
      position: 1,
      before: [{ id: 7, text: ' sat', before: Math.log(0.5), after: Math.log(0.25), delta: Math.log(0.5) }],
      after: [{ id: 9, text: ' ran', before: Math.log(0.125), after: Math.log(0.375), delta: Math.log(3) }],
    };
    document.body.append(el);
    await el.updateComplete;
    const rows = [...el.shadowRoot!.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent!.trim()));
    expect(rows).toEqual([['␣sat', '50.0%', '25.0%', '−0.693'], ['␣ran', '12.5%', '37.5%', '+1.099']]);
    expect([...el.shadowRoot!.querySelectorAll('caption')].map((c) => c.textContent)).toEqual(['Top before', 'Top after']);
  });

  it('the Δweight ramp\'s ends reach 3:1 on the editor background of all four themes', () => {
    const d = differenceDomain(1);
    for (const theme of ['dark', 'light', 'high-contrast', 'high-contrast-light'] as const) {
      const background = parseColour(THEME_PRESETS[theme]['editor-background'])!;
      for (const end of [-1, 1]) expect(contrastRatio(colourOf(end, d), background), `${theme}, ${end}`).toBeGreaterThanOrEqual(3);
    }
  });

  it('a forged UI state keeps only well-formed interventions, or none', () => {
    const good = { kind: 'cut-edge', layer: 1, head: 0, query: 7, key: 3, extra: '<img>' };
    expect(sanitizeUi({ interventions: [good], compare: 'difference' })).toEqual({ interventions: [{ kind: 'cut-edge', layer: 1, head: 0, query: 7, key: 3 }], compare: 'difference' });
    expect(sanitizeUi({ interventions: [good, { kind: 'delete-everything' }], compare: 'sideways' })).toEqual({});
    expect(sanitizeUi({ interventions: Array(1000).fill({ kind: 'ablate-head', layer: 0, head: 0 }) })).toEqual({});
    expect(sanitizeUi({ interventions: 'ablate' })).toEqual({});
    expect({ ...DEFAULT_UI, ...sanitizeUi({ interventions: [{ kind: 'ablate-head', layer: -1, head: 0 }] }) }.interventions).toBe(undefined);
  });
});

describe('attention rollout in the matrix and token views', () => {
  it('the option asks for it, says it is computing, then draws the worker\'s rollout, labelled an approximation', async () => {
    const base = selectionSnapshot(SENTENCE, TWO_LAYERS);
    const app = await mountApp(base);
    app.setUi({ view: 'matrix', layer: 1 });
    await settle(app);
    const box = deep<HTMLInputElement>(app, '.rollout-option input');
    box.click();
    await settle(app);
    expect(app.ui.rollout).toBe(true);
    expect(deep(app, '.rollout-option .whatif-note').textContent).toBe('Computing the rollout in the worker…');
    const outcome = runJob({ kind: 'selection', text: SENTENCE, settings: settings(TWO_LAYERS), maxTokens: 4096, rollout: true });
    if (!outcome.ok || !outcome.rollout || !('layers' in outcome.rollout)) throw new Error('no rollout');
    app.snapshot = { ...base, seq: 2, result: outcome.result, rollout: outcome.rollout };
    await settle(app);
    const matrix = deep<AttnMatrix>(app, 'attn-matrix');
    expect(matrix.shadowRoot!.querySelector('.title')!.textContent).toContain('Attention rollout, an approximation (Abnar & Zuidema 2020)');
    expect(matrix.result!.layers[1].heads[0].weights).toBe(outcome.rollout.layers[1]);
    app.setUi({ view: 'tokens' });
    await settle(app);
    expect(deep<HTMLElement & { result: { layers: { heads: { weights: unknown }[] }[] } }>(app, 'attn-token-view').result.layers[1].heads[0].weights).toBe(outcome.rollout.layers[1]);
    app.snapshot = { ...base, seq: 3, rollout: { problem: 'Attention rollout over 9 tokens is refused.' } };
    await settle(app);
    expect(deep(app, '.rollout-option [role="alert"]').textContent).toBe('Attention rollout over 9 tokens is refused.');
  });
});

describe('words, not subwords', () => {
  it('groups "didn\'t" into one word, sums its keys and averages its queries, and the editor tints follow the word', async () => {
    const base = selectionSnapshot(SENTENCE, { tokenizer: 'gpt2' });
    const tokens = base.result.tokens;
    const didn = tokens.findIndex((t) => t.includes('didn'));
    expect(tokens[didn + 1]).toBe("'t");
    const app = await mountApp(base);
    const select = deep<HTMLSelectElement>(app, '.grouping-option select');
    select.value = 'words';
    select.dispatchEvent(new Event('change'));
    await settle(app);
    expect(app.ui.grouping).toBe('words');
    const view = deep<HTMLElement & { result: { tokens: string[]; layers: { heads: { weights: { rows: number; cols: number; data: Float32Array } }[] }[] } }>(app, 'attn-token-view');
    expect(view.result.tokens).toEqual(['The', 'animal', "didn't", 'cross', 'the', 'street', 'because', 'it', 'was', 'too', 'tired', '.']);
    const w = base.result.layers[0].heads[0].weights;
    const n = w.cols;
    const at = (i: number, j: number) => w.data[i * n + j];
    const g = view.result.layers[0].heads[0].weights;
    // Word 2 ("didn't") as a query: the mean of its two rows; as a key: the sum of its two columns.
    const expected = ((at(didn, didn) + at(didn, didn + 1)) + (at(didn + 1, didn) + at(didn + 1, didn + 1))) / 2;
    expect(g.data[2 * g.cols + 2]).toBeCloseTo(expected, 6);
    expect(deep(app, '.grouping-option .whatif-note').textContent).toContain("summed over a word's key tokens, averaged over its query tokens");

    const focus: { index: number | null; lastIndex?: number; weights?: number[] }[] = [];
    app.addEventListener('token-focus', (e) => focus.push((e as CustomEvent).detail));
    app.setUi({ lockedToken: 2 });
    await settle(app);
    const last = focus.at(-1)!;
    expect([last.index, last.lastIndex]).toEqual([didn, didn + 1]);
    expect(last.weights).toHaveLength(tokens.length);
    expect(last.weights![didn]).toBe(last.weights![didn + 1]);
    expect(last.weights![didn]).toBeCloseTo(expected, 6);

    select.value = 'tokens';
    select.dispatchEvent(new Event('change'));
    await settle(app);
    expect(app.ui.grouping).toBe(undefined);
    expect(app.ui.lockedToken).toBe(null);
    expect(deep<HTMLElement & { result: { tokens: string[] } }>(app, 'attn-token-view').result.tokens).toEqual(tokens);
  });
});

describe('head labels on the cards', () => {
  it('GPT-2\'s induction layer: heads 1, 5 and 0 are labelled induction with their scores, rank first, and say what it means', async () => {
    const fixture = gpt2Layer as { tokens: string[]; attention: number[][][][] };
    const spec: PrecomputedSpec = {
      kind: 'precomputed', tokens: fixture.tokens, attention: fixture.attention.map((heads) => heads.map((rows) => fromRows(rows))),
      options: { scale: 1, mask: { kind: 'causal' }, temperature: 1 }, provenance: { kind: 'file', description: 'GPT-2' },
    };
    const app = await mountApp({ seq: 1, source: { kind: 'file', ref: { kind: 'file', uri: 'file:///g.attention.json' }, label: 'g' }, result: evaluate(spec), warnings: [] });
    app.setUi({ view: 'grid' });
    await settle(app);
    const induction = deepAll(app, '.label[data-kind="induction"]').map((l) => [(l.closest('button.card') as HTMLElement).dataset.head, l.textContent]);
    expect(induction.map(([h]) => h)).toEqual(['0', '1', '5']);
    expect(induction[1][1]).toBe('induction 0.82');
    const grid = deep<HTMLElement & { sort: string }>(app, 'attn-head-grid');
    grid.sort = 'induction';
    await settle(app);
    expect(deepAll(app, 'button.card').slice(0, 3).map((c) => (c as HTMLElement).dataset.head)).toEqual(['1', '5', '0']);
    // The definition: on hover (title) and, for the keyboard, in the description and the line shown on focus.
    const label = deep(app, 'button.card[data-head="1"] .label[data-kind="induction"]');
    expect(label.title).toBe(HEAD_LABELS.induction.definition);
    const c = deep<HTMLButtonElement>(app, 'button.card[data-head="1"]');
    expect(c.getAttribute('aria-describedby')).toContain('def-induction');
    const described = grid.shadowRoot!.getElementById('def-induction')!;
    expect(described.textContent).toBe(`induction: ${HEAD_LABELS.induction.definition}`);
    c.focus();
    await settle(app);
    expect(deep(app, '.definitions li[data-kind="induction"]').textContent!.replace(/\s+/g, ' ').trim()).toBe(`induction 0.82: ${HEAD_LABELS.induction.definition}`);
  });

  it('a real model offers the induction probe; its scores become the induction labels', async () => {
    const el = document.createElement('attn-head-grid');
    const built = evaluate({
      kind: 'precomputed', tokens: ['a', 'b'], attention: [[fromRows([[1, 0], [0.5, 0.5]]), fromRows([[1, 0], [0.5, 0.5]])]],
      options: { scale: 1, mask: { kind: 'causal' }, temperature: 1 }, provenance: { kind: 'file', description: 'm' },
    });
    Object.assign(el, { result: built, canProbe: true });
    document.body.append(el);
    await el.updateComplete;
    const asked: unknown[] = [];
    el.addEventListener('induction-probe-request', () => asked.push(1));
    const button = el.shadowRoot!.querySelector<HTMLButtonElement>('button.probe-run')!;
    button.click();
    await el.updateComplete;
    expect(asked).toEqual([1]);
    expect(button.disabled).toBe(true);
    el.inductionProbe = { scores: [[0.125, 0.75]] };
    await el.updateComplete;
    expect([...el.shadowRoot!.querySelectorAll('.label[data-kind="induction"]')].map((l) => [(l.closest('button.card') as HTMLElement).dataset.head, l.textContent])).toEqual([['1', 'induction 0.75']]);
    expect(button.disabled).toBe(false);
  });

  it('a head built to attend to i − 1 is labelled previous token 1.00', async () => {
    const n = 5;
    const previous = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === 0 ? (j === 0 ? 1 : 0) : j === i - 1 ? 1 : 0)));
    const uniform = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j <= i ? 1 / (i + 1) : 0)));
    const spec: PrecomputedSpec = {
      kind: 'precomputed', tokens: ['a', 'b', 'c', 'd', 'e'], attention: [[fromRows(uniform), fromRows(previous)]],
      options: { scale: 1, mask: { kind: 'causal' }, temperature: 1 }, provenance: { kind: 'file', description: 'built' },
    };
    const app = await mountApp({ seq: 1, source: { kind: 'file', ref: { kind: 'file', uri: 'file:///b.attention.json' }, label: 'b' }, result: evaluate(spec), warnings: [] });
    app.setUi({ view: 'grid' });
    await settle(app);
    expect(deepAll(app, 'button.card[data-head="1"] .label').map((l) => l.textContent)).toEqual(['previous token 1.00']);
    expect(deepAll(app, 'button.card[data-head="0"] .label[data-kind="previous-token"]')).toEqual([]);
  });
});
