// Every message of validateSpec that validate.test.ts leaves out, literal: the identity layer, each option, each
// feed-forward shape, non-finite numbers in every matrix, cross-attention without key embeddings, empty
// precomputed specs. Written for the survivors of mutation testing (bench/mutation/README.md).
import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, fromRows, validateSpec, zeros, type AttentionOptions, type ComputeSpec, type LayerSpec, type PrecomputedSpec } from '../../../src/core';

const provenance = { kind: 'random', description: 'test' } as const;
const tokens = ['a', 'b'];
const projected = (dModel: number, dK: number) => ({ wq: zeros(dModel, dK), wk: zeros(dModel, dK), wv: zeros(dModel, dK) });
const compute = (overrides: Partial<ComputeSpec>): ComputeSpec =>
  ({ kind: 'compute', tokens, embeddings: zeros(2, 4), layers: [{ heads: [projected(4, 2)] }], options: DEFAULT_OPTIONS, provenance, ...overrides });
const messages = (spec: ComputeSpec | PrecomputedSpec) => validateSpec(spec).map((p) => `${p.severity}: ${p.message}`);
const withOptions = (options: Partial<AttentionOptions>) => messages(compute({ options: { ...DEFAULT_OPTIONS, ...options } }));
/** A zero matrix with one non-finite number at (i, j). */
const holding = (rows: number, cols: number, i: number, j: number, value: number) => {
  const m = zeros(rows, cols);
  m.data[i * cols + j] = value;
  return m;
};

describe('validateSpec: options', () => {
  it('temperature and scale must be positive and finite; window and dilation whole numbers ≥ 1', () => {
    expect(withOptions({ temperature: Number.POSITIVE_INFINITY })).toEqual(['error: options.temperature must be a positive number, got Infinity']);
    expect(withOptions({ temperature: Number.NaN })).toEqual(['error: options.temperature must be a positive number, got NaN']);
    expect(withOptions({ temperature: 1e-9 })).toEqual([]);
    expect(withOptions({ scale: 0 })).toEqual(['error: options.scale must be a positive number, got 0']);
    expect(withOptions({ scale: Number.POSITIVE_INFINITY })).toEqual(['error: options.scale must be a positive number, got Infinity']);
    expect(withOptions({ scale: 0.5 })).toEqual([]);
    expect(withOptions({ scale: false })).toEqual([]);
    expect(withOptions({ mask: { kind: 'window', window: 1.5 } })).toEqual(['error: mask.window must be a whole number ≥ 1, got 1.5']);
    expect(withOptions({ mask: { kind: 'window', window: 1 } })).toEqual([]);
    expect(withOptions({ mask: { kind: 'dilated', window: 0, dilation: 0 } })).toEqual([
      'error: mask.window must be a whole number ≥ 1, got 0',
      'error: mask.dilation must be a whole number ≥ 1, got 0',
    ]);
    expect(withOptions({ mask: { kind: 'dilated', window: 2, dilation: 1 } })).toEqual([]);
    expect(withOptions({ mask: { kind: 'causal' } })).toEqual([]);
  });
});

describe('validateSpec: layers without heads (Q = K = V = the input)', () => {
  it('needs an input, of the same width for queries and keys', () => {
    expect(messages(compute({ embeddings: undefined, layers: [{ heads: [] }] }))).toEqual([
      'error: layers[0] has no heads, so Q = K = V = its input, but there is no input (no embeddings)',
    ]);
    expect(messages(compute({ keyTokens: ['x'], keyEmbeddings: zeros(1, 3), layers: [{ heads: [] }] }))).toEqual([
      'error: layers[0] has no heads, so queries and keys must have the same width, but embeddings have 4 columns (d_model = 4) and keyEmbeddings have 3 columns (d_model = 3)',
    ]);
    // The identity layer's output is as wide as its input: a W_O of 4 rows fits.
    expect(messages(compute({ layers: [{ heads: [], wo: zeros(4, 4) }] }))).toEqual([]);
    expect(messages(compute({ layers: [{ heads: [], wo: zeros(3, 4) }] }))).toEqual([
      "error: layers[0].wo has 3 rows, but the head's output has 4 columns (4)",
    ]);
  });

  it('names the output of the previous layer as the input', () => {
    expect(messages(compute({ layers: [{ heads: [projected(4, 2)] }, { heads: [projected(3, 2)] }] }))[0]).toBe(
      'error: layers[1].heads[0].wq has 3 rows, but the output of layers[0] has 2 columns (d_model = 2)',
    );
  });
});

describe('validateSpec: heads', () => {
  it('given Q, K and V: rows per query and key token, finite numbers', () => {
    const direct = { query: holding(1, 2, 0, 1, Number.NaN), key: zeros(3, 2), value: zeros(2, 2) };
    expect(messages(compute({ embeddings: undefined, layers: [{ heads: [direct] }] }))).toEqual([
      'error: layers[0].heads[0].query has 1 rows, but there are 2 query tokens',
      'error: layers[0].heads[0].key has 3 rows, but there are 2 key tokens',
      'error: layers[0].heads[0].query holds NaN at row 0, column 1; every number must be finite',
    ]);
  });

  it('projections: W_Q and W_K need the same number of columns', () => {
    expect(messages(compute({ layers: [{ heads: [{ wq: zeros(4, 2), wk: zeros(4, 3), wv: zeros(4, 2) }] }] }))).toEqual([
      'error: layers[0].heads[0].wq is 4×2 and layers[0].heads[0].wk is 4×3; they need the same number of columns (d_k)',
    ]);
  });
});

describe('validateSpec: the feed-forward block', () => {
  const ffn = (w1: [number, number], b1: number, w2: [number, number], b2: number) =>
    ({ w1: zeros(...w1), b1: new Float32Array(b1), w2: zeros(...w2), b2: new Float32Array(b2) });
  const layer = (f: ReturnType<typeof ffn>): LayerSpec => ({ heads: [projected(4, 2)], wo: zeros(2, 4), ffn: f });

  it('a well-formed block passes', () => {
    expect(messages(compute({ layers: [layer(ffn([4, 8], 8, [8, 4], 4))] }))).toEqual([]);
  });

  it('each shape is named', () => {
    expect(messages(compute({ layers: [layer(ffn([3, 8], 8, [7, 5], 3))] }))).toEqual([
      'error: layers[0].ffn.w1 has 3 rows, but the attention output has 4 columns',
      'error: layers[0].ffn.w2 has 7 rows, but layers[0].ffn.w1 has 8 columns (d_ff)',
      'error: layers[0].ffn.w2 has 5 columns, but the attention output has 4 columns',
      'error: layers[0].ffn.b2 has 3 entries, but layers[0].ffn.w2 has 5 columns',
    ]);
  });

  it('needs the layer input for its residual connection', () => {
    const direct = { query: zeros(2, 2), key: zeros(2, 2), value: zeros(2, 4) };
    expect(messages(compute({ embeddings: undefined, layers: [{ heads: [direct], ffn: ffn([4, 8], 8, [8, 4], 4) }] }))).toEqual([
      'error: layers[0] has a feed-forward block, whose residual connection needs the layer input, but there is no input (no embeddings)',
    ]);
  });
});

describe('validateSpec: every number finite, located by row and column', () => {
  it('in each kind of matrix', () => {
    const f = { w1: holding(4, 8, 3, 7, Number.NaN), b1: Float32Array.of(0, 0, 0, 0, 0, 0, Number.POSITIVE_INFINITY, 0), w2: holding(8, 4, 0, 1, Number.NEGATIVE_INFINITY), b2: Float32Array.of(Number.NaN, 0, 0, 0) };
    const head = { wq: zeros(4, 2), wk: holding(4, 2, 2, 1, Number.POSITIVE_INFINITY), wv: zeros(4, 2) };
    expect(messages(compute({ layers: [{ heads: [head], wo: holding(2, 4, 1, 3, Number.NaN), ffn: f }] }))).toEqual([
      'error: layers[0].heads[0].wk holds Infinity at row 2, column 1; every number must be finite',
      'error: layers[0].wo holds NaN at row 1, column 3; every number must be finite',
      'error: layers[0].ffn.w1 holds NaN at row 3, column 7; every number must be finite',
      'error: layers[0].ffn.w2 holds -Infinity at row 0, column 1; every number must be finite',
      'error: layers[0].ffn.b1 holds Infinity at row 0, column 6; every number must be finite',
      'error: layers[0].ffn.b2 holds NaN at row 0, column 0; every number must be finite',
    ]);
    const direct = { query: zeros(2, 2), key: holding(2, 2, 1, 0, Number.NaN), value: holding(2, 3, 1, 2, Number.NaN) };
    expect(messages(compute({ embeddings: undefined, layers: [{ heads: [direct] }] }))).toEqual([
      'error: layers[0].heads[0].key holds NaN at row 1, column 0; every number must be finite',
      'error: layers[0].heads[0].value holds NaN at row 1, column 2; every number must be finite',
    ]);
  });

  it('only the first non-finite number of a matrix is reported', () => {
    const x = holding(2, 4, 0, 2, Number.NaN);
    x.data[7] = Number.NaN;
    expect(messages(compute({ embeddings: x }))).toEqual(['error: embeddings holds NaN at row 0, column 2; every number must be finite']);
  });
});

describe('validateSpec: cross-attention', () => {
  it('key tokens need key embeddings with as many rows, and finite ones', () => {
    expect(messages(compute({ keyTokens: ['x', 'y', 'z'] }))).toEqual([
      'error: There are 3 key tokens but 2 query tokens; cross-attention needs keyEmbeddings with 3 rows',
    ]);
    expect(messages(compute({ keyTokens: ['x', 'y', 'z'], keyEmbeddings: holding(2, 4, 1, 1, Number.NaN) }))).toEqual([
      'error: keyEmbeddings has 2 rows, but there are 3 key tokens',
      'error: keyEmbeddings holds NaN at row 1, column 1; every number must be finite',
    ]);
    expect(messages(compute({ keyTokens: ['x'], keyEmbeddings: zeros(1, 3) }))).toEqual([
      'error: layers[0].heads[0].wk has 4 rows, but keyEmbeddings have 3 columns (d_model = 3)',
      'error: layers[0].heads[0].wv has 4 rows, but keyEmbeddings have 3 columns (d_model = 3)',
    ]);
    // Without embeddings there is nothing to project, so no cross-attention rows are asked for.
    const direct = { query: zeros(2, 2), key: zeros(3, 2), value: zeros(3, 2) };
    expect(messages(compute({ keyTokens: ['x', 'y', 'z'], embeddings: undefined, layers: [{ heads: [direct] }] }))).toEqual([]);
  });
});

describe('validateSpec: precomputed', () => {
  const spec = (attention: PrecomputedSpec['attention']): PrecomputedSpec => ({ kind: 'precomputed', tokens, attention, options: DEFAULT_OPTIONS, provenance });

  it('no layers, a layer without heads, non-finite and wrongly shaped weights', () => {
    expect(messages(spec([]))).toEqual(['error: The spec has no attention layers']);
    expect(messages(spec([[fromRows([[1, 0], [0, 1]])], []]))).toEqual(['error: attention[1] has no heads']);
    expect(messages(spec([[fromRows([[1, 0], [0, Number.NaN]])]]))).toEqual(['error: attention[0][0] holds NaN at row 1, column 1; every number must be finite']);
    expect(messages(spec([[fromRows([[1, 0, 0], [0, 1, 0]])]]))).toEqual(['error: attention[0][0] is 2×3, but there are 2 query tokens and 2 key tokens']);
    expect(messages(spec([[fromRows([[1, 0], [0, 0]])]]))).toEqual([]);
    expect(messages(spec([[fromRows([[1, 0], [0, 1], [0.5, 0.5]])]]))).toEqual(['error: attention[0][0] is 3×2, but there are 2 query tokens and 2 key tokens']);
    expect(messages(spec([[fromRows([[-0.5, 1], [0, 1]])]]))).toEqual(['error: attention[0][0] holds a negative weight (-0.5) at row 0, column 0']);
  });
});
