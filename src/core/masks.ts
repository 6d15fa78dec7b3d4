import type { MaskSpec } from './types';

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

/** A short human description, e.g. "sliding window of 4". */
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
