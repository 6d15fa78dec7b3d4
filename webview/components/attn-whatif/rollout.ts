/**
 * Attention rollout in the views: the toggle (a view option of the Matrix and Tokens views) and the result they draw
 * with it, where every head of layer l carries the rollout after layer l. The worker computes the rollout.
 */
import { html, nothing, type TemplateResult } from 'lit';
import type { AttentionResult } from '../../../src/shared/core';
import type { RolloutView, Snapshot } from '../../../src/shared/protocol';

export const ROLLOUT_NAME = 'Attention rollout: an approximation (Abnar & Zuidema 2020)';

const shown = new WeakMap<RolloutView, AttentionResult>();

/** The result with each layer's heads replaced by the rollout after that layer (cached per rollout). */
export function rolloutResult(result: AttentionResult, rollout: RolloutView | undefined): AttentionResult | null {
  if (!rollout || !('layers' in rollout) || rollout.layers.length !== result.layers.length) return null;
  const hit = shown.get(rollout);
  if (hit) return hit;
  const out: AttentionResult = {
    ...result,
    layers: result.layers.map((layer, l) => ({
      ...layer,
      heads: layer.heads.map((h) => ({ ...h, name: `rollout after L${l}`, weights: rollout.layers[l], q: null, k: null, v: null, scores: null, scaled: null, output: null })),
    })),
  };
  shown.set(rollout, out);
  return out;
}

/** The toggle and what it says: how rollout is made, or why it was refused, or that it is being computed. */
export function renderRolloutOption(snap: Snapshot, on: boolean, toggle: (on: boolean) => void): TemplateResult {
  const rollout = snap.rollout;
  const note = !on ? null
    : !rollout ? 'Computing the rollout in the worker…'
      : 'problem' in rollout ? rollout.problem
        : 'Row i: how much of position i after this layer comes from each token, if attention alone mixed them: the product over layers of (mean over heads of A + I) / 2. It ignores the values, W_O, the MLPs and the norms.';
  return html`<div class="rollout-option">
    <label><input type="checkbox" .checked=${on} @change=${(e: Event) => toggle((e.target as HTMLInputElement).checked)}> ${ROLLOUT_NAME}</label>
    ${note ? html`<p class="whatif-note" role=${rollout && 'problem' in rollout ? 'alert' : 'note'}>${note}</p>` : nothing}
  </div>`;
}
