/**
 * A large result withholds the focused head's matrices (issue 14): the matrix view asks for the raster it draws and
 * the tooltip for the row it derives. Here the "host" answers from the whole result with the worker's own functions
 * (src/compute/raster.ts), and the picture and the numbers must be those of the same view given the whole matrix.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../webview/components/attn-matrix';
import type { AttnMatrix } from '../../webview/components/attn-matrix';
import '../../webview/components/attn-token-view';
import type { AttnTokenView } from '../../webview/components/attn-token-view';
import { keysToDraw } from '../../webview/render/line-selection';
import type { AttentionResult, MaskSpec } from '../../src/shared/core';
import { withheldMatrix, type RasterRequest, type RowRequest } from '../../src/shared/protocol';
import { WithheldData } from '../../webview/withheld-data';
import { fmt } from '../../webview/render/format';
import { bigResult, cleanup, mount } from './attn-fixtures';
import { fakeHost } from './withheld-host';

afterEach(cleanup);

/** The result as a large snapshot carries it in the matrix view: the head's n×n matrices withheld, Q, K, V and Z whole. */
function withheld(whole: AttentionResult): AttentionResult {
  const head = whole.layers[0].heads[0];
  const n = whole.tokens.length;
  return { ...whole, layers: [{ ...whole.layers[0], heads: [{ ...head, weights: withheldMatrix(n, n, 'on-request'), scores: null, scaled: null }] }] };
}


async function make(result: AttentionResult, data?: WithheldData): Promise<AttnMatrix> {
  const el = document.createElement('attn-matrix');
  el.style.width = '400px';
  Object.assign(el, { result, kind: 'weights', ...(data ? { data } : {}) });
  return mount(el);
}

/** Re-renders as the app does when an answer arrives, until `done`. */
async function settle(el: AttnMatrix | AttnTokenView, data: { changes: () => number }, done: () => boolean): Promise<void> {
  for (let k = 0; k < 300 && !done(); k++) await new Promise((r) => setTimeout(r, 10));
  // The app's dataVersion after the last answer: the view draws with it.
  el.dataVersion = data.changes();
  await el.updateComplete;
  await new Promise((r) => requestAnimationFrame(() => r(null)));
}

function pixels(el: AttnMatrix): Uint8ClampedArray {
  const canvas = el.shadowRoot!.querySelector('canvas.base') as HTMLCanvasElement;
  return canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
}

async function hover(el: AttnMatrix, i: number, j: number): Promise<void> {
  const root = el.shadowRoot as ShadowRoot;
  const r = (root.querySelector('canvas.base') as HTMLCanvasElement).getBoundingClientRect();
  const c = el.cellCenter(i, j);
  root.querySelector('.viewport')!.dispatchEvent(new PointerEvent('pointermove', { clientX: r.left + c.x, clientY: r.top + c.y, bubbles: true, pointerId: 1 }));
  await el.updateComplete;
}

describe('attn-matrix with a withheld matrix', () => {
  const masks: MaskSpec[] = [{ kind: 'causal' }, { kind: 'none' }, { kind: 'dilated', window: 8, dilation: 3 }];
  for (const mask of masks) {
    it(`draws the raster it asked for, pixel for pixel the heatmap of the whole matrix (${mask.kind}, 500 tokens)`, { timeout: 90_000 }, async () => {
      const whole = bigResult(500, mask);
      const reference = pixels(await make(whole));
      cleanup();
      const fake = fakeHost(whole);
      const el = await make(withheld(whole), fake.data);
      await settle(el, fake, () => fake.data.raster(0, 0, 'weights') !== null);
      expect(fake.asked.map((a) => a.type)).toEqual(['raster']);
      const request = fake.asked[0].request as RasterRequest;
      // The whole matrix, at the size the canvas draws it: far fewer values than cells.
      expect([request.rows, request.cols]).toEqual([[0, 500], [0, 500]]);
      expect(request.outWidth * request.outHeight).toBeLessThan(500 * 500 / 3);
      const drawn = pixels(el);
      expect(drawn.length).toBe(reference.length);
      let differing = 0;
      for (let k = 0; k < drawn.length; k++) if (drawn[k] !== reference[k]) differing++;
      expect(differing).toBe(0);
    });
  }

  it('shows the hovered cell\'s derivation from the row it asked for: the literal numbers of that row', async () => {
    const whole = bigResult(300, { kind: 'causal' });
    const fake = fakeHost(whole);
    const el = await make(withheld(whole), fake.data);
    await settle(el, fake, () => fake.data.raster(0, 0, 'weights') !== null);
    // The keyboard: the live region reads the derivation once the cursor's row has come.
    (el.shadowRoot!.querySelector('.viewport') as HTMLElement).focus();
    await el.updateComplete;
    await settle(el, fake, () => fake.data.row(0, 0, 0) !== undefined);
    expect(el.shadowRoot!.querySelector('#live')?.textContent).toContain('Query 1 "t0", key 1 "t0": weight 1.0000.');
    await hover(el, 250, 17);
    await settle(el, fake, () => fake.data.row(0, 0, 250) !== undefined);
    const rows = fake.asked.filter((a) => a.type === 'row').map((a) => a.request as RowRequest);
    expect(rows.map((r) => r.query)).toEqual([0, 250]);
    const head = whole.layers[0].heads[0];
    const weight = head.weights.data[250 * 300 + 17];
    const scaled = head.scaled!.data[250 * 300 + 17];
    const text = (key: string) => el.shadowRoot!.querySelector(`.tooltip [data-key=${key}] .text`)?.textContent ?? '';
    expect(text('weight')).toContain(`= ${fmt(weight)}`);
    expect(text('scaled')).toContain(`= ${fmt(scaled)}`);
    expect(el.shadowRoot!.querySelector('.tooltip .head')?.textContent).toContain('query 251');
    // The same derivation as the view given the whole matrix.
    const derived = el.derivation;
    cleanup();
    const reference = await make(whole);
    await hover(reference, 250, 17);
    expect(derived).toEqual(reference.derivation);
  });

  it('keeps the last raster on screen while a zoom asks for the next, and drops a stale answer', { timeout: 90_000 }, async () => {
    const whole = bigResult(500, { kind: 'causal' });
    const fake = fakeHost(whole);
    const el = await make(withheld(whole), fake.data);
    await settle(el, fake, () => fake.data.raster(0, 0, 'weights') !== null);
    const first = fake.data.raster(0, 0, 'weights')!;
    el.zoomAt(4, 0, 0);
    await el.updateComplete;
    // Until the next raster comes, the first one is still drawn (no empty canvas).
    expect(pixels(el).some((v, k) => k % 4 === 3 && v > 0)).toBe(true);
    await settle(el, fake, () => fake.data.raster(0, 0, 'weights') !== first);
    const second = fake.data.raster(0, 0, 'weights')!;
    // Zoomed in: only the visible part, one value per cell (the first was pooled).
    expect([first.block, second.block]).toEqual([2, 1]);
    expect(second.rows[1] - second.rows[0]).toBeLessThan(500 / 3);
    // An answer to the first request, arriving late, is not taken; nor one for another snapshot.
    expect(fake.data.receiveRaster(first)).toBe(false);
    expect(fake.data.receiveRaster({ ...second, seq: 2 })).toBe(false);
    expect(fake.data.raster(0, 0, 'weights')).toBe(second);
  });
});

describe('attn-token-view with withheld weights', () => {
  it('draws the active token\'s lines from the row it asked for, and says where it attends most', async () => {
    const whole = bigResult(300, { kind: 'causal' });
    const fake = fakeHost(whole);
    const el = document.createElement('attn-token-view');
    Object.assign(el, { result: withheld(whole), data: fake.data, activeToken: 120 });
    await mount(el);
    await settle(el, fake, () => fake.data.row(0, 0, 120) !== undefined);
    expect(fake.asked.map((a) => (a.request as RowRequest).query)).toEqual([120]);
    const row = whole.layers[0].heads[0].weights.data.subarray(120 * 300, 121 * 300);
    const drawn = [...el.shadowRoot!.querySelectorAll('svg.lines line')].map((l) => Number(l.getAttribute('data-to'))).sort((a, b) => a - b);
    expect(drawn).toEqual([...keysToDraw(row, 'top-k', 0.05)].sort((a, b) => a - b));
    let best = 0;
    for (let j = 0; j < 300; j++) if (row[j] > row[best]) best = j;
    const label = el.shadowRoot!.querySelector('.tok[data-col="q"][data-index="120"]')!.getAttribute('aria-label');
    expect(label).toContain(`attends most to t${best} (token ${best + 1}, ${row[best].toFixed(2)})`);
  });
});
