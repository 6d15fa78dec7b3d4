import { describe, expect, it } from 'vitest';
import {
  buildSelectionSpec,
  embedTokens,
  evaluate,
  mixSeed,
  mulberry32,
  row,
  tokenEmbedding,
  validateSpec,
  type Matrix,
} from '../../../src/core';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';

const cosine = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i] * b[i];
    aa += a[i] * a[i];
    bb += b[i] * b[i];
  }
  return ab / Math.sqrt(aa * bb);
};

const bits = (m: Matrix) => Array.from(new Uint32Array(m.data.buffer, m.data.byteOffset, m.data.length));

const SENTENCE = "The animal didn't cross the street because it was too tired.";

describe('random numbers', () => {
  it('mulberry32 and mixSeed are pinned (same numbers on every machine)', () => {
    const r = mulberry32(42);
    expect([r(), r(), r()]).toMatchSnapshot();
    expect(mixSeed(42, 0, 1, 2)).toMatchSnapshot();
  });
});

describe('embeddings', () => {
  it('"Apple" and "apple" are very similar; unrelated words are not', () => {
    expect(cosine(tokenEmbedding('Apple', 64), tokenEmbedding('apple', 64))).toBeGreaterThan(0.8);
    expect(cosine(tokenEmbedding('Apple', 64), tokenEmbedding('apple', 64))).toBeLessThan(0.999);
    expect(Math.abs(cosine(tokenEmbedding('apple', 64), tokenEmbedding('street', 64)))).toBeLessThan(0.5);
    expect(cosine(tokenEmbedding('cat', 64), tokenEmbedding('cats', 64))).toBeGreaterThan(0.3);
  });

  it('have length √d_model', () => {
    const e = tokenEmbedding('tired', 64);
    expect(Math.hypot(...e)).toBeCloseTo(8, 9);
  });

  it('repeated words differ only with positional encoding', () => {
    const withPe = embedTokens(['the', 'cat', 'the'], 16, true);
    const without = embedTokens(['the', 'cat', 'the'], 16, false);
    expect(Array.from(row(without, 0))).toEqual(Array.from(row(without, 2)));
    expect(Array.from(row(withPe, 0))).not.toEqual(Array.from(row(withPe, 2)));
  });
});

describe('buildSelectionSpec', () => {
  it('is bit-identical across calls and pinned by a snapshot', () => {
    const a = buildSelectionSpec(SENTENCE, DEFAULT_COMPUTE_SETTINGS);
    const b = buildSelectionSpec(SENTENCE, DEFAULT_COMPUTE_SETTINGS);
    const ra = evaluate(a.spec);
    const rb = evaluate(b.spec);
    expect(bits(a.spec.embeddings!)).toEqual(bits(b.spec.embeddings!));
    expect(bits(ra.layers[0].output!)).toEqual(bits(rb.layers[0].output!));
    const h = a.spec.layers[0].heads[0];
    expect('wq' in h && Array.from(h.wq.data.subarray(0, 4))).toMatchSnapshot();
    expect(Array.from(a.spec.embeddings!.data.subarray(0, 4))).toMatchSnapshot();
  });

  it('builds a valid encoder stack with the default settings', () => {
    const { spec, tokens } = buildSelectionSpec(SENTENCE, { ...DEFAULT_COMPUTE_SETTINGS, layers: 2 });
    expect(tokens).toHaveLength(12);
    expect(validateSpec(spec)).toEqual([]);
    const result = evaluate(spec);
    expect(result.layers).toHaveLength(2);
    expect(result.layers[1].heads).toHaveLength(4);
    expect(result.layers[1].encoder!.ffnHidden.cols).toBe(256);
    expect(result.layers[1].output!.cols).toBe(64);
    expect(result.provenance.kind).toBe('random');
    expect(result.provenance.description).toContain('seed 42');
  });

  it('gives attention that is neither flat nor one-hot by default', () => {
    const result = evaluate(buildSelectionSpec(SENTENCE, DEFAULT_COMPUTE_SETTINGS).spec);
    const maxima = result.layers[0].heads.flatMap((h) => Array.from({ length: h.weights.rows }, (_, i) => Math.max(...row(h.weights, i))));
    const mean = maxima.reduce((a, b) => a + b, 0) / maxima.length;
    expect(mean).toBeGreaterThan(2 / 12);
    expect(mean).toBeLessThan(0.8);
  });

  it('keeps existing heads when a head is added, and changes with the seed', () => {
    const four = buildSelectionSpec(SENTENCE, DEFAULT_COMPUTE_SETTINGS).spec.layers[0].heads;
    const five = buildSelectionSpec(SENTENCE, { ...DEFAULT_COMPUTE_SETTINGS, heads: 5 }).spec.layers[0].heads;
    const other = buildSelectionSpec(SENTENCE, { ...DEFAULT_COMPUTE_SETTINGS, seed: 7 }).spec.layers[0].heads;
    const wq = (h: (typeof four)[number]) => ('wq' in h ? bits(h.wq) : []);
    expect(wq(five[3])).toEqual(wq(four[3]));
    expect(wq(other[0])).not.toEqual(wq(four[0]));
  });

  it('uses the gpt2 tokenizer and handles empty text', () => {
    expect(buildSelectionSpec('How are you doing?', { ...DEFAULT_COMPUTE_SETTINGS, tokenizer: 'gpt2' }).spec.tokens).toEqual(['How', ' are', ' you', ' doing', '?']);
    const empty = evaluate(buildSelectionSpec('', DEFAULT_COMPUTE_SETTINGS).spec);
    expect(empty.layers[0].heads[0].weights.rows).toBe(0);
    expect(empty.cost).toEqual({ computedPairs: 0, fullPairs: 0 });
  });
});
