/**
 * What <attn-pipeline> draws for each step: its thumbnail and the active token's traced row. A small result's steps
 * are thumbnails of the matrices it holds (downsampleMax). A large result's n×n steps (scores, scaling, mask, softmax)
 * are pooled by block max at thumbnail size (poolBlockMax, the rule of the compute process's rasters): from the matrix
 * when the snapshot holds it (a "what if" or word grouping), else from a raster the view asks for
 * (WithheldData.thumb); their traced row then comes from a row answer. Both give the same picture and numbers.
 */
import { blockFor, hiddenPairs, poolBlockMax, type AttentionResult, type Matrix } from '../../src/shared/core';
import { isSlimmed, isWithheld, type MatrixKind, type RasterAnswer } from '../../src/shared/protocol';
import { fmt } from '../render/format';
import { thumbnail, thumbOf, type Thumb } from '../render/thumbnail';
import type { WithheldData } from '../withheld-data';
import type { PipelineStep } from './attn-pipeline';

/** As the view draws them: 64 cells a side at most, in a 120 px box. */
export const THUMB_LIMIT = 64;
export const THUMB_BOX = 120;
const TRACE_VALUES = 4;

/** A step's picture: a thumbnail spanning `rows` source rows (for the traced row's band), or one sentence instead. */
export type StepPicture = { readonly thumb: Thumb; readonly rows: number } | { readonly note: string; readonly pending: boolean };

/** Where the steps' withheld matrices come from: the focused head of the result on screen, and the panel's store. */
export interface StepSource {
  readonly result: AttentionResult;
  readonly layer: number;
  readonly head: number;
  readonly data: WithheldData | null;
}

/** A traced row's text; `pending` while its row is asked for (the text then shows no number). */
export interface StepTrace {
  readonly text: string;
  readonly pending: boolean;
}

const PENDING_NOTE = 'Asking the compute process for this step…';

/** The rows and columns of `m`, withheld or not. */
function trueShape(m: Matrix): { rows: number; cols: number } {
  return isWithheld(m) ? m.withheld : m;
}

/** The step's thumbnail, a sentence while it comes (or why it cannot), or null when the result has no such matrix. */
export function stepPicture(step: PipelineStep, src: StepSource): StepPicture | null {
  const m = step.matrix;
  if (!m) return null;
  const factor = step.factor ?? 1;
  if (!step.kind || !isSlimmed(src.result)) {
    return { thumb: thumbnail(factor === 1 ? m : timesFactor(m, factor), THUMB_LIMIT, step.sequential ?? false, step.maskSource ?? null), rows: m.rows };
  }
  if (!isWithheld(m)) return pooledHeld(m, step.kind, factor, src);
  const { rows, cols } = m.withheld;
  const answer = src.data?.thumb(src.layer, src.head, step.kind, rows, cols, THUMB_LIMIT);
  if (!answer) return { note: src.data ? PENDING_NOTE : 'Not in this snapshot.', pending: src.data !== null };
  if ('problem' in answer) return { note: answer.problem, pending: false };
  return pooledAnswer(answer, factor);
}

/** The traced row of a step ("row 3: [0.12, …]"), pending while its row comes, or null when the step has none. */
export function stepTrace(step: PipelineStep, row: number | null, src: StepSource): StepTrace | null {
  const m = step.matrix;
  if (row === null || !m || !step.tokenRows || row < 0 || row >= trueShape(m).rows) return null;
  let values: Float32Array | null;
  if (isWithheld(m)) {
    const answer = step.kind ? src.data?.row(src.layer, src.head, row) : undefined;
    if (!answer) return step.kind && src.data ? { text: `row ${row + 1}: …`, pending: true } : null;
    values = step.kind === 'scores' ? answer.scores : step.kind === 'scaled' ? answer.scaled : answer.weights;
  } else {
    values = m.data.subarray(row * m.cols, (row + 1) * m.cols);
  }
  return values && { text: rowText(row, scaled(values.subarray(0, TRACE_VALUES), step.factor ?? 1), values.length), pending: false };
}

function rowText(row: number, first: Float32Array, cols: number): string {
  const vals = Array.from(first, (v) => fmt(v, 3));
  if (first.length < cols) vals.push('…');
  return `row ${row + 1}: [${vals.join(', ')}]`;
}

/** Values × factor in float32, as a matrix times a factor holds them. */
function scaled(values: Float32Array, factor: number): Float32Array {
  return factor === 1 ? values : values.map((v) => v * factor);
}

const timesCache = new WeakMap<Matrix, Map<number, Matrix>>();
/** `m` × factor (the scaling step of a small result, drawn whole). */
function timesFactor(m: Matrix, factor: number): Matrix {
  let byFactor = timesCache.get(m);
  if (!byFactor) timesCache.set(m, (byFactor = new Map()));
  let out = byFactor.get(factor);
  if (!out) byFactor.set(factor, (out = { rows: m.rows, cols: m.cols, data: scaled(m.data, factor) }));
  return out;
}

const pooledCache = new WeakMap<object, Map<string, StepPicture>>();
function cached(owner: object, key: string, make: () => StepPicture): StepPicture {
  let byKey = pooledCache.get(owner);
  if (!byKey) pooledCache.set(owner, (byKey = new Map()));
  let hit = byKey.get(key);
  if (!hit) byKey.set(key, (hit = make()));
  return hit;
}

/**
 * A held n×n matrix pooled as the compute process pools it for a raster of the whole matrix at THUMB_LIMIT a side
 * (answerRaster in src/compute/raster.ts): weights by max, shown over the mask of the scaled scores (or the result's
 * mask); scores by the value of largest magnitude.
 */
function pooledHeld(m: Matrix, kind: MatrixKind, factor: number, src: StepSource): StepPicture {
  return cached(m, `${kind}/${factor}`, () => {
    const block = Math.max(blockFor(m.rows, THUMB_LIMIT), blockFor(m.cols, THUMB_LIMIT));
    const head = src.result.layers[src.layer].heads[src.head];
    const mask = src.result.options.mask;
    const pooled = kind === 'weights'
      ? poolBlockMax(m, 'sequential', block, head.scaled ?? hiddenPairs(mask, m.rows, m.cols), mask)
      : poolBlockMax(m, 'diverging', block, kind === 'scaled' ? m : null);
    return pooledPicture(pooled.values, pooled.cols, pooled.rows, pooled.block, kind, factor);
  });
}

function pooledAnswer(answer: RasterAnswer, factor: number): StepPicture {
  return cached(answer, String(factor), () => pooledPicture(answer.values, answer.width, answer.height, answer.block, answer.matrix, factor));
}

/**
 * Block maxima as a thumbnail. Scaling by a factor commutes with pooling by magnitude (|v·f| = |v|·|f|, whatever the
 * sign of f), so the scaling step is the pooled scores times scale/T; a masked block (−∞) stays masked. The thumbnail
 * spans `height × block` rows, so source row i falls in block ⌊i / block⌋.
 */
function pooledPicture(values: Float32Array, width: number, height: number, block: number, kind: MatrixKind, factor: number): StepPicture {
  const data = factor === 1 ? values : values.map((v) => (v === -Infinity ? v : v * factor));
  return { thumb: thumbOf({ rows: height, cols: width, data }, kind === 'weights'), rows: height * block };
}
