/** Editor tint levels of one attention row: pure, so unit tests need no VS Code. */

/** Weight buckets for the tints; each has its own theme colour (contributed in package.json). */
export const TINT_LEVELS = 5;
/** Underline width (px) of each level. */
export const UNDERLINE_PX: readonly number[] = [1, 1, 2, 2, 3];

/** Below this share of the row's maximum a key gets no tint (thousands of near-zero tints are noise). */
const MIN_RELATIVE = 0.1;

/** Tint level of each key, 0 (none) to TINT_LEVELS (the row's maximum), by weight ÷ the row's maximum. */
export function tintLevels(weights: ArrayLike<number>): number[] {
  let max = 0;
  for (let j = 0; j < weights.length; j++) if (weights[j] > max) max = weights[j];
  return Array.from(weights, (w) => (max > 0 && w >= MIN_RELATIVE * max ? Math.min(TINT_LEVELS, Math.ceil((w / max) * TINT_LEVELS)) : 0));
}

