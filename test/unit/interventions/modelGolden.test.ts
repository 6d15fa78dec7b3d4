/**
 * "What if" runs of each family's tiny checkpoint against the float64 numpy reference with the same interventions
 * (scripts/reference/interventions_reference.py writes test/fixtures/interventions/): L0H1 ablated, and the strongest
 * edge of the last query in L1H0 cut. The rollout of those weights is checked against numpy's too.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { attentionRollout, loadModel, MODEL_FAMILIES, runModel, topTokens, type Intervention, type Model, type ModelFamily } from '../../../src/core';
import { setKernelMode } from '../../../src/core/kernels';
import { folderInput, golden as originalGolden } from '../model/fixtures';
import { maxDiff } from './diff';

interface InterventionGolden {
  readonly ids: number[];
  readonly interventions: Intervention[];
  /** weights[layer][head]: T×T, row-major. */
  readonly weights: number[][][];
  /** The last position's logits. */
  readonly logits: number[];
  readonly top5: number[];
  /** Attention rollout after the last layer, T×T (Abnar & Zuidema's own formulation, in numpy). */
  readonly rollout: number[];
}

function golden(family: ModelFamily): InterventionGolden {
  return JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'interventions', `${family}.golden.json`), 'utf8')) as InterventionGolden;
}

describe.each(MODEL_FAMILIES)('%s tiny checkpoint with L0H1 ablated and an L1H0 edge cut, against numpy', (family) => {
  const g = golden(family);
  // Loaded in the test, not here: code run while collecting counts as "static" for StrykerJS (reruns every test per mutant).
  const model = (): Model => loadModel(folderInput(family));

  it('the goldens are a real change: layer 1 and the logits differ from the run without interventions', () => {
    const plain = originalGolden(family);
    expect(g.ids).toEqual(plain.ids);
    expect(maxDiff(g.weights[1][1], plain.weights[1][1])).toBeGreaterThan(1e-3);
    expect(maxDiff(g.logits, plain.logits[plain.logits.length - 1])).toBeGreaterThan(1e-2);
  });

  it.each(['always', 'off'] as const)('every layer and head within 1e-5, logits within 1e-4, the same top 5 (kernels %s)', (mode) => {
    setKernelMode(mode);
    try {
      const result = runModel(model(), { ids: g.ids, prependBos: false, interventions: g.interventions });
      expect(result.interventions).toEqual(g.interventions);
      result.layers.forEach((layer, l) => {
        layer.heads.forEach((head, h) => expect(maxDiff(head.weights.data, g.weights[l][h]), `L${l}H${h}`).toBeLessThan(1e-5));
      });
      const cut = g.interventions.find((i) => i.kind === 'cut-edge')!;
      expect(result.layers[1].heads[0].weights.data[cut.query * g.ids.length + cut.key]).toBe(0);
      expect(result.layers[0].heads[1].output!.data.every((z) => z === 0)).toBe(true);
      expect(maxDiff(result.logits, g.logits)).toBeLessThan(1e-4);
      expect(topTokens(result.logits, 5).map((t) => t.id)).toEqual(g.top5);
      expect(maxDiff(attentionRollout(result.layers).at(-1)!.data, g.rollout)).toBeLessThan(1e-5);
    } finally {
      setKernelMode('auto');
    }
  });
});
