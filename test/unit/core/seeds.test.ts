import { describe, expect, it } from 'vitest';
import {
  attentionHead,
  evaluate,
  fromRows,
  get,
  row,
  tokenize,
  uniformMatrix,
  mulberry32,
  type AttentionOptions,
  type ComputeSpec,
} from '../../../src/core';

const NO_SCALE: AttentionOptions = { scale: false, mask: { kind: 'none' }, temperature: 1 };

/**
 * Seed 001 gives Q and K for 8 words ("the", "because", "too" have only a V row), so the head
 * below uses those 8 words and their V rows. Its Step 3 weights (animal 0.60, …) are
 * illustrative, not a softmax of its own scores: the true softmax is asserted instead.
 */
describe('seed 001: "it" in "The animal didn\'t cross the street because it was too tired."', () => {
  const words = ['The', 'animal', "didn't", 'cross', 'street', 'it', 'was', 'tired'];
  const Q = fromRows([[0.1, 0.2, 0.3], [0.5, 0.4, 0.3], [0.2, 0.1, 0.1], [0.0, 0.1, 0.2], [0.4, 0.3, 0.2], [0.6, 0.5, 0.4], [0.1, 0.1, 0.0], [0.7, 0.6, 0.5]]);
  const K = fromRows([[0.2, 0.1, 0.0], [0.6, 0.5, 0.4], [0.1, 0.2, 0.1], [0.2, 0.1, 0.3], [0.5, 0.4, 0.3], [0.7, 0.6, 0.5], [0.1, 0.0, 0.2], [0.9, 0.8, 0.7]]);
  const V = fromRows([[0.1, 0.2, 0.3], [0.7, 0.6, 0.5], [0.1, 0.1, 0.2], [0.0, 0.1, 0.1], [0.5, 0.4, 0.3], [0.6, 0.5, 0.4], [0.1, 0.1, 0.0], [0.8, 0.7, 0.6]]);
  const it_ = words.indexOf('it');

  it('dot products match the worked example', () => {
    const head = attentionHead('seed', Q, K, V, NO_SCALE);
    const scores = head.scores!;
    expect(get(scores, it_, words.indexOf('The'))).toBeCloseTo(0.17, 6);
    expect(get(scores, it_, words.indexOf('animal'))).toBeCloseTo(0.77, 6);
    expect(get(scores, it_, words.indexOf('tired'))).toBeCloseTo(1.22, 6);
    expect(Array.from(row(scores, it_))).toEqual([0.17, 0.77, 0.2, 0.29, 0.62, 0.92, 0.14, 1.22].map((x) => expect.closeTo(x, 6)));
  });

  it('softmax and Z without scaling (float64 reference values)', () => {
    const head = attentionHead('seed', Q, K, V, NO_SCALE);
    const expected = [0.080042, 0.145846, 0.082479, 0.090247, 0.12553, 0.169448, 0.077676, 0.228731];
    Array.from(row(head.weights, it_)).forEach((w, j) => expect(w).toBeCloseTo(expected[j], 5));
    expect(Array.from(row(head.output!, it_))).toEqual([0.473531, 0.423604, 0.365133].map((x) => expect.closeTo(x, 5)));
    expect(head.scale).toBe(1);
  });

  it('softmax and Z with 1/√3 scaling', () => {
    const head = attentionHead('seed', Q, K, V, { ...NO_SCALE, scale: true });
    expect(head.scale).toBeCloseTo(1 / Math.sqrt(3), 12);
    const expected = [0.098444, 0.139198, 0.100164, 0.105506, 0.12765, 0.15179, 0.096753, 0.180495];
    Array.from(row(head.weights, it_)).forEach((w, j) => expect(w).toBeCloseTo(expected[j], 5));
    expect(Array.from(row(head.output!, it_))).toEqual([0.42627, 0.386751, 0.337024].map((x) => expect.closeTo(x, 5)));
  });

  it('tokenizes the sentence into 12 word tokens', () => {
    const tokens = tokenize("The animal didn't cross the street because it was too tired.", 'words').map((t) => t.text);
    expect(tokens).toEqual(['The', 'animal', "didn't", 'cross', 'the', 'street', 'because', 'it', 'was', 'too', 'tired', '.']);
  });
});

describe('seed 000: 8 tokens × 512, no projections', () => {
  it('gives an 8×8 score matrix and an 8×512 output', () => {
    const x = uniformMatrix(8, 512, 1, mulberry32(1));
    const spec: ComputeSpec = {
      kind: 'compute',
      tokens: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'],
      embeddings: x,
      layers: [{ heads: [] }],
      options: NO_SCALE,
      provenance: { kind: 'random', description: 'test' },
    };
    const result = evaluate(spec);
    const head = result.layers[0].heads[0];
    expect(result.layers[0].heads).toHaveLength(1);
    expect([head.scores!.rows, head.scores!.cols]).toEqual([8, 8]);
    expect([head.output!.rows, head.output!.cols]).toEqual([8, 512]);
    expect([result.layers[0].output!.rows, result.layers[0].output!.cols]).toEqual([8, 512]);
    expect(result.cost).toEqual({ computedPairs: 64, fullPairs: 64 });
  });
});

describe('seed 002', () => {
  it('"How are you doing?" has 5 word tokens', () => {
    expect(tokenize('How are you doing?', 'words').map((t) => t.text)).toEqual(['How', 'are', 'you', 'doing', '?']);
  });
});

describe('seed 003', () => {
  it('d_k = 64 scales scores by 1/8', () => {
    const q = uniformMatrix(3, 64, 1, mulberry32(2));
    const k = uniformMatrix(3, 64, 1, mulberry32(3));
    const head = attentionHead('h', q, k, k, { ...NO_SCALE, scale: true });
    expect(head.scale).toBe(1 / 8);
    for (let p = 0; p < 9; p++) expect(head.scaled!.data[p]).toBeCloseTo(head.scores!.data[p] / 8, 6);
  });
});
