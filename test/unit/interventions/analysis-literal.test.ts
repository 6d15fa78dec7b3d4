/**
 * Reading heads, literal values: the label names and definitions shown on hover, the threshold's edge, ranking ties,
 * the probe's seeded ids and its limits, and word grouping at its seams (analysis.test.ts has the worked examples).
 */
import { describe, expect, it } from 'vitest';
import {
  aggregateWeights, fromRows, groupTokens, HEAD_LABEL_KINDS, HEAD_LABELS, headLabels, inductionProbeIds, LABEL_THRESHOLD, loadModel, rankHeads,
  residualAttention, runInductionProbe, scoreHead, scoreHeads, WORD_GROUPINGS, type HeadScores,
} from '../../../src/core';
import { folderInput } from '../model/fixtures';

const scores = (s: Partial<Record<keyof HeadScores, number | null>>): HeadScores => ({ 'previous-token': null, induction: null, 'duplicate-token': null, sink: null, ...s });

describe('head labels', () => {
  it('names and defines each label exactly as the hover shows it', () => {
    expect(HEAD_LABEL_KINDS).toEqual(['previous-token', 'induction', 'duplicate-token', 'sink']);
    expect(HEAD_LABELS).toEqual({
      'previous-token': { name: 'previous token', definition: 'Mean weight each query i puts on key i − 1 (queries 1 onwards).' },
      induction: {
        name: 'induction',
        definition: 'Mean weight a repeated token puts on the tokens right after its earlier copies ("A B … A" attends to B); on a repeated random sequence this is the standard induction probe.',
      },
      'duplicate-token': { name: 'duplicate token', definition: 'Mean weight a repeated token puts on its earlier copies.' },
      sink: { name: 'sink / BOS', definition: 'Mean weight each query after the first puts on the first token.' },
    });
  });

  it('a score of exactly 0.5 earns the label, just below does not; best first; another threshold', () => {
    expect(LABEL_THRESHOLD).toBe(0.5);
    expect(headLabels(scores({ sink: 0.5, induction: 0.49999 }))).toEqual([{ kind: 'sink', score: 0.5 }]);
    expect(headLabels(scores({ sink: 0.6, induction: 0.9, 'previous-token': 0.7 }))).toEqual([
      { kind: 'induction', score: 0.9 }, { kind: 'previous-token', score: 0.7 }, { kind: 'sink', score: 0.6 },
    ]);
    expect(headLabels(scores({ sink: 0.3, 'duplicate-token': 0.2 }), 0.25)).toEqual([{ kind: 'sink', score: 0.3 }]);
    expect(headLabels(scores({}), 0)).toEqual([]);
  });

  it('ranks heads by score, ties by layer then head, leaving out heads without a score', () => {
    const grid = [
      [scores({ sink: 0.2 }), scores({ sink: 0.5 }), scores({})],
      [scores({ sink: 0.5 }), scores({ sink: 0.5 }), scores({ sink: 0.9 })],
    ];
    expect(rankHeads(grid, 'sink')).toEqual([
      { layer: 1, head: 2, score: 0.9 }, { layer: 0, head: 1, score: 0.5 }, { layer: 1, head: 0, score: 0.5 }, { layer: 1, head: 1, score: 0.5 },
      { layer: 0, head: 0, score: 0.2 },
    ]);
    expect(rankHeads(grid, 'induction')).toEqual([]);
  });
});

describe('head scores at the edges', () => {
  it('one token: no previous token and no sink, and ids count as tokens too', () => {
    expect(scoreHead(fromRows([[1]]), [7])).toEqual(scores({}));
    const w = fromRows([[1, 0, 0], [0.25, 0.75, 0], [0.5, 0.125, 0.375]]);
    expect(scoreHead(w, [7, 8, 7])).toEqual({ 'previous-token': (0.25 + 0.125) / 2, sink: (0.25 + 0.5) / 2, 'duplicate-token': 0.5, induction: 0.125 });
    expect(scoreHead(w, [7, 8])).toEqual(scores({}));
  });

  it('a token seen three times counts both earlier copies', () => {
    const w = fromRows([[1, 0, 0, 0], [0.5, 0.5, 0, 0], [0.25, 0.25, 0.5, 0], [0.125, 0.25, 0.5, 0.125]]);
    // Query i's copies are keys 0 … i − 1 (duplicate) and the keys after them, 1 … i (induction):
    // query 1: 0.5 and 0.5; query 2: 0.25 + 0.25 and 0.25 + 0.5; query 3: 0.125 + 0.25 + 0.5 and 0.25 + 0.5 + 0.125.
    expect(scoreHead(w, ['a', 'a', 'a', 'a'])).toMatchObject({ 'duplicate-token': (0.5 + 0.5 + 0.875) / 3, induction: (0.5 + 0.75 + 0.875) / 3 });
  });

  it('scores every head of every layer', () => {
    const w = fromRows([[1, 0], [1, 0]]);
    expect(scoreHeads([{ heads: [{ weights: w }, { weights: w }] }, { heads: [{ weights: w }] }], ['x', 'y']).map((l) => l.map((s) => s.sink))).toEqual([[1, 1], [1]]);
  });
});

describe('the induction probe\'s ids', () => {
  it('seed 0 by default, a given seed otherwise; BOS first and never drawn', () => {
    expect(inductionProbeIds(10, null, { length: 3 })).toEqual([2, 0, 1, 2, 0, 1]);
    expect(inductionProbeIds(10, 3, { length: 3, seed: 7 })).toEqual([3, 0, 9, 6, 0, 9, 6]);
    expect(inductionProbeIds(100, null)).toHaveLength(100);
  });

  it('a BOS outside the vocabulary takes no id from it; the limits are 2 and the ids available', () => {
    expect(inductionProbeIds(3, 5, { length: 3 })).toEqual([5, 0, 1, 2, 0, 1, 2]);
    expect(inductionProbeIds(3, null, { length: 2 })).toHaveLength(4);
    const needs = (available: number, length: number): string => `The induction probe needs 2 to ${available} distinct tokens per copy (the vocabulary's size), not ${length}.`;
    expect(() => inductionProbeIds(3, 1, { length: 3 })).toThrow(needs(2, 3));
    expect(() => inductionProbeIds(10, null, { length: 1 })).toThrow(needs(10, 1));
    expect(() => inductionProbeIds(10, null, { length: 2.5 })).toThrow(needs(10, 2.5));
    expect(() => inductionProbeIds(10, null, { length: 11 })).toThrow(needs(10, 11));
    expect(inductionProbeIds(3, 3, { length: 3 }).slice(1).sort()).toEqual([0, 0, 1, 1, 2, 2]); // BOS = vocabSize takes no id
  });

  it('never draws BOS, whatever the seed', () => {
    for (let seed = 0; seed < 10; seed++) expect(inductionProbeIds(3, 1, { length: 2, seed }).slice(1).sort()).toEqual([0, 0, 2, 2]);
  });

  it('runs a probe as long as the model allows, without another BOS, and scores the heads', () => {
    const model = loadModel(folderInput('gpt2')); // 32 positions, no BOS by default
    const { ids, scores } = runInductionProbe(model, { length: 16 });
    expect(ids).toHaveLength(32);
    expect(scores.flat().every((s) => s >= 0 && s <= 1 + 1e-6)).toBe(true);
    expect(scores.flat().some((s) => s > 0)).toBe(true);
    expect(() => runInductionProbe(model, { length: 17 })).toThrow("The induction probe is 34 tokens, over the model's max_position_embeddings of 32; give a shorter length.");
  });
});

describe('rollout and word groups at the seams', () => {
  it('says what rollout needs', () => {
    expect(() => residualAttention([])).toThrow('Rollout needs at least one head per layer.');
    expect(() => residualAttention([fromRows([[1, 0], [0, 1]]), fromRows([[1]])])).toThrow('Rollout needs square attention (self-attention) of one size in every head.');
    expect(() => residualAttention([fromRows([[1, 0], [0, 1]]), fromRows([[1, 0], [0, 1], [1, 0]])])).toThrow('Rollout needs square attention (self-attention) of one size in every head.');
    expect([...residualAttention([fromRows([[1, 0], [0.5, 0.5]]), fromRows([[1, 0], [1, 0]])]).data]).toEqual([1, 0, 0.375, 0.625]);
  });

  it('a row with nothing visible keeps its 1/2 on itself, renormalised to 1, and leaves the next row as it was', () => {
    // Row 0: (0 + 1/2, 0) / (1/2) = (1, 0). Row 1: (1/4, 1/4 + 1/2), summing to 1 already.
    expect([...residualAttention([fromRows([[0, 0], [0.5, 0.5]])]).data]).toEqual([1, 0, 0.25, 0.75]);
  });

  it('reads newline markers, keeps a whitespace-only label whole, and never joins across an empty token', () => {
    expect(WORD_GROUPINGS).toEqual(['words', 'identifiers']);
    const g = groupTokens(['ĊĊ', 'Ġ', 'ĠĠ', 'x', '', 'y']);
    expect(g.labels).toEqual(['\n\n', ' ', '  ', 'x', '', 'y']);
    expect(g.groups).toEqual([[0], [1], [2], [3], [4], [5]]);
    expect(groupTokens(['Ġdon', "'t", 'Ġgo']).labels).toEqual(["don't", 'go']);
    expect(groupTokens(['don', "'t"], 'identifiers').labels).toEqual(['don', "'t"]);
    expect(groupTokens(['x', "'", 'y']).labels).toEqual(['x', "'", 'y']);
    expect(groupTokens(['a1', '2b', 'é']).labels).toEqual(['a12bé']);
    expect(groupTokens(['$a', 'b_'], 'identifiers').labels).toEqual(['$ab_']);
    expect(groupTokens(['Ġ▁a']).labels).toEqual(['a']);
    expect(groupTokens(['x▁y', 'a b']).labels).toEqual(['x▁ya b']); // markers count only at the start; inner spaces stay
    expect(groupTokens(['a', "-'s"]).labels).toEqual(['a', "-'s"]); // a contraction starts with its apostrophe
  });

  it('aggregates over separate query and key groups, and names both sizes when they do not fit', () => {
    const queries = groupTokens(['a', 'b', 'Ġc']);
    const keys = groupTokens(['x', 'Ġy', 'z']);
    const w = fromRows([[0.5, 0.25, 0.25], [0, 1, 0], [0.5, 0.5, 0]]);
    // Queries {0, 1} and {2}; keys {0} and {1, 2}.
    expect([...aggregateWeights(w, queries, keys).data]).toEqual([0.25, 0.75, 0.5, 0.5]);
    expect(() => aggregateWeights(w, queries, groupTokens(['x']))).toThrow('The groups cover 3 × 1 tokens, the weights 3 × 3.');
    expect(() => aggregateWeights(w, groupTokens(['p', 'Ġq']), keys)).toThrow('The groups cover 2 × 3 tokens, the weights 3 × 3.');
  });
});
