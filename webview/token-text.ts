/**
 * Readable token text. Uses core's displayToken (imported directly, so the webview bundle does not pull in the tokenizers) (BPE markers such as Ġ → visible space) and
 * isolates the result; the text is always rendered through Lit text bindings, never as HTML.
 */
import { html, type TemplateResult } from 'lit';
import { displayToken } from '../src/shared/core';

export function tokenText(s: string): string {
  return displayToken(s);
}

/** Short form for labels and tooltips. */
export function shortToken(s: string, max = 24): string {
  const chars = Array.from(tokenText(s));
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : chars.join('');
}

/** Quoted text (a token, a name, a value from a file), else a run without spaces that holds a bidi control (embedding, override, isolate, mark). */
const ISOLATE = /"(?:[^"\\\n]|\\.)*"|“[^”\n]*”|[^\s"“]*[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069][^\s"“]*/gu;

/**
 * A message that may quote untrusted text (tokens, file names, values): each quoted part, and each word
 * holding a bidi control, is isolated in a <bdi>, so a right-to-left override inside it cannot reverse
 * the rest of the sentence. Text bindings only.
 */
export function isolatedText(message: string): TemplateResult {
  const parts: (string | TemplateResult)[] = [];
  let last = 0;
  for (const m of message.matchAll(ISOLATE)) {
    if (m[0] === '') continue;
    parts.push(message.slice(last, m.index), html`<bdi>${m[0]}</bdi>`);
    last = m.index + m[0].length;
  }
  parts.push(message.slice(last));
  return html`${parts}`;
}
