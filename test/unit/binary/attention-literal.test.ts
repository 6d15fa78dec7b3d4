/**
 * A binary tensor read as attention: the layouts, the checks on the weights and every message and default a person
 * sees, as literal values (load.test.ts matches most of these loosely).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBinaryAttention, type Matrix } from '../../../src/core';
import { attentionFromTensor, checkAttentionWeights, positionTokens, tokensFromMetadata } from '../../../src/core/binary/attention';
import {
  axesProblem, checkWeights, countProblem, layersAndHeads, moreInvalidMessage, moreOffRowsMessage, offRowMessage,
} from '../../../src/core/weightLayout';

const dir = path.join(__dirname, '../../fixtures/binary');
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(dir, name)));
const TOKENS = ['a', 'b', 'c', 'd'];
const sidecar = (fields: Record<string, unknown>): string => JSON.stringify({ tokens: TOKENS, ...fields }, null, 2);

/** A float32 safetensors file holding one tensor `a` of `shape` (rows of `1 / last axis`), with `metadata`. */
function safetensors(shape: number[], metadata?: Record<string, string>): Uint8Array {
  const count = shape.reduce((x, y) => x * y, 1);
  const header = { ...(metadata ? { __metadata__: metadata } : {}), a: { dtype: 'F32', shape, data_offsets: [0, count * 4] } };
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + count * 4);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 8);
  const data = new DataView(out.buffer, 8 + h.length);
  for (let i = 0; i < count; i++) data.setFloat32(i * 4, 1 / shape[shape.length - 1], true);
  return out;
}

const tensor = (shape: number[]) => ({ shape, data: new Float32Array(shape.reduce((a, b) => a * b, 1)).fill(1 / shape[shape.length - 1]) });
const mat = (rows: number, cols: number, values: number[]): Matrix => ({ rows, cols, data: Float32Array.from(values) });

function problemOf(r: ReturnType<typeof attentionFromTensor>): string {
  if (r.ok) throw new Error('expected a problem');
  return r.problem.message;
}

describe('attentionFromTensor', () => {
  const layouts = '[query][key], [head][query][key], [layer][head][query][key], [layer][batch][head][query][key]';

  it('reads 2 to 5 axes as layers × heads of queries × keys', () => {
    const read = (shape: number[]) => {
      const r = attentionFromTensor(tensor(shape), 'x');
      if (!r.ok) throw new Error(r.problem.message);
      return [r.value.layout, r.value.weights.length, r.value.weights[0].length, r.value.queries, r.value.keys];
    };
    expect(read([2, 3])).toEqual(['[query][key]', 1, 1, 2, 3]);
    expect(read([3, 2, 2])).toEqual(['[head][query][key]', 1, 3, 2, 2]);
    expect(read([2, 3, 2, 2])).toEqual(['[layer][head][query][key]', 2, 3, 2, 2]);
    expect(read([2, 1, 3, 2, 2])).toEqual(['[layer][batch][head][query][key]', 2, 3, 2, 2]);
  });

  it('splits the data head by head, without copying', () => {
    const t = { shape: [2, 2, 1, 2], data: Float32Array.from([1, 0, 0, 1, 0.5, 0.5, 0.25, 0.75]) };
    const r = attentionFromTensor(t, 'x');
    if (!r.ok) throw new Error(r.problem.message);
    expect(r.value.weights.map((l) => l.map((h) => [...h.data]))).toEqual([[[1, 0], [0, 1]], [[0.5, 0.5], [0.25, 0.75]]]);
    expect(r.value.weights[1][1].data.buffer).toBe(t.data.buffer);
  });

  it('names the axes, the batch and the token counts that do not fit', () => {
    expect(problemOf(attentionFromTensor(tensor([4]), 'x'))).toBe(`x (4,) has 1 axis, but attention weights need 2 to 5: ${layouts}.`);
    expect(problemOf(attentionFromTensor(tensor([1, 1, 1, 1, 1, 2]), 'x'))).toBe(`x (1, 1, 1, 1, 1, 2) has more than 5 axes, but attention weights need 2 to 5: ${layouts}.`);
    expect(problemOf(attentionFromTensor(tensor([2, 2, 1, 2, 2]), 'x'))).toBe(
      'x (2, 2, 1, 2, 2) has 5 axes, read as [layer][batch][head][query][key], so axis 1 is the batch axis and must have size 1, but it has 2. Export one sequence at a time: attn[:, 0] (or attn[:, i] for sequence i).',
    );
    expect(problemOf(attentionFromTensor(tensor([1, 2]), 'x', 2))).toBe('x (1, 2), read as [query][key], has 1 query row, but there are 2 tokens.');
    expect(problemOf(attentionFromTensor(tensor([2, 2]), 'x', 1))).toBe('x (2, 2), read as [query][key], has 2 query rows, but there is 1 token.');
    expect(problemOf(attentionFromTensor(tensor([2, 1]), 'x', 2, 2))).toBe('x (2, 1), read as [query][key], has 1 key column, but there are 2 key tokens.');
    expect(problemOf(attentionFromTensor(tensor([2, 2]), 'x', 2, 1))).toBe('x (2, 2), read as [query][key], has 2 key columns, but there is 1 key token.');
  });

  it('messages and layers for the other axis counts (weightLayout.ts, shared with JSON files)', () => {
    expect(axesProblem('s', 0)).toBe(`s has 0 axes, but attention weights need 2 to 5: ${layouts}.`);
    expect(axesProblem('s', 5)).toBe(`s has 5 axes, but attention weights need 2 to 5: ${layouts}.`);
    expect(countProblem('s', 'query', 3, 1, 'key tokens')).toBe('s has 3 query rows, but there is 1 key token.');
    expect(layersAndHeads([5, 6])).toEqual({ layers: 1, heads: 1 });
    expect(layersAndHeads([4, 5, 6])).toEqual({ layers: 1, heads: 4 });
    expect(layersAndHeads([3, 4, 5, 6])).toEqual({ layers: 3, heads: 4 });
    expect(layersAndHeads([3, 1, 4, 5, 6])).toEqual({ layers: 3, heads: 4 });
  });
});

describe('checking the weights', () => {
  it('lists the first invalid weight with its indices and counts the rest', () => {
    expect(checkAttentionWeights([[mat(2, 2, [0.5, 0.5, 0.25, 0.75])]], 'x')).toEqual([]);
    expect(checkAttentionWeights([[mat(2, 2, [-1, 0.5, NaN, 0.75])], [mat(1, 2, [Infinity, 0])]], 'x')).toEqual([
      { severity: 'error', message: 'x[0][0][0][0] is -1, but attention weights must be finite and ≥ 0 (they come out of a softmax).' },
      { severity: 'error', message: '…and 2 more weights in x that are negative or not finite.' },
    ]);
    expect(checkAttentionWeights([[mat(1, 3, [0, 0.5, -1])], [mat(1, 1, [-Infinity])]], 'x')).toEqual([
      { severity: 'error', message: 'x[0][0][0][2] is -1, but attention weights must be finite and ≥ 0 (they come out of a softmax).' },
      { severity: 'error', message: '…and 1 more weight in x that is negative or not finite.' },
    ]);
  });

  it('warns about rows that do not sum to 1, but not about all-zero rows or rows within 0.001', () => {
    expect(checkAttentionWeights([[mat(3, 2, [0.5, 0.6, 0.25, 0.25, 0, 0])], [mat(1, 2, [0.2, 0.2])]], 'x')).toEqual([
      { severity: 'warning', message: 'x[0][0][0] sums to 1.1, not 1 (off by more than 0.001): these may not be softmax weights, or may be rounded too coarsely.' },
      { severity: 'warning', message: '…and 2 more rows of x that do not sum to 1 (3 in all; the largest difference is 0.6).' },
    ]);
    expect(checkAttentionWeights([[mat(2, 2, [0.5, 0.5009, 0.5, 0.4991])]], 'x')).toEqual([]);
    expect(checkAttentionWeights([[mat(1, 2, [0.5, 0.502])]], 'x')).toEqual([
      { severity: 'warning', message: 'x[0][0][0] sums to 1.002, not 1 (off by more than 0.001): these may not be softmax weights, or may be rounded too coarsely.' },
    ]);
  });

  it('counts every finding in one pass and keeps the largest deviation', () => {
    const found: string[] = [];
    const check = checkWeights([[mat(2, 2, [0.9, 0, -1, 1])], [mat(2, 2, [0.7, 0, 0.5, 0.4])]], 2, {
      invalid: (l, h, i, j) => found.push(`invalid ${l} ${h} ${i} ${j}`),
      offRow: (l, h, i, sum) => found.push(`off ${l} ${h} ${i} ${sum.toFixed(3)}`),
    });
    expect(found).toEqual(['off 0 0 0 0.900', 'invalid 0 0 1 0', 'off 1 0 0 0.700']);
    expect(check).toEqual({ invalid: 1, offRows: 3, worst: expect.closeTo(0.3, 6) });
    expect(moreOffRowsMessage('w', check, 2)).toBe('…and 1 more row of w that do not sum to 1 (3 in all; the largest difference is 0.3).');
    expect(moreInvalidMessage('w', check, 1)).toBeUndefined();
    expect(moreOffRowsMessage('w', check, 3)).toBeUndefined();
    expect(offRowMessage('r', 0.123456)).toBe('r sums to 0.1235, not 1 (off by more than 0.001): these may not be softmax weights, or may be rounded too coarsely.');
  });
});

describe('tokens from safetensors metadata, or positions', () => {
  it('reads "tokens" and "key_tokens" as JSON lists of strings', () => {
    expect(tokensFromMetadata(undefined, 'f')).toEqual({});
    expect(tokensFromMetadata({ other: 'x' }, 'f')).toEqual({});
    expect(tokensFromMetadata({ tokens: '["a","b"]', key_tokens: '["c"]' }, 'f')).toEqual({ tokens: ['a', 'b'], keyTokens: ['c'] });
    expect(positionTokens(3)).toEqual(['0', '1', '2']);
  });

  it('refuses anything else, quoting at most 60 characters of it', () => {
    const hint = (key: string) => `f: metadata "${key}" must be a JSON list of strings, e.g. metadata={"${key}": json.dumps(tokens)}, but it is`;
    expect(tokensFromMetadata({ tokens: 'not json' }, 'f').problem).toEqual({ severity: 'error', message: `${hint('tokens')} "not json".` });
    expect(tokensFromMetadata({ tokens: '[1]' }, 'f').problem?.message).toBe(`${hint('tokens')} "[1]".`);
    expect(tokensFromMetadata({ tokens: '{"a":1}' }, 'f').problem?.message).toBe(`${hint('tokens')} "{\\"a\\":1}".`);
    expect(tokensFromMetadata({ tokens: '["a"]', key_tokens: 'x'.repeat(70) }, 'f').problem?.message).toBe(`${hint('key_tokens')} "${'x'.repeat(60)}"….`);
    expect(tokensFromMetadata({ tokens: 'x'.repeat(60) }, 'f').problem?.message).toBe(`${hint('tokens')} "${'x'.repeat(60)}".`);
  });
});

describe('parseBinaryAttention: defaults and messages', () => {
  it('a file read alone: default options (scaled, no mask, temperature 1), positions, and a description', () => {
    const r = parseBinaryAttention({ bytes: load('attn_f4.npy'), fileName: 'd/attn_f4.npy' });
    expect(r.ok && r.spec).toMatchObject({
      kind: 'precomputed',
      tokens: ['0', '1', '2', '3'],
      options: { scale: true, mask: { kind: 'none' }, temperature: 1 },
      provenance: { kind: 'model', description: 'Attention weights exported from a model (attn_f4.npy).' },
    });
    expect(r.ok && 'keyTokens' in r.spec).toBe(false);
    expect(r.ok && 'headNames' in r.spec).toBe(false);
    expect(r.ok && r.warnings.map((w) => w.message)).toEqual([
      'attn_f4.npy carries no tokens, so positions 0…3 are shown. Add them with a sidecar *.attention.json ({ "tokens": [...], "attention_file": "attn_f4.npy" }).',
    ]);
  });

  it('safetensors: the metadata hint, key positions for a non-square tensor, and the description with its source', () => {
    const r = parseBinaryAttention({ bytes: safetensors([2, 3]), fileName: 'w\\s.safetensors' });
    expect(r.ok && r.spec.tokens).toEqual(['0', '1']);
    expect(r.ok && r.spec.kind === 'precomputed' && r.spec.keyTokens).toEqual(['0', '1', '2']);
    expect(r.ok && r.warnings.map((w) => w.message)).toEqual([
      's.safetensors carries no tokens, so positions 0…1 are shown. Add them with a sidecar *.attention.json ({ "tokens": [...], "attention_file": "s.safetensors" }) or metadata={"tokens": json.dumps(tokens)}.',
    ]);
    const meta = parseBinaryAttention({ bytes: safetensors([2, 3], { tokens: '["p","q"]', key_tokens: '["x","y","z"]', description: 'Mine.', source: 'here' }), fileName: 's.safetensors' });
    expect(meta.ok && meta.spec).toMatchObject({ tokens: ['p', 'q'], keyTokens: ['x', 'y', 'z'], provenance: { kind: 'model', description: 'Mine. Source: here' } });
    expect(meta.ok && meta.warnings).toEqual([]);
    const described = parseBinaryAttention({ bytes: safetensors([2, 2], { description: 'Only this.' }), fileName: 's.safetensors' });
    expect(described.ok && described.spec.provenance).toEqual({ kind: 'model', description: 'Only this.' });
    const bad = parseBinaryAttention({ bytes: safetensors([2, 2], { tokens: 'no' }), fileName: 's.safetensors' });
    expect(!bad.ok && bad.problems[0].message).toBe('s.safetensors: metadata "tokens" must be a JSON list of strings, e.g. metadata={"tokens": json.dumps(tokens)}, but it is "no".');
  });

  it('names the array shown when an archive holds several', () => {
    const r = parseBinaryAttention({ bytes: load('multi.npz'), fileName: 'm.npz' });
    expect(r.ok && r.warnings.map((w) => w.message)[0]).toBe('m.npz holds 2 arrays; showing "other" (2, 2). Name another with "attention_tensor" in a sidecar *.attention.json.');
  });

  it('head_names must match the layers and heads, flat or per layer, and the problem points at the sidecar', () => {
    const named = (file: string, headNames: unknown) => {
      const r = parseBinaryAttention({ bytes: load(file), fileName: file, sidecarText: sidecar({ attention_file: file, head_names: headNames }) });
      if (r.ok) throw new Error('expected a problem');
      expect(r.problems.length).toBe(1);
      expect(r.problems[0].location?.path).toEqual(['attention_file']);
      return r.problems[0].message;
    };
    expect(named('attn_f4.npy', [['a', 'b', 'c'], ['d', 'e', 'f'], ['g', 'h', 'i']])).toBe('head_names has names for 3 layers, but attn_f4.npy has 2.');
    expect(named('attn_f4.npy', [['a', 'b', 'c']])).toBe('head_names has names for 1 layer, but attn_f4.npy has 2.');
    expect(named('attn_f4.npy', [['a', 'b', 'c'], ['d', 'e']])).toBe('head_names[1] has 2 names, but attn_f4.npy has 3 heads per layer.');
    expect(named('attn_f4.npy', ['a'])).toBe('head_names has 1 name, but attn_f4.npy has 3 heads per layer.');
    const ok = parseBinaryAttention({ bytes: load('attn_f4.npy'), fileName: 'attn_f4.npy', sidecarText: sidecar({ attention_file: 'attn_f4.npy', head_names: [['a', 'b', 'c'], ['d', 'e', 'f']] }) });
    expect(ok.ok && ok.spec.kind === 'precomputed' && ok.spec.headNames).toEqual([['a', 'b', 'c'], ['d', 'e', 'f']]);
  });

  it('a sidecar that is not a reference is returned as parsed; a reader failure points at the sidecar', () => {
    const plain = parseBinaryAttention({ bytes: load('attn_f4.npy'), fileName: 'attn_f4.npy', sidecarText: sidecar({ attention: [[[1, 0, 0, 0], [0, 1, 0, 0], [0, 0, 1, 0], [0, 0, 0, 1]]] }) });
    expect(plain.ok && plain.spec.kind === 'precomputed' && plain.spec.attention[0][0].rows).toBe(4);
    const r = parseBinaryAttention({ bytes: load('multi.npz'), fileName: 'm.npz', sidecarText: sidecar({ attention_file: 'm.npz', attention_tensor: 'zzz' }) });
    expect(!r.ok && r.problems).toEqual([expect.objectContaining({ message: 'm.npz has no array named "zzz"; it holds "other", "attention".', location: expect.objectContaining({ path: ['attention_file'] }) })]);
    const crash = parseBinaryAttention({ bytes: null as unknown as Uint8Array, fileName: 'x.npy' });
    expect(!crash.ok && crash.problems).toEqual([{ severity: 'error', message: "Internal error while reading x.npy: Cannot read properties of null (reading 'length')" }]);
  });
});
