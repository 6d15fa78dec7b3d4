/**
 * The tensor-file readers where they stop: how deep they look into nested attention, what they read after an error in
 * the layers' layout, and how much of a head they read after its first unreadable matrix. Each problem is written out whole (the message corpus, messages-golden.test.ts,
 * holds one case per rule; these are stopping points it does not reach).
 */
import { describe, expect, it } from 'vitest';
import { problems } from './helpers';

describe('where the readers stop', () => {
  it('attention nested deeper than 5 levels has too many axes, whatever lies below the sixth level', () => {
    const tooDeep = 'attention has more than 5 axes, but attention weights need 2 to 5: [query][key], [head][query][key], [layer][head][query][key], [layer][batch][head][query][key].';
    // Below the sixth level: an empty array, which would otherwise be reported as "an empty array".
    expect(problems(JSON.stringify({ tokens: ['a'], attention: [[[[[[[]]]]]]] })).map((p) => p.message)).toEqual([tooDeep]);
    expect(problems(JSON.stringify({ tokens: ['a'], attention: [[[[[[[1]]]]]]] })).map((p) => p.message)).toEqual([tooDeep]);
  });

  it('an error in the layers\' layout stops the check before any head is read or any row summed', () => {
    const I2 = [[1, 0], [0, 1]];
    const listed = (attention: unknown): unknown[] => problems(JSON.stringify({ tokens: ['a', 'b'], attention })).map((p) => [p.severity, p.message, p.location?.path]);
    // Layer 0 has a row summing to 0.9 (a warning when checked); layer 1 has a batch of 2.
    expect(listed([[[[[0.5, 0.4], [1, 0]]]], [[I2], [I2]]])).toEqual([
      ['error', 'attention has 5 axes, read as [layer][batch][head][query][key], so attention[1] is the batch axis and must have size 1, but it has 2. Export one sequence at a time: attn[:, 0] (or attn[:, i] for sequence i).', ['attention', 1]],
    ]);
    // Layer 0's head is ragged (an error when read); layer 1 is not an array.
    expect(listed([[[[1, 0], [1]]], 3])).toEqual([['error', 'attention[1] is the number 3, but each layer must be an array of heads.', ['attention', 1]]]);
  });

  it('a head stops at its first unreadable matrix: one problem, not one per matrix', () => {
    const W = [[1, 0], [0, 1]];
    const text = JSON.stringify({ tokens: ['a', 'b'], embeddings: W, heads: [{ wq: [[1, 'x'], [0, 1]], wk: [[1], [0, 1]], wv: W }] });
    expect(problems(text).map((p) => [p.severity, p.message, p.location?.path])).toEqual([
      ['error', 'heads[0].wq[0][1] is the string "x", but a number is required.', ['heads', 0, 'wq', 0, 1]],
    ]);
  });
});
