import { afterEach, describe, expect, it } from 'vitest';
import '../../webview/components/attn-head-grid';
import type { AttnHeadGrid } from '../../webview/components/attn-head-grid';
import { largestFinite, meanEntropy, sinkShare } from './independent';
import type { AttentionResult } from '../../src/core/types';
import gpt2 from '../../examples/gpt2-induction.attention.json';
import { applyTheme, cleanup, computeResult, exampleResult, det, mount, precomputedResult, seriousViolations } from './attn-fixtures';
import { evaluate } from '../../src/core/evaluate';

afterEach(cleanup);

async function make(props: Partial<AttnHeadGrid>): Promise<AttnHeadGrid> {
  const el = document.createElement('attn-head-grid');
  Object.assign(el, props);
  return mount(el);
}

const cards = (el: AttnHeadGrid) => [...el.shadowRoot!.querySelectorAll<HTMLButtonElement>('button.card')];
const ids = (el: AttnHeadGrid) => cards(el).map((c) => `${c.dataset.layer}/${c.dataset.head}`);

/** 12 layers × 12 heads over n tokens, Q/K/V given directly (no projections). */
function manyHeads(n: number, layers = 12, heads = 12): AttentionResult {
  const tokens = Array.from({ length: n }, (_, i) => `w${i}`);
  return evaluate({
    kind: 'compute',
    tokens,
    options: { scale: true, mask: { kind: 'causal' }, temperature: 1 },
    provenance: { kind: 'random', description: 'many heads' },
    layers: Array.from({ length: layers }, (_, l) => ({
      heads: Array.from({ length: heads }, (_, h) => ({ name: `h${h}`, query: det(n, 8, l * 100 + h + 1), key: det(n, 8, l * 100 + h + 501), value: det(n, 8, 9) })),
    })),
  });
}

describe('attn-head-grid', () => {
  it('renders one card per head with its stats, and click fires head-select', async () => {
    const result = precomputedResult(2, 3);
    const el = await make({ result, layer: 0, head: 0 });
    expect(ids(el)).toEqual(['0/0', '0/1', '0/2', '1/0', '1/1', '1/2']);
    const w = result.layers[1].heads[2].weights;
    const card = cards(el)[5];
    expect(card.querySelector('.entropy')!.textContent).toBe(`H ${meanEntropy(w).toFixed(2)} nats,`);
    expect(card.querySelector('.max')!.textContent).toBe(`max ${largestFinite(w).toFixed(2)},`);
    expect(card.querySelector('.sink')!.textContent).toBe(`sink ${(sinkShare(w) * 100).toFixed(0)}%`);
    expect(cards(el)[0].getAttribute('aria-pressed')).toBe('true');
    const got: unknown[] = [];
    document.body.addEventListener('head-select', (e) => got.push((e as CustomEvent).detail));
    card.click();
    expect(got).toEqual([{ layer: 1, head: 2 }]);
    // Enter on a focused card activates the native button the same way
    cards(el)[4].focus();
    expect(el.shadowRoot!.activeElement).toBe(cards(el)[4]);
  });

  it('sorting by entropy orders the thumbnails by mean entropy, via the select too', async () => {
    const result = precomputedResult(2, 3);
    const el = await make({ result });
    const select = el.shadowRoot!.querySelector('vscode-single-select')!;
    (select as unknown as { value: string }).value = 'entropy';
    select.dispatchEvent(new Event('change'));
    await el.updateComplete;
    expect(el.sort).toBe('entropy');
    const entropies = cards(el).map((c) => meanEntropy(result.layers[+c.dataset.layer!].heads[+c.dataset.head!].weights));
    expect(entropies).toEqual([...entropies].sort((a, b) => a - b));
    expect(new Set(ids(el)).size).toBe(6);
    el.sort = 'sink';
    await el.updateComplete;
    const sinks = cards(el).map((c) => sinkShare(result.layers[+c.dataset.layer!].heads[+c.dataset.head!].weights));
    expect(sinks).toEqual([...sinks].sort((a, b) => b - a));
    el.sort = 'max';
    await el.updateComplete;
    const maxes = cards(el).map((c) => largestFinite(result.layers[+c.dataset.layer!].heads[+c.dataset.head!].weights));
    expect(maxes).toEqual([...maxes].sort((a, b) => b - a));
  });

  it('thumbnails are drawn and stay ≤ 64 px for large n; 12×12 heads at 512 tokens; sorting moves, not redraws, them', async () => {
    const result = manyHeads(512);
    const el = await make({ result });
    expect(cards(el).length).toBe(144);
    const canvas = el.shadowRoot!.querySelector('canvas')!;
    expect(parseFloat(canvas.style.width)).toBeLessThanOrEqual(64);
    const px = canvas.getContext('2d')!.getImageData(1, canvas.height - 2, 1, 1).data;
    expect(px[3]).toBe(255);
    // Sorting reuses the cached stats and moves each keyed card with its drawn canvas.
    const first = el.shadowRoot!.querySelector('canvas[data-layer="0"][data-head="0"]');
    el.sort = 'entropy';
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('canvas[data-layer="0"][data-head="0"]')).toBe(first);
  }, 120_000); // 144 heads at 512 tokens on a shared machine: no timing is asserted

  it('example gpt2-induction.attention.json: 12 heads, sorted by entropy', async () => {
    const result = exampleResult(gpt2);
    const el = await make({ result, sort: 'entropy' });
    expect(cards(el).length).toBe(12);
    const entropies = cards(el).map((c) => meanEntropy(result.layers[+c.dataset.layer!].heads[+c.dataset.head!].weights));
    expect(entropies).toEqual([...entropies].sort((a, b) => a - b));
    expect(new Set(cards(el).map((c) => c.dataset.head)).size).toBe(12);
  });

  it('compute results work too', async () => {
    const el = await make({ result: computeResult(), head: 1 });
    expect(ids(el)).toEqual(['0/0', '0/1']);
    expect(cards(el)[1].getAttribute('aria-pressed')).toBe('true');
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    it(`has no serious or critical axe violations (${theme})`, async () => {
      applyTheme(theme);
      const el = await make({ result: precomputedResult(2, 3) });
      expect(await seriousViolations(el)).toEqual([]);
    });
  }
});

describe('attn-head-grid as layers × heads small multiples', () => {
  const visible = (el: AttnHeadGrid, card: HTMLElement) => {
    const r = card.getBoundingClientRect();
    const host = el.getBoundingClientRect();
    return r.width > 0 && r.left >= host.left - 1 && r.right <= host.right + 1;
  };

  it('a 12-head layer shows all its heads at once in a default-width panel, rows = layers, columns = heads', async () => {
    const el = document.createElement('attn-head-grid');
    el.style.width = '530px';
    el.result = exampleResult(gpt2);
    await mount(el);
    await new Promise((r) => requestAnimationFrame(r));
    await el.updateComplete;
    expect(cards(el)).toHaveLength(12);
    expect(cards(el).every((c) => visible(el, c))).toBe(true);
    const tops = new Set(cards(el).map((c) => Math.round(c.getBoundingClientRect().top)));
    expect(tops.size).toBe(1); // one layer, one row
    const labels = [...el.shadowRoot!.querySelectorAll('.col-label')].map((l) => l.textContent);
    expect(labels).toEqual(Array.from({ length: 12 }, (_, h) => `H${h}`));
  });

  for (const [layers, heads] of [[12, 12], [30, 9]] as const) {
    it(`${layers} × ${heads}: every head fits the width, is reachable by scroll, and the keyboard walks the grid`, async () => {
      const el = document.createElement('attn-head-grid');
      el.style.cssText = 'display:block;width:400px;height:300px;overflow:auto';
      el.result = manyHeads(16, layers, heads);
      await mount(el);
      await new Promise((r) => requestAnimationFrame(r));
      await el.updateComplete;
      const all = cards(el);
      expect(all).toHaveLength(layers * heads);
      // Cards this small keep their numbers for screen readers only (shown above the grid on hover).
      expect(all[0].querySelector('.stats')!.getBoundingClientRect().width).toBeLessThanOrEqual(1);
      expect(all.every((c) => visible(el, c))).toBe(true);
      // Rows are layers: the first card of each layer sits below the previous layer's.
      for (let l = 1; l < layers; l++) {
        expect(all[l * heads].getBoundingClientRect().top).toBeGreaterThan(all[(l - 1) * heads].getBoundingClientRect().top);
      }
      // One tab stop; arrows walk right along a layer and down through the layers, scrolling the card into view.
      expect(all.filter((c) => c.tabIndex === 0)).toHaveLength(1);
      all[0].focus();
      const reached = new Set<string>();
      const press = async (key: string) => {
        (el.shadowRoot!.activeElement as HTMLElement).dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true }));
        await el.updateComplete;
        await el.updateComplete;
      };
      for (let l = 0; l < layers; l++) {
        for (let h = 0; h < heads; h++) {
          const active = el.shadowRoot!.activeElement as HTMLElement;
          reached.add(`${active.dataset.layer}/${active.dataset.head}`);
          const r = active.getBoundingClientRect();
          const box = el.getBoundingClientRect();
          expect(r.top >= box.top - 1 && r.bottom <= box.bottom + 1, `L${l}H${h} scrolled into view`).toBe(true);
          if (h < heads - 1) await press('ArrowRight');
        }
        if (l < layers - 1) {
          // Home: the first head of this layer (Ctrl+Home: of the grid); down: the next layer.
          await press('Home');
          await press('ArrowDown');
        }
      }
      expect(reached.size).toBe(layers * heads);
      // The statistics of the focused head are shown above the grid.
      expect(el.shadowRoot!.querySelector('.probe')!.textContent).toContain(`L${layers - 1}H${heads - 1}`);
    });
  }
});
