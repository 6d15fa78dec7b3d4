/**
 * Colour scales for the heatmaps: the only ramps in the product (the canvas, the thumbnails, the legends and the
 * exported SVG all read them). Both ramps are our own hand-picked stops, interpolated linearly in sRGB and quantised
 * to a 256-entry lookup table so a whole matrix is coloured with one table read per cell. The same table backs
 * `colourOf`, so tests can predict a pixel exactly.
 */
import { finiteMax, maxAbsFinite, type Matrix } from '../../src/shared/core';
import type { MatrixKind } from '../../src/shared/protocol';

export type Rgb = readonly [number, number, number];
export type ScaleKind = 'sequential' | 'diverging' | 'difference';

/** Low → high: deep indigo, blue, teal, green, yellow. Readable on dark and light backgrounds. */
const SEQUENTIAL_STOPS: readonly Rgb[] = [
  [38, 20, 71],
  [45, 88, 140],
  [32, 144, 140],
  [94, 196, 98],
  [248, 230, 40],
];

/** Negative → 0 → positive: blue, near-white neutral, red. */
const DIVERGING_STOPS: readonly Rgb[] = [
  [33, 80, 160],
  [110, 160, 210],
  [236, 236, 236],
  [230, 130, 100],
  [170, 25, 40],
];

/**
 * Δweight of a "what if" run: blue lower, near-white unchanged, red higher. The ends have a luminance of about 0.2, so
 * they reach 3:1 on the editor background of every theme: dark, light and both high-contrast ones.
 */
const DIFFERENCE_STOPS: readonly Rgb[] = [
  [40, 120, 230],
  [140, 180, 235],
  [236, 236, 236],
  [235, 150, 130],
  [225, 60, 50],
];

/** Masked cells (−∞ before softmax): a neutral grey no ramp produces, plus hatching when cells are big. */
export const MASKED_RGB: Rgb = [128, 128, 128];
export const MASKED_HATCH = 'rgba(40, 40, 40, 0.55)';

export const LUT_SIZE = 256;

function interpolate(stops: readonly Rgb[], t: number): Rgb {
  const x = Math.min(1, Math.max(0, t)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(x));
  const f = x - i;
  const a = stops[i];
  const b = stops[i + 1];
  return [
    Math.round(a[0] + (b[0] - a[0]) * f),
    Math.round(a[1] + (b[1] - a[1]) * f),
    Math.round(a[2] + (b[2] - a[2]) * f),
  ];
}

function buildTable(stops: readonly Rgb[]): Rgb[] {
  const out: Rgb[] = [];
  for (let k = 0; k < LUT_SIZE; k++) out.push(interpolate(stops, k / (LUT_SIZE - 1)));
  return out;
}

const TABLES: Record<ScaleKind, Rgb[]> = {
  sequential: buildTable(SEQUENTIAL_STOPS),
  diverging: buildTable(DIVERGING_STOPS),
  difference: buildTable(DIFFERENCE_STOPS),
};

function pack([r, g, b]: Rgb): number {
  // ImageData is RGBA bytes; read through a Uint32Array on a little-endian machine that is ABGR.
  return ((255 << 24) | (b << 16) | (g << 8) | r) >>> 0;
}

const PACKED: Record<ScaleKind, Uint32Array> = {
  sequential: Uint32Array.from(TABLES.sequential, pack),
  diverging: Uint32Array.from(TABLES.diverging, pack),
  difference: Uint32Array.from(TABLES.difference, pack),
};
export const MASKED_PACKED = pack(MASKED_RGB);

/** How values map onto a ramp. Sequential: [min, max] → [0, 1]. Diverging: [−maxAbs, maxAbs], 0 in the middle. */
export interface ColourDomain {
  readonly kind: ScaleKind;
  readonly min: number;
  readonly max: number;
}

export function sequentialDomain(min: number, max: number): ColourDomain {
  return { kind: 'sequential', min, max: max > min ? max : min + 1 };
}

export function divergingDomain(maxAbs: number): ColourDomain {
  const a = maxAbs > 0 ? maxAbs : 1;
  return { kind: 'diverging', min: -a, max: a };
}

/** Δweight: like diverging ([−maxAbs, maxAbs], 0 in the middle), on the difference ramp. */
export function differenceDomain(maxAbs: number): ColourDomain {
  return { ...divergingDomain(maxAbs), kind: 'difference' };
}

/** How a whole matrix of this kind is coloured: weights from 0 to their largest value, scores diverging around 0. */
export function matrixDomain(kind: MatrixKind, m: Matrix): ColourDomain {
  if (kind === 'weights') {
    const hi = finiteMax(m.data);
    return sequentialDomain(0, hi > 0 ? hi : 1);
  }
  return divergingDomain(maxAbsFinite(m.data));
}

/** Lookup-table index of a finite value. */
export function lutIndex(value: number, d: ColourDomain): number {
  const x = (value - d.min) * ((LUT_SIZE - 1) / (d.max - d.min));
  return x <= 0 ? 0 : x >= LUT_SIZE - 1 ? LUT_SIZE - 1 : Math.floor(x + 0.5);
}

export function packedTable(kind: ScaleKind): Uint32Array {
  return PACKED[kind];
}

/** The colour a cell with this value gets (masked → MASKED_RGB). */
export function colourOf(value: number, d: ColourDomain, masked = false): Rgb {
  if (masked || value === -Infinity) return MASKED_RGB;
  if (Number.isNaN(value)) return MASKED_RGB;
  return TABLES[d.kind][lutIndex(value, d)];
}

export function rgbCss([r, g, b]: Rgb): string {
  return `rgb(${r}, ${g}, ${b})`;
}

export function rgbHex(rgb: Rgb): string {
  return `#${rgb.map((v) => v.toString(16).padStart(2, '0')).join('')}`;
}

/** Relative luminance (0–1), for picking a legible text colour over a cell. */
export function luminance([r, g, b]: Rgb): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

/**
 * Black or white, whichever contrasts more with this background: black above a luminance of 0.179, where
 * (L + 0.05) / 0.05 = 1.05 / (L + 0.05). Either way the text reaches at least 4.58:1.
 */
export function textOn(bg: Rgb): string {
  return luminance(bg) > Math.sqrt(1.05 * 0.05) - 0.05 ? '#000000' : '#ffffff';
}

/** A CSS linear-gradient of the ramp (left = domain min), for legends. */
export function cssGradient(kind: ScaleKind, steps = 9): string {
  const t = TABLES[kind];
  const parts: string[] = [];
  for (let s = 0; s < steps; s++) {
    const k = Math.round((s / (steps - 1)) * (LUT_SIZE - 1));
    parts.push(`${rgbCss(t[k])} ${((s / (steps - 1)) * 100).toFixed(1)}%`);
  }
  return `linear-gradient(to right, ${parts.join(', ')})`;
}
