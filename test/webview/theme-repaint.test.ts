/** Canvases read theme colours when they paint: a theme switch must repaint them (labels, thumbnails). */
import { afterEach, describe, expect, it } from 'vitest';
import '../../webview/components/attn-matrix';
import '../../webview/components/attn-head-grid';
import { applyTheme } from '../../webview/theme';
import { cleanup, computeResult, mount, precomputedResult } from './attn-fixtures';

afterEach(() => {
  cleanup();
  document.documentElement.removeAttribute('style');
});

/** Lets the MutationObserver deliver and Lit re-render. */
async function afterThemeSwitch(el: { updateComplete: Promise<boolean> }): Promise<void> {
  await new Promise((r) => setTimeout(r, 0));
  await el.updateComplete;
}

/** The darkest and lightest luminance among the opaque pixels of a canvas region. */
function labelInk(canvas: HTMLCanvasElement, w: number, h: number): { darkest: number; lightest: number } {
  const d = canvas.getContext('2d')!.getImageData(0, 0, w, h).data;
  let darkest = 255;
  let lightest = 0;
  for (let p = 0; p < d.length; p += 4) {
    if (d[p + 3] < 200) continue;
    const y = 0.2126 * d[p] + 0.7152 * d[p + 1] + 0.0722 * d[p + 2];
    darkest = Math.min(darkest, y);
    lightest = Math.max(lightest, y);
  }
  return { darkest, lightest };
}

describe('theme switches repaint the canvases', () => {
  it('matrix labels: white on HC Dark, dark on HC Light after the switch', async () => {
    applyTheme('high-contrast');
    const el = document.createElement('attn-matrix');
    el.style.width = '600px';
    Object.assign(el, { result: computeResult(), kind: 'weights' });
    await mount(el);
    const canvas = el.shadowRoot!.querySelector('canvas.base') as HTMLCanvasElement;
    const dpr = canvas.width / parseFloat(canvas.style.width);
    const rowLabels = () => labelInk(canvas, Math.floor(20 * dpr), canvas.height); // the row-label column
    expect(rowLabels().lightest).toBeGreaterThan(200);
    applyTheme('high-contrast-light');
    await afterThemeSwitch(el);
    const after = rowLabels();
    expect(after.darkest).toBeLessThan(80);
    expect(after.lightest).toBeLessThan(200); // no white label left over from the dark theme
  });

  it('head-grid thumbnails are redrawn (their row marker follows the focus colour)', async () => {
    applyTheme('dark');
    const el = document.createElement('attn-head-grid');
    Object.assign(el, { result: precomputedResult(1, 2), lockedToken: 2 });
    await mount(el);
    const canvas = el.shadowRoot!.querySelector('canvas[data-layer]') as HTMLCanvasElement;
    const before = canvas.toDataURL();
    applyTheme('high-contrast');
    await afterThemeSwitch(el);
    expect(canvas.toDataURL()).not.toBe(before);
  });
});
