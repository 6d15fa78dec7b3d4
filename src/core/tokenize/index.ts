import type { Token } from '../types';
import { tokenizeGpt2 } from './gpt2';
import { tokenizeWords } from './words';

export type TokenizerName = 'words' | 'gpt2';

export function tokenize(text: string, tokenizer: TokenizerName): Token[] {
  return tokenizer === 'gpt2' ? tokenizeGpt2(text) : tokenizeWords(text);
}

export { displayToken } from './display';
export { tokenizeGpt2, tokenizeWords };
