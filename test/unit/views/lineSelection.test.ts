import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { keysToDraw, MASS, TOP_K } from '../../../webview/render/line-selection';
import { tintLevels, TINT_LEVELS } from '../../../src/editor/tintLevels';
import { blend, contrastRatio, parseColour } from '../../../webview/render/contrast';
import pkg from '../../../package.json';

describe('keysToDraw', () => {
  const row = [0.05, 0.3, 0, 0.1, 0.25, 0.2, 0.1];

  it('top-k: the k strongest positive keys, strongest first, ties by index', () => {
    expect(keysToDraw(row, 'top-k', 0)).toEqual([1, 4, 5, 3, 6, 0]); // 6 positive keys, k = 8
    const flat = Array.from({ length: 2000 }, (_, j) => (j === 1234 ? 0.002 : 0.0004995));
    const drawn = keysToDraw(flat, 'top-k', 0.05);
    expect(drawn).toHaveLength(TOP_K);
    expect(drawn[0]).toBe(1234);
    expect(drawn.slice(1)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it('mass: the fewest strongest keys holding 90% of the weight', () => {
    // 0.3 + 0.25 + 0.2 + 0.1 = 0.85 < 0.9; + 0.1 = 0.95.
    expect(keysToDraw(row, 'mass', 0)).toEqual([1, 4, 5, 3, 6]);
  });

  it('threshold: every weight at or above it (the old rule)', () => {
    expect(keysToDraw(row, 'threshold', 0.2)).toEqual([1, 4, 5]);
    expect(keysToDraw(row, 'threshold', 0)).toEqual([1, 4, 5, 3, 6, 0]);
  });

  it('properties: top-k is the k largest; mass holds ≥ 90% and dropping its weakest key falls below', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 300 }), (xs) => {
        const top = keysToDraw(xs, 'top-k', 0);
        const positive = xs.filter((x) => x > 0).sort((a, b) => b - a);
        expect(top.map((j) => xs[j])).toEqual(positive.slice(0, TOP_K));
        const total = positive.reduce((a, b) => a + b, 0);
        const mass = keysToDraw(xs, 'mass', 0);
        const held = mass.reduce((a, j) => a + xs[j], 0);
        if (total > 0) {
          expect(held).toBeGreaterThanOrEqual(MASS * total * (1 - 1e-9));
          expect(held - xs[mass[mass.length - 1]]).toBeLessThan(MASS * total);
        }
      }),
      { seed: 15, numRuns: 300 },
    );
  });
});

describe('tintLevels', () => {
  it('scales to the row maximum: the max gets the darkest level at any N', () => {
    expect(tintLevels([0.5, 0.25, 0.05, 0.04, 0])).toEqual([5, 3, 1, 0, 0]);
    const n = 2324;
    const row = Array.from({ length: n }, (_, j) => (j === 7 ? 0.004 : 0.0004));
    const levels = tintLevels(row);
    expect(levels[7]).toBe(TINT_LEVELS);
    expect(levels.filter((l) => l > 0).length).toBe(n);
    expect(levels[0]).toBe(1);
  });

  it('an all-zero row tints nothing', () => {
    expect(tintLevels([0, 0, 0])).toEqual([0, 0, 0]);
  });
});

describe('editor tint colours (package.json defaults)', () => {
  // Editor background and text of the default theme of each kind (Dark Modern, Light Modern, HC Dark, HC Light).
  const THEMES = {
    dark: { bg: '#1f1f1f', fg: '#cccccc' },
    light: { bg: '#ffffff', fg: '#3b3b3b' },
    highContrast: { bg: '#000000', fg: '#ffffff' },
    highContrastLight: { bg: '#ffffff', fg: '#292929' },
  } as const;
  const colours = (pkg as { contributes: { colors: { id: string; defaults: Record<string, string> }[] } }).contributes.colors;
  const byId = (id: string) => colours.find((c) => c.id === id)!.defaults;
  const rgba = (hex: string) => {
    const v = [1, 3, 5, 7].map((k) => parseInt(hex.slice(k, k + 2) || 'ff', 16));
    return { rgb: [v[0], v[1], v[2]] as const, alpha: v[3] / 255 };
  };

  for (const [kind, { bg, fg }] of Object.entries(THEMES)) {
    // The underline is drawn in the text's own colour (tokenDecorations.ts), so it keeps the text's contrast.
    it(`${kind}: text, and the underline in its colour, keep 4.5:1 on every tint level`, () => {
      const bgRgb = parseColour(bg)!;
      for (let level = 1; level <= TINT_LEVELS; level++) {
        const { rgb, alpha } = rgba(byId(`selfAttention.attentionTint${level}`)[kind]);
        const tinted = blend([...rgb], bgRgb, alpha);
        expect(contrastRatio(parseColour(fg)!, tinted), `level ${level}`).toBeGreaterThanOrEqual(4.5);
      }
    });
  }
});
