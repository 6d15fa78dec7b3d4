/**
 * The panel's "what if" list, as pure functions: adding (no duplicates), removing, the chip's words, and the result
 * each compare mode shows. The worker computes the comparison; these only pick from it.
 */
import { describeIntervention, type AttentionResult, type HeadResult, type Intervention, type Matrix, type TokenEdit } from '../../../src/shared/core';
import type { CompareMode, WhatIfComparison } from '../../../src/shared/protocol';
import { tokenLabel } from '../../render/format';

export function sameIntervention(a: Intervention, b: Intervention): boolean {
  return describeIntervention(a) === describeIntervention(b);
}

/** The list with `item` at the end, or the same list when it is already there. */
export function withIntervention(list: readonly Intervention[], item: Intervention): readonly Intervention[] {
  return list.some((x) => sameIntervention(x, item)) ? list : [...list, item];
}

/** The chip's text: the core's name ("ablate L0H5", "cut L1H0 7→3", 0-based like the heads) and the edge's tokens. */
export function chipLabel(item: Intervention, result: AttentionResult | null): string {
  const name = describeIntervention(item);
  if (item.kind !== 'cut-edge' || !result) return name;
  const q = result.tokens[item.query];
  const k = result.keyTokens[item.key];
  return q === undefined || k === undefined ? name : `${name} (${tokenLabel(q, 12)}→${tokenLabel(k, 12)})`;
}

/** The chip of a token edit (positions 0-based, as the core's messages count them). */
export function tokenEditLabel(edit: TokenEdit<string>): string {
  switch (edit.kind) {
    case 'delete-token':
      return `delete token ${edit.position}`;
    case 'replace-token':
      return `replace token ${edit.position} with “${tokenLabel(edit.token, 16)}”`;
    case 'insert-token':
      return `insert “${tokenLabel(edit.token, 16)}” at ${edit.position}`;
  }
}

/** Whether the comparison is the one for this list and edit (a snapshot computed before the last change is not). */
export function comparisonFor(whatIf: WhatIfComparison | undefined, list: readonly Intervention[], edit?: TokenEdit<string>): WhatIfComparison | null {
  if (!whatIf || whatIf.interventions.length !== list.length) return null;
  if (JSON.stringify(whatIf.tokenEdit ?? null) !== JSON.stringify(edit ?? null)) return null;
  return whatIf.interventions.every((x, i) => sameIntervention(x, list[i])) ? whatIf : null;
}

const shown = new WeakMap<WhatIfComparison, Map<CompareMode, AttentionResult>>();

/**
 * What the views draw in `mode`: the result itself, or a copy whose heads carry the original weights or Δweight (and
 * nothing else of a head: Q, K, V and the scores belong to the run with the interventions). Cached per comparison.
 */
export function shownResult(result: AttentionResult, whatIf: WhatIfComparison | null, mode: CompareMode): AttentionResult {
  if (!whatIf || whatIf.shapesDiffer || mode === 'result') return result;
  let byMode = shown.get(whatIf);
  if (!byMode) shown.set(whatIf, (byMode = new Map()));
  const hit = byMode.get(mode);
  if (hit && hit.layers.length === result.layers.length) return hit;
  const pick = mode === 'original' ? whatIf.original : whatIf.difference;
  const head = (h: HeadResult, weights: Matrix | undefined): HeadResult => ({
    ...h, weights: weights ?? h.weights, q: null, k: null, v: null, scores: null, scaled: null, output: null,
  });
  const out: AttentionResult = {
    ...result,
    layers: result.layers.map((layer, l) => ({ ...layer, heads: layer.heads.map((h, i) => head(h, pick[l]?.[i])) })),
  };
  byMode.set(mode, out);
  return out;
}
