import type { Matrix } from './matrix';
import type { KernelMask } from './kernels';
import type { MaskSpec } from './types';

/**
 * The one owner of the mask rules: which keys a query sees, how many, which contiguous span, how a mask is
 * named and built. The WebAssembly kernel has its own fast path for the same rule; kernels.test.ts checks they agree.
 */

/** Mask kinds, in the order the WebAssembly kernel numbers them (0 … 3). */
export const MASK_KINDS = ['none', 'causal', 'window', 'dilated'] as const satisfies readonly MaskSpec['kind'][];
export type MaskKind = (typeof MASK_KINDS)[number];

/** A mask of `kind`; `window` and `dilation` are used only by the kinds that have them. */
export function maskOf(kind: MaskKind, window: number, dilation: number): MaskSpec {
  switch (kind) {
    case 'none':
    case 'causal':
      return { kind };
    case 'window':
      return { kind, window };
    case 'dilated':
      return { kind, window, dilation };
  }
}

/** The window width of a window or dilated mask. */
export function maskWindow(mask: MaskSpec): number | undefined {
  return mask.kind === 'window' || mask.kind === 'dilated' ? mask.window : undefined;
}

/** The dilation of a dilated mask. */
export function maskDilation(mask: MaskSpec): number | undefined {
  return mask.kind === 'dilated' ? mask.dilation : undefined;
}

/**
 * Whether query i may attend to key j. Every mask except 'none' is causal (j ≤ i);
 * with n ≠ m (cross-attention) the same j ≤ i rule applies.
 */
export function isVisible(mask: MaskSpec, i: number, j: number): boolean {
  switch (mask.kind) {
    case 'none':
      return true;
    case 'causal':
      return j <= i;
    case 'window':
      return j <= i && i - j < mask.window;
    case 'dilated': {
      const back = i - j;
      return back >= 0 && back % mask.dilation === 0 && back / mask.dilation < mask.window;
    }
  }
}

/** −∞ wherever `mask` hides a pair of a rows × cols matrix, else 0 (for weights that came without scaled scores); null: nothing hidden. */
export function hiddenPairs(mask: MaskSpec, rows: number, cols: number): Matrix | null {
  if (mask.kind === 'none') return null;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) if (!isVisible(mask, i, j)) data[i * cols + j] = -Infinity;
  return { rows, cols, data };
}

/**
 * When every query i sees exactly the keys i − span + 1 … i (causal: span ∞; sliding window: its width), that
 * span; null when the visible keys are not such a run (no mask, dilated).
 */
export function contiguousSpan(mask: MaskSpec | undefined): number | null {
  if (mask?.kind === 'causal') return Infinity;
  if (mask?.kind === 'window') return mask.window;
  return null;
}

/** Keys [lo, hi) that any query in rows [i0, i1) can see: a superset (the cells outside it are all hidden). */
export function visibleKeyRange(mask: MaskSpec, i0: number, i1: number, m: number): readonly [number, number] {
  switch (mask.kind) {
    case 'none':
      return [0, m];
    case 'causal':
      return [0, Math.min(i1, m)];
    case 'window':
      return [Math.max(0, Math.min(m, i0 - mask.window + 1)), Math.min(i1, m)];
    case 'dilated':
      return [Math.max(0, Math.min(m, i0 - (mask.window - 1) * mask.dilation)), Math.min(i1, m)];
  }
}

/** Number of keys among 0 … m-1 that query i sees. O(1). */
export function visibleKeyCount(mask: MaskSpec, i: number, m: number): number {
  switch (mask.kind) {
    case 'none':
      return m;
    case 'causal':
      return Math.max(0, Math.min(i + 1, m));
    case 'window':
      return Math.max(0, Math.min(i, m - 1) - Math.max(0, i - mask.window + 1) + 1);
    case 'dilated': {
      // Keys i - k·r for k = 0 … window-1, kept when 0 ≤ key ≤ m-1.
      const r = mask.dilation;
      const kMin = i > m - 1 ? Math.ceil((i - (m - 1)) / r) : 0;
      const kMax = Math.min(mask.window - 1, Math.floor(i / r));
      return Math.max(0, kMax - kMin + 1);
    }
  }
}

/** Query–key pairs the mask lets through for n queries and m keys. O(n). */
export function countVisiblePairs(mask: MaskSpec, n: number, m: number): number {
  if (mask.kind === 'none') return n * m;
  let total = 0;
  for (let i = 0; i < n; i++) total += visibleKeyCount(mask, i, m);
  return total;
}

/** A short human description, e.g. "sliding window of 4". The only wording of a mask in the product. */
export function describeMask(mask: MaskSpec): string {
  switch (mask.kind) {
    case 'none':
      return 'no mask';
    case 'causal':
      return 'causal';
    case 'window':
      return `sliding window of ${mask.window}`;
    case 'dilated':
      return `dilated window of ${mask.window}, dilation ${mask.dilation}`;
  }
}

/** The mask as the WebAssembly kernel reads it: a kind number, its parameters and the block key range. */
export function kernelMask(mask: MaskSpec): KernelMask {
  return {
    code: MASK_KINDS.indexOf(mask.kind),
    window: maskWindow(mask) ?? 0,
    dilation: maskDilation(mask) ?? 0,
    keyRange: (i0, i1, m) => visibleKeyRange(mask, i0, i1, m),
  };
}
