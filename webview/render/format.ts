/** Number and token formatting shared by the matrix views. Output is plain text only. */
// Imported directly (not via core/index) so the webview bundle does not pull in the tokenizers.
import { displayToken } from '../../src/shared/core';

/** Fixed decimals; −∞ and NaN spelled out. Uses ASCII '-' so values copy and parse cleanly. */
export function fmt(x: number, digits = 4): string {
  if (x === -Infinity) return '-∞';
  if (x === Infinity) return '∞';
  if (Number.isNaN(x)) return 'NaN';
  const s = x.toFixed(digits);
  return /^-0\.?0*$/.test(s) ? s.slice(1) : s;
}

/** Short form for cell text and thumbnails: 3 significant-ish digits. */
export function fmtShort(x: number): string {
  if (!Number.isFinite(x)) return x === -Infinity ? '-∞' : fmt(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1000 || a < 0.01)) return x.toExponential(1);
  return fmt(x, a >= 100 ? 0 : a >= 10 ? 1 : 2);
}

/**
 * A token made readable for labels, using core's displayToken (spaces '␣', line breaks '⏎', tabs '⇥',
 * BPE markers read as spaces), shortened with '…' when longer than `max` characters.
 */
export function tokenLabel(token: string, max = 14): string {
  const chars = Array.from(displayToken(token));
  return chars.length > max ? chars.slice(0, max - 1).join('') + '…' : chars.join('');
}
