import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseTensorFile, DEFAULT_FILE_DESCRIPTION, DEFAULT_MODEL_DESCRIPTION } from '../../../src/core/tensorFile';
import { toRows } from '../../../src/core/matrix';
import type { ComputeSpec, PrecomputedSpec } from '../../../src/core/types';
import { json, ok } from './helpers';

/** Real GPT-2 attention exports, copied into the repository so the tests run from any checkout. */
const fixture = (name: string): string => readFileSync(fileURLToPath(new URL(`../../fixtures/gpt2/${name}`, import.meta.url)), 'utf8');

const X = [[1, 0], [0, 1], [1, 1]];
const compute = (o: object): ComputeSpec => {
  const s = ok(json(o)).spec;
  if (s.kind !== 'compute') throw new Error('expected compute');
  return s;
};
const precomputed = (o: object): PrecomputedSpec => {
  const s = ok(json(o)).spec;
  if (s.kind !== 'precomputed') throw new Error('expected precomputed');
  return s;
};

describe('compute mode', () => {
  it('embeddings alone: one layer with no heads, Q = K = V = X', () => {
    const s = compute({ tokens: ['a', 'b', 'c'], embeddings: X });
    expect(s.layers).toEqual([{ heads: [] }]);
    expect(toRows(s.embeddings!)).toEqual(X);
    expect(s.options).toEqual({ scale: true, mask: { kind: 'none' }, temperature: 1 });
    expect(s.provenance).toEqual({ kind: 'file', description: DEFAULT_FILE_DESCRIPTION });
  });
  it('top-level heads and wo make one layer; names are kept; numbers become float32', () => {
    const w = [[0.1, 0.2], [0.3, 0.4]];
    const s = compute({ tokens: ['a', 'b', 'c'], embeddings: X, heads: [{ name: 'h0', wq: w, wk: w, wv: w }, { wq: w, wk: w, wv: w }], wo: [[1, 0], [0, 1], [1, 0], [0, 1]] });
    expect(s.layers).toHaveLength(1);
    const [h0, h1] = s.layers[0].heads;
    expect(h0.name).toBe('h0');
    expect(h1.name).toBeUndefined();
    expect('wq' in h0 && h0.wq.data).toEqual(new Float32Array([0.1, 0.2, 0.3, 0.4]));
    expect(s.layers[0].wo?.rows).toBe(4);
  });
  it('query/key/value shorthand: one direct head, no embeddings needed', () => {
    const s = compute({ tokens: ['a', 'b', 'c'], query: X, key: X, value: [[1], [2], [3]] });
    expect(s.embeddings).toBeUndefined();
    const h = s.layers[0].heads[0];
    expect('query' in h && toRows(h.value)).toEqual([[1], [2], [3]]);
  });
  it('layers: a stack with ffn; top-level ffn makes one encoder layer', () => {
    const ffn = { w1: [[1, 0, 1], [0, 1, 1]], b1: [0, 0, 0.5], w2: [[1, 0], [0, 1], [1, 1]], b2: [0.1, 0.2] };
    const s = compute({ tokens: ['a', 'b', 'c'], embeddings: X, layers: [{ heads: [], ffn }, { heads: [] }] });
    expect(s.layers).toHaveLength(2);
    expect(Array.from(s.layers[0].ffn!.b2)).toEqual([Math.fround(0.1), Math.fround(0.2)]);
    expect(compute({ tokens: ['a', 'b', 'c'], embeddings: X, ffn }).layers[0].ffn).toBeDefined();
  });
  it('cross-attention with key_tokens and key_embeddings', () => {
    const w = [[1, 0], [0, 1]];
    const s = compute({ tokens: ['a', 'b', 'c'], key_tokens: ['x', 'y'], embeddings: X, key_embeddings: [[1, 2], [3, 4]], heads: [{ wq: w, wk: w, wv: w }] });
    expect(s.keyTokens).toEqual(['x', 'y']);
    expect(s.keyEmbeddings?.rows).toBe(2);
    const d = compute({ tokens: ['a', 'b', 'c'], key_tokens: ['x', 'y'], query: X, key: w, value: w });
    expect(d.keyTokens).toEqual(['x', 'y']);
  });
  it('options map to the spec', () => {
    const o = (options: object) => compute({ tokens: ['a', 'b', 'c'], embeddings: X, options }).options;
    expect(o({ scale: false })).toEqual({ scale: false, mask: { kind: 'none' }, temperature: 1 });
    expect(o({ scale: 0.25, temperature: 2 })).toMatchObject({ scale: 0.25, temperature: 2 });
    expect(o({ mask: 'causal' }).mask).toEqual({ kind: 'causal' });
    expect(o({ mask: 'none' }).mask).toEqual({ kind: 'none' });
    expect(o({ mask: { window: 2 } }).mask).toEqual({ kind: 'window', window: 2 });
    expect(o({ mask: { window: 3, dilation: 2 } }).mask).toEqual({ kind: 'dilated', window: 3, dilation: 2 });
  });
  it('description and source become the provenance sentence', () => {
    const s = compute({ tokens: ['a', 'b', 'c'], embeddings: X, description: 'Hand-made.', source: 'me' });
    expect(s.provenance).toEqual({ kind: 'file', description: 'Hand-made. Source: me' });
  });
});

describe('precomputed mode', () => {
  const w2 = [[1, 0], [0.25, 0.75]];
  it('accepts [q][k], [head][q][k], [layer][head][q][k] and [layer][1][head][q][k]', () => {
    const shapes = [w2, [w2, w2], [[w2, w2, w2]], [[[w2, w2]], [[w2, w2]]]];
    const expected = [[1, 1], [1, 2], [1, 3], [2, 2]];
    shapes.forEach((attention, i) => {
      const s = precomputed({ tokens: ['a', 'b'], attention });
      expect([s.attention.length, s.attention[0].length]).toEqual(expected[i]);
      expect(toRows(s.attention[0][0])).toEqual(w2);
    });
  });
  it('provenance is "model", with the default sentence when there is no description', () => {
    expect(precomputed({ tokens: ['a', 'b'], attention: w2 }).provenance).toEqual({ kind: 'model', description: DEFAULT_MODEL_DESCRIPTION });
    expect(precomputed({ tokens: ['a', 'b'], attention: w2, description: 'GPT-2 layer 5.' }).provenance.description).toBe('GPT-2 layer 5.');
  });
  it('keeps raw model tokens (Ġ, ▁, Ċ, spaces) untouched', () => {
    const tokens = ['Ġthe', '▁cat', 'Ċ', ' sat'];
    const eye = tokens.map((_, i) => tokens.map((__, j) => (i === j ? 1 : 0)));
    expect(precomputed({ tokens, attention: eye }).tokens).toEqual(tokens);
  });
  it('head_names: flat for every layer, or one list per layer', () => {
    expect(precomputed({ tokens: ['a', 'b'], attention: [[w2, w2]], head_names: ['x', 'y'] }).headNames).toEqual([['x', 'y']]);
    expect(precomputed({ tokens: ['a', 'b'], attention: [[w2], [w2]], head_names: [['L0'], ['L1']] }).headNames).toEqual([['L0'], ['L1']]);
    const r = parseTensorFile(json({ tokens: ['a', 'b'], attention: [[w2, w2]], head_names: ['x'] }));
    expect(!r.ok && r.problems[0].message).toMatch(/head_names has 1 name, but layer 0 of attention has 2 heads/);
  });
  it('rows that do not sum to 1 are warnings at the row (gpt2-short-head fixture)', () => {
    const r = parseTensorFile(fixture('gpt2-short-head.json'));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings).toHaveLength(8);
    for (const [i, w] of r.warnings.entries()) {
      expect(w.severity).toBe('warning');
      expect(w.location?.path).toEqual(['attention', 0, 0, i]);
    }
  });
  it('many off rows are summarised after 20', () => {
    const rows = Array.from({ length: 30 }, () => [0.5, 0.4]);
    const r = parseTensorFile(json({ tokens: Array(30).fill('t'), key_tokens: ['a', 'b'], attention: rows }));
    expect(r.ok && r.warnings.length).toBe(21);
    expect(r.ok && r.warnings[20].message).toMatch(/…and 10 more rows of attention that do not sum to 1 \(30 in all/);
  });
  it('scale and temperature have no effect on given weights: warnings; a mask is kept', () => {
    const r = parseTensorFile(json({ tokens: ['a', 'b'], attention: w2, options: { mask: 'causal', temperature: 2 } }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.spec.options.mask).toEqual({ kind: 'causal' });
    expect(r.warnings.map((w) => w.message)).toEqual([expect.stringMatching(/options.temperature has no effect/)]);
  });
  it('the real GPT-2 fixture (one layer, 12 heads, 37 tokens) parses (its speed is measured in bench/, not here)', () => {
    const text = fixture('gpt2-induction-layer.json');
    const r = parseTensorFile(text);
    expect(r.ok).toBe(true);
    const s = precomputed(JSON.parse(text));
    expect(s.tokens).toHaveLength(37);
    expect(s.attention[0]).toHaveLength(12);
  });
});

describe('warnings', () => {
  it('unknown fields are warnings with a suggestion, located at the key', () => {
    const text = json({ tokens: ['a', 'b', 'c'], embeddings: X, optons: {}, heads: [{ wq: X.slice(0, 2), wk: X.slice(0, 2), wv: X.slice(0, 2), nmae: 'x' }] });
    const r = parseTensorFile(text);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/Unknown field "optons" in the top-level object; it is ignored. Did you mean "options"\?/),
      expect.stringMatching(/Unknown field "nmae" in heads\[0\].*Did you mean "name"\?/),
    ]);
    const loc = r.warnings[0].location!;
    expect(text.slice(loc.offset, loc.offset + loc.length)).toBe('"optons"');
    expect(loc.path).toEqual(['optons']);
  });
  it('$schema is allowed', () => {
    expect(ok(json({ $schema: './schemas/attention.schema.json', tokens: ['a'], embeddings: [[1]] })).warnings).toEqual([]);
  });
});
