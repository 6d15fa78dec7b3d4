/** Head labels, the induction probe, attention rollout and word aggregation: hand-worked values and real GPT-2 data. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  aggregateWeights, attentionRollout, evaluate, fromRows, groupTokens, HEAD_LABEL_KINDS, HEAD_LABELS, headLabels, inductionProbeIds,
  loadModel, rankHeads, runInductionProbe, scoreHead, scoreHeads, summarizeHeads, toRows, zeros, type ComputeSpec, type Matrix,
  type PrecomputedSpec,
} from '../../../src/core';
import { folderInput } from '../model/fixtures';

const closeRows = (m: Matrix, expected: number[][], digits = 6): void => {
  expect(m.rows).toBe(expected.length);
  toRows(m).forEach((row, i) => row.forEach((x, j) => expect(x, `(${i}, ${j})`).toBeCloseTo(expected[i][j], digits)));
};

describe('head scores, worked by hand', () => {
  // Tokens A B A B; causal weights.
  const weights = fromRows([[1, 0, 0, 0], [0.5, 0.5, 0, 0], [0.2, 0.6, 0.2, 0], [0.1, 0.3, 0.4, 0.2]]);
  const scores = scoreHead(weights, ['A', 'B', 'A', 'B']);

  it('previous-token: mean of w[i][i−1] over queries 1… = (0.5 + 0.6 + 0.4) / 3', () => expect(scores['previous-token']).toBeCloseTo(0.5, 6));
  it('sink: mean of w[i][0] over queries 1… = (0.5 + 0.2 + 0.1) / 3', () => expect(scores.sink).toBeCloseTo(0.8 / 3, 6));
  it('duplicate-token: repeated queries 2 and 3 on their earlier copies = (0.2 + 0.3) / 2', () => expect(scores['duplicate-token']).toBeCloseTo(0.25, 6));
  it('induction: queries 2 and 3 on the token after their earlier copy = (0.6 + 0.4) / 2', () => expect(scores.induction).toBeCloseTo(0.5, 6));

  it('has no duplicate or induction score without a repeat, and none at all for cross-attention', () => {
    expect(scoreHead(weights, ['A', 'B', 'C', 'D'])).toMatchObject({ induction: null, 'duplicate-token': null });
    expect(Object.values(scoreHead(zeros(2, 3), ['a', 'b']))).toEqual([null, null, null, null]);
  });

  it('every kind has a name and a one-line definition', () => {
    for (const kind of HEAD_LABEL_KINDS) {
      expect(HEAD_LABELS[kind].name.length).toBeGreaterThan(0);
      expect(HEAD_LABELS[kind].definition).toMatch(/^[A-Z][^\n]+\.$/);
    }
  });
});

describe('head labels on a synthetic layer', () => {
  // Head 1 is built to attend to i − 1: q_i = 20·e_i, k_j = e_{j+1}, so only key i − 1 scores 20. Head 0 scores 0 everywhere.
  const n = 6;
  const q = zeros(n, n + 1);
  const k = zeros(n, n + 1);
  for (let i = 0; i < n; i++) {
    q.data[i * (n + 1) + i] = 20;
    k.data[i * (n + 1) + i + 1] = 1;
  }
  const spec: ComputeSpec = {
    kind: 'compute',
    tokens: ['a', 'b', 'c', 'd', 'e', 'f'],
    layers: [{ heads: [{ query: zeros(n, 2), key: zeros(n, 2), value: zeros(n, 2) }, { query: q, key: k, value: zeros(n, 2) }] }],
    options: { scale: false, mask: { kind: 'causal' }, temperature: 1 },
    provenance: { kind: 'file', description: 'synthetic' },
  };
  const scores = scoreHeads(evaluate(spec).layers, spec.tokens);

  it('labels the head that attends to i − 1 previous-token, and not the uniform one', () => {
    const [label] = headLabels(scores[0][1]);
    expect(label.kind).toBe('previous-token');
    expect(label.score).toBeGreaterThan(0.999);
    expect(headLabels(scores[0][0]).map((l) => l.kind)).not.toContain('previous-token');
    expect(rankHeads(scores, 'previous-token')[0]).toMatchObject({ layer: 0, head: 1 });
  });
});

describe('head labels on real GPT-2 attention (the induction example)', () => {
  const fixture = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'gpt2', 'gpt2-induction-layer.json'), 'utf8')) as {
    tokens: string[];
    attention: number[][][][];
  };
  const layers = fixture.attention.map((heads) => ({ heads: heads.map((rows) => ({ weights: fromRows(rows) })) }));
  const scores = scoreHeads(layers, fixture.tokens);

  it('the worker\'s head summaries carry the same scores, for the head grid of large results', () => {
    const spec: PrecomputedSpec = {
      kind: 'precomputed', tokens: fixture.tokens, attention: layers.map((l) => l.heads.map((h) => h.weights)),
      options: { scale: 1, mask: { kind: 'causal' }, temperature: 1 }, provenance: { kind: 'file', description: 'GPT-2' },
    };
    expect(summarizeHeads(evaluate(spec)).map((l) => l.map((s) => s.scores))).toEqual(scores);
  });

  it('ranks heads 1, 5 and 0 as the induction heads, in that order, and labels exactly them', () => {
    const ranked = rankHeads(scores, 'induction');
    expect(ranked.slice(0, 3).map((r) => r.head)).toEqual([1, 5, 0]);
    expect(ranked[0].score).toBeCloseTo(0.81812, 4); // numpy over the same fixture
    const induction = scores[0].flatMap((s, h) => (headLabels(s).some((l) => l.kind === 'induction') ? [h] : []));
    expect(induction).toEqual([0, 1, 5]);
  });
});

describe('the induction probe', () => {
  it('is [BOS] + R + R with R distinct, seeded, without BOS', () => {
    const ids = inductionProbeIds(300, 5, { length: 10, seed: 1 });
    expect(ids).toHaveLength(21);
    expect(ids[0]).toBe(5);
    expect(ids.slice(1, 11)).toEqual(ids.slice(11));
    expect(new Set(ids.slice(1, 11)).size).toBe(10);
    expect(ids.slice(1)).not.toContain(5);
    expect(inductionProbeIds(300, 5, { length: 10, seed: 1 })).toEqual(ids);
    expect(() => inductionProbeIds(8, null, { length: 9 })).toThrow('The induction probe needs 2 to 8 distinct tokens per copy');
  });

  it('scores a perfect induction pattern 1: each second-copy token on the one after its first copy', () => {
    const L = 6;
    const ids = inductionProbeIds(50, null, { length: L, seed: 3 });
    const w = zeros(2 * L, 2 * L);
    for (let i = 0; i < 2 * L; i++) w.data[i * 2 * L + (i < L ? 0 : i - L + 1)] = 1;
    expect(scoreHead(w, ids).induction).toBe(1);
  });

  it('runs on a real checkpoint and scores every head in [0, 1]', () => {
    const model = loadModel(folderInput('gpt2'));
    const { ids, scores } = runInductionProbe(model, { length: 12, seed: 7 });
    expect(ids).toHaveLength(24);
    expect(scores).toHaveLength(2);
    scores.flat().forEach((s) => expect(s).toBeGreaterThanOrEqual(0));
    scores.flat().forEach((s) => expect(s).toBeLessThanOrEqual(1 + 1e-6));
    expect(() => runInductionProbe(model)).toThrow("The induction probe is 100 tokens, over the model's max_position_embeddings of 32");
  });
});

describe('attention rollout (Abnar & Zuidema 2020)', () => {
  const a = fromRows([[1, 0], [0.4, 0.6]]);

  it('one layer: (A + I) / 2', () => closeRows(attentionRollout([{ heads: [{ weights: a }] }])[0], [[1, 0], [0.2, 0.8]]));

  it('two layers: Â·Â = [[1, 0], [0.2 + 0.8·0.2, 0.8²]]', () => {
    const rollout = attentionRollout([{ heads: [{ weights: a }] }, { heads: [{ weights: a }] }]);
    expect(rollout).toHaveLength(2);
    closeRows(rollout[1], [[1, 0], [0.36, 0.64]]);
  });

  it('averages the heads first, and a row with nothing visible is renormalised onto the token itself', () => {
    const b = fromRows([[1, 0], [0, 1]]);
    closeRows(attentionRollout([{ heads: [{ weights: a }, { weights: b }] }])[0], [[1, 0], [0.1, 0.9]]);
    closeRows(attentionRollout([{ heads: [{ weights: zeros(2, 2) }] }])[0], [[1, 0], [0, 1]]);
  });

  it('refuses cross-attention', () => expect(() => attentionRollout([{ heads: [{ weights: zeros(2, 3) }] }])).toThrow(/square/));
});

describe('words, not subwords', () => {
  it('joins GPT-2 BPE pieces into words, contractions included; punctuation stands alone', () => {
    const g = groupTokens(['Ġwalk', 'ing', 'Ġthe', 'Ġdog', "'s", 'Ġdidn', "'t", ',', 'Ġok']);
    expect(g.labels).toEqual(['walking', 'the', "dog's", "didn't", ',', 'ok']);
    expect(g.groups).toEqual([[0, 1], [2], [3, 4], [5, 6], [7], [8]]);
    expect(Array.from(g.groupOf)).toEqual([0, 0, 1, 2, 2, 3, 3, 4, 5]);
  });

  it('reads SentencePiece markers and plain text the same way', () => {
    expect(groupTokens(['▁The', '▁an', 'imal']).labels).toEqual(['The', 'animal']);
    expect(groupTokens(['The', ' an', 'imal', ' ', 'x']).labels).toEqual(['The', 'animal', ' ', 'x']);
  });

  it('joins code into identifiers (letters, digits, _ and $)', () => {
    expect(groupTokens(['get', 'Element', 'By', 'Id', '(', 'foo', '_', 'bar', '$', ')'], 'identifiers').labels)
      .toEqual(['getElementById', '(', 'foo_bar$', ')']);
    expect(groupTokens(['foo', '_', 'bar'], 'words').labels).toEqual(['foo', '_', 'bar']);
  });

  it('aggregates weights: sum over a word\'s keys, mean over its queries; rows still sum to 1', () => {
    const w = fromRows([[1, 0, 0], [0.5, 0.5, 0], [0.2, 0.3, 0.5]]);
    const groups = groupTokens(['Ġa', 'b', 'Ġc']);
    closeRows(aggregateWeights(w, groups), [[1, 0], [0.5, 0.5]]);
    expect(() => aggregateWeights(zeros(2, 2), groups)).toThrow('The groups cover 3 × 3 tokens, the weights 2 × 2.');
  });
});
