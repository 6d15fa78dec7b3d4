/**
 * Literal numbers for full selection runs, from an independent float64 numpy reference
 * (scripts/reference/selection_reference.py; regenerate with node scripts/reference/selection-golden.mjs).
 */
import { describe, expect, it } from 'vitest';
import { buildSelectionSpec, evaluate, positionalEncoding, type Matrix, type SelectionSettings } from '../../../src/core';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';
import cases from '../../fixtures/reference/selection-cases.json';
import golden from '../../fixtures/reference/selection-golden.json';

/** Weights are probabilities: float32 storage and accumulation keep them within this of float64. */
const WEIGHT_TOLERANCE = 1e-6;
/** Layer outputs pass through two LayerNorms and d_model-long float32 sums: values of size ~1, rounding ~1e-7 per step. */
const OUTPUT_TOLERANCE = 5e-6;

function worstDifference(actual: ArrayLike<number>, expected: readonly number[]): number {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  return worst;
}

const rowOf = (m: Matrix, i: number) => m.data.subarray(i * m.cols, (i + 1) * m.cols);

describe('positional encoding at positions ≥ 1 (pinned by numpy)', () => {
  for (const [position, expected] of Object.entries(golden.positional.positions)) {
    it(`position ${position}, d_model ${golden.positional.width}`, () => {
      expect(worstDifference(positionalEncoding(Number(position), golden.positional.width), expected)).toBeLessThan(1e-12);
    });
  }
  it('is added to each token embedding row', () => {
    const text = cases.cases[0].text;
    const settings = { ...DEFAULT_COMPUTE_SETTINGS, dModel: golden.positional.width, positionalEncoding: true };
    const withPositions = buildSelectionSpec(text, settings).spec.embeddings!;
    const without = buildSelectionSpec(text, { ...settings, positionalEncoding: false }).spec.embeddings!;
    for (const p of cases.pePositions) {
      const pe = golden.positional.positions[String(p) as keyof typeof golden.positional.positions];
      const sum = Array.from(rowOf(without, p), (x, c) => x + pe[c]);
      expect(worstDifference(rowOf(withPositions, p), sum)).toBeLessThan(1e-6);
    }
  });
});

describe('evaluate(buildSelectionSpec(…)) against literal float64 numbers', () => {
  cases.cases.forEach((c, index) => {
    it(c.name, () => {
      const settings = { ...DEFAULT_COMPUTE_SETTINGS, ...c.settings } as SelectionSettings;
      const { spec } = buildSelectionSpec(c.text, settings);
      const expected = golden.cases[index];
      expect(expected.name).toBe(c.name);
      expect(spec.tokens).toEqual(expected.tokens);
      const result = evaluate(spec);
      const last = spec.tokens.length - 1;
      expected.layers.forEach((layer, l) => {
        layer.lastTokenWeights.forEach((row, h) => {
          expect(worstDifference(rowOf(result.layers[l].heads[h].weights, last), row), `layer ${l} head ${h}`).toBeLessThan(WEIGHT_TOLERANCE);
        });
        expect(worstDifference(result.layers[l].output!.data, layer.output.flat()), `layer ${l} output`).toBeLessThan(OUTPUT_TOLERANCE);
      });
    });
  });
});
