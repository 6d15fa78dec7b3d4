// What evaluate checks interventions against (heads per layer, with one identity head for a layer without heads;
// queries and keys, cross-attention included; the spec's mask; weights only), and how the result records them.
// Written for the survivors of mutation testing (bench/mutation/README.md).
import { describe, expect, it } from 'vitest';
import { evaluate, fromRows, tryEvaluate, type ComputeSpec, type Intervention, type PrecomputedSpec } from '../../../src/core';

const provenance = { kind: 'file', description: 'hand-worked' } as const;
const I2 = fromRows([[1, 0], [0, 1]]);
/** Two queries, three keys (cross-attention), two heads in layer 0; layer 1 has none (Q = K = V = its input). */
const cross: ComputeSpec = {
  kind: 'compute', tokens: ['a', 'b'], keyTokens: ['x', 'y', 'z'], embeddings: I2, keyEmbeddings: fromRows([[1, 0], [0, 1], [1, 1]]),
  layers: [{ heads: [{ wq: I2, wk: I2, wv: I2 }, { wq: I2, wk: I2, wv: I2 }], wo: fromRows([[1, 0], [0, 1], [0, 0], [0, 0]]) }, { heads: [] }],
  options: { scale: false, mask: { kind: 'none' }, temperature: 1 }, provenance,
};
const problem = (spec: ComputeSpec | PrecomputedSpec, item: Intervention) => {
  const r = tryEvaluate(spec, { interventions: [item] });
  return r.ok ? 'accepted' : r.problems.map((p) => `${p.severity}: ${p.message}`).join(' | ');
};

describe('evaluate checks interventions against the spec', () => {
  it('heads per layer: every head of layer 0, and the one identity head of a layer without heads', () => {
    expect(problem(cross, { kind: 'ablate-head', layer: 0, head: 1 })).toBe('accepted');
    expect(problem(cross, { kind: 'ablate-head', layer: 1, head: 0 })).toBe('accepted');
    expect(problem(cross, { kind: 'ablate-head', layer: 1, head: 1 })).toBe("error: Intervention 0 (ablate L1H1) names head 1, but layer 1's heads are only 0.");
    expect(problem(cross, { kind: 'ablate-head', layer: 2, head: 0 })).toBe('error: Intervention 0 (ablate L2H0) names layer 2, but the layers are 0 to 1.');
  });

  it('queries from the tokens, keys from the key tokens', () => {
    expect(problem(cross, { kind: 'cut-edge', layer: 0, head: 0, query: 1, key: 2 })).toBe('accepted');
    expect(problem(cross, { kind: 'cut-edge', layer: 0, head: 0, query: 2, key: 0 })).toBe('error: Intervention 0 (cut L0H0 2→0) names query 2, but the queries are 0 to 1.');
    expect(problem(cross, { kind: 'cut-edge', layer: 0, head: 0, query: 0, key: 3 })).toBe('error: Intervention 0 (cut L0H0 0→3) names key 3, but the keys are 0 to 2.');
  });

  it('the spec\'s own mask', () => {
    const causal = { ...cross, keyTokens: undefined, keyEmbeddings: undefined, options: { ...cross.options, mask: { kind: 'causal' } } } as ComputeSpec;
    expect(problem(causal, { kind: 'cut-edge', layer: 0, head: 0, query: 0, key: 1 })).toBe('error: Intervention 0 (cut L0H0 0→1) cuts an edge the mask (causal) already hides: key 1 is not visible to query 0.');
  });

  it('a precomputed spec: its own head counts, and weights only', () => {
    const w = fromRows([[0.5, 0.5], [0.25, 0.75]]);
    const spec: PrecomputedSpec = { kind: 'precomputed', tokens: ['a', 'b'], attention: [[w, w, w]], options: cross.options, provenance };
    expect(problem(spec, { kind: 'cut-edge', layer: 0, head: 2, query: 1, key: 0 })).toBe('accepted');
    expect(problem(spec, { kind: 'cut-edge', layer: 0, head: 3, query: 1, key: 0 })).toBe("error: Intervention 0 (cut L0H3 1→0) names head 3, but layer 0's heads are 0 to 2.");
    expect(problem(spec, { kind: 'ablate-head', layer: 0, head: 0 })).toBe('error: Intervention 0 (ablate L0H0) needs computed heads: this source gives attention weights only, so there is no Z to zero.');
  });
});

describe('the result records the interventions', () => {
  it('the list when there are some, no field at all when there are none', () => {
    const list: Intervention[] = [{ kind: 'ablate-head', layer: 0, head: 1 }];
    expect(evaluate(cross, { interventions: list }).interventions).toEqual(list);
    expect('interventions' in evaluate(cross, { interventions: [] })).toBe(false);
    expect('interventions' in evaluate(cross)).toBe(false);
  });

  it('tryEvaluate passes warnings through with the result', () => {
    const causalCross = { ...cross, options: { ...cross.options, mask: { kind: 'causal' } } } as ComputeSpec;
    const r = tryEvaluate(causalCross, { interventions: [{ kind: 'ablate-head', layer: 0, head: 0 }] });
    expect(r.ok && r.warnings).toEqual([{ severity: 'warning', message: 'A causal mask on cross-attention (2 queries, 3 keys) uses the rule "key j ≤ query i"' }]);
    expect(r.ok && r.result.interventions).toEqual([{ kind: 'ablate-head', layer: 0, head: 0 }]);
  });

  it('tryEvaluate turns only InterventionErrors into problems: any other error is a bug, and is thrown', () => {
    const broken = { get interventions(): Intervention[] { throw new TypeError('not an intervention problem'); } };
    expect(() => tryEvaluate(cross, broken)).toThrow(new TypeError('not an intervention problem'));
  });
});
