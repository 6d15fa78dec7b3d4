/** What a "what if" run changes: interventions on heads and edges, and edits of the token list. All 0-based. */
import type { MaskSpec } from '../types';

/** The head's Z is replaced by zeros before the output projection; its weights stay as computed. */
export interface AblateHead {
  readonly kind: 'ablate-head';
  readonly layer: number;
  readonly head: number;
}

/** The score of (query, key) in one head is set to −∞ before the softmax, so the query's row renormalises. */
export interface CutEdge {
  readonly kind: 'cut-edge';
  readonly layer: number;
  readonly head: number;
  readonly query: number;
  readonly key: number;
}

export type Intervention = AblateHead | CutEdge;

export const INTERVENTION_KINDS = ['ablate-head', 'cut-edge'] as const satisfies readonly Intervention['kind'][];

/**
 * One edit of a token list (a model's ids, or a selection's tokens): replace or delete the token at `position`, or
 * insert one before `position` (`position` = length appends).
 */
export type TokenEdit<T> =
  | { readonly kind: 'replace-token'; readonly position: number; readonly token: T }
  | { readonly kind: 'insert-token'; readonly position: number; readonly token: T }
  | { readonly kind: 'delete-token'; readonly position: number };

/** The sizes interventions are checked against. */
export interface InterventionShape {
  /** Heads per layer (its length is the number of layers). */
  readonly heads: readonly number[];
  readonly queries: number;
  readonly keys: number;
  /** An edge the mask hides cannot be cut, and a row keeps at least one key. */
  readonly mask: MaskSpec;
  /** True when only weights exist (an attention export): there is no Z to ablate. */
  readonly weightsOnly?: boolean;
}

/** A bad intervention or token edit: one sentence that names it by its place in the list. */
export class InterventionError extends Error {
  /** The index of the offending intervention in the list given (-1 for a token edit). */
  constructor(message: string, readonly index: number) {
    super(message);
    this.name = 'InterventionError';
  }
}

/** A short name for messages and chips: "ablate L0H1", "cut L1H0 5→2" (heads named as the panel does). */
export function describeIntervention(i: Intervention): string {
  return i.kind === 'ablate-head' ? `ablate L${i.layer}H${i.head}` : `cut L${i.layer}H${i.head} ${i.query}→${i.key}`;
}
