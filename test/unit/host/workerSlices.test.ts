/**
 * Results live in the worker (issue 14): the real worker script (bundled here with esbuild) keeps the whole result,
 * sends the host the slice the focused views draw, and answers later focus changes with another slice, equal to
 * slicing the same result in one piece.
 */
import { describe, expect, it } from 'vitest';
import { useComputeWorker } from './computeWorker';
import { runJob, type ComputeOutcome, type ComputeRequest } from '../../../src/compute/job';
import { DEFAULT_FOCUS, slimResult, type Focus } from '../../../src/compute/slice';
import { withheldMatrix } from '../../../src/shared/protocol';
import type { AttentionResult } from '../../../src/core';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';

const worker = useComputeWorker('slices-worker-');

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
    const outcome = await worker.client().compute(request(1), undefined, DEFAULT_FOCUS);
    const whole = runJob(request(1));
    expect(whole.ok && outcome.ok).toBe(true);
    if (!whole.ok || !outcome.ok) return;
    expect(outcome.headSummaries).toEqual(whole.headSummaries);
    expect(outcome.result).toEqual(slimResult(whole.result, DEFAULT_FOCUS, whole.headSummaries));
    const head = outcome.result.layers[0].heads[0];
    expect([head.scores, head.scaled, outcome.result.layers[0].input]).toEqual([null, null, null]);
    // The token view asks for the rows it draws: the focused layer's weights stay here, the other layer's are summarized.
    expect(outcome.result.layers[0].heads[1].weights).toEqual(withheldMatrix(300, 300, 'on-request'));
    expect(outcome.result.layers[1].heads[0].weights).toEqual(withheldMatrix(300, 300, 'summarized'));
  });

  it('asked for tokens first, a large result comes with no matrix at all: summaries stand in, the slice follows', async () => {
    const outcome = await worker.client().compute(request(1), undefined, 'tokens');
    const result = resultOf(outcome);
    expect(outcome.ok && outcome.headSummaries?.length).toBe(2);
    for (const layer of result.layers) {
      expect([layer.input, layer.concat, layer.attentionOutput, layer.output]).toEqual([null, null, null, null]);
      for (const head of layer.heads) expect([head.weights, head.q, head.scores]).toEqual([withheldMatrix(300, 300, 'summarized'), null, null]);
    }
    expect(result.tokens).toHaveLength(300);
    const layers = await worker.client().slice({ ...DEFAULT_FOCUS, view: 'grid' });
    expect(layers![0].heads[0].weights).toEqual(resultOf(runJob(request(1))).layers[0].heads[0].weights);
  });

  it('a small result comes whole, whatever comes first', async () => {
    const small: ComputeRequest = { ...request(1), text: 'the cat sat on the mat' } as ComputeRequest;
    expect(resultOf(await worker.client().compute(small, undefined, 'tokens'))).toEqual(resultOf(runJob(small)));
  });

  it('a later focus gets its slice from the kept result: another layer, the raw scores, the pipeline', async () => {
    resultOf(await worker.client().compute(request(1)));
    const whole = resultOf(runJob(request(1)));
    const summaries = runJob(request(1));
    const focuses: Focus[] = [
      { layer: 1, head: 2, view: 'grid', matrix: 'weights' },
      { layer: 1, head: 1, view: 'matrix', matrix: 'scores' },
      { layer: 0, head: 2, view: 'pipeline', matrix: 'weights' },
    ];
    for (const focus of focuses) {
      const layers = await worker.client().slice(focus);
      expect(layers).toEqual(slimResult(whole, focus, summaries.ok ? summaries.headSummaries : undefined).layers);
    }
    // A "what if" in the pipeline view computes from the whole matrices: they travel.
    const scores = (await worker.client().slice({ ...focuses[1], view: 'pipeline', whole: true }))![1].heads[1].scores;
    expect(scores).toEqual(whole.layers[1].heads[1].scores);
  });

  it('a new computation replaces the kept result; a failed one leaves none to slice', async () => {
    resultOf(await worker.client().compute(request(2)));
    const layers = await worker.client().slice({ layer: 0, head: 1, view: 'pipeline', matrix: 'scaled', whole: true });
    expect(layers![0].heads[1].scaled).toEqual(resultOf(runJob(request(2))).layers[0].heads[1].scaled);
    const failed = await worker.client().compute({ kind: 'selection', text: '   ', settings: DEFAULT_COMPUTE_SETTINGS, maxTokens: 4096 });
    expect(failed.ok).toBe(false);
    expect(await worker.client().slice(DEFAULT_FOCUS)).toBeUndefined();
  });

  it('a slice asked for while a newer computation runs is answered for no result', async () => {
    resultOf(await worker.client().compute(request(1)));
    const running = worker.client().compute(request(3));
    expect(await worker.client().slice(DEFAULT_FOCUS)).toBeUndefined();
    resultOf(await running);
  });

  it('answers the heatmap\'s raster from the kept result: block maxima of the asked part, masked blocks −∞', async () => {
    const causal = { ...request(4), settings: { ...DEFAULT_COMPUTE_SETTINGS, heads: 3, layers: 2, seed: 4, mask: { kind: 'causal' } } } as ComputeRequest;
    const shown = resultOf(await worker.client().compute(causal, undefined, 'tokens'));
    expect(shown.layers[0].heads[1].weights.rows).toBe(0);
    const whole = resultOf(runJob(causal)).layers[0].heads[1];
    const ask = { requestId: 7, seq: 1, layer: 0, head: 1, rows: [10, 250] as const, cols: [0, 300] as const, outWidth: 75, outHeight: 60 };
    const weights = await worker.client().raster({ ...ask, matrix: 'weights' });
    if (!weights || 'problem' in weights) throw new Error('no raster');
    // 240 rows into 60 and 300 columns into 75: blocks of 4 cells along both axes.
    expect([weights.block, weights.height, weights.width]).toEqual([4, 60, 75]);
    expect(weights.values).toEqual(blockMax(whole.weights.data, 300, ask.rows, ask.cols, 4, whole.scaled!.data));
    // Above the diagonal every cell of a block is masked: the block says so; the colours are the whole matrix's.
    expect(weights.values[0 * 75 + 74]).toBe(-Infinity);
    expect(weights.domain).toEqual({ min: 0, max: Math.max(...whole.weights.data) });
    const scaled = await worker.client().raster({ ...ask, matrix: 'scaled' });
    if (!scaled || 'problem' in scaled) throw new Error('no raster');
    expect(scaled.values).toEqual(blockMax(whole.scaled!.data, 300, ask.rows, ask.cols, 4, null, true));
  });

  it('answers one row of the kept result; none for a result it no longer keeps', async () => {
    resultOf(await worker.client().compute(request(5), undefined, 'tokens'));
    const whole = resultOf(runJob(request(5))).layers[1].heads[2];
    const row = await worker.client().row({ requestId: 1, seq: 1, layer: 1, head: 2, query: 123 });
    if (!row || 'problem' in row) throw new Error('no row');
    expect(Array.from(row.weights)).toEqual(Array.from(whole.weights.data.subarray(123 * 300, 124 * 300)));
    expect(Array.from(row.scaled!)).toEqual(Array.from(whole.scaled!.data.subarray(123 * 300, 124 * 300)));
    expect(await worker.client().row({ requestId: 2, seq: 1, layer: 1, head: 2, query: 300 })).toEqual({ requestId: 2, seq: 1, problem: 'Query 301 is not in this result.' });
    const running = worker.client().compute(request(6));
    expect(await worker.client().row({ requestId: 3, seq: 1, layer: 0, head: 0, query: 0 })).toBeUndefined();
    resultOf(await running);
  });
});

/**
 * Block maxima written out plainly (not the product's loop): per block, the largest visible value (signed: the value
 * of largest magnitude); a block whose every cell is masked (−∞ in `mask`, or −∞ itself) is −∞.
 */
function blockMax(data: Float32Array, cols: number, [r0, r1]: readonly [number, number], [c0, c1]: readonly [number, number], block: number, mask: Float32Array | null, signed = false): Float32Array {
  const gh = Math.ceil((r1 - r0) / block);
  const gw = Math.ceil((c1 - c0) / block);
  const out = new Float32Array(gh * gw);
  for (let bi = 0; bi < gh; bi++) {
    for (let bj = 0; bj < gw; bj++) {
      let best = -Infinity;
      let value = -Infinity;
      for (let i = r0 + bi * block; i < Math.min(r1, r0 + (bi + 1) * block); i++) {
        for (let j = c0 + bj * block; j < Math.min(c1, c0 + (bj + 1) * block); j++) {
          const v = data[i * cols + j];
          if (v === -Infinity || (mask && mask[i * cols + j] === -Infinity)) continue;
          const key = signed ? Math.abs(v) : v;
          if (key > best) {
            best = key;
            value = v;
          }
        }
      }
      out[bi * gw + bj] = value;
    }
  }
  return out;
}
