// Exported weights read the same way from JSON and from a binary file: same layouts, same checks, same words.
import { describe, expect, it } from 'vitest';
import { attentionFromTensor, checkAttentionWeights, parseTensorFile, type Problem } from '../../../src/core';
import { checkWeights, layersAndHeads } from '../../../src/core/weightLayout';

const messages = (ps: readonly Problem[]): string[] => ps.map((p) => `${p.severity}: ${p.message}`);

function fromJson(attention: unknown, tokens = 2): string[] {
  const r = parseTensorFile(JSON.stringify({ tokens: Array.from({ length: tokens }, (_, i) => `t${i}`), attention }));
  return messages(r.ok ? r.warnings : r.problems);
}

function fromBinary(shape: number[], values: number[], tokens?: number): string[] {
  const att = attentionFromTensor({ shape, data: Float32Array.from(values) }, 'a.npy', tokens, tokens);
  if (!att.ok) return messages([att.problem]);
  return messages(checkAttentionWeights(att.value.weights, 'a.npy'));
}

describe('one weight layout for JSON and binary files', () => {
  it('a negative weight: the same sentence, at the cell', () => {
    const rest = 'is -0.5, but attention weights must be finite and ≥ 0 (they come out of a softmax).';
    expect(fromJson([[1, 0], [1.5, -0.5]])).toEqual([`error: attention[1][1] ${rest}`]);
    expect(fromBinary([2, 2], [1, 0, 1.5, -0.5])).toEqual([`error: a.npy[0][0][1][1] ${rest}`]);
  });

  it('NaN and infinity are refused like negatives (binary only: JSON cannot hold them)', () => {
    expect(fromBinary([1, 2], [Number.NaN, 1])).toEqual(['error: a.npy[0][0][0][0] is NaN, but attention weights must be finite and ≥ 0 (they come out of a softmax).']);
    expect(fromBinary([1, 2], [0, Number.POSITIVE_INFINITY])).toEqual(['error: a.npy[0][0][0][1] is Infinity, but attention weights must be finite and ≥ 0 (they come out of a softmax).']);
  });

  it('a row off 1: the same warning; an all-zero row and a row within 1e-3 pass', () => {
    const rest = 'sums to 0.9, not 1 (off by more than 0.001): these may not be softmax weights, or may be rounded too coarsely.';
    expect(fromJson([[0.5, 0.4], [0, 0]])).toEqual([`warning: attention[0] ${rest}`]);
    expect(fromBinary([2, 2], [0.5, 0.4, 0, 0])).toEqual([`warning: a.npy[0][0][0] ${rest}`]);
    expect(fromJson([[0.5, 0.5009], [0.4995, 0.5]])).toEqual([]);
    expect(fromBinary([2, 2], [0.5, 0.5011, 0.4989, 0.5])).toHaveLength(2);
  });

  it('beyond the listed findings, one summary with the count and the largest difference', () => {
    // 3 rows off: JSON lists up to 20 at their rows, a binary file the first one, then the rest in one line.
    const rows = [[0.5, 0.4, 0], [0.5, 0.3, 0], [0.9, 0.3, 0]];
    expect(fromJson(rows, 3)).toHaveLength(3);
    expect(fromBinary([3, 3], rows.flat())).toEqual([
      'warning: a.npy[0][0][0] sums to 0.9, not 1 (off by more than 0.001): these may not be softmax weights, or may be rounded too coarsely.',
      'warning: …and 2 more rows of a.npy that do not sum to 1 (3 in all; the largest difference is 0.2).',
    ]);
    expect(fromBinary([1, 3], [-1, -2, 3])).toEqual([
      'error: a.npy[0][0][0][0] is -1, but attention weights must be finite and ≥ 0 (they come out of a softmax).',
      'error: …and 1 more weight in a.npy that is negative or not finite.',
    ]);
  });

  it('the batch axis, axis counts and token counts: the same words', () => {
    const oneByOne = [[[[[1]]], [[[1]]]]];
    expect(fromJson(oneByOne, 1)).toEqual(['error: attention has 5 axes, read as [layer][batch][head][query][key], so attention[0] is the batch axis and must have size 1, but it has 2. Export one sequence at a time: attn[:, 0] (or attn[:, i] for sequence i).']);
    expect(fromBinary([1, 2, 1, 1, 1], [1, 1], 1)).toEqual(['error: a.npy (1, 2, 1, 1, 1) has 5 axes, read as [layer][batch][head][query][key], so axis 1 is the batch axis and must have size 1, but it has 2. Export one sequence at a time: attn[:, 0] (or attn[:, i] for sequence i).']);
    const layouts = '[query][key], [head][query][key], [layer][head][query][key], [layer][batch][head][query][key]';
    expect(fromJson([1, 0])).toEqual([`error: attention has 1 axis, but attention weights need 2 to 5: ${layouts}.`]);
    expect(fromBinary([2], [1, 0])).toEqual([`error: a.npy (2,) has 1 axis, but attention weights need 2 to 5: ${layouts}.`]);
    expect(fromBinary([1, 1, 1, 1, 1, 1], [1])).toEqual([`error: a.npy (1, 1, 1, 1, 1, 1) has more than 5 axes, but attention weights need 2 to 5: ${layouts}.`]);
    expect(fromJson([[1]], 3)).toEqual(['error: attention has 1 query row, but there are 3 tokens.']);
    expect(fromBinary([1, 1], [1], 3)).toEqual(['error: a.npy (1, 1), read as [query][key], has 1 query row, but there are 3 tokens.']);
    expect(fromBinary([3, 2], [0.5, 0.5, 0.5, 0.5, 0.5, 0.5], 3)).toEqual(['error: a.npy (3, 2), read as [query][key], has 2 key columns, but there are 3 key tokens.']);
    expect(fromBinary([2, 1], [1, 1], 1)).toEqual(['error: a.npy (2, 1), read as [query][key], has 2 query rows, but there is 1 token.']);
  });

  it('layers and heads by layout', () => {
    expect(layersAndHeads([4, 4])).toEqual({ layers: 1, heads: 1 });
    expect(layersAndHeads([3, 4, 4])).toEqual({ layers: 1, heads: 3 });
    expect(layersAndHeads([2, 3, 4, 4])).toEqual({ layers: 2, heads: 3 });
    expect(layersAndHeads([2, 1, 3, 4, 4])).toEqual({ layers: 2, heads: 3 });
  });

  it('checkWeights counts every finding and lists the first ones, in order', () => {
    const seen: string[] = [];
    const w = { rows: 3, cols: 2, data: Float32Array.from([0.25, 0.25, -1, 2, 0, 0]) };
    const check = checkWeights([[w], [w]], 1, {
      invalid: (l, h, i, j) => seen.push(`invalid ${l} ${h} ${i} ${j}`),
      offRow: (l, h, i, sum) => seen.push(`off ${l} ${h} ${i} ${sum}`),
    });
    expect(seen).toEqual(['off 0 0 0 0.5', 'invalid 0 0 1 0']);
    expect(check).toEqual({ invalid: 2, offRows: 2, worst: 0.5 });
  });
});
