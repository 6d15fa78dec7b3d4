/**
 * tokenizer.json, literal values at the edges the tiny tokenizers do not reach: which post-processors add BOS, when a
 * pipeline prepends "▁" or a space (Prepend, Metaspace's schemes, ByteLevel's add_prefix_space), byte fallbacks, added
 * tokens, UTF-8 widths, decoding, and the message for a file the library cannot read. Token strings and ids are
 * @huggingface/tokenizers' (checked against Python in tokenizer.test.ts); the ranges are worked out by hand.
 */
import { describe, expect, it } from 'vitest';
import { ModelError, type ModelTokenizer } from '../../../src/core';
import { loadTokenizer } from '../../../src/core/model/tokenizer';
import { folderInput } from './fixtures';

const base = (family: 'gpt2' | 'llama'): Record<string, unknown> => JSON.parse(folderInput(family).tokenizer as string) as Record<string, unknown>;
const withFields = (family: 'gpt2' | 'llama', fields: Record<string, unknown>) => loadTokenizer(JSON.stringify({ ...base(family), ...fields }));
const bosTemplate = { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }], pair: [], special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } } };
const plainTemplate = { ...bosTemplate, single: [{ Sequence: { id: 'A', type_id: 0 } }] };
const bertProcessing = { type: 'BertProcessing', sep: ['</s>', 2], cls: ['<s>', 1] };

/** Each token as [token string, start, end]: the UTF-16 range it covers in the text. */
const ranges = (tokenizer: ModelTokenizer, text: string) => tokenizer.encode(text).map((t) => [tokenizer.tokenText(t.id), t.start, t.end]);
const gpt2ByteLevel = (addPrefixSpace: boolean) => ({ type: 'ByteLevel', add_prefix_space: addPrefixSpace, trim_offsets: true, use_regex: true });
const metaspace = (fields: Record<string, unknown>) => ({ normalizer: null, pre_tokenizer: { type: 'Metaspace', replacement: '▁', split: false, ...fields } });

describe('whether the tokenizer adds BOS', () => {
  it('a template that starts with a special token adds it; one that starts with the sequence does not', () => {
    expect(withFields('llama', { post_processor: bosTemplate }).addsBos).toBe(true);
    expect(withFields('llama', { post_processor: plainTemplate }).addsBos).toBe(false);
    expect(withFields('llama', { post_processor: { ...plainTemplate, single: [] } }).addsBos).toBe(false);
  });

  it('a Sequence takes the first processor that decides (Llama 3: ByteLevel, then the template); none: unknown', () => {
    const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: true };
    expect(withFields('llama', { post_processor: { type: 'Sequence', processors: [bosTemplate, byteLevel] } }).addsBos).toBe(true);
    expect(withFields('llama', { post_processor: { type: 'Sequence', processors: [byteLevel, bosTemplate] } }).addsBos).toBe(false);
    expect(withFields('llama', { post_processor: null }).addsBos).toBeNull();
    expect(withFields('gpt2', {}).addsBos).toBe(false);
  });

  it('a processor that neither adds nor refuses BOS by template (BertProcessing) leaves it unknown, and a Sequence skips it', () => {
    expect(withFields('llama', { post_processor: bertProcessing }).addsBos).toBeNull();
    expect(withFields('llama', { post_processor: { type: 'Sequence', processors: [bertProcessing, bosTemplate] } }).addsBos).toBe(true);
    // The library reads a Sequence without "processors" as an empty one.
    expect(withFields('llama', { post_processor: { type: 'Sequence' } }).addsBos).toBeNull();
  });

  it('the type decides, not the fields: a ByteLevel processor with a stray template or processor list adds none', () => {
    const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: false, use_regex: true };
    expect(withFields('llama', { post_processor: { ...byteLevel, single: bosTemplate.single } }).addsBos).toBe(false);
    expect(withFields('llama', { post_processor: { ...byteLevel, processors: [bosTemplate] } }).addsBos).toBe(false);
  });
});

describe('the "▁" or space a pipeline puts before the text has no range', () => {
  it('Llama 2\'s Prepend normalizer always adds one, even before a space', () => {
    const llama = withFields('llama', {});
    expect(ranges(llama, 'the cat')).toEqual([['▁the', 0, 3], ['▁cat', 3, 7]]);
    expect(ranges(llama, ' the cat')).toEqual([['▁', 0, 0], ['▁the', 0, 4], ['▁cat', 4, 8]]);
  });

  it.each(['first', 'always'])('Metaspace, prepend_scheme %s: only when the text does not start with a space', (scheme) => {
    const llama = withFields('llama', metaspace({ prepend_scheme: scheme }));
    expect(ranges(llama, 'the cat')).toEqual([['▁the', 0, 3], ['▁cat', 3, 7]]);
    expect(ranges(llama, ' the cat')).toEqual([['▁the', 0, 4], ['▁cat', 4, 8]]);
  });

  it('Metaspace, prepend_scheme never: none; the legacy add_prefix_space: false is ignored, as the library ignores it', () => {
    expect(ranges(withFields('llama', metaspace({ prepend_scheme: 'never' })), 'the cat')).toEqual([['t', 0, 1], ['he', 1, 3], ['▁cat', 3, 7]]);
    expect(ranges(withFields('llama', metaspace({ add_prefix_space: false })), 'the cat')).toEqual([['▁the', 0, 3], ['▁cat', 3, 7]]);
  });

  it('ByteLevel with add_prefix_space: "Ġ" (GPT-2\'s byte for a space) only when the text does not start with a space', () => {
    const prefixed = withFields('gpt2', { pre_tokenizer: gpt2ByteLevel(true) });
    expect(ranges(prefixed, 'the cat')).toEqual([['Ġthe', 0, 3], ['Ġcat', 3, 7]]);
    expect(ranges(prefixed, ' the cat')).toEqual([['Ġthe', 0, 4], ['Ġcat', 4, 8]]);
    expect(ranges(withFields('gpt2', { pre_tokenizer: gpt2ByteLevel(false) }), 'the cat')).toEqual([['t', 0, 1], ['he', 1, 3], ['Ġcat', 3, 7]]);
  });
});

describe('ranges of pieces that are not plain text', () => {
  it('an added token covers its own characters, whatever alphabet the model\'s pieces use', () => {
    // DeepSeek-style: fullwidth bars, outside GPT-2's byte alphabet (each is 3 UTF-8 bytes, one UTF-16 unit).
    const endToken = { id: 305, content: '<｜end｜>', single_word: false, lstrip: false, rstrip: false, normalized: false, special: true };
    const gpt2 = withFields('gpt2', { added_tokens: [...(base('gpt2').added_tokens as unknown[]), endToken] });
    expect(ranges(gpt2, 'the<｜end｜>cat')).toEqual([['t', 0, 1], ['he', 1, 3], ['<｜end｜>', 3, 10], ['cat', 10, 13]]);
  });

  it('a piece is a byte fallback only when it is exactly <0xNN>; one that merely contains it is text', () => {
    const wordLevel = loadTokenizer(JSON.stringify({
      version: '1.0', added_tokens: [], normalizer: null, pre_tokenizer: null, post_processor: null, decoder: null,
      model: { type: 'WordLevel', vocab: { 'a<0x41>': 0, '<0x41>b': 1, '[UNK]': 2 }, unk_token: '[UNK]' },
    }));
    expect(ranges(wordLevel, 'a<0x41>')).toEqual([['a<0x41>', 0, 7]]);
    expect(ranges(wordLevel, '<0x41>b')).toEqual([['<0x41>b', 0, 7]]);
  });

  it('UTF-8 widths at each boundary: U+007F 1 byte, U+0080–U+07FF 2, U+0800–U+FFFF 3, U+10000 4 (two UTF-16 units)', () => {
    // The tiny GPT-2 has no merges among these bytes: one token per byte; a token that ends inside a character ends
    // at its start.
    expect(ranges(withFields('gpt2', {}), '\u007f\u0080\u07ff\u0800\uffff\u{10000}').map(([, start, end]) => [start, end])).toEqual([
      [0, 1], // U+007F
      [1, 1], [1, 2], // U+0080
      [2, 2], [2, 3], // U+07FF
      [3, 3], [3, 3], [3, 4], // U+0800
      [4, 4], [4, 4], [4, 5], // U+FFFF
      [5, 5], [5, 5], [5, 5], [5, 7], // U+10000
    ]);
  });
});

describe('decoding for display', () => {
  it('keeps special tokens and the spaces as they are (no clean-up of " .")', () => {
    const gpt2 = withFields('gpt2', {});
    expect(gpt2.decode(gpt2.encode('the .<|endoftext|>').map((t) => t.id))).toBe('the .<|endoftext|>');
  });
});

describe('reading tokenizer.json', () => {
  it('the vocabulary size is the largest id + 1, added tokens included', () => {
    expect(withFields('gpt2', {}).vocabSize).toBe(305);
    expect(withFields('llama', {}).vocabSize).toBe(340);
  });

  it('a file the library cannot read gets one sentence naming it', () => {
    try {
      loadTokenizer('{');
      throw new Error('expected a ModelError');
    } catch (e) {
      expect(e).toBeInstanceOf(ModelError);
      expect((e as ModelError).file).toBe('tokenizer.json');
      expect((e as Error).message).toMatch(/^tokenizer\.json cannot be read \(.+\)\.$/);
    }
  });

  it('ranges: the prepended "▁" has no counterpart in the text, multi-byte characters keep whole ranges', () => {
    const llama = withFields('llama', {});
    const tokens = llama.encode('the cat');
    expect(tokens[0].start).toBe(0);
    expect(tokens.at(-1)?.end).toBe(7);
    expect(tokens.map((t) => t.text).join('')).toBe('the cat');
    const gpt2 = withFields('gpt2', {});
    const e = gpt2.encode('é€😀');
    expect(e.at(-1)?.end).toBe(4);
    expect(e.every((t) => t.fromText)).toBe(true);
  });
});
