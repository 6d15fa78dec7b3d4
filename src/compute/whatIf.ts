/**
 * "What if" runs in the worker: the request is run with its interventions and without them, and the two are
 * compared here (Δweight per head, how far each head moved), so the webview only draws. The two runs share the
 * memory budget, half each, because both results are held at once.
 */
import { headChange, weightDifference, type AttentionResult, type Intervention, type Matrix, type TokenEdit } from '../core';
import type { WhatIfComparison } from '../shared/protocol';

/** What changed the run: its interventions and its token edit, for the comparison to name. */
export interface Changes {
  readonly interventions: readonly Intervention[];
  readonly tokenEdit?: TokenEdit<string>;
}

/** The comparison with no per-head part: an inserted or deleted token leaves the two runs different tokens. */
export function differentTokens(changes: Changes): WhatIfComparison {
  return { ...changes, shapesDiffer: true, original: [], difference: [], headChange: [] };
}

/** The comparison of a run with its interventions against the same run without them (same tokens and heads). */
export function compareRuns(original: AttentionResult, changed: AttentionResult, changes: Changes): WhatIfComparison {
  if (original.tokens.length !== changed.tokens.length || original.keyTokens.length !== changed.keyTokens.length) return differentTokens(changes);
  const perHead = <T>(f: (before: Matrix, after: Matrix) => T): T[][] =>
    changed.layers.map((layer, l) => layer.heads.map((head, h) => f(original.layers[l].heads[h].weights, head.weights)));
  return {
    ...changes,
    original: perHead((before) => before),
    difference: perHead(weightDifference),
    headChange: perHead(headChange),
  };
}

/** Runs `request` with its interventions and without, each within half of `budget`, and compares the two. */
export function runWhatIf<R extends { readonly interventions?: readonly Intervention[]; readonly tokenEdit?: TokenEdit<string> }, O extends { readonly ok: boolean }>(
  request: R,
  budget: number,
  run: (request: R, budget: number) => O,
  result: (outcome: O) => AttentionResult,
): O & { readonly whatIf?: WhatIfComparison } {
  const interventions = request.interventions ?? [];
  const changes: Changes = { interventions, ...(request.tokenEdit ? { tokenEdit: request.tokenEdit } : {}) };
  if (interventions.length === 0 && !request.tokenEdit) return run(request, budget);
  const changed = run(request, budget / 2);
  if (!changed.ok) return changed;
  const original = run({ ...request, interventions: [], tokenEdit: undefined }, budget / 2);
  if (!original.ok) return original;
  return { ...changed, whatIf: compareRuns(result(original), result(changed), changes) };
}
