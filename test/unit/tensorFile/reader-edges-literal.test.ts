/**
 * The tensor-file readers where they stop: how deep they look into nested attention, and how much of a head they read
 * after its first unreadable matrix. Each problem is written out whole (the message corpus, messages-golden.test.ts,
 * holds one case per rule; these are the two stopping points it does not reach).
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

  it('a head stops at its first unreadable matrix: one problem, not one per matrix', () => {
    const W = [[1, 0], [0, 1]];
    const text = JSON.stringify({ tokens: ['a', 'b'], embeddings: W, heads: [{ wq: [[1, 'x'], [0, 1]], wk: [[1], [0, 1]], wv: W }] });
    expect(problems(text).map((p) => [p.severity, p.message, p.location?.path])).toEqual([
      ['error', 'heads[0].wq[0][1] is the string "x", but a number is required.', ['heads', 0, 'wq', 0, 1]],
    ]);
  });
});
