/**
 * Readable token text. Uses core's displayToken (imported directly, so the webview bundle does not pull in the tokenizers) (BPE markers such as Ġ → visible space) and
 * isolates the result; the text is always rendered through Lit text bindings, never as HTML.
 */
import { displayToken } from '../src/shared/core';

export function tokenText(s: string): string {
  return displayToken(s);
}

/** Short form for labels and tooltips. */
export function shortToken(s: string, max = 24): string {
  const chars = Array.from(tokenText(s));
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}
