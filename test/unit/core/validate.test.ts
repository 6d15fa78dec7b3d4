import { describe, expect, it } from 'vitest';
import {
  DEFAULT_OPTIONS,
  evaluate,
  fromRows,
  mulberry32,
  tryEvaluate,
  uniformMatrix,
  validateSpec,
  zeros,
  type ComputeSpec,
  type PrecomputedSpec,
} from '../../../src/core';

const provenance = { kind: 'random', description: 'test' } as const;
const random = mulberry32(3);
const tokens = ['a', 'b', 'c'];
const head = (dModel: number, dK: number) => ({ wq: uniformMatrix(dModel, dK, 1, random), wk: uniformMatrix(dModel, dK, 1, random), wv: uniformMatrix(dModel, dK, 1, random) });

function compute(overrides: Partial<ComputeSpec>): ComputeSpec {
  return { kind: 'compute', tokens, embeddings: uniformMatrix(3, 8, 1, random), layers: [{ heads: [head(8, 4)] }], options: DEFAULT_OPTIONS, provenance, ...overrides };
}

const messages = (spec: ComputeSpec | PrecomputedSpec) => validateSpec(spec).map((p) => `${p.severity}: ${p.message}`);

describe('validateSpec', () => {
  it('accepts a well-formed spec', () => {
    expect(validateSpec(compute({}))).toEqual([]);
  });

  it('names the shapes of a mismatched projection', () => {
    const bad = { wq: uniformMatrix(8, 4, 1, random), wk: uniformMatrix(6, 4, 1, random), wv: uniformMatrix(8, 4, 1, random) };
    expect(messages(compute({ layers: [{ heads: [head(8, 4), bad] }] }))).toEqual([
      'error: layers[0].heads[1].wk has 6 rows, but embeddings have 8 columns (d_model = 8)',
    ]);
  });

  it('checks W_O, the residual and the feed-forward block', () => {
    const layer = {
      heads: [head(8, 4), head(8, 4)],
      wo: zeros(6, 8),
      ffn: { w1: zeros(8, 16), b1: new Float32Array(15), w2: zeros(16, 8), b2: new Float32Array(8) },
    };
    expect(messages(compute({ layers: [layer] }))).toEqual([
      "error: layers[0].wo has 6 rows, but the 2 heads' outputs side by side have 8 columns (4 + 4)",
      'error: layers[0].ffn.b1 has 15 entries, but layers[0].ffn.w1 has 16 columns (d_ff)',
    ]);
    expect(messages(compute({ layers: [{ heads: [head(8, 4)], ffn: layer.ffn }] }))[0]).toBe(
      'error: layers[0] adds its input (8 columns) to the attention output (4 columns) for the residual connection; they must match (give a wo of 4×8?)',
    );
  });

  it('follows d_model from layer to layer', () => {
    const spec = compute({ layers: [{ heads: [head(8, 4)] }, { heads: [head(8, 4)] }] });
    expect(messages(spec)).toEqual(['error: layers[1].heads[0].wq has 8 rows, but the output of layers[0] has 4 columns (d_model = 4)', 'error: layers[1].heads[0].wk has 8 rows, but the output of layers[0] has 4 columns (d_model = 4)', 'error: layers[1].heads[0].wv has 8 rows, but the output of layers[0] has 4 columns (d_model = 4)']);
  });

  it('checks tokens, options, finiteness and direct Q/K/V', () => {
    const x = uniformMatrix(2, 8, 1, random);
    x.data[5] = NaN;
    expect(messages(compute({ embeddings: x, options: { scale: true, temperature: 0, mask: { kind: 'window', window: 0 } } }))).toEqual([
      'error: options.temperature must be a positive number, got 0',
      'error: mask.window must be a whole number ≥ 1, got 0',
      'error: embeddings has 2 rows, but there are 3 tokens',
      'error: embeddings holds NaN at row 0, column 5; every number must be finite',
    ]);
    const direct = { query: zeros(3, 2), key: zeros(3, 3), value: zeros(2, 1) };
    expect(messages(compute({ embeddings: undefined, layers: [{ heads: [direct] }] }))).toEqual([
      'error: layers[0].heads[0].value has 2 rows, but there are 3 key tokens',
      'error: layers[0].heads[0].query is 3×2 and layers[0].heads[0].key is 3×3; they need the same number of columns (d_k)',
    ]);
    expect(messages(compute({ embeddings: undefined }))).toContain('error: layers[0].heads[0].wq projects the input, but there is no input (no embeddings)');
    expect(messages(compute({ layers: [] }))).toEqual(['error: The spec has no layers']);
  });

  it('checks precomputed weights', () => {
    const spec: PrecomputedSpec = {
      kind: 'precomputed',
      tokens,
      attention: [[fromRows([[1, 0, 0], [0.5, 0.5, 0], [0, 0, 1]]), fromRows([[1, 0], [0, 1]])], [fromRows([[1, 0, 0], [-1, 2, 0], [0, 0, 1]])]],
      options: DEFAULT_OPTIONS,
      provenance,
    };
    expect(messages(spec)).toEqual([
      'error: attention[0][1] is 2×2, but there are 3 query tokens and 3 key tokens',
      'error: attention[1][0] holds a negative weight (-1) at row 1, column 0',
    ]);
  });
});

describe('evaluate', () => {
  it('passes precomputed weights through untouched', () => {
    const w = fromRows([[1, 0], [0.25, 0.75]]);
    const result = evaluate({ kind: 'precomputed', tokens: ['x', 'y'], attention: [[w]], headNames: [['L0H0']], options: DEFAULT_OPTIONS, provenance });
    const h = result.layers[0].heads[0];
    expect(h.weights).toBe(w);
    expect(h.name).toBe('L0H0');
    expect([h.q, h.scores, h.scaled, h.output, result.layers[0].output]).toEqual([null, null, null, null, null]);
  });

  it('runs cross-attention with key embeddings', () => {
    const spec = compute({ keyTokens: ['p', 'q', 'r', 's', 't'], keyEmbeddings: uniformMatrix(5, 8, 1, random), options: { ...DEFAULT_OPTIONS, mask: { kind: 'causal' } } });
    expect(messages(spec)).toEqual(['warning: A causal mask on cross-attention (3 queries, 5 keys) uses the rule "key j ≤ query i"']);
    const result = evaluate(spec);
    expect([result.layers[0].heads[0].weights.rows, result.layers[0].heads[0].weights.cols]).toEqual([3, 5]);
    expect(result.cost).toEqual({ computedPairs: 6, fullPairs: 15 });
  });

  it('a layer without ffn outputs its attention output; tryEvaluate reports problems instead of throwing', () => {
    const result = evaluate(compute({}));
    expect(result.layers[0].output).toBe(result.layers[0].attentionOutput);
    expect(result.layers[0].encoder).toBeUndefined();
    const bad = tryEvaluate(compute({ embeddings: zeros(3, 5) }));
    expect(bad.ok).toBe(false);
    expect(() => evaluate(compute({ embeddings: zeros(3, 5) }))).toThrow(/shape mismatch/);
  });
});
