/**
 * The pipeline view of a large result (issue 14): the snapshot withholds the focused head's n×n matrices, and the view
 * asks for their thumbnails (rasters at thumbnail size) and the traced row. Here the "host" answers from the whole
 * result with the worker's own functions (src/compute/raster.ts), and the pictures and numbers must be those the
 * view draws from the whole matrices.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '../../webview/components/attn-pipeline';
import type { AttnPipeline } from '../../webview/components/attn-pipeline';
import { blockFor, poolBlockMax, type AttentionResult, type MaskSpec } from '../../src/shared/core';
import { summarizeHeads } from '../../src/core';
import { isWithheld, type RasterRequest, type RowRequest } from '../../src/shared/protocol';
import { answerRaster } from '../../src/compute/raster';
import { slimResult } from '../../src/compute/slice';
import { WithheldData } from '../../webview/withheld-data';
import { EXPORT_PROVIDER_EVENT, type ExportRegistration } from '../../webview/export-provider';
import { fmt } from '../../webview/render/format';
import { bigResult, cleanup, mount } from './attn-fixtures';
import { fakeHost } from './withheld-host';

afterEach(cleanup);

const N_BY_N = ['scores', 'scaled', 'mask', 'weights'];
const FOCUS = { layer: 0, head: 0, view: 'pipeline', matrix: 'weights' } as const;

/** What a large snapshot carries in the pipeline view: the real slice. */
function slimmed(whole: AttentionResult): AttentionResult {
  return slimResult(whole, FOCUS, summarizeHeads(whole));
}


async function make(result: AttentionResult, activeToken: number | null, data?: WithheldData): Promise<{ el: AttnPipeline; exported: () => ExportRegistration | null }> {
  let registration: ExportRegistration | null = null;
  const grab = (e: Event) => (registration = (e as CustomEvent<ExportRegistration>).detail);
  document.body.addEventListener(EXPORT_PROVIDER_EVENT, grab);
  const el = document.createElement('attn-pipeline');
  Object.assign(el, { result, layer: 0, head: 0, activeToken, ...(data ? { data } : {}) });
  await mount(el);
  document.body.removeEventListener(EXPORT_PROVIDER_EVENT, grab);
  return { el, exported: () => registration };
}

/** Re-renders as the app does when answers arrive (dataVersion), until `done`. */
async function settle(el: AttnPipeline, fake: { changes: () => number }, done: () => boolean): Promise<void> {
  for (let k = 0; k < 300 && !done(); k++) {
    await new Promise((r) => setTimeout(r, 10));
    el.dataVersion = fake.changes();
    await el.updateComplete;
  }
  await new Promise((r) => requestAnimationFrame(() => r(null)));
}

function step(el: AttnPipeline, id: string): HTMLElement {
  return el.shadowRoot!.querySelector(`li.step[data-step="${id}"]`) as HTMLElement;
}

function pixels(el: AttnPipeline, id: string): { width: number; height: number; data: Uint8ClampedArray } | null {
  const canvas = step(el, id).querySelector('canvas') as HTMLCanvasElement | null;
  if (!canvas) return null;
  return { width: canvas.width, height: canvas.height, data: canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data };
}

const traces = (el: AttnPipeline) => [...el.shadowRoot!.querySelectorAll('li.step')].map((li) => [(li as HTMLElement).dataset.step, li.querySelector('.trace')?.textContent ?? null]);
const thumbsDone = (el: AttnPipeline) => N_BY_N.every((id) => step(el, id).querySelector('canvas') !== null);

describe('attn-pipeline with a large result\'s withheld matrices', () => {
  const cases: [string, MaskSpec, number][] = [['causal', { kind: 'causal' }, 137], ['none', { kind: 'none' }, 499], ['dilated', { kind: 'dilated', window: 8, dilation: 3 }, 0]];
  for (const [name, mask, row] of cases) {
    it(`draws the thumbnails it asked for pixel for pixel as from the whole matrices, and the same traced row (${name}, 500 tokens)`, { timeout: 90_000 }, async () => {
      const whole = bigResult(500, mask);
      const { el: reference } = await make(whole, row);
      const expected = new Map(N_BY_N.map((id) => [id, pixels(reference, id)]));
      const expectedTraces = traces(reference);
      cleanup();

      const slim = slimmed(whole);
      const head = slim.layers[0].heads[0];
      expect([head.scores, head.scaled, head.weights].every(isWithheld)).toBe(true);
      const fake = fakeHost(whole);
      const { el } = await make(slim, row, fake.data);
      // While the answers are coming: placeholders, not wrong data; shapes from the withheld matrices.
      for (const id of N_BY_N) {
        expect(step(el, id).querySelector('canvas')).toBeNull();
        expect(step(el, id).querySelector('.missing[data-pending]')?.textContent).toBe('Asking the compute process for this step…');
        expect(step(el, id).querySelector('.shape')?.textContent).toBe('500×500');
        expect(step(el, id).querySelector('.trace')?.textContent).toBe(`row ${row + 1}: …`);
      }
      await settle(el, fake, () => thumbsDone(el) && !el.shadowRoot!.querySelector('.trace[data-pending]'));

      // One thumbnail-sized raster per matrix (the scaling step is the scores' raster times scale ÷ T), one row.
      const rasters = fake.asked.filter((a) => a.type === 'raster').map((a) => a.request as RasterRequest);
      expect(rasters.map((r) => [r.matrix, r.rows, r.cols, r.outWidth, r.outHeight])).toEqual([
        ['scores', [0, 500], [0, 500], 64, 64], ['scaled', [0, 500], [0, 500], 64, 64], ['weights', [0, 500], [0, 500], 64, 64],
      ]);
      expect(fake.asked.filter((a) => a.type === 'row').map((a) => (a.request as RowRequest).query)).toEqual([row]);
      for (const id of N_BY_N) {
        const drawn = pixels(el, id)!;
        const want = expected.get(id)!;
        expect([drawn.width, drawn.height]).toEqual([want!.width, want!.height]);
        let differing = 0;
        for (let k = 0; k < drawn.data.length; k++) if (drawn.data[k] !== want!.data[k]) differing++;
        expect(differing, id).toBe(0);
      }
      expect(traces(el)).toEqual(expectedTraces);
    });
  }

  it('the traced row shows the literal numbers of the matrices, and the scaling step is the scores times scale ÷ T', { timeout: 90_000 }, async () => {
    const whole = bigResult(300, { kind: 'causal' });
    const fake = fakeHost(whole);
    const { el } = await make(slimmed(whole), 250, fake.data);
    await settle(el, fake, () => thumbsDone(el) && !el.shadowRoot!.querySelector('.trace[data-pending]'));
    const h = whole.layers[0].heads[0];
    const row = (m: Float32Array, f = 1) => Array.from(m.subarray(250 * 300, 250 * 300 + 4), (v) => Math.fround(v * f));
    const text = (id: string) => step(el, id).querySelector('.trace')!.textContent;
    const f = h.scale / whole.options.temperature;
    expect(f).toBeCloseTo(1 / 4, 12); // d_k = 16
    const literal = (values: number[]) => `row 251: [${values.map((v) => fmt(v, 3)).join(', ')}, …]`;
    expect(text('scores')).toBe(literal(row(h.scores!.data)));
    expect(text('scaled')).toBe(literal(row(h.scores!.data, f)));
    expect(text('mask')).toBe(literal(row(h.scaled!.data)));
    expect(text('weights')).toBe(literal(row(h.weights.data)));
  });

  it('pooling the scores then scaling them is pooling the scaled scores, whatever the sign of the factor', () => {
    const scores = bigResult(300, { kind: 'none' }).layers[0].heads[0].scores!;
    const block = blockFor(300, 64);
    const pooled = poolBlockMax(scores, 'diverging', block).values;
    for (const f of [0.25, 1 / 3, -0.5]) {
      const scaled = { ...scores, data: scores.data.map((v) => v * f) };
      expect([...pooled.map((v) => v * f)]).toEqual([...poolBlockMax(scaled, 'diverging', block).values]);
    }
  });

  it('the SVG export holds the withheld steps as drawn; one still coming says so in one sentence', { timeout: 90_000 }, async () => {
    const whole = bigResult(300, { kind: 'causal' });
    const fake = fakeHost(whole);
    const { el, exported } = await make(slimmed(whole), 7, fake.data);
    const colors = { background: '#1f1f1f', foreground: '#cccccc', font: 'monospace', dim: '#9d9d9d', border: '#454545', highlight: '#0078d4' };
    const svg = () => new DOMParser().parseFromString(exported()!.provider.svg({ title: 'pipeline', colors }), 'image/svg+xml');
    const card = (doc: Document, id: string) => doc.querySelector(`g.step[data-step="${id}"]`)!;
    const pending = svg();
    for (const id of N_BY_N) {
      expect(card(pending, id).querySelector('image')).toBeNull();
      expect([...card(pending, id).querySelectorAll('text[font-size="9"]')].map((t) => t.textContent).join(' ')).toBe('Not in this export: this step was still coming from the compute process; export again in a moment.');
      expect(card(pending, id).querySelector('text.trace')).toBeNull();
    }
    await settle(el, fake, () => thumbsDone(el) && !el.shadowRoot!.querySelector('.trace[data-pending]'));
    const done = svg();
    for (const id of N_BY_N) {
      expect(card(done, id).querySelector('image')).not.toBeNull();
      expect(card(done, id).querySelector('text.trace')!.textContent).toBe(step(el, id).querySelector('.trace')!.textContent);
    }
  });

  it('without a data store (nothing to ask), the steps say they are not in the snapshot and index nothing', async () => {
    const { el } = await make(slimmed(bigResult(300, { kind: 'causal' })), 3);
    for (const id of N_BY_N) {
      expect(step(el, id).querySelector('canvas')).toBeNull();
      expect(step(el, id).querySelector('.missing')!.textContent).toBe('Not in this snapshot.');
      expect(step(el, id).querySelector('.trace')).toBeNull();
    }
    // Q, K, V and Z travel whole: drawn and traced as ever.
    expect(step(el, 'q').querySelector('canvas')).not.toBeNull();
    expect(step(el, 'z').querySelector('.trace')!.textContent).toMatch(/^row 4: \[/);
  });
});

describe('WithheldData thumbnails', () => {
  it('asks one at a time (the host answers only the newest raster request), each once; a heatmap request makes the one asked be asked again', () => {
    const whole = bigResult(300, { kind: 'causal' });
    const sent: RasterRequest[] = [];
    const data = new WithheldData((r) => r.type === 'raster' && sent.push(r.request), () => undefined);
    data.showing(4);
    for (const matrix of ['scores', 'scaled', 'weights', 'scores'] as const) expect(data.thumb(0, 0, matrix, 300, 300, 64)).toBeUndefined();
    expect(sent.map((r) => r.matrix)).toEqual(['scores']);
    expect(data.receiveRaster(answerRaster(whole, sent[0]))).toBe(true);
    expect(sent.map((r) => r.matrix)).toEqual(['scores', 'scaled']);
    expect(data.thumb(0, 0, 'scores', 300, 300, 64)).toMatchObject({ matrix: 'scores', block: 5, width: 60, height: 60 });
    // The matrix view's raster supersedes the scaled thumbnail at the host: its late answer is not taken, and it is asked again.
    data.askRaster({ layer: 0, head: 0, matrix: 'weights', rows: [0, 300], cols: [0, 300], outWidth: 100, outHeight: 100 });
    expect(data.receiveRaster(answerRaster(whole, sent[1]))).toBe(false);
    expect(data.thumb(0, 0, 'scaled', 300, 300, 64)).toBeUndefined();
    // The queue goes on with the weights' thumbnail (queued first), then the scaled one again.
    expect(sent.map((r) => [r.matrix, r.outWidth])).toEqual([['scores', 64], ['scaled', 64], ['weights', 100], ['weights', 64]]);
    expect(data.receiveRaster(answerRaster(whole, sent[3]))).toBe(true);
    expect(sent.map((r) => [r.matrix, r.outWidth]).slice(4)).toEqual([['scaled', 64]]);
  });
});
