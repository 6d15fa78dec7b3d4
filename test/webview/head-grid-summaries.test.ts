import { afterEach, describe, expect, it } from 'vitest';
import '../../webview/components/attn-app';
import '../../webview/components/attn-head-grid';
import type { AttnHeadGrid } from '../../webview/components/attn-head-grid';
import { evaluate } from '../../src/core/evaluate';
import { summarizeHeads, type HeadSummaries } from '../../src/core/summaries';
import type { AttentionResult } from '../../src/core/types';
import type { Snapshot, ViewName } from '../../src/shared/protocol';
import { slimResult } from '../../src/compute/slice';
import { applyMessage } from '../../webview/host';
import { cleanup, mount } from './attn-fixtures';
import { deepAll, fileSnapshot, mountApp, settle } from './app-fixtures';
import { meanEntropy, sinkShare } from './independent';

afterEach(cleanup);

/** layers × heads precomputed causal weights over n tokens, all views on one buffer (as a binary file gives). */
function binaryLike(layers: number, heads: number, n: number): AttentionResult {
  const data = new Float32Array(layers * heads * n * n);
  for (let l = 0; l < layers; l++) for (let h = 0; h < heads; h++) {
    const base = (l * heads + h) * n * n;
    for (let i = 0; i < n; i++) {
      const back = Math.max(0, i - ((l + h) % 7));
      data[base + i * n + back] += 0.7;
      for (let j = 0; j <= i; j++) data[base + i * n + j] += 0.3 / (i + 1);
    }
  }
  return evaluate({
    kind: 'precomputed',
    tokens: Array.from({ length: n }, (_, i) => `t${i}`),
    options: { scale: true, mask: { kind: 'causal' }, temperature: 1 },
    provenance: { kind: 'model', description: 'binary-like' },
    attention: Array.from({ length: layers }, (_, l) => Array.from({ length: heads }, (_, h) => {
      const s = (l * heads + h) * n * n;
      return { rows: n, cols: n, data: data.subarray(s, s + n * n) };
    })),
  });
}

function slimSnapshot(full: AttentionResult, summaries: HeadSummaries, layer: number, head: number, seq = 1): Snapshot {
  return { ...fileSnapshot(slimResult(full, { layer, head, view: 'grid', matrix: 'weights' }, summaries), 'gpt2-512.attention.json', seq), headSummaries: summaries };
}

const cards = (el: AttnHeadGrid) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.card')];

describe('attn-head-grid with host summaries (large results)', () => {
  const full = binaryLike(12, 12, 300);
  const summaries = summarizeHeads(full);

  it('draws a card with stats and a thumbnail for every head, even those whose weights were not sent', async () => {
    const snap = slimSnapshot(full, summaries, 3, 5);
    expect(snap.result.layers[0].heads[0].weights.rows).toBe(0);
    const el = document.createElement('attn-head-grid');
    Object.assign(el, { result: snap.result, summaries: snap.headSummaries, layer: 3, head: 5 });
    await mount(el);
    expect(cards(el).length).toBe(144);
    const card = cards(el).find((c) => c.dataset.layer === '0' && c.dataset.head === '7')!;
    const s = summaries[0][7].stats;
    // The host's summaries agree with the definitions, computed here from the full weights.
    expect(Math.abs(s.meanEntropy - meanEntropy(full.layers[0].heads[7].weights))).toBeLessThan(1e-9);
    expect(Math.abs(s.sinkShare - sinkShare(full.layers[0].heads[7].weights))).toBeLessThan(1e-9);
    expect(card.querySelector('.entropy')!.textContent).toBe(`H ${s.meanEntropy.toFixed(2)} nats,`);
    expect(card.querySelector('.sink')!.textContent).toBe(`sink ${(s.sinkShare * 100).toFixed(0)}%`);
    const canvas = card.querySelector('canvas')!;
    expect(parseFloat(canvas.style.width)).toBeLessThanOrEqual(64);
    // the diagonal-ish band is drawn: the bottom-left pixel of a causal head is opaque
    expect(canvas.getContext('2d')!.getImageData(1, canvas.height - 2, 1, 1).data[3]).toBe(255);
    const got: unknown[] = [];
    document.body.addEventListener('head-select', (e) => got.push((e as CustomEvent).detail));
    card.click();
    expect(got).toEqual([{ layer: 0, head: 7 }]);
  });

  it('sorts by the summaries\' statistics', async () => {
    const snap = slimSnapshot(full, summaries, 0, 0);
    const el = document.createElement('attn-head-grid');
    Object.assign(el, { result: snap.result, summaries: snap.headSummaries, sort: 'entropy' });
    await mount(el);
    const entropies = cards(el).map((c) => summaries[+c.dataset.layer!][+c.dataset.head!].stats.meanEntropy);
    expect(entropies).toEqual([...entropies].sort((a, b) => a - b));
  });

  it('the webview accepts a slim snapshot only with summaries for the heads without weights', () => {
    const target = Object.assign(new EventTarget(), { snapshot: null as Snapshot | null, error: null, busy: false, highlightToken: null, ui: {} as never });
    const snap = slimSnapshot(binaryLike(2, 2, 300), summarizeHeads(binaryLike(2, 2, 300)), 1, 0);
    expect(applyMessage(target, { type: 'snapshot', snapshot: { ...snap, headSummaries: undefined } })).toBe(false);
    expect(applyMessage(target, { type: 'snapshot', snapshot: snap })).toBe(true);
  });

  it('a slice replaces the layers of the snapshot on screen only, and only with data the views can index', () => {
    const target = Object.assign(new EventTarget(), { snapshot: null as Snapshot | null, error: null, busy: false, highlightToken: null, ui: {} as never });
    const full2 = binaryLike(2, 2, 300);
    const sums = summarizeHeads(full2);
    const snap = slimSnapshot(full2, sums, 0, 0, 7);
    expect(applyMessage(target, { type: 'slice', seq: 7, layers: snap.result.layers })).toBe(false); // nothing on screen
    applyMessage(target, { type: 'snapshot', snapshot: snap });
    const next = slimSnapshot(full2, sums, 1, 1, 7).result.layers;
    expect(applyMessage(target, { type: 'slice', seq: 6, layers: next })).toBe(false);
    expect(applyMessage(target, { type: 'slice', seq: 7, layers: [] })).toBe(false);
    expect(applyMessage(target, { type: 'slice', seq: 7, layers: next })).toBe(true);
    expect(target.snapshot!.result.layers).toBe(next);
    expect(target.snapshot!.result.tokens).toBe(snap.result.tokens);
    expect(target.snapshot!.headSummaries).toBe(sums);
    expect(target.snapshot!.result.layers[1].heads[1].weights.rows).toBe(300);
  });

  it('the app survives focusing a head whose weights are still on their way, in every view', async () => {
    const small = binaryLike(3, 4, 300);
    const sums = summarizeHeads(small);
    const app = await mountApp(slimSnapshot(small, sums, 2, 1));
    const errors: unknown[] = [];
    const onError = (e: ErrorEvent | PromiseRejectionEvent) => errors.push('reason' in e ? e.reason : e.error);
    window.addEventListener('error', onError);
    window.addEventListener('unhandledrejection', onError);
    try {
      for (const view of ['grid', 'tokens', 'matrix', 'pipeline'] as ViewName[]) {
        app.ui = { ...app.ui, view, layer: 0, head: 3 };
        await settle(app);
      }
      app.ui = { ...app.ui, view: 'grid' };
      await settle(app);
      expect(deepAll(app, 'attn-head-grid').length).toBe(1);
      // the host answers with the newly focused layer's slice
      applyMessage(app, { type: 'slice', seq: 1, layers: slimSnapshot(small, sums, 0, 3).result.layers });
      await settle(app);
      expect(app.snapshot!.result.layers[0].heads[3].weights.rows).toBe(300);
    } finally {
      window.removeEventListener('error', onError);
      window.removeEventListener('unhandledrejection', onError);
    }
    expect(errors).toEqual([]);
  });
});
