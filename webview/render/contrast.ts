/**
 * Colours that keep their meaning readable on the theme's background: WCAG contrast ratios, and a palette
 * colour moved toward black (light themes) or white (dark themes) until a line drawn at a given opacity
 * reaches the ratio. Pure, so tests compute the same numbers from what was drawn.
 */
import { luminance, type Rgb } from './colour-scale';

/** Lines and bars carry meaning: WCAG 1.4.11 asks 3:1 of non-text graphics. */
export const GRAPHIC_CONTRAST = 3;

/** '#rrggbb', '#rgb' or 'rgb(r, g, b)' as RGB; null when it is none of these. */
export function parseColour(css: string): Rgb | null {
  const s = css.trim();
  let m = /^#([0-9a-f]{6})([0-9a-f]{2})?$/i.exec(s);
  if (m) return [0, 2, 4].map((k) => parseInt(m![1].slice(k, k + 2), 16)) as unknown as Rgb;
  m = /^#([0-9a-f]{3})$/i.exec(s);
  if (m) return [0, 1, 2].map((k) => parseInt(m![1][k] + m![1][k], 16)) as unknown as Rgb;
  m = /^rgba?\(\s*([\d.]+)[ ,]+([\d.]+)[ ,]+([\d.]+)/i.exec(s);
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])] as unknown as Rgb;
  return null;
}

export function contrastRatio(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/** `fg` drawn at `alpha` over `bg`. */
export function blend(fg: Rgb, bg: Rgb, alpha: number): Rgb {
  return [0, 1, 2].map((k) => Math.round(fg[k] * alpha + bg[k] * (1 - alpha))) as unknown as Rgb;
}

function hex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/**
 * `colour`, or the nearest mix of it with black (on a light background) or white (on a dark one), such that
 * drawn at `alpha` over `background` it has at least `ratio` contrast. Returns '#rrggbb'.
 */
export function readableOn(colour: string, background: string, alpha = 1, ratio = GRAPHIC_CONTRAST): string {
  const fg = parseColour(colour);
  const bg = parseColour(background);
  if (!fg || !bg) return colour;
  const target: Rgb = luminance(bg) > 0.18 ? [0, 0, 0] : [255, 255, 255];
  for (let t = 0; t <= 1.0001; t += 0.05) {
    const mixed = blend(target, fg, t);
    if (contrastRatio(blend(mixed, bg, alpha), bg) >= ratio) return hex(mixed);
  }
  return hex(target);
}
