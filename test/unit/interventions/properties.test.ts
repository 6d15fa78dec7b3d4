/**
 * Properties of interventions on seeded random selections (every mask) and on the tiny GPT-2: an ablated head in
 * layer l leaves layers ≤ l's weights alone, a cut edge's weight is exactly 0 and its row sums to 1, and a run
 * without interventions after one with them is the original, bit for bit.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  buildSelectionSpec, evaluate, isVisible, loadModel, runModel, visibleKeyCount, type AttentionResult, type ComputeSpec, type Intervention,
  type MaskSpec, type SelectionSettings,
} from '../../../src/core';
import { folderInput, golden } from '../model/fixtures';

const WORDS = ['the', 'cat', 'sat', 'on', 'mat', 'it', 'was', 'tired', 'dog', 'ran'];

const mask: fc.Arbitrary<MaskSpec> = fc.oneof(
  fc.constant<MaskSpec>({ kind: 'none' }),
  fc.constant<MaskSpec>({ kind: 'causal' }),
  fc.integer({ min: 2, max: 5 }).map((window): MaskSpec => ({ kind: 'window', window })),
  fc.record({ window: fc.integer({ min: 2, max: 4 }), dilation: fc.integer({ min: 1, max: 3 }) }).map((m): MaskSpec => ({ kind: 'dilated', ...m })),
);

/** A small seeded selection spec: 2–9 words, 1–3 layers of 1–3 heads. */
const spec: fc.Arbitrary<ComputeSpec> = fc
  .record({
    words: fc.array(fc.constantFrom(...WORDS), { minLength: 2, maxLength: 9 }),
    heads: fc.integer({ min: 1, max: 3 }),
    layers: fc.integer({ min: 1, max: 3 }),
    dK: fc.integer({ min: 2, max: 4 }),
    seed: fc.nat(1000),
    mask,
  })
  .map(({ words, heads, layers, dK, seed, mask: m }) => {
    const settings: SelectionSettings = {
      tokenizer: 'words', dModel: 8, dK, heads, layers, seed, positionalEncoding: true, mask: m, temperature: 1, scale: true,
    };
    return buildSelectionSpec(words.join(' '), settings).spec;
  });

/** A spec with one head of it (layer, head) and a random draw for picking an edge. */
const specAndHead = spec.chain((s) =>
  fc.record({
    spec: fc.constant(s),
    layer: fc.nat(s.layers.length - 1),
    head: fc.nat(s.layers[0].heads.length - 1),
    query: fc.nat(s.tokens.length - 1),
    pick: fc.nat(),
  }),
);

/** A cut edge on a row with at least two visible keys (a row keeps one), or null when the query has one. */
function edgeOf(s: ComputeSpec, layer: number, head: number, query: number, pick: number): Intervention | null {
  const n = s.tokens.length;
  if (visibleKeyCount(s.options.mask, query, n) < 2) return null;
  const keys = Array.from({ length: n }, (_, j) => j).filter((j) => isVisible(s.options.mask, query, j));
  return { kind: 'cut-edge', layer, head, query, key: keys[pick % keys.length] };
}

function rowSum(data: Float32Array, start: number, cols: number): number {
  let sum = 0;
  for (let j = 0; j < cols; j++) sum += data[start + j];
  return sum;
}

/** Every head's weights and Z of layers [0, upTo), and the layers' outputs, are the same arrays bit for bit. */
function expectLayersEqual(a: AttentionResult, b: AttentionResult, upTo: number): void {
  for (let l = 0; l < upTo; l++) {
    expect(a.layers[l].output).toEqual(b.layers[l].output);
    a.layers[l].heads.forEach((h, i) => {
      expect(h.weights).toEqual(b.layers[l].heads[i].weights);
      expect(h.output).toEqual(b.layers[l].heads[i].output);
    });
  }
}

describe('interventions on computed specs (properties)', () => {
  it('an ablated head in layer l changes nothing in layers before l nor any weights of layer l; its Z is 0', () => {
    fc.assert(
      fc.property(specAndHead, ({ spec: s, layer, head }) => {
        const original = evaluate(s);
        const changed = evaluate(s, { interventions: [{ kind: 'ablate-head', layer, head }] });
        expectLayersEqual(changed, original, layer);
        changed.layers[layer].heads.forEach((h, i) => expect(h.weights).toEqual(original.layers[layer].heads[i].weights));
        expect(changed.layers[layer].heads[head].output!.data.every((z) => z === 0)).toBe(true);
        changed.layers[layer].heads.forEach((h, i) => i !== head && expect(h.output).toEqual(original.layers[layer].heads[i].output));
      }),
      { numRuns: 60 },
    );
  });

  it('a cut edge\'s weight is exactly 0, its row sums to 1, every other row of the head is untouched', () => {
    fc.assert(
      fc.property(specAndHead, ({ spec: s, layer, head, query, pick }) => {
        const cut = edgeOf(s, layer, head, query, pick);
        fc.pre(cut !== null);
        if (cut?.kind !== 'cut-edge') return;
        const original = evaluate(s);
        const changed = evaluate(s, { interventions: [cut] });
        const n = s.tokens.length;
        const w = changed.layers[layer].heads[head].weights.data;
        expect(w[cut.query * n + cut.key]).toBe(0);
        expect(rowSum(w, cut.query * n, n)).toBeCloseTo(1, 5);
        const before = original.layers[layer].heads[head].weights.data;
        for (let p = 0; p < w.length; p++) if (Math.floor(p / n) !== cut.query) expect(w[p]).toBe(before[p]);
        expectLayersEqual(changed, original, layer);
      }),
      { numRuns: 60 },
    );
  });

  it('removing every intervention restores the original exactly', () => {
    fc.assert(
      fc.property(specAndHead, ({ spec: s, layer, head, query, pick }) => {
        const before = evaluate(s);
        const cut = edgeOf(s, layer, head, query, pick);
        const interventions: Intervention[] = [{ kind: 'ablate-head', layer, head }, ...(cut ? [cut] : [])];
        evaluate(s, { interventions });
        expect(evaluate(s, { interventions: [] })).toEqual(before);
        expect(evaluate(s)).toEqual(before);
      }),
      { numRuns: 40 },
    );
  });
});

describe('interventions on the tiny GPT-2 (properties)', () => {
  const model = loadModel(folderInput('gpt2'));
  const ids = golden('gpt2').ids.slice(0, 10);
  const original = runModel(model, { ids, prependBos: false });
  const { layers, heads } = model.config;
  const place = fc.record({ layer: fc.nat(layers - 1), head: fc.nat(heads - 1), query: fc.integer({ min: 1, max: ids.length - 1 }), key: fc.nat(ids.length - 1) });

  it('an ablated head in layer l changes nothing in layers ≤ l but that head\'s Z, and the logits move', () => {
    fc.assert(
      fc.property(place, ({ layer, head }) => {
        const changed = runModel(model, { ids, prependBos: false, interventions: [{ kind: 'ablate-head', layer, head }] });
        expectLayersEqual(changed, original, layer);
        changed.layers[layer].heads.forEach((h, i) => expect(h.weights).toEqual(original.layers[layer].heads[i].weights));
        expect(changed.layers[layer].residualIn).toEqual(original.layers[layer].residualIn);
        expect(changed.logits).not.toEqual(original.logits);
      }),
      { numRuns: 8 },
    );
  });

  it('a cut edge\'s weight is exactly 0 and its row sums to 1', () => {
    fc.assert(
      fc.property(place, ({ layer, head, query, key }) => {
        const cut: Intervention = { kind: 'cut-edge', layer, head, query, key: key % (query + 1) };
        const changed = runModel(model, { ids, prependBos: false, interventions: [cut] });
        const w = changed.layers[layer].heads[head].weights.data;
        expect(w[query * ids.length + cut.key]).toBe(0);
        expect(rowSum(w, query * ids.length, ids.length)).toBeCloseTo(1, 5);
        expectLayersEqual(changed, original, layer);
      }),
      { numRuns: 8 },
    );
  });

  it('removing every intervention restores the original exactly', () => {
    runModel(model, { ids, prependBos: false, interventions: [{ kind: 'ablate-head', layer: 0, head: 1 }, { kind: 'cut-edge', layer: 1, head: 0, query: 5, key: 2 }] });
    const again = runModel(model, { ids, prependBos: false, interventions: [] });
    expect(again.logits).toEqual(original.logits);
    expect(again.finalHidden).toEqual(original.finalHidden);
    expectLayersEqual(again, original, layers);
    expect(again.interventions).toBeUndefined();
  });
});
