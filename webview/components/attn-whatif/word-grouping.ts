/**
 * Words, not subwords: the views can show a result whose tokens are words (or code identifiers) and whose weights are
 * aggregated the core's way: summed over a word's keys, averaged over its queries, so every row still sums to 1. The
 * editor tints follow: a word's weight tints each of its tokens, and the focused word is highlighted whole.
 */
import { html, type TemplateResult } from 'lit';
import { aggregateWeights, groupTokens, type AttentionResult, type HeadResult, type TokenGroups, type WordGrouping } from '../../../src/shared/core';

export interface Grouped {
  readonly result: AttentionResult;
  readonly queries: TokenGroups;
  readonly keys: TokenGroups;
}

const cache = new WeakMap<AttentionResult, Map<WordGrouping, Grouped>>();

/** The result over words or identifiers (cached per result and grouping). A head not sent (0×0) stays 0×0. */
export function groupedResult(result: AttentionResult, grouping: WordGrouping): Grouped {
  let byGrouping = cache.get(result);
  if (!byGrouping) cache.set(result, (byGrouping = new Map()));
  const hit = byGrouping.get(grouping);
  if (hit) return hit;
  const queries = groupTokens(result.tokens, grouping);
  const keys = result.keyTokens === result.tokens ? queries : groupTokens(result.keyTokens, grouping);
  const head = (h: HeadResult): HeadResult => ({
    ...h, q: null, k: null, v: null, scores: null, scaled: null, output: null,
    weights: h.weights.rows === 0 ? h.weights : aggregateWeights(h.weights, queries, keys),
  });
  const grouped: Grouped = {
    queries,
    keys,
    result: {
      ...result,
      tokens: queries.labels,
      keyTokens: keys === queries ? queries.labels : keys.labels,
      // A mask drawn per word would be wrong (a word's first token sees less than its last): the weights show it.
      options: { ...result.options, mask: { kind: 'none' } },
      layers: result.layers.map((layer) => ({ ...layer, heads: layer.heads.map(head) })),
    },
  };
  byGrouping.set(grouping, grouped);
  return grouped;
}

/** A word's row of weights as the editor tints them: every key token gets its word's weight. */
export function tokenWeights(row: ArrayLike<number>, keys: TokenGroups): number[] {
  return Array.from(keys.groupOf, (g) => row[g]);
}

const OPTIONS: readonly [WordGrouping | 'tokens', string][] = [['tokens', 'Tokens'], ['words', 'Words'], ['identifiers', 'Identifiers']];

/** The choice of unit, and how words are made from tokens (the legend). */
export function renderGroupingOption(grouping: WordGrouping | undefined, choose: (grouping: WordGrouping | undefined) => void): TemplateResult {
  return html`<div class="grouping-option">
    <label>Show <select aria-label="Show tokens, words or identifiers" @change=${(e: Event) => {
      const v = (e.target as HTMLSelectElement).value;
      choose(v === 'words' || v === 'identifiers' ? v : undefined);
    }}>${OPTIONS.map(([value, label]) => html`<option value=${value} ?selected=${(grouping ?? 'tokens') === value}>${label}</option>`)}</select></label>
    ${grouping ? html`<span class="whatif-note">${grouping === 'words' ? 'Words' : 'Identifiers'}: weights summed over a word's key tokens, averaged over its query tokens (rows still sum to 1).</span>` : ''}
  </div>`;
}
