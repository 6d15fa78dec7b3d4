/**
 * Layers stream into the panel as they finish: the order of what the worker hands over, the host's assembly of
 * partial results, the real model process (which keeps the results and sends each layer's slice as it finishes), and
 * which partial results are stale or not worth sending.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelledError } from '../../../src/compute/computeClient';
import { ModelClient } from '../../../src/compute/modelClient';
import { ModelJobs } from '../../../src/compute/modelJob';
import type { LayerMessage, ModelOutcome, ModelRequest } from '../../../src/compute/modelProtocol';
import { StreamedRun, type PartialModelResult } from '../../../src/compute/modelStream';
import type { AttentionResult, HeadSummary, LayerResult } from '../../../src/core';
import { PARTIAL_SNAPSHOT_BYTES, sendPartial } from '../../../src/panel/session';
import { TINY_MODELS } from '../../fixtures/hfCache';
import { buildModelProcess } from './modelProcess';

const TEXT = 'The cat sat on the mat.';
const request = (fixture: string): ModelRequest => ({ folder: path.join(TINY_MODELS, fixture), text: TEXT, maxTokens: 4096, budgetBytes: 2 ** 30 });

function okResult(outcome: ModelOutcome): AttentionResult {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.result;
}

/** Every number of a layer's matrices, in a fixed order, for exact comparison. */
function layerNumbers(layer: LayerResult): number[][] {
  const m = layer.model!;
  return [layer.input, layer.concat, layer.attentionOutput, layer.output, m.attentionNormed, m.residualMid, m.mlpNormed, m.mlpOutput,
    ...layer.heads.flatMap((h) => [h.q, h.k, h.v, h.scores, h.scaled, h.weights, h.output])].map((x) => (x ? [...x.data] : []));
}

describe('ModelJobs hands over each layer as it finishes', () => {
  it('in order, each before its progress report, the first with the tokens and their ranges; they are the final layers', async () => {
    const events: string[] = [];
    const messages: LayerMessage[] = [];
    const outcome = await new ModelJobs().run(3, request('llama'), {
      progress: (_m, done, total) => events.push(`progress ${done}/${total}`),
      isCancelled: () => false,
      layer: (index, total, layer, frame) => {
        events.push(`layer ${index}/${total}${frame ? ' +frame' : ''}`);
        messages.push({ type: 'layer', id: 3, index, total, layer, ...(frame ? { frame } : {}) });
      },
    });
    expect(events).toEqual(['progress 0/1', 'layer 0/2 +frame', 'progress 1/2', 'layer 1/2', 'progress 2/2']);
    const result = okResult(outcome);
    expect(messages[0].frame?.result.tokens).toEqual(result.tokens);
    expect(messages[0].frame?.tokenRanges).toEqual(outcome.ok ? outcome.tokenRanges : []);
    messages.forEach((m, l) => expect(layerNumbers(m.layer)).toEqual(layerNumbers(result.layers[l])));
    expect(result.layers[1].heads.map((h) => h.name)).toEqual(['L1H0', 'L1H1', 'L1H2', 'L1H3']);
  });
});

describe('StreamedRun assembles a run from its layers', () => {
  const frame = { result: { tokens: ['a'], keyTokens: ['a'], options: { scale: true, mask: { kind: 'causal' }, temperature: 1 }, cost: { computedPairs: 1, fullPairs: 1 }, provenance: { kind: 'model', description: 'm' } }, tokenRanges: [[0, 1]] } as LayerMessage['frame'];
  const layer = (tag: number): LayerResult => ({ input: null, heads: [], concat: null, attentionOutput: null, output: { rows: 1, cols: 1, data: new Float32Array([tag]) } });

  it('gives the layers so far after each one, with their summaries when every layer came with them', () => {
    const run = new StreamedRun();
    const first = run.add({ type: 'layer', id: 1, index: 0, total: 2, layer: layer(10), frame });
    expect([first.done, first.total, first.result.layers.length, first.result.tokens]).toEqual([1, 2, 1, ['a']]);
    const second = run.add({ type: 'layer', id: 1, index: 1, total: 2, layer: layer(11) });
    expect(second.result.layers.map((l) => l.output?.data[0])).toEqual([10, 11]);
    expect(first.result.layers).toHaveLength(1); // an earlier partial is not changed by later layers
    expect(second.headSummaries).toBeUndefined();
    const summary = { stats: { meanEntropy: 0 }, thumbnail: { rows: 0, cols: 0, data: new Float32Array(0) } } as unknown as HeadSummary;
    const summarized = new StreamedRun();
    summarized.add({ type: 'layer', id: 2, index: 0, total: 2, layer: layer(1), summaries: [summary], frame });
    expect(summarized.add({ type: 'layer', id: 2, index: 1, total: 2, layer: layer(2), summaries: [summary, summary] }).headSummaries).toEqual([[summary], [summary, summary]]);
  });

  it('refuses a layer out of order, and a first layer without the tokens', () => {
    expect(() => new StreamedRun().add({ type: 'layer', id: 1, index: 0, total: 2, layer: layer(1) })).toThrow(/without the run's tokens/);
    const run = new StreamedRun();
    run.add({ type: 'layer', id: 1, index: 0, total: 3, layer: layer(1), frame });
    expect(() => run.add({ type: 'layer', id: 1, index: 2, total: 3, layer: layer(3) })).toThrow(/layer 2 arrived after 1 layers/);
  });
});

describe('The real model process streams layers to the host', () => {
  let dir: string;
  let script: string;
  beforeAll(async () => {
    dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'model-worker-')));
    script = await buildModelProcess(dir);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['llama', 'gpt_neox'])('%s: partials 1, 2… arrive before the outcome, each a prefix of it, equal to a direct run', async (fixture) => {
    const client = new ModelClient(script);
    try {
      const partials: PartialModelResult[] = [];
      const { outcome } = client.run(request(fixture), undefined, (p) => partials.push(p));
      const result = okResult(await outcome);
      expect(partials.map((p) => `${p.done}/${p.total}`)).toEqual(['1/2', '2/2']);
      // A small result's layers come whole, as the outcome has them.
      partials.forEach((p) => p.result.layers.forEach((l, i) => expect(layerNumbers(l)).toEqual(layerNumbers(result.layers[i]))));
      const direct = okResult(await new ModelJobs().run(1, request(fixture), { progress: () => {}, isCancelled: () => false }));
      result.layers.forEach((l, i) => expect(layerNumbers(l)).toEqual(layerNumbers(direct.layers[i])));
    } finally {
      client.dispose();
    }
  });

  it('a run cancelled after its first layer delivers no later layer and rejects; the next run still works', async () => {
    const client = new ModelClient(script);
    try {
      const seen: number[] = [];
      const run = client.run(request('gpt2'), undefined, (p) => {
        seen.push(p.done);
        client.cancel(run.id);
      });
      await expect(run.outcome).rejects.toBeInstanceOf(CancelledError);
      expect(seen).toEqual([1]);
      expect(okResult(await client.run(request('gpt2')).outcome).layers).toHaveLength(2);
    } finally {
      client.dispose();
    }
  });
});

describe('Which partial results a panel shows', () => {
  it('sends the first layer always, later ones within the byte share, never the last (the result follows)', () => {
    const big = PARTIAL_SNAPSHOT_BYTES;
    expect(sendPartial(1, 12, big * 2, 0)).toBe(true);
    expect(sendPartial(2, 12, big / 4, big / 2)).toBe(true);
    expect(sendPartial(3, 12, big / 2, big * 0.75)).toBe(false);
    expect(sendPartial(2, 2, 10, 0)).toBe(false);
    expect(sendPartial(1, 1, 10, 0)).toBe(false);
  });
});
