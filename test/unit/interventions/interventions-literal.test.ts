/**
 * Interventions and token edits, literal values at the edges contract.test.ts does not reach: lists that are not
 * lists, kinds that are not objects, one-head ranges, renormalising a row whose weights are all cut, a head with
 * several cuts and an ablation at once, the short names, and ranges of edited text tokens.
 */
import { describe, expect, it } from 'vitest';
import { checkInterventions, compareNextTokens, describeIntervention, editIds, editTokens, fromRows, headChange, InterventionError, weightDifference, zeros, type HeadResult, type Intervention, type InterventionShape } from '../../../src/core';
import { ablateHead, cutHeadEdges, planInterventions } from '../../../src/core/interventions/apply';
import { editTextTokens } from '../../../src/core/interventions/tokenEdit';

const shape: InterventionShape = { heads: [1], queries: 1, keys: 3, mask: { kind: 'none' } };

function refusal(list: unknown, s: InterventionShape = shape): InterventionError {
  try {
    checkInterventions(list as Intervention[], s);
  } catch (e) {
    expect(e).toBeInstanceOf(InterventionError);
    return e as InterventionError;
  }
  throw new Error('expected an InterventionError');
}

describe('checking, at the edges', () => {
  it('a list that is not a list, and items that are not objects', () => {
    expect(refusal({ kind: 'ablate-head' })).toMatchObject({ message: 'Interventions must be a list.', index: -1, name: 'InterventionError' });
    expect(refusal([null]).message).toBe('Intervention 0 has kind null; expected "ablate-head" or "cut-edge".');
    expect(refusal([{ kind: 'ablate-head', layer: 0, head: 0 }, 7])).toMatchObject({ message: 'Intervention 1 has kind 7; expected "ablate-head" or "cut-edge".', index: 1 });
    expect(refusal([{ layer: 0 }]).message).toBe('Intervention 0 has kind undefined; expected "ablate-head" or "cut-edge".');
  });

  it('one head, one query: "only 0"; numbers must be safe integers', () => {
    expect(refusal([{ kind: 'ablate-head', layer: 0, head: 1 }]).message).toBe("Intervention 0 (ablate L0H1) names head 1, but layer 0's heads are only 0.");
    expect(refusal([{ kind: 'cut-edge', layer: 0, head: 0, query: 1, key: 0 }]).message).toBe('Intervention 0 (cut L0H0 1→0) names query 1, but the queries are only 0.');
    expect(refusal([{ kind: 'cut-edge', layer: 0, head: 0, query: 0, key: 3 }]).message).toBe('Intervention 0 (cut L0H0 0→3) names key 3, but the keys are 0 to 2.');
    expect(refusal([{ kind: 'cut-edge', layer: 0, head: 0, query: '0', key: 0 }]).message).toBe('Intervention 0 (cut L0H0 0→0) names query 0, but the queries are only 0.');
    expect(refusal([{ kind: 'ablate-head', layer: -1, head: 0 }]).message).toBe('Intervention 0 (ablate L-1H0) names layer -1, but the layers are only 0.');
    expect(refusal([{ kind: 'ablate-head', layer: 0, head: -1 }]).message).toBe("Intervention 0 (ablate L0H-1) names head -1, but layer 0's heads are only 0.");
    expect(refusal([{ kind: 'cut-edge', layer: 0, head: 0, query: -1, key: 0 }]).message).toBe('Intervention 0 (cut L0H0 -1→0) names query -1, but the queries are only 0.');
    expect(refusal([{ kind: 'cut-edge', layer: 0, head: 0, query: 0, key: 0.5 }]).message).toBe('Intervention 0 (cut L0H0 0→0.5) names key 0.5, but the keys are 0 to 2.');
    expect(() => checkInterventions([{ kind: 'cut-edge', layer: 0, head: 0, query: 0, key: 2 }, { kind: 'cut-edge', layer: 0, head: 0, query: 0, key: 1 }], shape)).not.toThrow();
  });

  it('cuts are counted per layer, head and query: the same keys in another row do not add up', () => {
    const two: InterventionShape = { heads: [2, 2], queries: 2, keys: 2, mask: { kind: 'none' } };
    const cut = (layer: number, head: number, query: number, key: number): Intervention => ({ kind: 'cut-edge', layer, head, query, key });
    expect(() => checkInterventions([cut(0, 0, 0, 0), cut(1, 0, 0, 1), cut(0, 1, 0, 1), cut(0, 0, 1, 1)], two)).not.toThrow();
    expect(refusal([cut(1, 1, 1, 0), cut(1, 1, 1, 1)], two).message).toBe('Intervention 1 (cut L1H1 1→1) cuts the last key query 1 of L1H1 can see; its row would have nothing to attend to.');
  });

  it('ablations do not count as cuts: one key, one ablation is fine', () => {
    expect(() => checkInterventions([{ kind: 'ablate-head', layer: 0, head: 0 }], { heads: [1], queries: 1, keys: 1, mask: { kind: 'none' } })).not.toThrow();
  });

  it('short names', () => {
    expect(describeIntervention({ kind: 'ablate-head', layer: 2, head: 3 })).toBe('ablate L2H3');
    expect(describeIntervention({ kind: 'cut-edge', layer: 1, head: 0, query: 5, key: 2 })).toBe('cut L1H0 5→2');
  });
});

describe('applying', () => {
  const head = (): HeadResult => ({
    name: 'h',
    q: fromRows([[0]]), k: fromRows([[0]]), v: fromRows([[1, 0], [0, 1], [1, 1]]),
    scores: null, scaled: null,
    weights: fromRows([[0.5, 0.25, 0.25], [0.25, 0.25, 0.5]]),
    output: fromRows([[0.75, 0.5], [0.75, 0.75]]),
  }) as unknown as HeadResult;

  it('weights only: the cut keys go to 0 and the rest is divided by what is left; other rows stay', () => {
    const cut = cutHeadEdges(head(), new Map([[0, [0]]]));
    expect([...cut.weights.data]).toEqual([0, 0.5, 0.5, 0.25, 0.25, 0.5]);
    // Z follows: row 0 is 0.5·v₁ + 0.5·v₂ = [0.5, 1].
    expect([...cut.output!.data]).toEqual([0.5, 1, 0.75, 0.75]);
    const all = cutHeadEdges(head(), new Map([[1, [0, 1, 2]]]));
    expect([...all.weights.data.subarray(3)]).toEqual([0, 0, 0]); // nothing left to divide: zeros, not NaN
  });

  it('two cuts in one row, and an ablation of a cut head, in one plan; untouched layers get null', () => {
    const plan = planInterventions([
      { kind: 'cut-edge', layer: 1, head: 0, query: 0, key: 1 },
      { kind: 'cut-edge', layer: 1, head: 0, query: 0, key: 2 },
      { kind: 'cut-edge', layer: 1, head: 0, query: 0, key: 2 },
      { kind: 'ablate-head', layer: 1, head: 0 },
    ]);
    expect(plan(0)).toBeNull();
    expect(planInterventions()(0)).toBeNull();
    const out = plan(1)!.apply(0, head());
    expect([...out.weights.data]).toEqual([1, 0, 0, 0.25, 0.25, 0.5]);
    expect([...out.output!.data]).toEqual([0, 0, 0, 0]);
    const other = head();
    expect(plan(1)!.apply(1, other)).toBe(other);
    expect(ablateHead({ ...other, output: null } as unknown as HeadResult).output).toBeNull();
  });
});

describe('comparing and editing text tokens', () => {
  it('names both shapes and both lengths when they differ', () => {
    expect(() => weightDifference(fromRows([[1, 0]]), fromRows([[1], [0]]))).toThrow('Cannot compare a 1×2 head with a 2×1 one.');
    expect(() => weightDifference(fromRows([[1, 0]]), fromRows([[1, 0], [0, 1]]))).toThrow('Cannot compare a 1×2 head with a 2×2 one.');
    expect(() => compareNextTokens(Float32Array.from([1, 2]), Float32Array.from([1]), 1)).toThrow('Cannot compare 2 logits with 1.');
    expect(() => weightDifference(fromRows([[1, 0]]), fromRows([[1, 0, 0]]))).toThrow('Cannot compare a 1×2 head with a 1×3 one.');
    expect(() => headChange(fromRows([[1, 0]]), fromRows([[1, 0], [0, 1]]))).toThrow('Cannot compare a 1×2 head with a 2×2 one.');
    expect(headChange(zeros(0, 2), zeros(0, 2))).toBe(0);
  });

  it('log-probabilities before and after, and their difference', () => {
    const { before, after } = compareNextTokens(Float32Array.from([0, Math.log(3)]), Float32Array.from([Math.log(3), 0]), 1);
    expect(before).toEqual([{ id: 1, before: expect.closeTo(Math.log(0.75), 6), after: expect.closeTo(Math.log(0.25), 6), delta: expect.closeTo(Math.log(1 / 3), 6) }]);
    expect(after.map((t) => t.id)).toEqual([0]);
  });

  it('logits 1000 apart still give finite log-probabilities, 0 and −1000: the largest logit is subtracted before exp', () => {
    const { before } = compareNextTokens(Float32Array.from([1000, 0]), Float32Array.from([0, 1000]), 1);
    expect(before).toEqual([{ id: 0, before: 0, after: -1000, delta: -1000 }]);
  });

  it('an insertion takes an empty range where it goes, after the last token at the end; a replacement keeps its range', () => {
    const tokens = [{ text: 'a', start: 0, end: 1 }, { text: 'bc', start: 2, end: 4 }];
    const make = (value: string, start: number, end: number) => ({ text: value, start, end });
    expect(editTextTokens(tokens, { kind: 'insert-token', position: 2, token: 'z' }, make)[2]).toEqual({ text: 'z', start: 4, end: 4 });
    expect(editTextTokens(tokens, { kind: 'insert-token', position: 1, token: 'z' }, make)[1]).toEqual({ text: 'z', start: 2, end: 2 });
    expect(editTextTokens(tokens, { kind: 'replace-token', position: 1, token: 'z' }, make)[1]).toEqual({ text: 'z', start: 2, end: 4 });
    expect(editTextTokens(tokens, { kind: 'delete-token', position: 0 }, make)).toEqual([{ text: 'bc', start: 2, end: 4 }]);
    expect(editTextTokens([], { kind: 'insert-token', position: 0, token: 'z' }, make)).toEqual([{ text: 'z', start: 0, end: 0 }]);
    expect(() => editTextTokens(tokens, { kind: 'swap' } as never, make)).toThrow('A token edit has kind "swap"; expected "replace-token", "insert-token" or "delete-token".');
    expect(() => editTextTokens(tokens, null as never, make)).toThrow('A token edit has kind undefined; expected "replace-token", "insert-token" or "delete-token".');
    expect(() => editTextTokens(tokens, { kind: 'insert-token', position: 3, token: 'z' }, make)).toThrow('The insert-token edit names position 3, but positions are 0 to 2.');
    expect(() => editTextTokens(tokens, { kind: 'delete-token', position: 0.5 }, make)).toThrow('The delete-token edit names position 0.5, but positions are 0 to 1.');
  });

  it('token edits: negative positions, one-token lists, id 0, and index −1 on the error', () => {
    expect(() => editTokens(['a', 'b'], { kind: 'replace-token', position: -1, token: 'x' })).toThrow('The replace-token edit names position -1, but positions are 0 to 1.');
    expect(editTokens(['a'], { kind: 'replace-token', position: 0, token: 'x' })).toEqual(['x']);
    expect(editTokens(['a'], { kind: 'insert-token', position: 1, token: 'x' })).toEqual(['a', 'x']);
    expect(editIds([5], { kind: 'insert-token', position: 0, token: 0 }, 10)).toEqual([0, 5]);
    expect(editIds([5], { kind: 'replace-token', position: 0, token: 9 }, 10)).toEqual([9]);
    try {
      editTokens([], { kind: 'insert-token', position: 1, token: 'x' });
      throw new Error('expected an InterventionError');
    } catch (e) {
      expect(e).toMatchObject({ name: 'InterventionError', index: -1, message: 'The insert-token edit names position 1, but positions are 0 to 0.' });
    }
  });
});
