import { afterEach, describe, expect, it } from 'vitest';
import '../../webview/components/attn-matrix';
import type { AttnMatrix } from '../../webview/components/attn-matrix';
import { divergingColour, largestFinite, largestFiniteMagnitude, MASKED as MASKED_RGB, sequentialColour } from './independent';
import multiHead from '../../examples/multi-head.attention.json';
import causalExample from '../../examples/causal.attention.json';
import { applyTheme, at, bigResult, cleanup, computeResult, exampleResult, mount, pixel, precomputedResult, seriousViolations } from './attn-fixtures';

afterEach(cleanup);

async function make(props: Partial<AttnMatrix>): Promise<AttnMatrix> {
  const el = document.createElement('attn-matrix');
  el.style.width = '640px';
  Object.assign(el, props);
  return mount(el);
}

function parts(el: AttnMatrix) {
  const root = el.shadowRoot as ShadowRoot;
  return {
    viewport: root.querySelector('.viewport') as HTMLElement,
    base: root.querySelector('canvas.base') as HTMLCanvasElement,
    tooltip: () => root.querySelector('.tooltip') as HTMLElement | null,
    live: root.querySelector('[role=status]') as HTMLElement,
  };
}

async function hover(el: AttnMatrix, i: number, j: number): Promise<void> {
  const { viewport, base } = parts(el);
  const r = base.getBoundingClientRect();
  const c = el.cellCenter(i, j);
  viewport.dispatchEvent(new PointerEvent('pointermove', { clientX: r.left + c.x, clientY: r.top + c.y, bubbles: true, pointerId: 1 }));
  await el.updateComplete;
}

function lastNumber(text: string): number {
  const m = text.match(/=\s*(-?[\d.]+)\s*$/);
  if (!m) throw new Error(`no number at end of: ${text}`);
  return parseFloat(m[1]);
}

describe('attn-matrix', () => {
  it('tooltip derives score, scaled and weight with the core values', async () => {
    const result = computeResult();
    const el = await make({ result, layer: 0, head: 1, kind: 'weights' });
    await hover(el, 4, 2);
    const tip = parts(el).tooltip();
    expect(tip).not.toBeNull();
    const line = (k: string) => (tip as HTMLElement).querySelector(`[data-key=${k}] .text`)?.textContent ?? '';
    const h = result.layers[0].heads[1];
    expect(lastNumber(line('score'))).toBeCloseTo(at(h.scores!, 4, 2), 4);
    expect(line('score')).toContain('(');
    expect(lastNumber(line('scaled'))).toBeCloseTo(at(h.scaled!, 4, 2), 4);
    expect(line('scaled')).toContain('÷ 1.50');
    expect(lastNumber(line('weight'))).toBeCloseTo(at(h.weights, 4, 2), 4);
    expect(line('share')).toMatch(/% of z_5/); // query 5, counted from 1 as the token view counts
    expect(tip!.querySelector('.head')!.textContent).toMatch(/^query 5 “.*” → key 3 “/);
    expect(tip!.textContent).toContain('␣sat'); // key 2 is " sat", spaces shown as ␣
  });

  it('example multi-head.attention.json: tooltip numbers equal the core for every head', async () => {
    const result = exampleResult(multiHead);
    for (let h = 0; h < result.layers[0].heads.length; h++) {
      const el = await make({ result, layer: 0, head: h, kind: 'scaled' });
      const head = result.layers[0].heads[h];
      for (const [i, j] of [[0, 0], [3, 1], [5, 4]]) {
        await hover(el, i, j);
        const tip = parts(el).tooltip()!;
        const line = (k: string) => tip.querySelector(`[data-key=${k}] .text`)!.textContent!;
        expect(lastNumber(line('score')).toFixed(4)).toBe(at(head.scores!, i, j).toFixed(4));
        expect(lastNumber(line('scaled')).toFixed(4)).toBe(at(head.scaled!, i, j).toFixed(4));
        expect(lastNumber(line('weight')).toFixed(4)).toBe(at(head.weights, i, j).toFixed(4));
      }
      cleanup();
    }
  });

  it('example causal.attention.json: masked cells above the diagonal are grey in scaled and weights', async () => {
    const result = exampleResult(causalExample);
    const n = result.tokens.length;
    const el = await make({ result, kind: 'weights' });
    const h = result.layers[0].heads[0];
    const max = largestFinite(h.weights);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        const px = pixel(el, i, j);
        if (j > i) expect(px).toEqual([...MASKED_RGB]);
        else expect(px).toEqual(sequentialColour(at(h.weights, i, j), max));
      }
    }
  });

  it('shows all d_k terms when d_k ≤ 8 and elides when larger', async () => {
    const small = computeResult({}, 1, 3);
    const el = await make({ result: small, kind: 'scores' });
    await hover(el, 2, 1);
    const text = parts(el).tooltip()!.querySelector('[data-key=score] .text')!.textContent!;
    expect(text.match(/×/g)?.length).toBe(3);
    cleanup();
    const wide = computeResult({}, 1, 12);
    const el2 = await make({ result: wide, kind: 'scores' });
    await hover(el2, 2, 1);
    const text2 = parts(el2).tooltip()!.querySelector('[data-key=score] .text')!.textContent!;
    expect(text2).toContain('… (12 terms)');
  });

  it('masked cells say so and the canvas paints them in the masked colour', async () => {
    const result = computeResult();
    const el = await make({ result, kind: 'scaled' });
    expect(pixel(el, 1, 4)).toEqual([...MASKED_RGB]);
    await hover(el, 1, 4);
    const text = parts(el).tooltip()!.textContent!;
    expect(text).toContain('masked');
    el.kind = 'weights';
    await el.updateComplete;
    expect(pixel(el, 0, 5)).toEqual([...MASKED_RGB]);
    // legend has the masked entry
    expect(el.shadowRoot!.querySelector('.legend')!.textContent).toContain('masked');
  });

  it('paints each visible cell in the colour of its value (weights: sequential, scores: diverging)', async () => {
    const result = computeResult({ mask: { kind: 'none' } });
    const h = result.layers[0].heads[0];
    const el = await make({ result, kind: 'weights' });
    const max = largestFinite(h.weights);
    for (const [i, j] of [[0, 0], [3, 2], [5, 5], [2, 4]]) {
      expect(pixel(el, i, j)).toEqual(sequentialColour(at(h.weights, i, j), max));
    }
    el.kind = 'scores';
    await el.updateComplete;
    const maxAbs = largestFiniteMagnitude(h.scores!);
    for (const [i, j] of [[1, 1], [4, 0], [5, 3]]) {
      expect(pixel(el, i, j)).toEqual(divergingColour(at(h.scores!, i, j), maxAbs));
    }
    expect(el.shadowRoot!.querySelector('.legend')!.textContent).toContain('symmetric around 0');
  });

  it('keyboard: focus shows the tooltip, arrows move, Escape hides, Enter locks the row token', async () => {
    const result = computeResult();
    const el = await make({ result });
    const { viewport } = parts(el);
    const locks: (number | null)[] = [];
    const hovers: (number | null)[] = [];
    el.addEventListener('token-lock', (e) => locks.push((e as CustomEvent).detail.index));
    document.body.addEventListener('token-hover', (e) => hovers.push((e as CustomEvent).detail.index));
    viewport.focus();
    await el.updateComplete;
    expect(el.activeCell).toEqual({ i: 0, j: 0 });
    expect(parts(el).tooltip()).not.toBeNull();
    const key = async (k: string) => {
      viewport.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true }));
      await el.updateComplete;
    };
    await key('ArrowDown');
    await key('ArrowDown');
    await key('ArrowRight');
    expect(el.activeCell).toEqual({ i: 2, j: 1 });
    // Counted from 1, as the token view counts tokens (cell (2, 1) is query 3, key 2); no "head head", no "click".
    expect(parts(el).live.textContent).toMatch(/^Query 3 ".*", key 2 "/);
    const said = `${viewport.getAttribute('aria-label')} ${parts(el).live.textContent}`;
    expect(said).not.toMatch(/head head|click/i);
    // The live region reads the whole derivation, as the tooltip shows it.
    for (const line of parts(el).tooltip()!.querySelectorAll('.line .text')) expect(parts(el).live.textContent).toContain(line.textContent);
    expect(hovers).toContain(2);
    await key('ArrowUp');
    expect(el.activeCell).toEqual({ i: 1, j: 1 });
    await key('Escape');
    expect(parts(el).tooltip()).toBeNull();
    await key('Enter');
    expect(locks).toEqual([1]);
    el.lockedToken = 1;
    await el.updateComplete;
    await key('Enter');
    expect(locks).toEqual([1, null]);
  });

  it('precomputed results: tooltip shows only the weight and says Q/K are not in the file', async () => {
    const result = precomputedResult();
    const el = await make({ result, layer: 1, head: 2, kind: 'scores' });
    expect(el.shadowRoot!.textContent).toContain('only attention weights');
    await hover(el, 3, 1);
    const tip = parts(el).tooltip()!;
    expect(tip.textContent).toContain('Q and K are not in the file');
    expect(tip.querySelector('[data-key=score]')).toBeNull();
    expect(parseFloat(tip.querySelector('[data-key=weight] .text')!.textContent!)).toBeCloseTo(at(result.layers[1].heads[2].weights, 3, 1), 4);
    // mask from the options still marks masked cells
    expect(pixel(el, 1, 3)).toEqual([...MASKED_RGB]);
  });

  it('zoom buttons and wheel change the cell size; hidden tokens are dimmed', async () => {
    const result = bigResult(200);
    const el = await make({ result });
    const before = el.cellSize;
    const zoomIn = el.shadowRoot!.querySelector('button[aria-label="Zoom in"]') as HTMLButtonElement;
    zoomIn.click();
    await el.updateComplete;
    expect(el.cellSize).toBeGreaterThan(before);
    const { viewport, base } = parts(el);
    const r = base.getBoundingClientRect();
    viewport.dispatchEvent(new WheelEvent('wheel', { deltaY: -100, clientX: r.left + 200, clientY: r.top + 200, bubbles: true, cancelable: true }));
    await el.updateComplete;
    expect(el.cellSize).toBeGreaterThan(before * 1.4);
    (el.shadowRoot!.querySelector('button[aria-label="Fit matrix"]') as HTMLButtonElement).click();
    await el.updateComplete;
    expect(el.cellSize).toBeCloseTo(before, 5);

    cleanup();
    const small = computeResult({ mask: { kind: 'none' } });
    const el2 = await make({ result: small });
    const normal = pixel(el2, 2, 3);
    const visible = pixel(el2, 2, 2);
    el2.hiddenTokens = [3];
    await el2.updateComplete;
    expect(pixel(el2, 2, 3)).not.toEqual(normal);
    expect(pixel(el2, 2, 2)).toEqual(visible); // a column that is not hidden keeps its colour
  });

  it('large N: hover does not repaint the heatmap (paint and hover times: bench/render.mjs)', async () => {
    const result = bigResult(2048);
    const el = await make({ result });
    const { base } = parts(el);
    const ctx = base.getContext('2d') as CanvasRenderingContext2D;
    let draws = 0;
    const orig = ctx.drawImage.bind(ctx);
    (ctx as unknown as { drawImage: (...a: unknown[]) => void }).drawImage = (...a: unknown[]) => {
      draws++;
      (orig as (...a: unknown[]) => void)(...a);
    };
    for (let k = 0; k < 20; k++) await hover(el, 100 + k * 37, 50 + k * 11);
    expect(draws).toBe(0);
    expect(parts(el).tooltip()).not.toBeNull();
  });

  for (const theme of ['dark', 'light', 'high-contrast'] as const) {
    it(`has no serious or critical axe violations (${theme})`, async () => {
      applyTheme(theme);
      const el = await make({ result: computeResult() });
      parts(el).viewport.focus();
      await el.updateComplete;
      expect(await seriousViolations(el)).toEqual([]);
    });
  }
});
