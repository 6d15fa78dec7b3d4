/** Hand-worked interventions, their checks (one located sentence each) and token edits. */
import { describe, expect, it } from 'vitest';
import {
  buildSelectionSpec, editIds, editTokens, evaluate, fromRows, InterventionError, loadModel, runModel, tryEvaluate, type ComputeSpec, type Intervention,
  type MaskSpec, type PrecomputedSpec,
} from '../../../src/core';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';
import { folderInput } from '../model/fixtures';

const provenance = { kind: 'file', description: 'hand-worked' } as const;
const identity3 = fromRows([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);

/**
 * One head given directly, no scaling: query 2's scores are [1, 2, 3] (K = I, q_2 = [1, 2, 3]); V = I, so Z's rows
 * are the weights' rows. A second head (all scores 0) makes concat·W_O show which head's Z flows on.
 */
function spec(mask: MaskSpec = { kind: 'none' }): ComputeSpec {
  const q = fromRows([[0, 0, 0], [1, 1, 0], [1, 2, 3]]);
  return {
    kind: 'compute',
    tokens: ['a', 'b', 'c'],
    layers: [{
      heads: [{ query: q, key: identity3, value: identity3 }, { query: fromRows([[0, 0, 0], [0, 0, 0], [0, 0, 0]]), key: identity3, value: identity3 }],
      wo: fromRows([[1, 0], [0, 0], [0, 0], [0, 1], [0, 0], [0, 0]]),
    }],
    options: { scale: false, mask, temperature: 1 },
    provenance,
  };
}

function rowOf(data: Float32Array, i: number, cols: number): number[] {
  return Array.from(data.subarray(i * cols, (i + 1) * cols));
}

describe('cut-edge, worked by hand', () => {
  it('cutting key 2 of query 2 turns softmax([1, 2, 3]) into softmax([1, 2]) = [1/(1+e), e/(1+e)], and Z follows', () => {
    const head = evaluate(spec(), { interventions: [{ kind: 'cut-edge', layer: 0, head: 0, query: 2, key: 2 }] }).layers[0].heads[0];
    const e = Math.E;
    const expected = [1 / (1 + e), e / (1 + e), 0]; // 0.268941, 0.731059, 0
    rowOf(head.weights.data, 2, 3).forEach((w, j) => expect(w).toBeCloseTo(expected[j], 6));
    rowOf(head.output!.data, 2, 3).forEach((z, j) => expect(z).toBeCloseTo(expected[j], 6));
    expect(head.scaled!.data[8]).toBe(-Infinity);
    // Rows 0 and 1 keep their softmax: row 1 is softmax([1, 1, 0]).
    const s = 2 * e + 1;
    rowOf(head.weights.data, 1, 3).forEach((w, j) => expect(w).toBeCloseTo([e / s, e / s, 1 / s][j], 6));
  });

  it('on weights-only input, a cut renormalises the rest of the row: the same number as the softmax without that score', () => {
    const computed = evaluate(spec()).layers[0].heads[0].weights;
    const file: PrecomputedSpec = { kind: 'precomputed', tokens: ['a', 'b', 'c'], attention: [[computed]], options: spec().options, provenance };
    const head = evaluate(file, { interventions: [{ kind: 'cut-edge', layer: 0, head: 0, query: 2, key: 2 }] }).layers[0].heads[0];
    rowOf(head.weights.data, 2, 3).forEach((w, j) => expect(w).toBeCloseTo([1 / (1 + Math.E), Math.E / (1 + Math.E), 0][j], 6));
    expect(computed.data[8]).toBeGreaterThan(0); // the input is not changed
  });
});

describe('ablate-head, worked by hand', () => {
  it('zeros the head\'s Z before W_O: attentionOutput is the other head\'s share only; the weights stay', () => {
    const plain = evaluate(spec()).layers[0];
    const layer = evaluate(spec(), { interventions: [{ kind: 'ablate-head', layer: 0, head: 0 }] }).layers[0];
    expect(layer.heads[0].weights).toEqual(plain.heads[0].weights);
    expect(layer.heads[0].output!.data.every((z) => z === 0)).toBe(true);
    // W_O picks column 0 of head 0's Z and column 0 of head 1's Z (row 3): head 1's weights are uniform, 1/3.
    for (let i = 0; i < 3; i++) {
      expect(layer.attentionOutput!.data[i * 2]).toBe(0);
      expect(layer.attentionOutput!.data[i * 2 + 1]).toBeCloseTo(1 / 3, 6);
    }
    expect(plain.attentionOutput!.data[4]).toBeGreaterThan(0);
  });
});

describe('checking interventions', () => {
  const bad: [string, Intervention | Record<string, unknown>, string][] = [
    ['an unknown kind', { kind: 'zero-key', layer: 0, head: 0 }, 'Intervention 0 has kind "zero-key"; expected "ablate-head" or "cut-edge".'],
    ['a layer out of range', { kind: 'ablate-head', layer: 1, head: 0 }, 'Intervention 0 (ablate L1H0) names layer 1, but the layers are only 0.'],
    ['a head out of range', { kind: 'ablate-head', layer: 0, head: 2 }, "Intervention 0 (ablate L0H2) names head 2, but layer 0's heads are 0 to 1."],
    ['a fractional head', { kind: 'ablate-head', layer: 0, head: 0.5 }, "Intervention 0 (ablate L0H0.5) names head 0.5, but layer 0's heads are 0 to 1."],
    ['a query out of range', { kind: 'cut-edge', layer: 0, head: 1, query: 3, key: 0 }, 'Intervention 0 (cut L0H1 3→0) names query 3, but the queries are 0 to 2.'],
    ['a negative key', { kind: 'cut-edge', layer: 0, head: 1, query: 2, key: -1 }, 'Intervention 0 (cut L0H1 2→-1) names key -1, but the keys are 0 to 2.'],
  ];
  it.each(bad)('%s is refused with one sentence naming it', (_, item, message) => {
    expect(() => evaluate(spec(), { interventions: [item as Intervention] })).toThrow(new InterventionError(message, 0));
  });

  it('names the intervention by its index in the list', () => {
    const list: Intervention[] = [{ kind: 'ablate-head', layer: 0, head: 0 }, { kind: 'ablate-head', layer: 0, head: 9 }];
    expect(() => evaluate(spec(), { interventions: list })).toThrow(/^Intervention 1 \(ablate L0H9\)/);
  });

  it('refuses an edge the mask already hides', () => {
    expect(() => evaluate(spec({ kind: 'causal' }), { interventions: [{ kind: 'cut-edge', layer: 0, head: 0, query: 0, key: 2 }] }))
      .toThrow('Intervention 0 (cut L0H0 0→2) cuts an edge the mask (causal) already hides: key 2 is not visible to query 0.');
  });

  it('refuses cuts that leave a query nothing to attend to, naming the last one', () => {
    const list: Intervention[] = [
      { kind: 'cut-edge', layer: 0, head: 0, query: 1, key: 0 },
      { kind: 'cut-edge', layer: 0, head: 0, query: 1, key: 0 }, // a repeat is harmless
      { kind: 'cut-edge', layer: 0, head: 0, query: 1, key: 1 },
    ];
    expect(() => evaluate(spec({ kind: 'causal' }), { interventions: list }))
      .toThrow('Intervention 2 (cut L0H0 1→1) cuts the last key query 1 of L0H0 can see; its row would have nothing to attend to.');
    expect(evaluate(spec({ kind: 'causal' }), { interventions: list.slice(0, 2) }).layers[0].heads[0].weights.data[3]).toBe(0);
  });

  it('refuses to ablate a head of a weights-only file (there is no Z)', () => {
    const file: PrecomputedSpec = { kind: 'precomputed', tokens: ['a', 'b', 'c'], attention: [[identity3]], options: spec().options, provenance };
    expect(() => evaluate(file, { interventions: [{ kind: 'ablate-head', layer: 0, head: 0 }] }))
      .toThrow('Intervention 0 (ablate L0H0) needs computed heads: this source gives attention weights only, so there is no Z to zero.');
  });

  it('tryEvaluate returns the sentence as a problem instead of throwing', () => {
    expect(tryEvaluate(spec(), { interventions: [{ kind: 'ablate-head', layer: 3, head: 0 }] })).toEqual({
      ok: false,
      problems: [{ severity: 'error', message: 'Intervention 0 (ablate L3H0) names layer 3, but the layers are only 0.' }],
    });
  });

  it('runModel checks against the run\'s layers, heads and tokens (BOS counted)', () => {
    const model = loadModel(folderInput('llama'));
    expect(() => runModel(model, { ids: [5, 6, 7], interventions: [{ kind: 'cut-edge', layer: 1, head: 3, query: 4, key: 0 }] }))
      .toThrow('Intervention 0 (cut L1H3 4→0) names query 4, but the queries are 0 to 3.');
    expect(() => runModel(model, { ids: [5, 6, 7], interventions: [{ kind: 'ablate-head', layer: 0, head: 4 }] }))
      .toThrow("Intervention 0 (ablate L0H4) names head 4, but layer 0's heads are 0 to 3.");
    const run = runModel(model, { ids: [5, 6, 7], interventions: [{ kind: 'cut-edge', layer: 1, head: 3, query: 3, key: 0 }] });
    expect(run.layers[1].heads[3].weights.data[12]).toBe(0);
  });
});

describe('changing a token', () => {
  it('replaces, inserts (before a position, or at the end) and deletes', () => {
    expect(editTokens(['a', 'b', 'c'], { kind: 'replace-token', position: 1, token: 'x' })).toEqual(['a', 'x', 'c']);
    expect(editTokens(['a', 'b', 'c'], { kind: 'insert-token', position: 0, token: 'x' })).toEqual(['x', 'a', 'b', 'c']);
    expect(editTokens(['a', 'b', 'c'], { kind: 'insert-token', position: 3, token: 'x' })).toEqual(['a', 'b', 'c', 'x']);
    expect(editTokens(['a', 'b', 'c'], { kind: 'delete-token', position: 2 })).toEqual(['a', 'b']);
  });

  it('refuses positions out of range, an empty result and ids outside the vocabulary', () => {
    expect(() => editTokens(['a'], { kind: 'replace-token', position: 1, token: 'x' })).toThrow('The replace-token edit names position 1, but positions are 0 to 0.');
    expect(() => editTokens([], { kind: 'delete-token', position: 0 })).toThrow('The delete-token edit names position 0, but there are no tokens.');
    expect(() => editTokens(['a'], { kind: 'delete-token', position: 0 })).toThrow('The delete-token edit would remove the only token; there must be at least one.');
    expect(() => editIds([1, 2], { kind: 'insert-token', position: 1, token: 300 }, 300)).toThrow('The insert-token edit gives token id 300, outside the vocabulary (0 to 299).');
  });

  it('for a selection, edits the token list (not the text): a replacement keeps its range, an insertion gets an empty one', () => {
    const settings = { ...DEFAULT_COMPUTE_SETTINGS, tokenizer: 'words' as const, mask: { kind: 'causal' as const }, layers: 1 };
    const plain = buildSelectionSpec('the cat sat', settings);
    const replaced = buildSelectionSpec('the cat sat', settings, { kind: 'replace-token', position: 1, token: 'dog' });
    expect(replaced.tokens).toEqual([{ text: 'the', start: 0, end: 3 }, { text: 'dog', start: 4, end: 7 }, { text: 'sat', start: 8, end: 11 }]);
    const inserted = buildSelectionSpec('the cat sat', settings, { kind: 'insert-token', position: 3, token: 'down' });
    expect(inserted.tokens.map((t) => [t.text, t.start, t.end])).toEqual([['the', 0, 3], ['cat', 4, 7], ['sat', 8, 11], ['down', 11, 11]]);
    // Causal: query 0 never sees position 1, so its row is the same; the rest moves.
    const a = evaluate(plain.spec).layers[0].heads[0].weights.data;
    const b = evaluate(replaced.spec).layers[0].heads[0].weights.data;
    expect(b.subarray(0, 3)).toEqual(a.subarray(0, 3));
    expect(b.subarray(3)).not.toEqual(a.subarray(3));
  });

  it('runModel edits the ids after BOS is added, keeping the text\'s other ranges', () => {
    const model = loadModel(folderInput('llama'));
    const plain = runModel(model, { text: 'The cat sat.' });
    const edited = runModel(model, { text: 'The cat sat.', tokenEdit: { kind: 'replace-token', position: 2, token: 40 } });
    expect(edited.ids).toEqual([...plain.ids.slice(0, 2), 40, ...plain.ids.slice(3)]);
    expect(edited.modelTokens[2]).toMatchObject({ id: 40, start: plain.modelTokens[2].start, end: plain.modelTokens[2].end, fromText: false });
    expect(edited.modelTokens[1]).toEqual(plain.modelTokens[1]);
    const deleted = runModel(model, { text: 'The cat sat.', tokenEdit: { kind: 'delete-token', position: 0 } });
    expect(deleted.ids).toEqual(plain.ids.slice(1));
    expect(() => runModel(model, { text: 'The cat sat.', tokenEdit: { kind: 'insert-token', position: 1, token: -3 } }))
      .toThrow(`The insert-token edit gives token id -3, outside the vocabulary (0 to ${model.config.vocabSize - 1}).`);
  });

  it('for a model, edits the ids that run: a replaced token changes that position and later ones, not earlier ones', () => {
    const model = loadModel(folderInput('gpt2'));
    const ids = [10, 20, 30, 40];
    const plain = runModel(model, { ids, prependBos: false });
    const edited = runModel(model, { ids: editIds(ids, { kind: 'replace-token', position: 2, token: 50 }, model.config.vocabSize), prependBos: false });
    expect(edited.ids).toEqual([10, 20, 50, 40]);
    const T = ids.length;
    const w0 = plain.layers[1].heads[0].weights.data;
    const w1 = edited.layers[1].heads[0].weights.data;
    expect(w1.subarray(0, 2 * T)).toEqual(w0.subarray(0, 2 * T)); // causal: queries 0 and 1 never see position 2
    expect(w1.subarray(2 * T)).not.toEqual(w0.subarray(2 * T));
  });
});
