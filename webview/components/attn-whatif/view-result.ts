/**
 * What the panel's views draw, from the snapshot and the UI state: the run itself, or with a "what if" the original
 * run or Δweight; attention rollout instead of the heads' weights; and words instead of subword tokens. One rule for
 * `<attn-app>`, its views and the editor tints.
 */
import type { AttentionResult } from '../../../src/shared/core';
import type { CompareMode, Snapshot, UiState } from '../../../src/shared/protocol';
import { rolloutResult } from './rollout';
import { groupedResult, type Grouped } from './word-grouping';

export interface ViewResult {
  /** What the Matrix and Heads views draw (Δweight in Difference). */
  readonly result: AttentionResult;
  /** What token lines and editor tints follow: weights, never Δweight (the run itself in Difference). */
  readonly weights: AttentionResult;
  /** Words or identifiers, when chosen in the Tokens or Matrix view: token and word indices differ then. */
  readonly groups: Grouped | null;
  readonly rollout: boolean;
  readonly difference: boolean;
}

export function viewResult(snap: Snapshot, ui: UiState, shown: (snap: Snapshot) => AttentionResult, mode: CompareMode): ViewResult {
  const perToken = ui.view === 'tokens' || ui.view === 'matrix';
  const rollout = ui.rollout && perToken ? rolloutResult(snap.result, snap.rollout) : null;
  const difference = !rollout && mode === 'difference';
  const base = rollout ?? shown(snap);
  const group = (r: AttentionResult) => (ui.grouping && perToken ? groupedResult(r, ui.grouping) : null);
  const groups = group(base);
  const result = groups?.result ?? base;
  const weights = difference ? group(snap.result)?.result ?? snap.result : result;
  return { result, weights, groups, rollout: rollout !== null, difference };
}
