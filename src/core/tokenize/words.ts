import type { Token } from '../types';

/**
 * Numbers (3.14, 1,000), words with inner apostrophes (didn't, l’homme), and single
 * punctuation or symbol characters (with their combining marks). Any script's letters count.
 */
const WORD = /\p{N}+(?:[.,]\p{N}+)*|[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}\p{M}\p{N}_]+)*|[^\s\p{L}\p{M}\p{N}_]\p{M}*/gu;

export function tokenizeWords(text: string): Token[] {
  return Array.from(text.matchAll(WORD), (m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}
