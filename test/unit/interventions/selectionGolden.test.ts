/**
 * Selection runs with interventions against literal float64 numbers from the independent numpy reference
 * (scripts/reference/selection_reference.py; regenerate with
 * node scripts/reference/selection-golden.mjs test/fixtures/interventions/selection-cases.json test/fixtures/interventions/selection-golden.json).
 */
import { describe, expect, it } from 'vitest';
import { buildSelectionSpec, evaluate, type Intervention, type SelectionSettings } from '../../../src/core';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';
import cases from '../../fixtures/interventions/selection-cases.json';
import golden from '../../fixtures/interventions/selection-golden.json';
import { maxDiff } from './diff';

/** As test/unit/core/golden.test.ts: float32 against float64, weights ~1e-7 per step, layer outputs through two LayerNorms. */
const WEIGHT_TOLERANCE = 1e-6;
const OUTPUT_TOLERANCE = 5e-6;

describe('evaluate(spec, { interventions }) on selections against numpy', () => {
  cases.cases.forEach((c, index) => {
    it(c.name, () => {
      const { spec } = buildSelectionSpec(c.text, { ...DEFAULT_COMPUTE_SETTINGS, ...c.settings } as SelectionSettings);
      const expected = golden.cases[index];
      expect(spec.tokens).toEqual(expected.tokens);
      const result = evaluate(spec, { interventions: c.interventions as Intervention[] });
      const plain = evaluate(spec);
      const n = spec.tokens.length;
      expected.layers.forEach((layer, l) => {
        layer.lastTokenWeights.forEach((row, h) => {
          const weights = result.layers[l].heads[h].weights.data.subarray((n - 1) * n);
          expect(maxDiff(weights, row), `layer ${l} head ${h}`).toBeLessThan(WEIGHT_TOLERANCE);
        });
        expect(maxDiff(result.layers[l].output!.data, layer.output.flat()), `layer ${l} output`).toBeLessThan(OUTPUT_TOLERANCE);
        // The interventions move every layer's output: the goldens are not the plain run's.
        expect(maxDiff(plain.layers[l].output!.data, layer.output.flat())).toBeGreaterThan(1e-3);
      });
    });
  });
});
