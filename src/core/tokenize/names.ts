/** The tokenizers of the selection flow: whitespace-and-punctuation words, or GPT-2's byte-level BPE. */
export const TOKENIZERS = ['words', 'gpt2'] as const;
export type TokenizerName = (typeof TOKENIZERS)[number];
