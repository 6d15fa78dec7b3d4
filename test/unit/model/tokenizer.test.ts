import bpeRanks from 'gpt-tokenizer/bpeRanks/r50k_base';
import { decode, encode } from 'gpt-tokenizer/encoding/r50k_base';
import { describe, expect, it } from 'vitest';
import { loadModel, MODEL_FAMILIES, runModel, type ModelTokenizer } from '../../../src/core';
import { loadTokenizer } from '../../../src/core/model/tokenizer';
import { folderInput, golden } from './fixtures';

describe.each(MODEL_FAMILIES)('%s tiny tokenizer.json against the Python reference tokenizer', (family) => {
  it.each(golden(family).tokenizerCases)('ids and UTF-16 ranges of $text', ({ text, tokens }) => {
    // Loaded in the test, not while collecting (where StrykerJS counts it as "static": every test reruns per mutant).
    const tokenizer = loadTokenizer(folderInput(family).tokenizer as string);
    expect(tokenizer.encode(text).map(({ id, start, end }) => ({ id, start, end }))).toEqual(tokens);
  });
});

describe('BOS follows the family and the toggle', () => {
  it('llama prepends <s> by default; prependBos: false leaves it out', () => {
    const model = loadModel(folderInput('llama'));
    const withBos = runModel(model, { text: 'the cat' });
    expect(withBos.modelTokens[0]).toEqual({ id: 1, text: '<s>', start: 0, end: 0, fromText: false });
    const without = runModel(model, { text: 'the cat', prependBos: false });
    expect(without.ids).toEqual(withBos.ids.slice(1));
  });

  it('a llama whose tokenizer adds no BOS (SmolLM2) gets none by default', () => {
    const input = folderInput('llama');
    const tokenizer = JSON.parse(input.tokenizer as string) as Record<string, unknown>;
    tokenizer.post_processor = { type: 'ByteLevel', add_prefix_space: true, trim_offsets: false, use_regex: true };
    const model = loadModel({ ...input, tokenizer: JSON.stringify(tokenizer) });
    expect(model.prependsBos).toBe(false);
    expect(runModel(model, { text: 'the cat' }).modelTokens[0].fromText).toBe(true);
    expect(loadModel({ ...input, tokenizer: undefined }).prependsBos).toBe(true);
  });

  it('gpt2 adds none by default; prependBos: true adds <|endoftext|>', () => {
    const model = loadModel(folderInput('gpt2'));
    expect(runModel(model, { text: 'the cat' }).modelTokens.every((t) => t.fromText)).toBe(true);
    expect(runModel(model, { text: 'the cat', prependBos: true }).tokens[0]).toBe('<|endoftext|>');
  });
});

/** GPT-2's real tokenizer.json, rebuilt from gpt-tokenizer's r50k ranks: vocab in GPT-2's byte alphabet, merges by rank. */
function gpt2TokenizerJson(): string {
  const alphabet: number[] = [];
  for (let b = 0; b < 256; b++) if ((b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174 && b <= 255)) alphabet.push(b);
  const byteChar = new Map<number, string>(alphabet.map((b) => [b, String.fromCodePoint(b)]));
  let extra = 0;
  for (let b = 0; b < 256; b++) if (!byteChar.has(b)) byteChar.set(b, String.fromCodePoint(256 + extra++));
  const encoder = new TextEncoder();
  const tokens = bpeRanks.map((t) => (typeof t === 'string' ? encoder.encode(t) : Uint8Array.from(t)));
  const show = (bytes: Uint8Array): string => Array.from(bytes, (b) => byteChar.get(b)).join('');
  const rank = new Map(tokens.map((t, i) => [show(t), i]));
  const merges: string[] = [];
  tokens.forEach((bytes, r) => {
    if (bytes.length < 2) return;
    // The pair this token merges from: BPE over its bytes with every lower-ranked merge leaves exactly two parts.
    let parts = Array.from(bytes, (b) => show(Uint8Array.of(b)));
    while (parts.length > 2) {
      let best = -1;
      let bestRank = r;
      for (let i = 0; i + 1 < parts.length; i++) {
        const pr = rank.get(parts[i] + parts[i + 1]);
        if (pr !== undefined && pr < bestRank) [best, bestRank] = [i, pr];
      }
      parts = [...parts.slice(0, best), parts[best] + parts[best + 1], ...parts.slice(best + 2)];
    }
    merges.push(`${parts[0]} ${parts[1]}`);
  });
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  return JSON.stringify({
    version: '1.0',
    added_tokens: [{ id: 50256, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }],
    normalizer: null, pre_tokenizer: byteLevel, post_processor: byteLevel, decoder: byteLevel,
    model: { type: 'BPE', dropout: null, unk_token: null, continuing_subword_prefix: '', end_of_word_suffix: '', fuse_unk: false, vocab: Object.fromEntries(rank), merges },
  });
}

describe('the full GPT-2 vocabulary, through tokenizer.json', () => {
  // Loaded by the first test that asks, not while collecting: StrykerJS counts collection-time code as "static" and
  // would rerun every test for each of its mutants. (The tiny tokenizers above load in each test.)
  let loaded: ModelTokenizer | undefined;
  const tokenizer = (): ModelTokenizer => (loaded ??= loadTokenizer(gpt2TokenizerJson()));
  const texts = [
    'The quick brown fox jumps over the lazy dog.',
    'function add(a, b) {\n  return a + b; // sum\n}\n',
    'Café naïve — “quotes” 🙂🚀 日本語のテキスト',
    "It's   spaced\t\tout,   isn't it?  42 1234567 3.14159",
  ];

  it('has GPT-2\'s 50257 entries', () => expect(tokenizer().vocabSize).toBe(50257));

  it('shows a token as stored and as text', () => {
    const [id] = encode(' Paris');
    const gpt2 = tokenizer();
    expect(gpt2.tokenText(id)).toBe('ĠParis');
    expect(gpt2.decode([id])).toBe(' Paris');
  });

  it.each(texts)('gives gpt-tokenizer\'s ids for %j', (text) => {
    expect(tokenizer().encode(text).map((t) => t.id)).toEqual(encode(text));
  });

  it.each(texts)('ranges tile %j, each holding its token\'s text', (text) => {
    const tokens = tokenizer().encode(text);
    let cursor = 0;
    for (const t of tokens) {
      expect(t.start).toBe(cursor);
      cursor = t.end;
      // A token that ends inside a character has an empty or shortened range; whole-character tokens match exactly.
      const piece = decode([t.id]);
      if (!piece.includes('\uFFFD')) expect(text.slice(t.start, t.end)).toBe(piece);
    }
    expect(cursor).toBe(text.length);
  });
});
