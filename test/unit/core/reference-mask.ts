import type { MaskSpec } from '../../../src/core';

/**
 * The test's own statement of the mask rules (README, "How the numbers are made"), as the set of keys query i sees
 * among m: written as lists of keys, not as the core's isVisible predicate, so a bug there cannot hide on both sides.
 */
export function visibleKeys(mask: MaskSpec, i: number, m: number): Set<number> {
  const keys: number[] = [];
  switch (mask.kind) {
    case 'none':
      for (let j = 0; j < m; j++) keys.push(j);
      break;
    case 'causal': // itself and every earlier key
      for (let j = 0; j <= i; j++) keys.push(j);
      break;
    case 'window': // the `window` most recent keys, itself included
      for (let back = 0; back < mask.window; back++) keys.push(i - back);
      break;
    case 'dilated': // itself, then every `dilation`-th earlier key, `window` keys in all
      for (let step = 0; step < mask.window; step++) keys.push(i - step * mask.dilation);
      break;
  }
  return new Set(keys.filter((j) => j >= 0 && j < m));
}
