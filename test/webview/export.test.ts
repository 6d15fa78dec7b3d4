import { afterEach, describe, expect, it } from 'vitest';
import { fromRows } from '../../src/core/matrix';
import {
  csvField, escapeXml, matrixToCsv, matrixToJson, matrixToSvg, suggestedName, SVG_RECT_LIMIT, tokenViewSvg,
} from '../../webview/export';
import { hideTokens } from '../../src/shared/hiddenTokens';
import { pixel, rowSums } from './attn-fixtures';
import type { ExportPayload } from '../../src/shared/protocol';
import { cleanup, mountApp, resultFor, selectionSnapshot, settle, tokenView } from './app-fixtures';
import { userEvent } from 'vitest/browser';

afterEach(cleanup);

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

function bytes(base64: string): Uint8Array {
  return Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
}

function parseSvg(text: string): Document {
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  expect(doc.getElementsByTagName('parsererror').length).toBe(0);
  expect(doc.documentElement.localName).toBe('svg');
  return doc;
}

describe('pure export helpers', () => {
  it('CSV: header of keys, a row per query, quoting, formula defusing, -inf', () => {
    const m = fromRows([[0.25, 0.75], [-Infinity, 1]]);
    const csv = matrixToCsv(m, ['a,b', '=SUM(A1)'], ['say "hi"', 'x\ny']);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines[0]).toBe('"","say ""hi""","x\ny"');
    expect(lines[1]).toBe('"a,b",0.25,0.75');
    expect(lines[2]).toBe(`"'=SUM(A1)",-inf,1`);
    expect(csvField('+1')).toBe(`"'+1"`);
    expect(csvField('plain')).toBe('"plain"');
  });

  it('JSON: parseable, tokens and values, masked cells null', () => {
    const m = fromRows([[1, -Infinity], [0.5, 0.5]]);
    const json = JSON.parse(matrixToJson(m, ['q1', 'q2'], ['k1', 'k2'], { kind: 'scaled', layer: 0, head: 1 }));
    expect(json).toMatchObject({ kind: 'scaled', layer: 0, head: 1, rows: 2, cols: 2, queryTokens: ['q1', 'q2'], keyTokens: ['k1', 'k2'] });
    expect(json.values).toEqual([[1, null], [0.5, 0.5]]);
  });

  it('matrix SVG: one rect per cell when small, an embedded PNG when large; always parseable', () => {
    const small = fromRows([[0.1, 0.9], [0.6, 0.4], [1, 0]]);
    const doc = parseSvg(matrixToSvg(small, ['<a>', '&b', '"c"'], ["'x'", 'y'], { title: 'T <&>' }));
    expect(doc.querySelectorAll('rect').length).toBe(1 + 6);
    expect(doc.querySelector('text')?.textContent).toBe('T <&>');
    const n = SVG_RECT_LIMIT + 1;
    const big = { rows: n, cols: n, data: new Float32Array(n * n).fill(1 / n) };
    const png = 'data:image/png;base64,iVBORw0KGgo=';
    const bigDoc = parseSvg(matrixToSvg(big, [], [], { title: 'big', pngDataUrl: png }));
    expect(bigDoc.querySelectorAll('rect').length).toBe(1);
    expect(bigDoc.querySelector('image')?.getAttribute('href')).toBe(png);
    // Anything but a PNG data URL is not embedded.
    const evil = parseSvg(matrixToSvg(big, [], [], { title: 'big', pngDataUrl: 'javascript:alert(1)' }));
    expect(evil.querySelector('image')).toBeNull();
  });

  it('token SVG escapes hostile text and XML-invalid characters', () => {
    const tokens = ['<script>x</script>', 'a\u0000b', '\uD800', 'ok'];
    const doc = parseSvg(tokenViewSvg({ title: 't', queryTokens: tokens, keyTokens: tokens, lines: [{ from: 0, to: 3, weight: 0.5, color: '#fff' }], activeToken: 0 }));
    expect(doc.querySelector('script')).toBeNull();
    expect([...doc.querySelectorAll('text')].map((t) => t.textContent)).toContain('<script>x</script>');
    expect(escapeXml('a\u0001')).toBe('a\uFFFD');
  });

  it('suggested names are plain file names', () => {
    expect(suggestedName(['../../etc/passwd', 'tokens', 'L1'], 'png')).toBe('etc-passwd-tokens-L1.png');
    expect(suggestedName(['', '***'], 'csv')).toBe('attention.csv');
  });

  it('hidden tokens renormalise every row to sum 1', () => {
    const r = resultFor(['a', 'b', 'c', 'd', 'e'], 2);
    const w = r.layers[0].heads[1].weights;
    const hidden = hideTokens(w, [0, 3, 99]);
    for (const s of rowSums(hidden)) expect(s).toBeCloseTo(1, 5);
    for (let i = 0; i < hidden.rows; i++) {
      expect(hidden.data[i * 5]).toBe(0);
      expect(hidden.data[i * 5 + 3]).toBe(0);
      const kept = w.data[i * 5 + 1] + w.data[i * 5 + 2] + w.data[i * 5 + 4];
      expect(hidden.data[i * 5 + 1]).toBeCloseTo(w.data[i * 5 + 1] / kept, 5);
    }
    expect(hideTokens(w, [])).toBe(w);
    const all = hideTokens(fromRows([[0.5, 0.5]]), [0, 1]);
    expect(Array.from(all.data)).toEqual([0, 0]);
  });
});

describe('export from the app', () => {
  async function exportOf(app: HTMLElement & { exportCurrent(f: 'png' | 'svg' | 'csv' | 'json'): Promise<ExportPayload | null> }, format: 'png' | 'svg' | 'csv' | 'json') {
    const sent: ExportPayload[] = [];
    app.addEventListener('export-request', (e) => sent.push((e as CustomEvent<ExportPayload>).detail), { once: true });
    const payload = await app.exportCurrent(format);
    expect(payload).not.toBeNull();
    expect(sent[0]).toEqual(payload);
    return payload!;
  }

  it('token view: PNG with PNG magic bytes, SVG with the locked token', async () => {
    const app = await mountApp(selectionSnapshot());
    await userEvent.click(tokenView(app).query(1));
    await settle(app);
    const png = await exportOf(app, 'png');
    expect(png.suggestedName).toMatch(/^story\.md-line-1-tokens-L0H0\.png$/);
    expect(Array.from(bytes(png.content).slice(0, 8))).toEqual(PNG_MAGIC);
    const svg = await exportOf(app, 'svg');
    const doc = parseSvg(svg.content);
    expect(doc.querySelector('text[font-weight="bold"]')?.textContent).toBe('animal');
    const lines = doc.querySelectorAll('line');
    expect(lines.length).toBeGreaterThan(0);
  });

  it('matrix view: PNG from the canvas, SVG rects, CSV and JSON of the current kind', async () => {
    const app = await mountApp(selectionSnapshot());
    app.setUi({ view: 'matrix', matrix: 'scaled' });
    await settle(app);
    const n = app.snapshot!.result.tokens.length;
    const png = await exportOf(app, 'png');
    expect(Array.from(bytes(png.content).slice(0, 8))).toEqual(PNG_MAGIC);
    const svg = parseSvg((await exportOf(app, 'svg')).content);
    expect(svg.querySelectorAll('rect').length).toBe(1 + n * n);
    const csv = (await exportOf(app, 'csv')).content.trimEnd().split('\r\n');
    expect(csv.length).toBe(n + 1);
    const json = JSON.parse((await exportOf(app, 'json')).content);
    expect(json.kind).toBe('scaled');
    expect(json.values.length).toBe(n);
  });

  it.each(['weights', 'scaled', 'scores'] as const)('matrix view: the SVG of %s is coloured exactly as the screen', async (kind) => {
    const app = await mountApp(selectionSnapshot(undefined, { mask: { kind: 'window', window: 3 } }));
    app.setUi({ view: 'matrix', matrix: kind });
    await settle(app);
    const matrix = app.shadowRoot!.querySelector('attn-matrix')!;
    const n = app.snapshot!.result.tokens.length;
    const rects = [...parseSvg((await exportOf(app, 'svg')).content).querySelectorAll('rect[x]')];
    expect(rects.length).toBe(n * n);
    const hex = ([r, g, b]: readonly number[]) => `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(rects[i * n + j].getAttribute('fill'), `cell ${i},${j}`).toBe(hex(pixel(matrix, i, j)));
  });

  it('export buttons send an export through the app', async () => {
    const app = await mountApp(selectionSnapshot());
    const got = new Promise<ExportPayload>((resolve) => app.addEventListener('export-request', (e) => resolve((e as CustomEvent<ExportPayload>).detail)));
    const button = app.shadowRoot!.querySelector('attn-export')!.shadowRoot!.querySelector('vscode-button[data-format="csv"]') as HTMLElement;
    await userEvent.click(button);
    const payload = await got;
    expect(payload.format).toBe('csv');
    expect(payload.content.split('\r\n')[1].startsWith('"The",')).toBe(true);
  });
});
