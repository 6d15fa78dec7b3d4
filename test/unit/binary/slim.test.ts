import { serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { evaluate, summarizeHeads, type AttentionResult } from '../../../src/core';
import { headStats } from '../../../src/core/stats';
import { runJob } from '../../../src/compute/job';
import { transferables } from '../../../src/compute/transferables';
import { DEFAULT_FOCUS, MAX_LAYER_WEIGHT_CELLS, payloadBytes as slicePayload, slimResult } from '../../../src/compute/slice';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';
import { isSlimmed, isWithheld } from '../../../src/shared/protocol';

const payloadBytes = (r: AttentionResult) => transferables(r).reduce((sum, b) => sum + b.byteLength, 0);

/** layers × heads × n × n causal softmax-ish weights, all views on one buffer (as a binary file gives). */
function viewsResult(layers: number, heads: number, n: number): AttentionResult {
  const data = new Float32Array(layers * heads * n * n);
  for (let l = 0; l < layers; l++) for (let h = 0; h < heads; h++) {
    const base = (l * heads + h) * n * n;
    for (let i = 0; i < n; i++) {
      const w = 1 / (i + 1);
      for (let j = 0; j <= i; j++) data[base + i * n + j] = (j === (h % (i + 1)) ? 0.5 : 0) + w * 0.5;
    }
  }
  const tokens = Array.from({ length: n }, (_, i) => `t${i}`);
  return evaluate({
    kind: 'precomputed', tokens, options: { scale: true, mask: { kind: 'causal' }, temperature: 1 },
    provenance: { kind: 'model', description: 'test' },
    attention: Array.from({ length: layers }, (_, l) => Array.from({ length: heads }, (_, h) => {
      const s = (l * heads + h) * n * n;
      return { rows: n, cols: n, data: data.subarray(s, s + n * n) };
    })),
  });
}

describe('head summaries', () => {
  it('carry the same stats as the full weights and a ≤ 64×64 block-max thumbnail', () => {
    const r = viewsResult(2, 3, 300);
    const s = summarizeHeads(r);
    expect(s.length).toBe(2);
    expect(s[1][2].stats).toEqual(headStats(r.layers[1].heads[2].weights));
    expect([s[1][2].thumbnail.rows, s[1][2].thumbnail.cols]).toEqual([64, 64]);
    expect(s[1][2].thumbnail.data[0]).toBe(Math.max(...r.layers[1].heads[2].weights.data.subarray(0, 4)));
    // small heads: the thumbnail is a copy, never the weights' (shared) buffer
    const small = summarizeHeads(viewsResult(1, 2, 8));
    expect(small[0][1].thumbnail.data.buffer.byteLength).toBe(8 * 8 * 4);
  });
});

describe('slimResult with summaries', () => {
  it('sends the focused layer\'s weights, as standalone arrays; other heads get 0×0 weights', () => {
    const r = viewsResult(4, 3, 300);
    expect(isSlimmed(r)).toBe(true);
    const s = summarizeHeads(r);
    const slim = slimResult(r, { layer: 2, head: 1, view: 'grid', matrix: 'weights' }, s);
    expect(isWithheld(slim.layers[0].heads[0].weights) && slim.layers[0].heads[0].weights.withheld).toEqual({ kind: 'withheld', rows: 300, cols: 300, reason: 'summarized' });
    expect(isWithheld(slim.layers[3].heads[2].weights)).toBe(true);
    for (const h of slim.layers[2].heads) {
      expect(h.weights.rows).toBe(300);
      expect(h.weights.data.buffer.byteLength).toBe(300 * 300 * 4); // not the whole file buffer
    }
    expect([...slim.layers[2].heads[1].weights.data]).toEqual([...r.layers[2].heads[1].weights.data]);
    // the same view is copied only once across snapshots
    expect(slimResult(r, { layer: 2, head: 0, view: 'grid', matrix: 'weights' }, s).layers[2].heads[1].weights).toBe(slim.layers[2].heads[1].weights);
    expect(payloadBytes(slim)).toBe(3 * 300 * 300 * 4);
    // what structured clone really sends: the slim result plus summaries, far less than the whole tensor
    const wire = serialize({ result: slim, headSummaries: s }).length;
    expect(wire).toBeLessThan(3 * 300 * 300 * 4 + 12 * 64 * 64 * 4 + 200_000);
    expect(serialize(r).length).toBeGreaterThan(4 * 3 * 300 * 300 * 4);
  });

  it('keeps only the focused head when the layer is too big', () => {
    const n = 600;
    const heads = Math.ceil(MAX_LAYER_WEIGHT_CELLS / (n * n)) + 1;
    const r = viewsResult(1, heads, n);
    const slim = slimResult(r, { layer: 0, head: 2, view: 'grid', matrix: 'weights' }, summarizeHeads(r));
    expect(slim.layers[0].heads.map((h) => h.weights.rows)).toEqual(Array.from({ length: heads }, (_, h) => (h === 2 ? n : 0)));
  });

  it('without summaries keeps every head\'s weights (old contract), small results go whole', () => {
    const r = viewsResult(2, 2, 300);
    const slim = slimResult(r, { layer: 0, head: 0, view: 'pipeline', matrix: 'weights' });
    expect(slim.layers[1].heads[1].weights.rows).toBe(300);
    const small = viewsResult(1, 2, 8);
    const whole = slimResult(small, { layer: 0, head: 0, view: 'pipeline', matrix: 'weights' });
    expect(whole.layers[0].heads[1].weights.data.buffer.byteLength).toBe(8 * 8 * 4);
  });

  it('the worker job attaches summaries to large results only', () => {
    const n = 260;
    const tokens = Array.from({ length: n }, (_, i) => `w${i}`);
    const row = Array.from({ length: n }, () => 1 / n);
    const text = JSON.stringify({ tokens, attention: [Array.from({ length: n }, () => row)] });
    const out = runJob({ kind: 'file', text });
    expect(out.ok && out.headSummaries?.[0].length).toBe(1);
  });
});

describe('summarizeHead (single pass)', () => {
  it('equals headStats and downsampleMax', async () => {
    const { downsampleMax } = await import('../../../src/core/stats');
    const { summarizeHead } = await import('../../../src/core/summaries');
    for (const [rows, cols] of [[300, 300], [65, 200], [64, 64], [7, 3], [1000, 70]] as const) {
      const data = new Float32Array(rows * cols);
      for (let p = 0; p < data.length; p++) data[p] = ((p * 2654435761) % 1000) / 1000 / cols;
      const m = { rows, cols, data };
      const s = summarizeHead(m);
      const ref = headStats(m);
      expect(s.stats.maxWeight).toBe(ref.maxWeight);
      expect(s.stats.sinkShare).toBeCloseTo(ref.sinkShare, 12);
      expect(s.stats.meanEntropy).toBeCloseTo(ref.meanEntropy, 12);
      expect([...s.thumbnail.data]).toEqual([...downsampleMax(m, 64).data]);
    }
  });
});

describe('the focused head of a large computed result', () => {
  const text = Array.from({ length: 300 }, (_, i) => `w${i % 37}`).join(' ');
  const settings = { tokenizer: 'words', dModel: 16, dK: 4, heads: 2, layers: 1, seed: 1, positionalEncoding: true, mask: { kind: 'none' }, temperature: 1, scale: true } as const;
  const outcome = runJob({ kind: 'selection', text, settings, maxTokens: 4096 });
  if (!outcome.ok) throw new Error(outcome.message);
  const focusedHead = (view: 'tokens' | 'matrix' | 'pipeline' | 'grid', matrix: 'scores' | 'scaled' | 'weights') =>
    slimResult(outcome.result, { layer: 0, head: 1, view, matrix }, outcome.headSummaries).layers[0].heads[1];

  it('carries only the n×n matrices its views draw, with Q, K, V and Z always', () => {
    const tokens = focusedHead('tokens', 'weights');
    expect([tokens.scores, tokens.scaled]).toEqual([null, null]);
    expect([tokens.q, tokens.k, tokens.v, tokens.output].every((m) => m !== null)).toBe(true);
    // The token and matrix views ask for rows and rasters: the n×n matrices they draw are withheld by name.
    const onRequest = { kind: 'withheld', rows: 300, cols: 300, reason: 'on-request' };
    expect(isWithheld(tokens.weights) && tokens.weights.withheld).toEqual(onRequest);
    expect(focusedHead('grid', 'weights').weights.rows).toBe(300);
    const scores = focusedHead('matrix', 'scores');
    expect(isWithheld(scores.scores) && scores.scores.withheld).toEqual(onRequest);
    expect(scores.scaled).toBeNull();
    expect(isWithheld(focusedHead('matrix', 'scaled').scaled)).toBe(true);
    // Sliced again (the host slices what the worker sent), a withheld matrix keeps its true shape.
    const again = slimResult(slimResult(outcome.result, { layer: 0, head: 1, view: 'tokens', matrix: 'weights' }, outcome.headSummaries), DEFAULT_FOCUS, outcome.headSummaries);
    expect(again.layers[0].heads.map((h) => isWithheld(h.weights) && h.weights.withheld)).toEqual([onRequest, onRequest]);
    // The pipeline asks for its thumbnails and traced row too: every n×n matrix withheld, Q, K, V and Z here.
    const pipeline = focusedHead('pipeline', 'weights');
    expect([pipeline.weights, pipeline.scores, pipeline.scaled].map((m) => isWithheld(m) && m.withheld)).toEqual([onRequest, onRequest, onRequest]);
    expect([pipeline.q, pipeline.k, pipeline.v, pipeline.output].map((m) => m && [m.rows, m.cols])).toEqual([[300, 4], [300, 4], [300, 4], [300, 4]]);
  });
});

describe('the pipeline view of a 2,000-token result (issue 14)', () => {
  const words = Array.from({ length: 2000 }, (_, i) => ['the', 'cat', 'sat', 'on', 'a', 'mat', 'while', 'dogs', 'ran'][(i * 7) % 9]);
  const outcome = runJob({ kind: 'selection', text: words.join(' '), settings: DEFAULT_COMPUTE_SETTINGS, maxTokens: 4096 });
  if (!outcome.ok) throw new Error(outcome.message);
  const focus = { layer: 0, head: 2, view: 'pipeline', matrix: 'weights' } as const;
  const slice = slimResult(outcome.result, focus, outcome.headSummaries);
  const layer = slice.layers[0];

  it('withholds every n×n matrix of the layer on request; the n×d steps travel whole', () => {
    const onRequest = { kind: 'withheld', rows: 2000, cols: 2000, reason: 'on-request' };
    const head = layer.heads[2];
    expect([head.weights, head.scores, head.scaled].map((m) => isWithheld(m) && m.withheld)).toEqual([onRequest, onRequest, onRequest]);
    expect(layer.heads.map((h) => isWithheld(h.weights) && h.weights.withheld.reason)).toEqual(['on-request', 'on-request', 'on-request', 'on-request']);
    const shape = (m: { rows: number; cols: number } | null | undefined) => m && [m.rows, m.cols];
    // d_model 64, d_k 16, the feed-forward 4 × 64 wide.
    expect([head.q, head.k, head.v, head.output].map(shape)).toEqual([[2000, 16], [2000, 16], [2000, 16], [2000, 16]]);
    expect([layer.input, layer.concat, layer.attentionOutput, layer.output].map(shape)).toEqual([[2000, 64], [2000, 64], [2000, 64], [2000, 64]]);
    expect(Object.values(layer.encoder!).map(shape)).toEqual([[2000, 64], [2000, 256], [2000, 64], [2000, 64]]);
  });

  it('carries 5.6 MB of matrices, where it carried 53.6 MB (the focused head\'s weights, scores and scaled scores)', () => {
    // Before: what the pipeline view got until now, the same as a "what if" (whole) focus gets.
    const before = slimResult(outcome.result, { ...focus, whole: true }, outcome.headSummaries);
    // X, Q, K, V, Z, concat, ·W_O and the encoder's four steps (its output is the second add & norm), W_Q, W_K, W_V.
    const nByD = 2000 * 4 * (64 + 4 * 16 + 64 + 64 + (64 + 256 + 64 + 64)) + 3 * 64 * 16 * 4;
    expect(nByD).toBe(5_644_288);
    expect(slicePayload(slice)).toBe(nByD);
    expect(slicePayload(before)).toBe(nByD + 3 * 2000 * 2000 * 4);
  });
});
