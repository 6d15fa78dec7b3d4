/**
 * The matrix at every panel size: the cell derivation tooltip is shown whole, wherever the cell is, by mouse or
 * keyboard; the heatmap fills the panel and follows its height.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { page, userEvent } from 'vitest/browser';
import '../../webview/components/attn-matrix';
import type { AttnMatrix } from '../../webview/components/attn-matrix';
import { bigResult, cleanup, mount } from './attn-fixtures';

afterEach(cleanup);
afterAll(() => page.viewport(414, 896));

const HEIGHT = 600;

async function make(n: number): Promise<AttnMatrix> {
  const el = document.createElement('attn-matrix');
  el.style.width = '100%';
  // d_k = 8: the longest derivation (every term of q·k is written out).
  Object.assign(el, { result: bigResult(n, { kind: 'none' }, 8), kind: 'weights' });
  return mount(el);
}

function tooltip(el: AttnMatrix): HTMLElement {
  const tip = el.shadowRoot!.querySelector('.tooltip') as HTMLElement | null;
  if (!tip) throw new Error('no tooltip');
  return tip;
}

async function hover(el: AttnMatrix, i: number, j: number): Promise<void> {
  const root = el.shadowRoot as ShadowRoot;
  const viewport = root.querySelector('.viewport') as HTMLElement;
  const r = (root.querySelector('canvas.base') as HTMLCanvasElement).getBoundingClientRect();
  const c = el.cellCenter(i, j);
  viewport.dispatchEvent(new PointerEvent('pointermove', { clientX: r.left + c.x, clientY: r.top + c.y, bubbles: true, pointerId: 1 }));
  await el.updateComplete;
}

/** The tooltip is open in the top layer, its whole box inside the viewport, nothing cut off, numbers not squeezed. */
function expectWhole(el: AttnMatrix, where: string): void {
  const tip = tooltip(el);
  expect(tip.matches(':popover-open'), where).toBe(true);
  const b = tip.getBoundingClientRect();
  const inside = { left: b.left >= 0, top: b.top >= 0, right: b.right <= window.innerWidth, bottom: b.bottom <= window.innerHeight };
  expect(inside, `${where}: ${JSON.stringify(b)} in ${window.innerWidth}×${window.innerHeight}`).toEqual({ left: true, top: true, right: true, bottom: true });
  expect(tip.scrollHeight, `${where}: content taller than the box`).toBeLessThanOrEqual(tip.clientHeight + 1);
  const weight = tip.querySelector('[data-key=weight] .text') as HTMLElement;
  expect(weight.getBoundingClientRect().width, `${where}: weight line squeezed`).toBeGreaterThan(150);
}

describe('attn-matrix tooltip placement', () => {
  for (const width of [320, 1200]) {
    for (const n of [3, 12, 500]) {
      it(`whole inside the viewport for the four corner cells of ${n}×${n} at ${width} px`, async () => {
        await page.viewport(width, HEIGHT);
        const el = await make(n);
        for (const [i, j] of [[0, 0], [0, n - 1], [n - 1, 0], [n - 1, n - 1]]) {
          await hover(el, i, j);
          expectWhole(el, `cell (${i}, ${j})`);
        }
      });
    }
  }

  it('keyboard path while zoomed: the bottom-right cell shows its whole derivation', async () => {
    await page.viewport(320, HEIGHT);
    const el = await make(12);
    el.zoomAt(3);
    await el.updateComplete;
    const viewport = el.shadowRoot!.querySelector('.viewport') as HTMLElement;
    viewport.focus();
    await el.updateComplete;
    await userEvent.keyboard('{End}{PageDown}{PageDown}');
    await el.updateComplete;
    expect(el.activeCell).toEqual({ i: 11, j: 11 });
    expectWhole(el, 'keyboard (11, 11) zoomed');
    await userEvent.keyboard('{Escape}');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector('.tooltip')).toBeNull();
  });
});

describe('attn-matrix fills the panel', () => {
  function drawnBox(el: AttnMatrix): DOMRect {
    return el.shadowRoot!.querySelector('canvas.base')!.getBoundingClientRect();
  }

  it('uses the width of a tall panel and the height of a wide one, and follows height changes', async () => {
    await page.viewport(530, 900);
    const el = await make(500);
    const tall = drawnBox(el);
    expect(tall.width).toBeGreaterThan(530 * 0.9);
    expect(tall.bottom).toBeLessThanOrEqual(window.innerHeight);
    await page.viewport(1200, 500);
    await new Promise((r) => requestAnimationFrame(r));
    await el.updateComplete;
    const wide = drawnBox(el);
    expect(wide.bottom).toBeLessThanOrEqual(window.innerHeight);
    expect(wide.bottom).toBeGreaterThan(window.innerHeight - 40);
    const cellBefore = el.cellSize;
    await page.viewport(1200, 700);
    await new Promise((r) => requestAnimationFrame(r));
    await el.updateComplete;
    expect(el.cellSize).toBeGreaterThan(cellBefore);
    expect(drawnBox(el).bottom).toBeGreaterThan(window.innerHeight - 40);
  });
});
