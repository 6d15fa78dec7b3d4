/**
 * Expected values for the webview tests, computed here from the definitions (plain loops, the ramp stops written out)
 * so a bug in the components' own helpers (colour-scale, stats) cannot change both sides of a test.
 */
import type { Matrix } from '../../src/core/matrix';

type Rgb = [number, number, number];

/** The ramps' stops as documented in colour-scale.ts: sequential low → high, diverging negative → 0 → positive. */
const SEQUENTIAL: Rgb[] = [[38, 20, 71], [45, 88, 140], [32, 144, 140], [94, 196, 98], [248, 230, 40]];
const DIVERGING: Rgb[] = [[33, 80, 160], [110, 160, 210], [236, 236, 236], [230, 130, 100], [170, 25, 40]];
export const MASKED: Rgb = [128, 128, 128];

/** t in [0, 1] → one of 256 levels (round half up), then linear between the stops, rounded per channel. */
function ramp(stops: Rgb[], t: number): Rgb {
  const level = Math.min(255, Math.max(0, Math.floor(t * 255 + 0.5)));
  const x = (level / 255) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  return stops[i].map((a, c) => Math.round(a + (stops[i + 1][c] - a) * f)) as Rgb;
}

/** Weights: 0 … max. */
export function sequentialColour(v: number, max: number): Rgb {
  return ramp(SEQUENTIAL, v / max);
}

/** Scores: −maxAbs … +maxAbs, 0 in the middle. */
export function divergingColour(v: number, maxAbs: number): Rgb {
  return ramp(DIVERGING, (v + maxAbs) / (2 * maxAbs));
}

export function largestFinite(m: Matrix): number {
  let best = -Infinity;
  for (const x of m.data) if (Number.isFinite(x) && x > best) best = x;
  return best;
}

export function largestFiniteMagnitude(m: Matrix): number {
  let best = 0;
  for (const x of m.data) if (Number.isFinite(x) && Math.abs(x) > best) best = Math.abs(x);
  return best;
}

/** Mean over query rows of −Σ w ln w (nats). */
export function meanEntropy(w: Matrix): number {
  let total = 0;
  for (let i = 0; i < w.rows; i++) {
    for (let j = 0; j < w.cols; j++) {
      const p = w.data[i * w.cols + j];
      if (p > 0) total -= p * Math.log(p);
    }
  }
  return total / w.rows;
}

/** Mean weight on key 0 (the "attention sink"). */
export function sinkShare(w: Matrix): number {
  let total = 0;
  for (let i = 0; i < w.rows; i++) total += w.data[i * w.cols];
  return total / w.rows;
}
