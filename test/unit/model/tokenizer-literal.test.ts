/**
 * tokenizer.json, literal values at the edges the tiny tokenizers do not reach: which post-processors add BOS, when a
 * Metaspace pipeline prepends "▁", byte fallbacks, and the message for a file the library cannot read.
 */
import { describe, expect, it } from 'vitest';
import { ModelError } from '../../../src/core';
import { loadTokenizer } from '../../../src/core/model/tokenizer';
import { folderInput } from './fixtures';

const base = (family: 'gpt2' | 'llama'): Record<string, unknown> => JSON.parse(folderInput(family).tokenizer as string) as Record<string, unknown>;
const withFields = (family: 'gpt2' | 'llama', fields: Record<string, unknown>) => loadTokenizer(JSON.stringify({ ...base(family), ...fields }));
const bosTemplate = { type: 'TemplateProcessing', single: [{ SpecialToken: { id: '<s>', type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }], pair: [], special_tokens: { '<s>': { id: '<s>', ids: [1], tokens: ['<s>'] } } };
const plainTemplate = { ...bosTemplate, single: [{ Sequence: { id: 'A', type_id: 0 } }] };

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
