// Exact tokens and offsets, written out by hand: each case pins one rule of the tokenizers or of displayToken.
import { describe, expect, it } from 'vitest';
import { displayToken, tokenize, type Token } from '../../../src/core';

const spans = (tokens: Token[]) => tokens.map((t) => [t.text, t.start, t.end]);
const FFFD = '\uFFFD';

describe('words tokenizer, literal spans', () => {
  it('numbers keep inner dots and commas, not a trailing one', () => {
    expect(spans(tokenize('3.14.15 1,2,3 4.', 'words'))).toEqual([['3.14.15', 0, 7], ['1,2,3', 8, 13], ['4', 14, 15], ['.', 15, 16]]);
    expect(spans(tokenize('2026 12.50', 'words'))).toEqual([['2026', 0, 4], ['12.50', 5, 10]]);
  });

  it('words take letters, marks, digits and underscores, and one apostrophe between letters', () => {
    expect(spans(tokenize('x_1 _a n’t e\u0301 Ⅻ ½ 東京', 'words'))).toEqual([
      ['x_1', 0, 3], ['_a', 4, 6], ['n’t', 7, 10], ['e\u0301', 11, 13], ['Ⅻ', 14, 15], ['½', 16, 17], ['東京', 18, 20],
    ]);
    expect(spans(tokenize("a''b", 'words'))).toEqual([['a', 0, 1], ["'", 1, 2], ["'", 2, 3], ['b', 3, 4]]);
    expect(spans(tokenize('l’homme didn\'t', 'words'))).toEqual([['l’homme', 0, 7], ["didn't", 8, 14]]);
  });

  it('each punctuation or symbol character is a token, with its combining marks', () => {
    expect(spans(tokenize(',\u0301 -- $5', 'words'))).toEqual([[',\u0301', 0, 2], ['-', 3, 4], ['-', 4, 5], ['$', 6, 7], ['5', 7, 8]]);
  });
});

describe('gpt2 tokenizer, re-syncing pieces that do not round-trip', () => {
  // A lone surrogate is encoded as U+FFFD, which decodes to a piece not in the text: an empty "\uFFFD" token.
  it('a piece found up to 8 characters ahead takes the skipped text', () => {
    expect(spans(tokenize('\uD800b', 'gpt2'))).toEqual([[FFFD, 0, 0], ['\uD800b', 0, 2]]);
    expect(spans(tokenize(`${'\uD800'.repeat(8)}b c`, 'gpt2'))).toEqual([
      [FFFD, 0, 0], [FFFD, 0, 0], [`${'\uD800'.repeat(8)}b`, 0, 9], [' c', 9, 11],
    ]);
  });

  it('pieces left over once the text is covered are empty tokens at its end, inside the text', () => {
    // The surrogate's U+FFFD piece is re-synced to the U+FFFD two characters on, taking all three; two pieces remain.
    expect(spans(tokenize('\uD800a\uFFFD', 'gpt2'))).toEqual([['\uD800a\uFFFD', 0, 3], [FFFD, 3, 3], [FFFD, 3, 3]]);
  });

  it('9 characters ahead is too far: empty tokens, and the last one takes the rest of the text', () => {
    expect(spans(tokenize(`${'\uD800'.repeat(9)}b c`, 'gpt2'))).toEqual([
      [FFFD, 0, 0], [FFFD, 0, 0], [FFFD, 0, 0], [FFFD, 0, 0], [`${'\uD800'.repeat(9)}b c`, 0, 12],
    ]);
  });

  it('a character split across tokens: an empty fragment, then the token that completes it', () => {
    expect(spans(tokenize('你好', 'gpt2'))).toEqual([[FFFD, 0, 0], ['你', 0, 1], [FFFD, 1, 1], ['好', 1, 2]]);
    expect(spans(tokenize('a\uD800', 'gpt2'))).toEqual([['a', 0, 1], ['\uD800', 1, 2]]);
    expect(spans(tokenize('x\r\ny', 'gpt2'))).toEqual([['x', 0, 1], ['\r', 1, 2], ['\n', 2, 3], ['y', 3, 4]]);
    expect(tokenize('', 'gpt2')).toEqual([]);
  });
});

describe('displayToken, literal', () => {
  it('CRLF is one ⏎, a lone CR one ⏎; markers only at the start; DEL and NEL are control characters', () => {
    expect(['x\r\ny', '\r', 'a b', 'ĉx', 'Ċ', 'ĠĠa', 'aĊ', '\u007f', 'a\u0085', '\t\t'].map(displayToken))
      .toEqual(['x⏎y', '⏎', 'a␣b', '⇥x', '⏎', '␣␣a', 'aĊ', '·', 'a·', '⇥⇥']);
  });
});
