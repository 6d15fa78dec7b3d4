import { afterEach, describe, expect, it } from 'vitest';
import '../../webview/components/attn-pipeline';
import type { AttnPipeline } from '../../webview/components/attn-pipeline';
import encoderExample from '../../examples/encoder-2-layers.attention.json';
import { applyTheme, cleanup, computeResult, exampleResult, mount, precomputedResult, seriousViolations } from './attn-fixtures';

afterEach(cleanup);

async function make(props: Partial<AttnPipeline>): Promise<AttnPipeline> {
  const el = document.createElement('attn-pipeline');
  Object.assign(el, props);
  return mount(el);
}

function steps(el: AttnPipeline): Map<string, HTMLElement> {
  const out = new Map<string, HTMLElement>();
  el.shadowRoot!.querySelectorAll<HTMLElement>('li.step').forEach((li) => out.set(li.dataset.step!, li));
  return out;
}

const text = (el: Element | ShadowRoot | undefined | null, sel: string) => el?.querySelector(sel)?.textContent?.trim() ?? '';

describe('attn-pipeline', () => {
  it('shows every step with its shape for a known encoder example', async () => {
    const el = await make({ result: computeResult(), layer: 0, head: 1 });
    const s = steps(el);
    const expected: [string, string, string][] = [
      ['x', 'X', '6×4'],
      ['wq', 'W_Q', '4×3'],
      ['wk', 'W_K', '4×3'],
      ['wv', 'W_V', '4×3'],
      ['q', 'Q', '6×3'],
      ['k', 'K', '6×3'],
      ['v', 'V', '6×3'],
      ['scores', 'Q·Kᵀ', '6×6'],
      ['scaled', '÷√d_k, ÷T', '6×6'],
      ['mask', 'mask', '6×6'],
      ['weights', 'softmax', '6×6'],
      ['z', '·V → Z', '6×3'],
      ['concat', 'concat (2 heads)', '6×6'],
      ['wo', '·W_O', '6×4'],
      ['addnorm1', 'add & norm', '6×4'],
      ['ffnHidden', 'feed-forward (ReLU)', '6×8'],
      ['ffnOutput', 'feed-forward out', '6×4'],
      ['addnorm2', 'add & norm', '6×4'],
    ];
    expect([...s.keys()]).toEqual(expected.map((e) => e[0]));
    for (const [id, name, shape] of expected) {
      expect(text(s.get(id), '.name')).toBe(name);
      expect(text(s.get(id), '.shape')).toBe(shape);
      expect(text(s.get(id), '.explain').length).toBeGreaterThan(20);
    }
    // thumbnails are drawn for every matrix the result keeps, the projections W_Q, W_K, W_V included
    expect(s.get('q')!.querySelector('canvas')!.width).toBeGreaterThan(0);
    expect(s.get('wq')!.querySelector('canvas')!.width).toBeGreaterThan(0);
    expect(text(s.get('scaled'), '.explain')).toContain('1/√3');
    expect(text(s.get('mask'), '.explain')).toContain('causal');
  });

  it('example encoder-2-layers.attention.json: layer 2 shapes follow the core matrices', async () => {
    const result = exampleResult(encoderExample);
    const el = await make({ result, layer: 1, head: 0 });
    const s = steps(el);
    const L = result.layers[1];
    const H = L.heads[0];
    const sh = (m: { rows: number; cols: number } | null | undefined) => (m ? `${m.rows}×${m.cols}` : '');
    expect(text(s.get('x'), '.shape')).toBe(sh(L.input));
    expect(text(s.get('x'), '.explain')).toContain('output of layer 1');
    expect(text(s.get('q'), '.shape')).toBe(sh(H.q));
    expect(text(s.get('weights'), '.shape')).toBe(sh(H.weights));
    expect(text(s.get('z'), '.shape')).toBe(sh(H.output));
    expect(text(s.get('addnorm2'), '.shape')).toBe(sh(L.encoder!.addNorm2));
    expect(text(s.get('ffnHidden'), '.shape')).toBe(sh(L.encoder!.ffnHidden));
  });

  it('traces the active token row through every step with the core values', async () => {
    const result = computeResult();
    const el = await make({ result, layer: 0, head: 0, activeToken: 2 });
    const s = steps(el);
    const h = result.layers[0].heads[0];
    const w = h.weights;
    const want = `row 3: [${[0, 1, 2, 3].map((j) => w.data[2 * w.cols + j].toFixed(3)).join(', ')}, …]`;
    expect(text(s.get('weights'), '.trace')).toBe(want);
    const q = h.q!;
    expect(text(s.get('q'), '.trace')).toBe(`row 3: [${[0, 1, 2].map((j) => q.data[2 * q.cols + j].toFixed(3)).join(', ')}]`);
    expect(s.get('wq')!.querySelector('.trace')).toBeNull();
    expect(el.shadowRoot!.textContent).toContain('Tracing token 3');
    // the traced row is outlined in the thumbnail: the canvas changes when the row does
    const canvas = s.get('weights')!.querySelector('canvas')!;
    const before = canvas.toDataURL();
    el.activeToken = 4;
    await el.updateComplete;
    expect(canvas.toDataURL()).not.toBe(before);
  });

  it('cost readout: computed pairs vs n² and the growth table for the mask', async () => {
    const el = await make({ result: computeResult({ mask: { kind: 'window', window: 2 } }) });
    const readout = text(el.shadowRoot, '.readout');
    // window 2 over 6 tokens: 1 + 2·5 = 11 pairs of 36
    expect(readout).toContain('11');
    expect(readout).toContain('36');
    expect(readout).toContain('30.6%');
    const rows = el.shadowRoot!.querySelectorAll('tbody tr');
    expect([...rows].map((r) => (r as HTMLElement).dataset.n)).toEqual(['128', '512', '2048', '8192']);
    expect(text(rows[0], '.pairs')).toBe((1 + 2 * 127).toLocaleString('en-US'));
    expect(text(rows[3], '.pairs')).toBe((1 + 2 * 8191).toLocaleString('en-US'));
    el.result = computeResult({ mask: { kind: 'causal' } });
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelectorAll('tbody tr')[0], '.pairs')).toBe((128 * 129 / 2).toLocaleString('en-US'));
  });

  it('precomputed results say what is missing', async () => {
    const el = await make({ result: precomputedResult() });
    expect(el.shadowRoot!.textContent).toContain('only attention weights');
    const s = steps(el);
    expect(text(s.get('weights'), '.shape')).toBe('5×5');
    expect(s.get('weights')!.querySelector('canvas')).not.toBeNull();
    expect(text(s.get('q'), '.missing')).toBe('not in this result');
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    it(`has no serious or critical axe violations (${theme})`, async () => {
      applyTheme(theme);
      const el = await make({ result: computeResult(), activeToken: 1 });
      expect(await seriousViolations(el)).toEqual([]);
    });
  }
});
