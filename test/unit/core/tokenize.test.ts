import { describe, expect, it } from 'vitest';
import { displayToken, tokenize, type Token } from '../../../src/core';

const texts = (tokens: Token[]) => tokens.map((t) => t.text);

function expectWellFormed(text: string, tokens: Token[]): void {
  let last = 0;
  for (const t of tokens) {
    expect(t.start).toBeGreaterThanOrEqual(last);
    expect(t.end).toBeGreaterThanOrEqual(t.start);
    expect(t.end).toBeLessThanOrEqual(text.length);
    last = t.end;
  }
}

describe('words tokenizer', () => {
  it('keeps contractions, splits punctuation, handles numbers and Unicode letters', () => {
    expect(texts(tokenize('Don’t stop: 3.14 is π, naïve Ärger über 1,000 東京!', 'words'))).toEqual([
      'Don’t', 'stop', ':', '3.14', 'is', 'π', ',', 'naïve', 'Ärger', 'über', '1,000', '東京', '!',
    ]);
  });

  it('offsets reconstruct every token', () => {
    for (const text of ["The animal didn't cross the street because it was too tired.", '  a\tb\n😀 c-d ', '']) {
      const tokens = tokenize(text, 'words');
      expectWellFormed(text, tokens);
      for (const t of tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
    }
  });

  it('keeps an emoji (surrogate pair) in one token', () => {
    expect(texts(tokenize('hi 😀!', 'words'))).toEqual(['hi', '😀', '!']);
  });
});

describe('gpt2 tokenizer', () => {
  it('tokenizes like GPT-2, with the leading space in the token', () => {
    expect(texts(tokenize('Hello world', 'gpt2'))).toEqual(['Hello', ' world']);
    expect(texts(tokenize('How are you doing?', 'gpt2'))).toEqual(['How', ' are', ' you', ' doing', '?']);
  });

  it.each([
    ['ASCII', 'The animal didn\'t cross the street.\n\tIndented  <|endoftext|> code();'],
    ['emoji', 'I ❤️ 😀 👍🏽 family: 👨‍👩‍👧!'],
    ['CJK', '你好，世界。東京タワー'],
    ['mixed', 'naïve café 🇫🇷 x²'],
  ])('slices of %s input concatenate back to the input', (_, text) => {
    const tokens = tokenize(text, 'gpt2');
    expectWellFormed(text, tokens);
    expect(tokens.map((t) => text.slice(t.start, t.end)).join('')).toBe(text);
  });

  it('a character split across tokens goes to the token that completes it', () => {
    const text = '你好';
    const tokens = tokenize(text, 'gpt2');
    expect(tokens.length).toBeGreaterThan(2);
    const fragments = tokens.filter((t) => t.start === t.end);
    expect(fragments.length).toBeGreaterThan(0);
    for (const f of fragments) expect(f.text).toBe('\uFFFD');
  });

  it('stays well formed with lone surrogates', () => {
    const text = 'a\uD800b \uDC00';
    const tokens = tokenize(text, 'gpt2');
    expectWellFormed(text, tokens);
    expect(tokens.at(-1)!.end).toBe(text.length);
  });
});

describe('displayToken', () => {
  it('shows whitespace and BPE markers readably', () => {
    expect(displayToken(' the')).toBe('␣the');
    expect(displayToken('Ġthe')).toBe('␣the');
    expect(displayToken('▁the')).toBe('␣the');
    expect(displayToken('ĊĊ')).toBe('⏎⏎');
    expect(displayToken('\n')).toBe('⏎');
    expect(displayToken('\t')).toBe('⇥');
    expect(displayToken('')).toBe('∅');
    expect(displayToken('Ġermanja')).toBe('␣ermanja');
    expect(displayToken('aĠb')).toBe('aĠb');
    expect(displayToken('a\u0000')).toBe('a·');
  });
});
