/**
 * The worker plumbing of "what if" runs: compute requests (selections, tensor files) and model requests carry
 * interventions and a token edit into the core; a bad one fails the job with its sentence. The last test runs the real
 * worker script (bundled here with esbuild) on a selection over the inline limit.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { ComputeClient } from '../../../src/compute/computeClient';
import { runJob, type ComputeOutcome } from '../../../src/compute/job';
import { ModelJobs } from '../../../src/compute/modelJob';
import { buildSelectionSpec, evaluate, loadModel, runModel, topTokens, type AttentionResult, type Intervention } from '../../../src/core';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';
import { TINY_MODELS } from '../../fixtures/hfCache';
import { folderInput } from '../model/fixtures';

const settings = { ...DEFAULT_COMPUTE_SETTINGS, dModel: 16, dK: 4, heads: 2, layers: 2, mask: { kind: 'causal' as const } };
const whatIf: Intervention[] = [{ kind: 'ablate-head', layer: 0, head: 1 }, { kind: 'cut-edge', layer: 1, head: 0, query: 3, key: 1 }];

function resultOf(outcome: ComputeOutcome): AttentionResult {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.result;
}

function messageOf(outcome: ComputeOutcome): string {
  return outcome.ok ? 'ok' : outcome.message;
}

describe('compute requests with interventions', () => {
  it('a selection runs with them: the same numbers as evaluate, listed on the result', () => {
    const text = 'the cat sat on the mat';
    const result = resultOf(runJob({ kind: 'selection', text, settings, maxTokens: 4096, interventions: whatIf }));
    expect(result.interventions).toEqual(whatIf);
    const expected = evaluate(buildSelectionSpec(text, settings).spec, { interventions: whatIf });
    result.layers.forEach((layer, l) => layer.heads.forEach((head, h) => expect(head.weights).toEqual(expected.layers[l].heads[h].weights)));
    expect(result.layers[1].output).toEqual(expected.layers[1].output);
  });

  it('a selection with a token edit gives the edited tokens and their ranges', () => {
    const outcome = runJob({ kind: 'selection', text: 'the cat sat', settings: { ...settings, tokenizer: 'words' }, maxTokens: 4096, tokenEdit: { kind: 'replace-token', position: 1, token: 'dog' } });
    expect(resultOf(outcome).tokens).toEqual(['the', 'dog', 'sat']);
    expect(outcome.ok && outcome.tokenRanges).toEqual([[0, 3], [4, 7], [8, 11]]);
  });

  it('a bad intervention or edit fails the job with its one sentence', () => {
    expect(messageOf(runJob({ kind: 'selection', text: 'the cat', settings, maxTokens: 4096, interventions: [{ kind: 'ablate-head', layer: 2, head: 0 }] })))
      .toBe('Intervention 0 (ablate L2H0) names layer 2, but the layers are 0 to 1.');
    expect(messageOf(runJob({ kind: 'selection', text: 'the cat', settings, maxTokens: 4096, tokenEdit: { kind: 'delete-token', position: 5 } })))
      .toBe('The delete-token edit names position 5, but positions are 0 to 1.');
  });

  it('a tensor file of weights renormalises a cut row and refuses an ablation', () => {
    const text = JSON.stringify({ tokens: ['a', 'b', 'c'], attention: [[0.5, 0.25, 0.25], [0.2, 0.2, 0.6], [0.1, 0.3, 0.6]] });
    const cut = resultOf(runJob({ kind: 'file', text, interventions: [{ kind: 'cut-edge', layer: 0, head: 0, query: 1, key: 2 }] }));
    expect(Array.from(cut.layers[0].heads[0].weights.data.subarray(3, 6))).toEqual([0.5, 0.5, 0]);
    expect(messageOf(runJob({ kind: 'file', text, interventions: [{ kind: 'ablate-head', layer: 0, head: 0 }] })))
      .toBe('Intervention 0 (ablate L0H0) needs computed heads: this source gives attention weights only, so there is no Z to zero.');
  });
});

describe('model requests with interventions', () => {
  const hooks = { progress: () => {}, isCancelled: () => false };
  const request = { folder: path.join(TINY_MODELS, 'gpt2'), text: 'The cat sat on the mat.', maxTokens: 4096, budgetBytes: 2 ** 30 };

  it('run in the model job: the same weights as runModel with them, and the next tokens after', async () => {
    const outcome = await new ModelJobs().run(1, { ...request, interventions: whatIf }, hooks);
    const result = resultOf(outcome);
    expect(result.interventions).toEqual(whatIf);
    const expected = runModel(loadModel(folderInput('gpt2')), { text: request.text, interventions: whatIf });
    result.layers.forEach((layer, l) => layer.heads.forEach((head, h) => expect(head.weights).toEqual(expected.layers[l].heads[h].weights)));
    expect(outcome.ok && outcome.nextTokens!.top.slice(0, 5).map((t) => t.id)).toEqual(topTokens(expected.logits, 5).map((t) => t.id));
  });

  it('a bad one fails with its sentence; a token edit edits the ids', async () => {
    const jobs = new ModelJobs();
    expect(messageOf(await jobs.run(1, { ...request, interventions: [{ kind: 'cut-edge', layer: 0, head: 0, query: 1, key: 4 }] }, hooks)))
      .toBe('Intervention 0 (cut L0H0 1→4) cuts an edge the mask (causal) already hides: key 4 is not visible to query 1.');
    const edited = resultOf(await jobs.run(2, { ...request, tokenEdit: { kind: 'delete-token', position: 0 } }, hooks));
    const plain = resultOf(await jobs.run(3, request, hooks));
    expect(edited.tokens).toEqual(plain.tokens.slice(1));
  });
});

describe('the real worker thread', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'what-if-worker-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('recomputes a selection over the inline limit with interventions, as evaluate does', async () => {
    const script = path.join(dir, 'worker.js');
    await esbuild.build({
      entryPoints: [path.resolve(__dirname, '../../../src/compute/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: script, logLevel: 'warning',
      // As esbuild.mjs: jsonc-parser's "main" is a UMD build esbuild cannot follow.
      mainFields: ['module', 'main'],
    });
    const client = new ComputeClient(script);
    try {
      const text = Array.from({ length: 120 }, (_, i) => `word${i % 17}`).join(' ');
      const interventions: Intervention[] = [{ kind: 'ablate-head', layer: 0, head: 0 }, { kind: 'cut-edge', layer: 1, head: 1, query: 100, key: 50 }];
      const result = resultOf(await client.compute({ kind: 'selection', text, settings, maxTokens: 4096, interventions }));
      const expected = evaluate(buildSelectionSpec(text, settings).spec, { interventions });
      expect(result.interventions).toEqual(interventions);
      expect(result.layers[1].heads[1].weights.data[100 * result.tokens.length + 50]).toBe(0);
      expect(result.layers[1].output).toEqual(expected.layers[1].output);
    } finally {
      client.dispose();
    }
  });
});
