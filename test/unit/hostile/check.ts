import { expect } from 'vitest';
import type { ComputeOutcome, ComputeRequest } from '../../../src/compute/job';
import { runJob } from '../../../src/compute/job';
import type { AttentionResult, Matrix } from '../../../src/core';

/** Tolerance for "a softmax row sums to 1" in float32. */
export const ROW_TOLERANCE = 1e-4;

/** runJob must never throw: a throw here fails the test with the input's name. */
export function runSafely(request: ComputeRequest, name: string = request.kind): ComputeOutcome {
  try {
    return runJob(request);
  } catch (error) {
    throw new Error(`runJob threw on ${name}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** Every intermediate of a result, named, for finiteness checks. `scaled` is left out: masked cells there are −∞ by design. */
export function matrices(result: AttentionResult): [string, Matrix][] {
  const out: [string, Matrix][] = [];
  result.layers.forEach((layer, l) => {
    const add = (name: string, m: Matrix | null | undefined) => m && out.push([`layers[${l}].${name}`, m]);
    add('input', layer.input);
    add('concat', layer.concat);
    add('attentionOutput', layer.attentionOutput);
    add('output', layer.output);
    if (layer.encoder) for (const [k, m] of Object.entries(layer.encoder)) add(`encoder.${k}`, m);
    layer.heads.forEach((head, h) => {
      for (const k of ['q', 'k', 'v', 'scores', 'weights', 'output'] as const) add(`heads[${h}].${k}`, head[k]);
    });
  });
  return out;
}

export interface RowReport {
  /** Rows that neither sum to 1 nor are all zero, as "layers[l].heads[h] row r: sum". */
  readonly offRows: string[];
  readonly allZeroRows: number;
}

/** Checks weights rows: each sums to 1 within tolerance, or is all zeros (a fully masked or all-zero precomputed row). */
export function rowReport(result: AttentionResult): RowReport {
  const offRows: string[] = [];
  let allZeroRows = 0;
  result.layers.forEach((layer, l) => layer.heads.forEach((head, h) => {
    const w = head.weights;
    for (let r = 0; r < w.rows; r++) {
      let sum = 0;
      let zero = true;
      for (let c = 0; c < w.cols; c++) {
        const x = w.data[r * w.cols + c];
        sum += x;
        if (x !== 0) zero = false;
      }
      if (zero) allZeroRows++;
      else if (Math.abs(sum - 1) > ROW_TOLERANCE) offRows.push(`layers[${l}].heads[${h}] row ${r}: ${sum}`);
    }
  }));
  return { offRows, allZeroRows };
}

/**
 * The contract for any input: a clear failure, or a result whose numbers are all finite, weights in [0, 1],
 * and (for computed attention) rows that sum to 1 or are all zeros where every key is masked.
 */
export function expectSane(outcome: ComputeOutcome, name = 'input'): void {
  expect(typeof outcome.ok, name).toBe('boolean');
  if (!outcome.ok) {
    expect(typeof outcome.message, name).toBe('string');
    expect(outcome.message.trim().length, name).toBeGreaterThan(10);
    expect(outcome.message, name).not.toMatch(/Internal error|\[object Object\]|undefined|is not a function|Cannot read prop/);
    expect(outcome.problems.length, name).toBeGreaterThan(0);
    return;
  }
  const { result } = outcome;
  expect(result.layers.length, name).toBeGreaterThan(0);
  for (const [where, m] of matrices(result)) {
    expect(m.data.length, `${name}: ${where} size`).toBe(m.rows * m.cols);
    for (let i = 0; i < m.data.length; i++) {
      if (!Number.isFinite(m.data[i])) expect.fail(`${name}: ${where} holds ${m.data[i]} at ${i}`);
    }
  }
  for (const layer of result.layers) for (const head of layer.heads) {
    expect(head.weights.rows, name).toBe(result.tokens.length);
    expect(head.weights.cols, name).toBe(result.keyTokens.length);
    // Computed weights are probabilities; exported ones are shown as given (never negative; rows off 1 are warned about below).
    const max = result.provenance.kind === 'model' ? Infinity : 1 + ROW_TOLERANCE;
    for (const x of head.weights.data) if (!(x >= 0 && x <= max)) expect.fail(`${name}: weight ${x} outside [0, ${max}]`);
    // scaled: finite, or −∞ exactly where the weight is 0 (a masked pair).
    if (head.scaled) {
      for (let i = 0; i < head.scaled.data.length; i++) {
        const s: number = head.scaled.data[i];
        if (!(Number.isFinite(s) || (s === -Infinity && head.weights.data[i] === 0))) expect.fail(`${name}: scaled holds ${s} at ${i}`);
      }
    }
  }
  const rows = rowReport(result);
  if (result.provenance.kind !== 'model') {
    expect(rows.offRows, name).toEqual([]);
  } else if (rows.offRows.length > 0) {
    // Exported weights are shown as given, but never silently: rows off 1 come with a warning.
    expect(outcome.warnings.some((w) => /sums? to|not 1/.test(w.message)), `${name}: rows off 1 without a warning: ${rows.offRows[0]}`).toBe(true);
  }
}
