/**
 * Applies checked interventions to heads as a layer computes them, so everything downstream (the concat, W_O, the
 * residual stream, later layers, the logits) is recomputed from the changed Z. The one place where ablation and
 * edge cuts are carried out, for computed specs and real models alike.
 */
import { weightedSum } from '../attention';
import { softmaxRow } from '../kernels/softmaxRow';
import { zeros, type Matrix } from '../matrix';
import type { HeadResult } from '../types';
import type { Intervention } from './types';

/** What one layer changes: `apply` returns the head as the rest of the layer must see it. */
export interface LayerInterventions {
  apply(head: number, result: HeadResult): HeadResult;
}

/** Cut keys per query of one head. */
type HeadCuts = Map<number, number[]>;

/**
 * The head with the given keys' scores set to −∞ and those rows renormalised: the softmax of the scaled row when it
 * is kept, else (weights only) the row's other weights divided by their sum, which is the same number. Z's rows
 * follow. Other rows are left bit for bit as they were; the inputs are not changed.
 */
export function cutHeadEdges(result: HeadResult, cuts: HeadCuts): HeadResult {
  const cols = result.weights.cols;
  const weights = copy(result.weights);
  const scaled = result.scaled && copy(result.scaled);
  const output = result.output && copy(result.output);
  const scratch = new Float64Array(cols);
  for (const [query, keys] of cuts) {
    const start = query * cols;
    if (scaled) {
      for (const key of keys) scaled.data[start + key] = -Infinity;
      softmaxRow(scaled.data, weights.data, start, cols, scratch);
    } else {
      renormaliseWithout(weights.data, start, cols, keys);
    }
    if (output && result.v) {
      const row: Matrix = { rows: 1, cols, data: weights.data.subarray(start, start + cols) };
      output.data.set(weightedSum(row, result.v).data, query * output.cols);
    }
  }
  return { ...result, scaled, weights, output };
}

/** w_j / (1 − Σ cut w) for the kept keys: softmax without the cut scores, from the weights alone. */
function renormaliseWithout(data: Float32Array, start: number, cols: number, keys: readonly number[]): void {
  for (const key of keys) data[start + key] = 0;
  let sum = 0;
  for (let j = 0; j < cols; j++) sum += data[start + j];
  if (sum > 0) for (let j = 0; j < cols; j++) data[start + j] /= sum;
}

function copy(m: Matrix): Matrix {
  return { rows: m.rows, cols: m.cols, data: m.data.slice() };
}

/** The head with Z replaced by zeros (its weights unchanged): what flows into the concat and W_O. */
export function ablateHead(result: HeadResult): HeadResult {
  return result.output ? { ...result, output: zeros(result.output.rows, result.output.cols) } : result;
}

/**
 * Groups checked interventions by layer: `forLayer(l)` is null for a layer nothing touches, so an untouched layer
 * runs exactly the code it runs without interventions.
 */
export function planInterventions(list: readonly Intervention[] = []): (layer: number) => LayerInterventions | null {
  const layers = new Map<number, { ablated: Set<number>; cuts: Map<number, HeadCuts> }>();
  for (const item of list) {
    let plan = layers.get(item.layer);
    if (!plan) layers.set(item.layer, (plan = { ablated: new Set(), cuts: new Map() }));
    if (item.kind === 'ablate-head') {
      plan.ablated.add(item.head);
      continue;
    }
    let head = plan.cuts.get(item.head);
    if (!head) plan.cuts.set(item.head, (head = new Map()));
    const keys = head.get(item.query) ?? [];
    if (!keys.includes(item.key)) keys.push(item.key);
    head.set(item.query, keys);
  }
  return (layer) => {
    const plan = layers.get(layer);
    if (!plan) return null;
    return {
      apply(head, result) {
        const cuts = plan.cuts.get(head);
        const cut = cuts ? cutHeadEdges(result, cuts) : result;
        return plan.ablated.has(head) ? ablateHead(cut) : cut;
      },
    };
  };
}
