import { afterEach, describe, expect, it } from 'vitest';
import type { ExportPayload } from '../../src/shared/protocol';
import { cleanup, fileSnapshot, mountApp, settle } from './app-fixtures';
import { applyTheme, exampleResult } from './attn-fixtures';
import iAmGood from '../../examples/i-am-good.attention.json';
import multiHead from '../../examples/multi-head.attention.json';
import type { AttnApp } from '../../webview/components/attn-app';

afterEach(cleanup);

async function exportOf(app: AttnApp, format: 'png' | 'svg'): Promise<ExportPayload> {
  const payload = await app.exportCurrent(format);
  expect(payload).not.toBeNull();
  return payload!;
}

function parseSvg(text: string): Document {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror').length).toBe(0);
  return doc;
}

const texts = (root: ParentNode, selector = 'text') => [...root.querySelectorAll(selector)].map((t) => t.textContent);

/** Width, height and the RGB of pixel (x, y) of a base64 PNG. */
async function pngPixel(base64: string, x: number, y: number): Promise<{ width: number; height: number; rgb: number[] }> {
  const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], { type: 'image/png' }));
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d')!;
  ctx.drawImage(bitmap, 0, 0);
  return { width: bitmap.width, height: bitmap.height, rgb: [...ctx.getImageData(x, y, 1, 1).data.slice(0, 3)] };
}

describe('exports of the Pipeline and Heads views, as drawn', () => {
  it('pipeline: every step card with its shape, thumbnail and traced row, and the cost of the mask', async () => {
    applyTheme('light');
    const app = await mountApp(fileSnapshot(exampleResult(iAmGood), 'i-am-good.attention.json'));
    app.setUi({ view: 'pipeline', lockedToken: 1 });
    await settle(app);
    const svg = await exportOf(app, 'svg');
    expect(svg.suggestedName).toBe('i-am-good-pipeline-L0H0-weights.svg');
    const doc = parseSvg(svg.content);
    expect(doc.querySelector('text')!.textContent).toBe('i-am-good.attention.json — L0H0 (self), pipeline');
    expect(texts(doc).slice(1, 3)).toEqual(['L0H0 (self): how the numbers flow', 'Tracing token 2 “am” through every step.']);
    const steps = [...doc.querySelectorAll('g.step')];
    expect(steps.map((g) => g.getAttribute('data-step'))).toEqual(['x', 'wq', 'wk', 'wv', 'q', 'k', 'v', 'scores', 'scaled', 'mask', 'weights', 'z', 'concat']);
    const card = (id: string) => doc.querySelector(`g.step[data-step="${id}"]`)!;
    expect(texts(card('x')).slice(0, 2)).toEqual(['X', '3×4']);
    expect(texts(card('wq')).slice(0, 2)).toEqual(['W_Q', '4×3']);
    expect(texts(card('weights')).slice(0, 2)).toEqual(['softmax', '3×3']);
    // The traced row 1 of X is the embedding of "am" in the file: [0.1, 1, 0.1, 0.5].
    expect(card('x').querySelector('text.trace')!.textContent).toBe('row 2: [0.100, 1.000, 0.100, 0.500]');
    // The same traces as the cards on screen.
    const pipeline = app.shadowRoot!.querySelector('attn-pipeline')!.shadowRoot!;
    expect(texts(doc, 'text.trace')).toEqual(texts(pipeline, '.trace'));
    // Weight matrices have no token rows: no trace, no band.
    expect(card('wq').querySelector('.trace')).toBeNull();
    // Every step has its thumbnail as a PNG image, and the token rows carry the traced row's band.
    expect(steps.every((g) => g.querySelector('image')?.getAttribute('href')?.startsWith('data:image/png;base64,'))).toBe(true);
    expect(card('weights').querySelector('rect.trace')).not.toBeNull();
    expect(card('x').querySelector('text.explain')!.textContent).toBe('Each token enters as a');
    expect(texts(doc, 'text.readout')).toEqual(['no mask: 9 query–key pairs computed of 9 for full attention (100.0%).']);
    expect(texts(doc, 'text.cost').slice(4, 8)).toEqual(['128', '16,384', '16,384', '100.0%']);
    // The SVG uses the theme's colours: the light background.
    expect(doc.querySelector('rect')!.getAttribute('fill')).toBe('#ffffff');

    const png = await exportOf(app, 'png');
    const width = Number(doc.documentElement.getAttribute('width'));
    const height = Number(doc.documentElement.getAttribute('height'));
    const { width: w, height: h, rgb } = await pngPixel(png.content, 2, 2);
    expect([w, h]).toEqual([width * 2, height * 2]); // rasterised from the SVG at 2×, not the focused heatmap
    expect(rgb).toEqual([255, 255, 255]);
  });

  it('heads: one card per head in the layers × heads grid, with its statistics and the selected head outlined', async () => {
    applyTheme('dark');
    const app = await mountApp(fileSnapshot(exampleResult(multiHead), 'multi-head.attention.json'));
    app.setUi({ view: 'grid', head: 2 });
    await settle(app);
    const grid = app.shadowRoot!.querySelector('attn-head-grid')!;
    const svg = await exportOf(app, 'svg');
    expect(svg.suggestedName).toBe('multi-head-grid-L0H2-weights.svg');
    const doc = parseSvg(svg.content);
    expect(doc.querySelector('text')!.textContent).toBe('multi-head.attention.json — 1 layer, heads');
    const heads = [...doc.querySelectorAll('g.head')];
    expect(heads.map((g) => g.getAttribute('data-label'))).toEqual(['L0H0 (nouns)', 'L0H1 (verb)', 'L0H2 (position)']);
    expect(texts(doc).filter((t) => /^[LH]\d$/.test(t!))).toEqual(['H0', 'H1', 'H2', 'L0']);
    // The statistics are those the cards show on screen.
    const shown = [...grid.shadowRoot!.querySelectorAll('button.card .stats')].map((s) => s.textContent!.replace(/\s+/g, ' ').trim());
    expect(heads.map((g) => texts(g, 'text.stat').join(' '))).toEqual(shown);
    expect(shown[0]).toMatch(/^H \d\.\d\d nats, max 0\.\d\d, sink \d+%$/);
    expect(heads.map((g) => g.querySelector('rect')!.getAttribute('stroke-width'))).toEqual(['1', '1', '2']);
    expect(heads.every((g) => g.querySelector('image')?.getAttribute('href')?.startsWith('data:image/png;base64,'))).toBe(true);

    const png = await exportOf(app, 'png');
    const { width: w, rgb } = await pngPixel(png.content, 2, 2);
    expect(w).toBe(Number(doc.documentElement.getAttribute('width')) * 2);
    expect(rgb).toEqual([0x1f, 0x1f, 0x1f]);
  });
});
