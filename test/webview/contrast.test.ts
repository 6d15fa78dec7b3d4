/** Contrast of what is drawn, computed from the drawn SVG colours, in each of the four theme kinds. */
import { afterEach, describe, expect, it } from 'vitest';
import '../../webview/components/attn-token-view';
import '../../webview/components/attn-matrix';
import type { AttnMatrix } from '../../webview/components/attn-matrix';
import type { Rgb } from '../../webview/render/colour-scale';
import type { AttnTokenView } from '../../webview/components/attn-token-view';
import { applyTheme, THEME_PRESETS, type ThemeName } from '../../webview/theme';
import { blend, contrastRatio, GRAPHIC_CONTRAST, parseColour } from '../../webview/render/contrast';
import { resultFor } from './app-fixtures';
import { cleanup, computeResult, mount } from './attn-fixtures';

afterEach(() => {
  cleanup();
  document.documentElement.removeAttribute('style');
});

const THEMES = Object.keys(THEME_PRESETS) as ThemeName[];

describe('drawn lines and key bars keep 3:1 against the background', () => {
  for (const theme of THEMES) {
    it(`${theme}: every head's lines, at their faintest, and the key bars`, async () => {
      applyTheme(theme);
      const bg = parseColour(THEME_PRESETS[theme]['editor-background'])!;
      const el = document.createElement('attn-token-view') as AttnTokenView;
      el.result = resultFor(['The', 'cat', 'sat', 'on', 'the', 'mat', '.'], 12);
      el.overlayHeads = Array.from({ length: 11 }, (_, h) => h + 1);
      el.lineRule = 'threshold';
      el.threshold = 0;
      await mount(el);
      const lines = [...el.shadowRoot!.querySelectorAll('line')];
      expect(new Set(lines.map((l) => l.dataset.head)).size).toBe(12);
      const worst = new Map<string, number>();
      for (const line of lines) {
        const drawn = blend(parseColour(line.getAttribute('stroke')!)!, bg, Number(line.getAttribute('stroke-opacity')));
        const ratio = contrastRatio(drawn, bg);
        worst.set(line.dataset.head!, Math.min(worst.get(line.dataset.head!) ?? Infinity, ratio));
      }
      for (const [head, ratio] of worst) expect(ratio, `head ${head}`).toBeGreaterThanOrEqual(GRAPHIC_CONTRAST);
      el.activeToken = 3;
      await el.updateComplete;
      const bars = [...el.shadowRoot!.querySelectorAll<HTMLElement>('.bar')];
      expect(bars.length).toBeGreaterThan(0);
      for (const bar of bars) expect(contrastRatio(parseColour(getComputedStyle(bar).backgroundColor)!, bg)).toBeGreaterThanOrEqual(GRAPHIC_CONTRAST);
    });
  }
});

/** WCAG 1.4.3: text. */
const TEXT_CONTRAST = 4.5;

/** The canvas pixels of a CSS-px box, composited over the page background (the canvas is transparent). */
function pixels(canvas: HTMLCanvasElement, x: number, y: number, w: number, h: number, bg: Rgb): Rgb[] {
  const dpr = canvas.width / parseFloat(canvas.style.width);
  const d = canvas.getContext('2d')!.getImageData(Math.round(x * dpr), Math.round(y * dpr), Math.max(1, Math.round(w * dpr)), Math.max(1, Math.round(h * dpr))).data;
  const out: Rgb[] = [];
  for (let k = 0; k < d.length; k += 4) out.push(blend([d[k], d[k + 1], d[k + 2]] as unknown as Rgb, bg, d[k + 3] / 255));
  return out;
}

/** The strongest contrast any pixel in `px` has against `ground`: the text's own colour where a glyph is solid. */
function textContrast(px: readonly Rgb[], ground: Rgb): number {
  return px.reduce((m, p) => Math.max(m, contrastRatio(p, ground)), 1);
}

describe('the heatmap, read from the canvas, keeps its text readable', () => {
  for (const theme of THEMES) {
    it(`${theme}: every value on its cell and every label on the background reach 4.5:1`, async () => {
      applyTheme(theme);
      const bg = parseColour(THEME_PRESETS[theme]['editor-background'])!;
      for (const kind of ['weights', 'scores'] as const) {
        const el = document.createElement('attn-matrix') as AttnMatrix;
        el.style.width = '640px';
        Object.assign(el, { result: computeResult({ mask: { kind: 'none' } }), kind });
        await mount(el);
        const base = el.shadowRoot!.querySelector('canvas.base') as HTMLCanvasElement;
        const c = el.cellSize;
        expect(c).toBeGreaterThanOrEqual(28); // values are drawn
        const n = el.result!.tokens.length;
        const labelW = el.cellCenter(0, 0).x - c / 2;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            const { x, y } = el.cellCenter(i, j);
            const fill = pixels(base, x - c / 2 + 2, y - c / 2 + 2, 1, 1, bg)[0];
            const ratio = textContrast(pixels(base, x - c / 3, y - c / 6, (2 * c) / 3, c / 3, bg), fill);
            expect(ratio, `${kind} cell ${i},${j}`).toBeGreaterThanOrEqual(TEXT_CONTRAST);
          }
          const { y } = el.cellCenter(i, 0);
          const label = textContrast(pixels(base, 2, y - 5, labelW - 6, 10, bg), bg);
          expect(label, `row label ${i}`).toBeGreaterThanOrEqual(TEXT_CONTRAST);
        }
        cleanup();
      }
    });
  }
});
