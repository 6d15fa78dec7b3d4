/**
 * Results live in the worker (issue 14): the real worker script (bundled here with esbuild) keeps the whole result,
 * sends the host the slice the focused views draw, and answers later focus changes with another slice, equal to
 * slicing the same result in one piece.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ComputeClient } from '../../../src/compute/computeClient';
import { runJob, type ComputeOutcome, type ComputeRequest } from '../../../src/compute/job';
import { DEFAULT_FOCUS, NO_WEIGHTS, slimResult, type Focus } from '../../../src/compute/slice';
import type { AttentionResult } from '../../../src/core';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';

const dir = mkdtempSync(path.join(tmpdir(), 'slices-worker-'));
const script = path.join(dir, 'worker.js');
let client: ComputeClient;

beforeAll(async () => {
  await esbuild.build({
    entryPoints: [path.resolve(__dirname, '../../../src/compute/worker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: script, logLevel: 'warning',
    mainFields: ['module', 'main'],
  });
  client = new ComputeClient(script);
});
afterAll(() => {
  client?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

/** 300 tokens: over FULL_SNAPSHOT_CELLS, so the result is sliced. */
const request = (seed: number): ComputeRequest => ({
  kind: 'selection', text: Array.from({ length: 300 }, (_, i) => `w${i % 23}`).join(' '), maxTokens: 4096,
  settings: { ...DEFAULT_COMPUTE_SETTINGS, heads: 3, layers: 2, seed },
});

function resultOf(outcome: ComputeOutcome): AttentionResult {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.result;
}

describe('results live in the worker', () => {
  it('the outcome carries the slice the focus draws, equal to slicing the whole result here', async () => {
    const outcome = await client.compute(request(1), undefined, DEFAULT_FOCUS);
    const whole = runJob(request(1));
    expect(whole.ok && outcome.ok).toBe(true);
    if (!whole.ok || !outcome.ok) return;
    expect(outcome.headSummaries).toEqual(whole.headSummaries);
    expect(outcome.result).toEqual(slimResult(whole.result, DEFAULT_FOCUS, whole.headSummaries));
    const head = outcome.result.layers[0].heads[0];
    expect([head.scores, head.scaled, outcome.result.layers[0].input]).toEqual([null, null, null]);
    // Two layers of 3 × 300² weights fit the per-layer limit: the focused layer's heads keep weights, the other layer's not.
    expect(outcome.result.layers[1].heads[0].weights).toEqual(NO_WEIGHTS);
  });

  it('asked for tokens first, a large result comes with no matrix at all: summaries stand in, the slice follows', async () => {
    const outcome = await client.compute(request(1), undefined, 'tokens');
    const result = resultOf(outcome);
    expect(outcome.ok && outcome.headSummaries?.length).toBe(2);
    for (const layer of result.layers) {
      expect([layer.input, layer.concat, layer.attentionOutput, layer.output]).toEqual([null, null, null, null]);
      for (const head of layer.heads) expect([head.weights, head.q, head.scores]).toEqual([NO_WEIGHTS, null, null]);
    }
    expect(result.tokens).toHaveLength(300);
    const layers = await client.slice(DEFAULT_FOCUS);
    expect(layers![0].heads[0].weights).toEqual(resultOf(runJob(request(1))).layers[0].heads[0].weights);
  });

  it('a small result comes whole, whatever comes first', async () => {
    const small: ComputeRequest = { ...request(1), text: 'the cat sat on the mat' } as ComputeRequest;
    expect(resultOf(await client.compute(small, undefined, 'tokens'))).toEqual(resultOf(runJob(small)));
  });

  it('a later focus gets its slice from the kept result: another layer, the raw scores, the pipeline', async () => {
    resultOf(await client.compute(request(1)));
    const whole = resultOf(runJob(request(1)));
    const summaries = runJob(request(1));
    const focuses: Focus[] = [
      { layer: 1, head: 2, view: 'grid', matrix: 'weights' },
      { layer: 1, head: 1, view: 'matrix', matrix: 'scores' },
      { layer: 0, head: 2, view: 'pipeline', matrix: 'weights' },
    ];
    for (const focus of focuses) {
      const layers = await client.slice(focus);
      expect(layers).toEqual(slimResult(whole, focus, summaries.ok ? summaries.headSummaries : undefined).layers);
    }
    const scores = (await client.slice(focuses[1]))![1].heads[1].scores;
    expect(scores).toEqual(whole.layers[1].heads[1].scores);
  });

  it('a new computation replaces the kept result; a failed one leaves none to slice', async () => {
    resultOf(await client.compute(request(2)));
    const layers = await client.slice({ layer: 0, head: 1, view: 'matrix', matrix: 'scaled' });
    expect(layers![0].heads[1].scaled).toEqual(resultOf(runJob(request(2))).layers[0].heads[1].scaled);
    const failed = await client.compute({ kind: 'selection', text: '   ', settings: DEFAULT_COMPUTE_SETTINGS, maxTokens: 4096 });
    expect(failed.ok).toBe(false);
    expect(await client.slice(DEFAULT_FOCUS)).toBeUndefined();
  });

  it('a slice asked for while a newer computation runs is answered for no result', async () => {
    resultOf(await client.compute(request(1)));
    const running = client.compute(request(3));
    expect(await client.slice(DEFAULT_FOCUS)).toBeUndefined();
    resultOf(await running);
  });
});
