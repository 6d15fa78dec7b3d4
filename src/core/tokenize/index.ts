import type { Token } from '../types';
import { tokenizeGpt2 } from './gpt2';
import { tokenizeWords } from './words';
import type { TokenizerName } from './names';

export function tokenize(text: string, tokenizer: TokenizerName): Token[] {
  return tokenizer === 'gpt2' ? tokenizeGpt2(text) : tokenizeWords(text);
}

export { displayToken } from './display';
export { TOKENIZERS, type TokenizerName } from './names';
export { tokenizeGpt2, tokenizeWords };
