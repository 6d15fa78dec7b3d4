/** Contrast of what is drawn, computed from the drawn SVG colours, in each of the four theme kinds. */
import { afterEach, describe, expect, it } from 'vitest';
import '../../webview/components/attn-token-view';
import type { AttnTokenView } from '../../webview/components/attn-token-view';
import { applyTheme, THEME_PRESETS, type ThemeName } from '../../webview/theme';
import { blend, contrastRatio, GRAPHIC_CONTRAST, parseColour } from '../../webview/render/contrast';
import { resultFor } from './app-fixtures';
import { cleanup, mount } from './attn-fixtures';

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
