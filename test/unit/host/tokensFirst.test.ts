/**
 * Tokens first (issue 14): the real worker script sends a large job's tokens, as the result's frame, before it
 * computes; the outcome follows. A small job's tokens come with its result only.
 */
import { describe, expect, it } from 'vitest';
import { useComputeWorker } from './computeWorker';
import { type ComputeOutcome, type ComputeRequest, type JobTokens } from '../../../src/compute/job';
import { evaluate, resultFrame, type AttentionResult, type AttentionSpec } from '../../../src/core';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';
import { isSnapshot } from '../../../src/shared/validateMessage';

const worker = useComputeWorker('tokens-first-');

const selection = (words: number, more: Partial<ComputeRequest & { kind: 'selection' }> = {}): ComputeRequest => ({
  kind: 'selection', text: Array.from({ length: words }, (_, i) => `w${i % 23}`).join(' '), maxTokens: 4096,
  settings: { ...DEFAULT_COMPUTE_SETTINGS, heads: 3, layers: 2, seed: 1 }, ...more,
});

function resultOf(outcome: ComputeOutcome): AttentionResult {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.result;
}

/** Runs `request` in the worker, recording the order in which its tokens and its outcome arrive. */
async function inOrder(request: ComputeRequest): Promise<{ order: string[]; tokens: JobTokens[]; outcome: ComputeOutcome }> {
  const order: string[] = [];
  const tokens: JobTokens[] = [];
  const outcome = await worker.client().compute(request, undefined, 'tokens', (t) => {
    order.push('tokens');
    tokens.push(t);
  });
  order.push('outcome');
  return { order, tokens, outcome };
}

describe('tokens first', () => {
  it('a large selection\'s tokens arrive before its outcome: its frame, every head 0 × 0, with the token ranges', async () => {
    const { order, tokens, outcome } = await inOrder(selection(300));
    expect(order).toEqual(['tokens', 'outcome']);
    const [{ frame, tokenRanges, warnings }] = tokens;
    const result = resultOf(outcome);
    expect(frame.tokens).toEqual(result.tokens);
    expect(frame.keyTokens).toEqual(result.keyTokens);
    expect([frame.options, frame.cost, frame.provenance]).toEqual([result.options, result.cost, result.provenance]);
    expect(frame.layers.map((L) => L.heads.map((h) => [h.name, h.scale]))).toEqual(result.layers.map((L) => L.heads.map((h) => [h.name, h.scale])));
    for (const layer of frame.layers) for (const head of layer.heads) expect([head.weights.rows, head.weights.cols, head.q]).toEqual([0, 0, null]);
    expect(tokenRanges).toEqual(outcome.ok && outcome.tokenRanges);
    expect(warnings).toEqual([]);
    // As the panel posts it, the frame is a valid snapshot only while marked computing.
    const snapshot = { seq: 1, source: { kind: 'selection', ref: { kind: 'file', uri: 'file:///a' }, label: 'a' }, result: frame, warnings: [] };
    expect([isSnapshot({ ...snapshot, computing: true }), isSnapshot(snapshot)]).toEqual([true, false]);
  });

  it('a small selection comes back whole, with no tokens ahead of it', async () => {
    const { order } = await inOrder(selection(12));
    expect(order).toEqual(['outcome']);
  });

  it('a "what if" job runs twice but sends its tokens once, those of the run it shows', async () => {
    const { order, tokens, outcome } = await inOrder(selection(300, { tokenEdit: { kind: 'delete-token', position: 0 } }));
    expect(order).toEqual(['tokens', 'outcome']);
    expect(tokens[0].frame.tokens).toEqual(resultOf(outcome).tokens);
    expect(tokens[0].frame.tokens).toHaveLength(299);
  });

  it('a refused job sends no tokens: over the budget, nothing is announced', async () => {
    const heard: string[] = [];
    const refused = await worker.client().compute(selection(2000), 1024 * 1024, 'tokens', () => heard.push('tokens'));
    expect([refused.ok, refused.ok || refused.overBudget, heard]).toEqual([false, true, []]);
  });

  it('a tensor file\'s tokens come with the parse, with where its token strings are', async () => {
    const n = 300;
    const tokens = Array.from({ length: n }, (_, i) => `t${i}`);
    const attention = [[Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (j <= i ? 1 / (i + 1) : 0)))]];
    const text = JSON.stringify({ tokens, attention, mask: 'causal' });
    const run = await inOrder({ kind: 'file', text });
    expect(run.order).toEqual(['tokens', 'outcome']);
    expect(run.tokens[0].frame.tokens).toEqual(tokens);
    expect(run.tokens[0].tokenRanges).toEqual(run.outcome.ok && run.outcome.tokenRanges);
    expect(text.slice(...run.tokens[0].tokenRanges![5])).toBe('"t5"');
  });
});

describe('resultFrame', () => {
  it('names and scales every head as evaluate does, for computed, identity and precomputed specs', () => {
    const m = (rows: number, cols: number) => ({ rows, cols, data: new Float32Array(rows * cols).map((_, i) => Math.sin(i)) });
    const specs: AttentionSpec[] = [
      { kind: 'compute', tokens: ['a', 'b', 'c'], options: { scale: true, mask: { kind: 'causal' }, temperature: 1 }, provenance: { kind: 'file', description: 'x' }, embeddings: m(3, 4), layers: [{ heads: [] }, { heads: [{ name: 'mine', query: m(3, 2), key: m(3, 2), value: m(3, 2) }, { query: m(3, 5), key: m(3, 5), value: m(3, 5) }] }] },
      { kind: 'precomputed', tokens: ['a', 'b'], keyTokens: ['x', 'y', 'z'], options: { scale: 0.5, mask: { kind: 'none' }, temperature: 1 }, provenance: { kind: 'file', description: 'y' }, attention: [[m(2, 3), m(2, 3)]], headNames: [['first']] },
    ];
    for (const spec of specs) {
      const whole = evaluate(spec);
      const frame = resultFrame(spec);
      expect(frame.layers.map((L) => L.heads.map((h) => [h.name, h.scale]))).toEqual(whole.layers.map((L) => L.heads.map((h) => [h.name, h.scale])));
      expect([frame.tokens, frame.keyTokens, frame.cost, frame.options]).toEqual([whole.tokens, whole.keyTokens, whole.cost, whole.options]);
    }
  });
});
