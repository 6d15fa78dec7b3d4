// The cell derivation's every line on a result worked out by hand: q = [[1, 0], [1, 2]], k = [[1, 1], [0, 1]],
// v = [[1, 0], [0, 2]], causal, no scaling, temperature 2. Scores [[1, 0], [3, 2]]; scaled [[0.5, −∞], [1.5, 1]];
// row 2's weights softmax([1.5, 1]) = [0.622459, 0.377541]. Each line as the tooltip shows it: its label, then its text.
// Written for mutation testing (bench/mutation/README.md).
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/core/evaluate';
import { fromRows, zeros, type Matrix } from '../../../src/core/matrix';
import type { AttentionResult, ComputeSpec } from '../../../src/core/types';
import { withheldMatrix } from '../../../src/shared/protocol';
import { deriveCell, deriveDifferenceCell, rowSoftmaxParts } from '../../../webview/render/cell-derivation';

const provenance = { kind: 'file', description: 'hand-worked' } as const;
function spec(overrides: Partial<ComputeSpec> = {}): ComputeSpec {
  return {
    kind: 'compute', tokens: ['a', 'b'],
    layers: [{ heads: [{ query: fromRows([[1, 0], [1, 2]]), key: fromRows([[1, 1], [0, 1]]), value: fromRows([[1, 0], [0, 2]]) }] }],
    options: { scale: false, mask: { kind: 'causal' }, temperature: 2 }, provenance, ...overrides,
  };
}
const texts = (r: AttentionResult, i: number, j: number, layer = 0) => deriveCell(r, layer, 0, i, j)!.lines.map((l) => `${l.label}: ${l.text}`);
const keys = (r: AttentionResult, i: number, j: number) => deriveCell(r, 0, 0, i, j)!.lines.map((l) => l.key);

describe('deriveCell', () => {
  const result = evaluate(spec());

  it('a visible cell: the score as a sum, scaled ÷ T, the softmax, w·v and the share of z', () => {
    expect(texts(result, 1, 0)).toEqual([
      'score q·k: (1.000×1.000) + (2.000×1.000) = 3.0000',
      'scaled: 3.0000 × 1.0000 ÷ 2.00 = 1.5000',
      'weight softmax: e^(1.5000 - 1.5000) / Σ e^(s - max) = 1.0000 / 1.6065 = 0.6225',
      'w·v_j: 0.6225 × v_1 = [0.622, 0.000]',
      'share of z: ‖w·v_1‖ / Σ‖w·v‖ = 0.6225 / 1.3775 = 45.2% of z_2',
    ]);
    expect(keys(result, 1, 0)).toEqual(['score', 'scaled', 'weight', 'contribution', 'share']);
    const d = deriveCell(result, 0, 0, 1, 0)!;
    expect([d.row, d.col, d.query, d.key, d.masked, d.summary]).toEqual([1, 0, 'b', 'a', false, 'Query 2 "b", key 1 "a": weight 0.6225.']);
    expect(d.lines.map((l) => l.value)).toEqual([3, 1.5, result.layers[0].heads[0].weights.data[2], undefined, expect.closeTo(0.451862, 5)]);
    expect(texts(result, 1, 1)[2]).toBe('weight softmax: e^(1.0000 - 1.5000) / Σ e^(s - max) = 0.6065 / 1.6065 = 0.3775');
  });

  it("the first row's softmax uses its own maximum (0.5), not the next row's first score (1.5)", () => {
    expect(texts(result, 0, 0)).toEqual([
      'score q·k: (1.000×1.000) + (0.000×1.000) = 1.0000',
      'scaled: 1.0000 × 1.0000 ÷ 2.00 = 0.5000',
      'weight softmax: e^(0.5000 - 0.5000) / Σ e^(s - max) = 1.0000 / 1.0000 = 1.0000',
      'w·v_j: 1.0000 × v_1 = [1.000, 0.000]',
      'share of z: ‖w·v_1‖ / Σ‖w·v‖ = 1.0000 / 1.0000 = 100.0% of z_1',
    ]);
  });

  it('a masked cell: −∞, weight 0, no share', () => {
    expect(texts(result, 0, 1)).toEqual([
      'score q·k: (1.000×0.000) + (0.000×1.000) = 0.0000',
      'scaled: masked: key 2 is hidden from query 1, so the score becomes -∞',
      'weight: e^(-∞) = 0, so the weight is 0.0000',
      'w·v_j: 0.0000 × v_2 = [0.000, 0.000]',
      'share of z: ‖w·v_2‖ / Σ‖w·v‖ = 0.0000 / 1.0000 = 0.0% of z_1',
    ]);
    const d = deriveCell(result, 0, 0, 0, 1)!;
    expect([d.masked, d.summary, d.lines[1].value]).toEqual([true, 'Query 1 "a", key 2 "b": masked, weight 0.0000.', -Infinity]);
  });

  it('outside the matrix, or no such layer or head: null', () => {
    for (const [l, h, i, j] of [[0, 0, 2, 0], [0, 0, 0, 2], [0, 0, -1, 0], [0, 0, 0, -1], [1, 0, 0, 0], [0, 1, 0, 0]]) {
      expect(deriveCell(result, l, h, i, j)).toBeNull();
    }
  });

  it('long vectors: the first 3 of more than 8 terms, the first 4 of more than 8 values', () => {
    const q = zeros(1, 9);
    q.data.fill(1);
    const v = zeros(1, 9);
    v.data.fill(2);
    const r = evaluate(spec({ tokens: ['a'], layers: [{ heads: [{ query: q, key: q, value: v }] }], options: { scale: true, mask: { kind: 'none' }, temperature: 1 } }));
    expect(texts(r, 0, 0)).toEqual([
      'score q·k: (1.000×1.000) + (1.000×1.000) + (1.000×1.000) + … (9 terms) = 9.0000',
      'scaled: 9.0000 × 0.3333 ÷ 1.00 = 3.0000',
      'weight softmax: e^(3.0000 - 3.0000) / Σ e^(s - max) = 1.0000 / 1.0000 = 1.0000',
      'w·v_j: 1.0000 × v_1 = [2.000, 2.000, 2.000, 2.000, … (9 values)]',
      'share of z: ‖w·v_1‖ / Σ‖w·v‖ = 6.0000 / 6.0000 = 100.0% of z_1',
    ]);
  });

  it('exactly 8 terms and 8 values are all written out', () => {
    const q = zeros(1, 8);
    q.data.fill(0.5);
    const r = evaluate(spec({ tokens: ['a'], layers: [{ heads: [{ query: q, key: q, value: q }] }], options: { scale: false, mask: { kind: 'none' }, temperature: 1 } }));
    expect(texts(r, 0, 0)[0]).toBe(`score q·k: ${Array(8).fill('(0.500×0.500)').join(' + ')} = 2.0000`);
    expect(texts(r, 0, 0)[3]).toBe(`w·v_j: 1.0000 × v_1 = [${Array(8).fill('0.500').join(', ')}]`);
  });

  it('exported weights: a note, and the weight alone; a head sent without Q and K says how to see it', () => {
    const w = fromRows([[0.75, 0.25], [0.5, 0.5]]);
    const precomputed = evaluate({ kind: 'precomputed', tokens: ['a', 'b'], attention: [[w]], options: { scale: true, mask: { kind: 'none' }, temperature: 1 }, provenance });
    expect(texts(precomputed, 0, 1)).toEqual(['note: Q and K are not in the file (precomputed weights), so the score cannot be derived.', 'weight: 0.2500']);
    const computed = evaluate(spec());
    const slim: AttentionResult = { ...computed, layers: [{ ...computed.layers[0], heads: [{ ...computed.layers[0].heads[0], q: null, k: null, scores: null, scaled: null, v: null, output: null }, computed.layers[0].heads[0]] }] };
    expect(texts(slim, 1, 0)).toEqual(['note: Q and K of this head were not sent for this large result; focus the head to see the derivation.', 'weight: 0.6225']);
    expect(deriveCell(precomputed, 0, 0, 0, 1)!.summary).toBe('Query 1 "a", key 2 "b": weight 0.2500.');
    // The focused head in another layer: this layer has no Q at all, yet the file had them.
    const otherLayerFocused: AttentionResult = { ...slim, layers: [{ ...slim.layers[0], heads: [slim.layers[0].heads[0]] }, computed.layers[0]] };
    expect(texts(otherLayerFocused, 1, 0)[0]).toBe('note: Q and K of this head were not sent for this large result; focus the head to see the derivation.');
    const unnamed: AttentionResult = { ...computed, tokens: [], keyTokens: [] };
    expect(deriveCell(unnamed, 0, 0, 1, 0)!.summary).toBe('Query 2 "#2", key 1 "#1": weight 0.6225.');
  });

  it("a large result's matrix of raw scores: the focused head without scaled scores gives the weight alone, nothing masked", () => {
    const computed = evaluate(spec());
    const head = { ...computed.layers[0].heads[0], scaled: null };
    const rawScores: AttentionResult = { ...computed, layers: [{ ...computed.layers[0], heads: [head] }] };
    expect(texts(rawScores, 1, 0)).toEqual([
      'score q·k: (1.000×1.000) + (2.000×1.000) = 3.0000',
      'weight: 0.6225',
      'w·v_j: 0.6225 × v_1 = [0.622, 0.000]',
      'share of z: ‖w·v_1‖ / Σ‖w·v‖ = 0.6225 / 1.3775 = 45.2% of z_2',
    ]);
    const d = deriveCell(rawScores, 0, 0, 1, 0)!;
    expect([d.masked, d.summary]).toEqual([false, 'Query 2 "b", key 1 "a": weight 0.6225.']);
  });

  it("a large result's focused head with its n×n matrices withheld: the row the view asked for gives the derivation", () => {
    const computed = evaluate(spec());
    const whole = computed.layers[0].heads[0];
    const gone = withheldMatrix(2, 2, 'on-request');
    const withheld: AttentionResult = { ...computed, layers: [{ ...computed.layers[0], heads: [{ ...whole, weights: gone, scores: gone, scaled: gone }] }] };
    const row2 = (m: Matrix | null) => m!.data.slice(2, 4);
    const asked = { weights: row2(whole.weights), scores: row2(whole.scores), scaled: row2(whole.scaled) };
    const expected = [
      'score q·k: (1.000×1.000) + (2.000×1.000) = 3.0000',
      'scaled: 3.0000 × 1.0000 ÷ 2.00 = 1.5000',
      'weight softmax: e^(1.5000 - 1.5000) / Σ e^(s - max) = 1.0000 / 1.6065 = 0.6225',
      'w·v_j: 0.6225 × v_1 = [0.622, 0.000]',
      'share of z: ‖w·v_1‖ / Σ‖w·v‖ = 0.6225 / 1.3775 = 45.2% of z_2',
    ];
    const shown = (j: number) => deriveCell(withheld, 0, 0, 1, j, asked)!.lines.map((l) => `${l.label}: ${l.text}`);
    expect(shown(0)).toEqual(expected);
    expect(shown(0)).toEqual(expected);
    expect(shown(1)[2]).toBe('weight softmax: e^(1.0000 - 1.5000) / Σ e^(s - max) = 0.6065 / 1.6065 = 0.3775');
    // The tokens give the withheld matrix's shape; without the asked-for row there is nothing to derive.
    expect([deriveCell(withheld, 0, 0, 1, 0), deriveCell(withheld, 0, 0, 2, 0, asked), deriveCell(withheld, 0, 0, 1, 2, asked)]).toEqual([null, null, null]);
  });

  it('values that are all zero: z gets nothing from any key, a share of 0%, not 0 / 0', () => {
    const r = evaluate(spec({ layers: [{ heads: [{ query: fromRows([[1, 0], [1, 2]]), key: fromRows([[1, 1], [0, 1]]), value: zeros(2, 2) }] }] }));
    expect(texts(r, 1, 0).slice(3)).toEqual([
      'w·v_j: 0.6225 × v_1 = [0.000, 0.000]',
      'share of z: ‖w·v_1‖ / Σ‖w·v‖ = 0.0000 / 0.0000 = 0.0% of z_2',
    ]);
    expect(deriveCell(r, 0, 0, 1, 0)!.lines[4].value).toBe(0);
  });

  it('every line carries its key (the tooltip marks each line with it): masked, exported and withheld cells too', () => {
    expect(keys(result, 0, 1)).toEqual(['score', 'scaled', 'weight', 'contribution', 'share']);
    const w = fromRows([[0.75, 0.25], [0.5, 0.5]]);
    const precomputed = evaluate({ kind: 'precomputed', tokens: ['a', 'b'], attention: [[w]], options: { scale: true, mask: { kind: 'none' }, temperature: 1 }, provenance });
    expect(keys(precomputed, 0, 1)).toEqual(['note', 'weight']);
    // With the rows the view asked for, a query outside the matrix is still refused.
    const gone = withheldMatrix(2, 2, 'on-request');
    const head = result.layers[0].heads[0];
    const withheld: AttentionResult = { ...result, layers: [{ ...result.layers[0], heads: [{ ...head, weights: gone, scores: gone, scaled: gone }] }] };
    const asked = { weights: head.weights.data.slice(0, 2), scores: head.scores!.data.slice(0, 2), scaled: head.scaled!.data.slice(0, 2) };
    expect([deriveCell(withheld, 0, 0, -1, 0, asked), deriveCell(withheld, 0, 0, 0, -1, asked)]).toEqual([null, null]);
  });
});

describe('rowSoftmaxParts', () => {
  it('max and Σ e^(s − max) over the finite entries; a fully masked row gives −∞ and 0', () => {
    // Row 3 starts with 5: a row's maximum must not reach into the next row.
    const m = fromRows([[1, -Infinity, 0], [-Infinity, -Infinity, -Infinity], [5, 0, 0]]);
    const { max, sum } = rowSoftmaxParts(m, 0);
    expect(max).toBe(1);
    expect(sum).toBeCloseTo(1 + Math.exp(-1), 12);
    expect(rowSoftmaxParts(m, 1)).toEqual({ max: -Infinity, sum: 0 });
    expect(rowSoftmaxParts(m, 0)).toBe(rowSoftmaxParts(m, 0));
  });
});

describe('deriveDifferenceCell', () => {
  const computed = evaluate(spec());
  const delta: AttentionResult = {
    ...computed,
    layers: [{ ...computed.layers[0], heads: [{ ...computed.layers[0].heads[0], weights: fromRows([[0.125, -0.25], [0, 0.5]]) }] }],
  };

  it('one line: Δweight, the run with the interventions minus the run without', () => {
    expect(deriveDifferenceCell(delta, 0, 0, 0, 1)).toEqual({
      row: 0, col: 1, query: 'a', key: 'b', masked: false,
      lines: [{ key: 'delta', label: 'Δweight', text: '-0.2500 (with the interventions − without)', value: -0.25 }],
      summary: 'Query 1 to key 2: Δweight -0.2500.',
    });
    const unnamed = deriveDifferenceCell({ ...delta, tokens: [], keyTokens: [] }, 0, 0, 1, 0)!;
    expect([unnamed.query, unnamed.key, unnamed.lines[0].value]).toEqual(['#2', '#1', 0]);
  });

  it('outside the matrix, or no such layer or head: null', () => {
    for (const [l, h, i, j] of [[0, 0, 2, 0], [0, 0, 0, 2], [0, 0, -1, 0], [0, 0, 0, -1], [1, 0, 0, 0], [0, 1, 0, 0]]) {
      expect(deriveDifferenceCell(delta, l, h, i, j)).toBeNull();
    }
  });
});
