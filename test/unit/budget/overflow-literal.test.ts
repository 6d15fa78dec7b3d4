// Where a result overflows float32 and how large the inputs are, on hand-built specs and results: every matrix
// the check reads, each named in the message. Written for the survivors of mutation testing (bench/mutation/README.md).
import { describe, expect, it } from 'vitest';
import { fromRows, type Matrix } from '../../../src/core/matrix';
import { firstOverflow, largestInput, overflowProblem } from '../../../src/core/overflow';
import type { AttentionResult, AttentionSpec, HeadResult, LayerResult } from '../../../src/core/types';

const one = (v = 1): Matrix => fromRows([[v]]);
const base = { tokens: ['a'], options: { scale: true, mask: { kind: 'none' }, temperature: 1 }, provenance: { kind: 'file', description: '' } } as const;

function computeSpec(big: 'embeddings' | 'keyEmbeddings' | 'wq' | 'wk' | 'wv' | 'query' | 'wo' | 'w1' | 'w2'): AttentionSpec {
  const at = (name: string) => one(name === big ? -7 : 1);
  const projected = { wq: at('wq'), wk: at('wk'), wv: at('wv') };
  const given = { query: at('query'), key: one(), value: one() };
  return {
    ...base, kind: 'compute', embeddings: at('embeddings'), keyEmbeddings: at('keyEmbeddings'),
    layers: [
      { heads: [projected] },
      { heads: [given], wo: at('wo'), ffn: { w1: at('w1'), b1: Float32Array.of(0), w2: at('w2'), b2: Float32Array.of(0) } },
    ],
  };
}

const head = (name: string, overrides: Partial<HeadResult> = {}): HeadResult => ({
  name, q: one(), k: one(), v: one(), scores: one(), scaled: one(-Infinity), weights: one(), output: one(), scale: 1, ...overrides,
});
const layer = (overrides: Partial<LayerResult> = {}): LayerResult => ({
  input: one(), heads: [head('head 1')], concat: one(), attentionOutput: one(), output: one(), ...overrides,
});
const result = (layers: LayerResult[]): AttentionResult => ({
  tokens: ['a'], keyTokens: ['a'], layers, options: base.options, cost: { computedPairs: 1, fullPairs: 1 }, provenance: base.provenance,
});

describe('largestInput', () => {
  it('reads the given attention of a precomputed spec', () => {
    const spec: AttentionSpec = { ...base, kind: 'precomputed', attention: [[fromRows([[0.5, -3]])], [fromRows([[2]])]] };
    expect(largestInput(spec)).toBe(3);
  });

  for (const where of ['embeddings', 'keyEmbeddings', 'wq', 'wk', 'wv', 'query', 'wo', 'w1', 'w2'] as const) {
    it(`finds the largest magnitude in ${where}`, () => {
      expect(largestInput(computeSpec(where))).toBe(7);
    });
  }
});

describe('firstOverflow', () => {
  it('a finite result, with −∞ only in the scaled scores (masked cells) and no Q/K/V (given weights): none', () => {
    expect(firstOverflow(result([layer({ heads: [head('head 1', { q: null, k: null, v: null, scores: null, output: null })], concat: null, attentionOutput: null, output: null })]))).toBeUndefined();
  });

  it('names the head and the step, with the layer when there are several', () => {
    expect(firstOverflow(result([layer({ heads: [head('head 1'), head('head 2', { v: one(NaN) })] })]))).toBe('head 2: V');
    expect(firstOverflow(result([layer(), layer({ heads: [head('head 1', { weights: one(Infinity) })] })]))).toBe('layer 2, head 1: the weights');
  });

  it('names the layer steps after the heads: concat, attention output, the encoder steps, the layer output', () => {
    const encoder = { addNorm1: one(), ffnHidden: one(-Infinity), ffnOutput: one(), addNorm2: one() };
    expect(firstOverflow(result([layer({ concat: one(NaN) })]))).toBe('the concatenated heads');
    expect(firstOverflow(result([layer({ attentionOutput: one(Infinity) })]))).toBe('the attention output');
    expect(firstOverflow(result([layer({ encoder })]))).toBe('ffnHidden');
    expect(firstOverflow(result([layer(), layer({ output: one(-Infinity) })]))).toBe('layer 2, the layer output');
  });
});

describe('overflowProblem', () => {
  it('one sentence with the place and the inputs’ magnitude; none for a finite result', () => {
    const spec = computeSpec('wo');
    expect(overflowProblem(spec, result([layer()]))).toBeUndefined();
    expect(overflowProblem(spec, result([layer({ output: one(Infinity) })]))).toBe(
      'The numbers overflow 32-bit floats (beyond ±3.4e38) in the layer output: the inputs reach 7.0 in magnitude, and their products through the projections grow past that, so scale the embeddings or weights down (for example to within ±1e3).',
    );
  });
});
