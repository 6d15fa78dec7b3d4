/**
 * The worker's "what if" comparison: a request with interventions is also run without them, and the outcome carries
 * the original weights, Δweight and each head's change, by the core's rules. Literal values from a hand-made file.
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJob, type ComputeOutcome } from '../../../src/compute/job';
import { ModelJobs } from '../../../src/compute/modelJob';
import { finishedLayerTransferables } from '../../../src/compute/transferables';
import { slimWhatIf, whatIfBytes } from '../../../src/compute/whatIfSlice';
import { buildSelectionSpec, compareNextTokens, evaluate, loadModel, runInductionProbe, runModel, topTokens, weightDifference, type Intervention, type LayerResult } from '../../../src/core';
import { TINY_MODELS } from '../../fixtures/hfCache';
import { folderInput } from '../model/fixtures';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';
import { isSnapshot, validateMessage } from '../../../src/shared/validateMessage';
import type { WhatIfComparison } from '../../../src/shared/protocol';

const settings = { ...DEFAULT_COMPUTE_SETTINGS, dModel: 16, dK: 4, heads: 2, layers: 2, mask: { kind: 'causal' as const } };
const text = 'the cat sat on the mat';

function whatIfOf(outcome: ComputeOutcome): WhatIfComparison {
  if (!outcome.ok || !outcome.whatIf) throw new Error(outcome.ok ? 'no comparison' : outcome.message);
  return outcome.whatIf;
}

describe('the worker compares a what-if run with the original', () => {
  it('ablating L0H1 leaves layer 0 unchanged and moves layer 1; original and Δ match two evaluate runs', () => {
    const ablate: Intervention[] = [{ kind: 'ablate-head', layer: 0, head: 1 }];
    const outcome = runJob({ kind: 'selection', text, settings, maxTokens: 4096, interventions: ablate });
    const whatIf = whatIfOf(outcome);
    const spec = buildSelectionSpec(text, settings).spec;
    const before = evaluate(spec);
    const after = evaluate(spec, { interventions: ablate });
    expect(whatIf.interventions).toEqual(ablate);
    expect(whatIf.headChange[0]).toEqual([0, 0]);
    expect(Math.min(...whatIf.headChange[1])).toBeGreaterThan(0);
    whatIf.original.forEach((heads, l) => heads.forEach((m, h) => expect(m).toEqual(before.layers[l].heads[h].weights)));
    const d = whatIf.difference[1][0];
    const a = after.layers[1].heads[0].weights.data;
    const b = before.layers[1].heads[0].weights.data;
    for (let p = 0; p < d.data.length; p++) expect(d.data[p]).toBe(Math.fround(a[p] - b[p]));
  });

  it('a cut edge: its Δ is minus its original weight, its row still sums to 1, the change is ½·Σ|Δ| over the rows', () => {
    const file = JSON.stringify({ tokens: ['a', 'b', 'c'], attention: [[1, 0, 0], [0.5, 0.5, 0], [0.25, 0.25, 0.5]] });
    const whatIf = whatIfOf(runJob({ kind: 'file', text: file, interventions: [{ kind: 'cut-edge', layer: 0, head: 0, query: 2, key: 2 }] }));
    // Row 2 was [0.25, 0.25, 0.5]; without key 2 it renormalises to [0.5, 0.5, 0].
    expect(Array.from(whatIf.difference[0][0].data)).toEqual([0, 0, 0, 0, 0, 0, 0.25, 0.25, -0.5]);
    // Total variation of row 2 is ½·(0.25 + 0.25 + 0.5) = 0.5; the mean over 3 rows is 1/6.
    expect(whatIf.headChange[0][0]).toBeCloseTo(1 / 6, 7);
  });

  it('no interventions: no comparison; a bad one still fails with its sentence', () => {
    const plain = runJob({ kind: 'selection', text, settings, maxTokens: 4096, interventions: [] });
    expect(plain.ok && plain.whatIf).toBe(undefined);
    const bad = runJob({ kind: 'selection', text, settings, maxTokens: 4096, interventions: [{ kind: 'ablate-head', layer: 0, head: 7 }] });
    expect(bad.ok ? 'ok' : bad.message).toBe("Intervention 0 (ablate L0H7) names head 7, but layer 0's heads are 0 to 1.");
  });

  it('slims with the snapshot, counts its bytes and passes the snapshot check', () => {
    const outcome = runJob({ kind: 'selection', text, settings, maxTokens: 4096, interventions: [{ kind: 'ablate-head', layer: 0, head: 0 }] });
    if (!outcome.ok) throw new Error(outcome.message);
    const whatIf = whatIfOf(outcome);
    const n = outcome.result.tokens.length;
    expect(whatIfBytes(whatIf, outcome.result)).toBe(2 * 2 * 2 * n * n * 4);
    const shown = { ...outcome.result, layers: outcome.result.layers.map((layer, l) => ({ ...layer, heads: layer.heads.map((head, h) => (l === 1 && h === 1 ? head : { ...head, weights: { rows: 0, cols: 0, data: new Float32Array(0) } })) })) };
    const slim = slimWhatIf(whatIf, shown);
    expect(slim.original.map((heads) => heads.map((m) => m.rows))).toEqual([[0, 0], [0, n]]);
    const snapshot = { seq: 1, source: { kind: 'selection', label: 'x', ref: { kind: 'selection', uri: 'u', start: 0, end: 1 } }, warnings: [], result: outcome.result, whatIf };
    expect(isSnapshot(snapshot)).toBe(true);
    expect(isSnapshot({ ...snapshot, whatIf: { ...whatIf, headChange: [[NaN]] } })).toBe(false);
    expect(isSnapshot({ ...snapshot, whatIf: { ...whatIf, original: whatIf.original.slice(1) } })).toBe(false);
  });
});

describe('a real model what-if run is compared in the model worker', () => {
  const request = { folder: path.join(TINY_MODELS, 'gpt2'), text: 'The cat sat on the mat.', maxTokens: 4096, budgetBytes: 2 ** 30 };
  const ablate: Intervention[] = [{ kind: 'ablate-head', layer: 0, head: 1 }];

  it('layer by layer before the streamed layers move away, with the next tokens before and after and Δlog-prob', async () => {
    const jobs = new ModelJobs();
    // Play the worker: every streamed layer's buffers are transferred (detached here) as soon as it is handed over.
    const hooks = {
      progress: () => {},
      isCancelled: () => false,
      layer: (_index: number, _total: number, layer: LayerResult) => void structuredClone(null, { transfer: finishedLayerTransferables(layer) }),
    };
    const outcome = await jobs.run(1, { ...request, interventions: ablate }, hooks);
    const whatIf = whatIfOf(outcome);
    const model = loadModel(folderInput('gpt2'));
    const before = runModel(model, { text: request.text });
    const after = runModel(model, { text: request.text, interventions: ablate });
    expect(whatIf.headChange[0].every((c) => c === 0)).toBe(true);
    expect(Math.max(...whatIf.headChange[1])).toBeGreaterThan(0);
    whatIf.difference.forEach((heads, l) => heads.forEach((d, h) => expect(d).toEqual(weightDifference(before.layers[l].heads[h].weights, after.layers[l].heads[h].weights))));
    whatIf.original.forEach((heads, l) => heads.forEach((m, h) => expect(m).toEqual(before.layers[l].heads[h].weights)));
    const shift = whatIf.nextTokens!;
    expect(shift.position).toBe(before.tokens.length - 1);
    expect(shift.before.map((t) => t.id)).toEqual(topTokens(before.logits, 10).map((t) => t.id));
    expect(shift.after.map((t) => t.id)).toEqual(topTokens(after.logits, 10).map((t) => t.id));
    const expected = compareNextTokens(before.logits, after.logits, 10);
    expect(shift.before.map((t) => [t.before, t.after, t.delta])).toEqual(expected.before.map((t) => [t.before, t.after, t.delta]));
    expect(shift.before[0].text).toBe(model.tokenizer!.tokenText(shift.before[0].id));
  });
});

describe('the induction probe on demand, in the model worker', () => {
  it('scores every head as the core probe does; a folder that is not a model gets its sentence', async () => {
    const jobs = new ModelJobs();
    const probe = await jobs.inductionProbe(path.join(TINY_MODELS, 'gpt2'));
    // The tiny model holds 32 positions: BOS and 15 tokens twice.
    expect(probe).toEqual({ ok: true, scores: runInductionProbe(loadModel(folderInput('gpt2')), { length: 15 }).scores });
    const missing = await jobs.inductionProbe(path.join(TINY_MODELS, 'no-such-model'));
    expect(missing.ok).toBe(false);
  });
});

describe('the what-if messages from the webview are checked', () => {
  it('setInterventions keeps a well-formed list and drops a forged one; a word focus carries its last token', () => {
    expect(validateMessage({ type: 'setInterventions', interventions: [{ kind: 'ablate-head', layer: 0, head: 5, note: 'x' }] }))
      .toEqual({ type: 'setInterventions', interventions: [{ kind: 'ablate-head', layer: 0, head: 5 }] });
    expect(validateMessage({ type: 'setInterventions', interventions: [{ kind: 'cut-edge', layer: 0, head: 0, query: -1, key: 0 }] })).toBe(null);
    expect(validateMessage({ type: 'setInterventions', interventions: { 0: { kind: 'ablate-head', layer: 0, head: 0 }, length: 1 } })).toBe(null);
    expect(validateMessage({ type: 'runInductionProbe', extra: 1 })).toEqual({ type: 'runInductionProbe' });
    expect(validateMessage({ type: 'tokenFocus', index: 2, lastIndex: 3, layer: 0, head: 0 })).toEqual({ type: 'tokenFocus', index: 2, lastIndex: 3, layer: 0, head: 0 });
    expect(validateMessage({ type: 'tokenFocus', index: 2, lastIndex: 1, layer: 0, head: 0 })).toEqual({ type: 'tokenFocus', index: 2, layer: 0, head: 0 });
  });
});
