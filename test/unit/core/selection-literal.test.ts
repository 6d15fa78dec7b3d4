// The selection spec's shapes, names and settings at their edges (fractions, NaN, below the minimum, seeds past
// 32 bits), checked against literal values. Written for the survivors of mutation testing (bench/mutation/README.md).
import { describe, expect, it } from 'vitest';
import { buildSelectionSpec, FFN_MULTIPLIER, type SelectionSettings } from '../../../src/core/selection';
import { mixSeed, mulberry32, uniformMatrix, xavierUniform } from '../../../src/core/random';
import { tokenEmbedding } from '../../../src/core/embed';

const SETTINGS: SelectionSettings = {
  tokenizer: 'words', dModel: 4, dK: 2, heads: 2, layers: 1, seed: 5, positionalEncoding: false,
  mask: { kind: 'causal' }, temperature: 0.5, scale: false,
};
const shapeOf = (m: { rows: number; cols: number }) => `${m.rows}×${m.cols}`;

describe('buildSelectionSpec, literal', () => {
  it('names, shapes and the feed-forward width (d_ff = 4 · d_model), zero biases, options as given', () => {
    const { spec, tokens } = buildSelectionSpec('a b', { ...SETTINGS, layers: 2 });
    expect(FFN_MULTIPLIER).toBe(4);
    expect(tokens).toEqual([{ text: 'a', start: 0, end: 1 }, { text: 'b', start: 2, end: 3 }]);
    expect(spec.tokens).toEqual(['a', 'b']);
    expect(shapeOf(spec.embeddings!)).toBe('2×4');
    expect(spec.layers).toHaveLength(2);
    const [layer] = spec.layers;
    expect(layer.heads.map((h) => h.name)).toEqual(['head 1', 'head 2']);
    const h = layer.heads[1];
    expect('wq' in h && [h.wq, h.wk, h.wv].map(shapeOf)).toEqual(['4×2', '4×2', '4×2']);
    expect(shapeOf(layer.wo!)).toBe('4×4');
    expect([shapeOf(layer.ffn!.w1), shapeOf(layer.ffn!.w2)]).toEqual(['4×16', '16×4']);
    expect([Array.from(layer.ffn!.b1), Array.from(layer.ffn!.b2)]).toEqual([Array(16).fill(0), Array(4).fill(0)]);
    expect(spec.options).toEqual({ scale: false, mask: { kind: 'causal' }, temperature: 0.5 });
    expect(spec.provenance).toEqual({
      kind: 'random',
      description: 'Weights are random (seed 5), not learned: the pattern shows how attention works, not what a trained model would find meaningful.',
    });
  });

  it('each matrix draws from its own stream: (seed, layer, slot, part); W_O and the FFN have slots 0x10000 and 0x10001', () => {
    const { spec } = buildSelectionSpec('a b', { ...SETTINGS, layers: 2 });
    const stream = (layer: number, slot: number, part: number, rows: number, cols: number) =>
      Array.from(xavierUniform(rows, cols, mulberry32(mixSeed(5, layer, slot, part))).data);
    const layer = spec.layers[1];
    const head = layer.heads[1];
    if (!('wq' in head)) throw new Error('a projected head');
    expect([Array.from(head.wq.data), Array.from(head.wk.data), Array.from(head.wv.data)]).toEqual([stream(1, 1, 0, 4, 2), stream(1, 1, 1, 4, 2), stream(1, 1, 2, 4, 2)]);
    expect(Array.from(layer.wo!.data)).toEqual(stream(1, 0x10000, 0, 4, 4));
    expect([Array.from(layer.ffn!.w1.data), Array.from(layer.ffn!.w2.data)]).toEqual([stream(1, 0x10001, 0, 4, 16), stream(1, 0x10001, 1, 16, 4)]);
  });

  it('sizes are whole numbers at least 1 (NaN and ∞ give the minimum); the seed is a whole unsigned 32-bit number', () => {
    const { spec } = buildSelectionSpec('a', { ...SETTINGS, dModel: 3.9, dK: 0, heads: Number.NaN, layers: -2, seed: 2 ** 32 + 7.5 });
    expect(shapeOf(spec.embeddings!)).toBe('1×3');
    const [layer] = spec.layers;
    expect(spec.layers).toHaveLength(1);
    expect(layer.heads).toHaveLength(1);
    expect('wq' in layer.heads[0] && shapeOf(layer.heads[0].wq)).toBe('3×1');
    expect(spec.provenance.description).toContain('(seed 7)');
    expect(buildSelectionSpec('a', { ...SETTINGS, seed: -3 }).spec.provenance.description).toContain('(seed 0)');
    expect(buildSelectionSpec('a', { ...SETTINGS, seed: Number.POSITIVE_INFINITY, layers: Number.POSITIVE_INFINITY }).spec.layers).toHaveLength(1);
  });

  it('a token edit changes the token list, not the text: a replaced token keeps its range', () => {
    const { spec, tokens } = buildSelectionSpec('a b', SETTINGS, { kind: 'replace-token', position: 1, token: 'c' });
    expect(spec.tokens).toEqual(['a', 'c']);
    expect(tokens[1]).toEqual({ text: 'c', start: 2, end: 3 });
  });
});

describe('uniformMatrix', () => {
  it('draws exactly one number per cell, so two matrices from one stream continue it', () => {
    const one = mulberry32(11);
    const split = [...uniformMatrix(1, 2, 1, one).data, ...uniformMatrix(1, 1, 1, one).data];
    expect(split).toEqual(Array.from(uniformMatrix(1, 3, 1, mulberry32(11)).data));
  });
});

describe('tokenEmbedding', () => {
  it('the empty token (no character trigrams, only its spelling vector) still has length √d_model = 2, every entry finite', () => {
    const e = tokenEmbedding('', 4);
    expect(Array.from(e).every(Number.isFinite)).toBe(true);
    expect(Math.hypot(...e)).toBeCloseTo(2, 12);
  });
});
