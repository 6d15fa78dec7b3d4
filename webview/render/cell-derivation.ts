/**
 * Derives one cell of a head step by step from the numbers in the result: score = q_i·k_j,
 * scaled = score × scale ÷ T (or −∞ when masked), weight = e^(s−max) / Σ e^(s_j−max), and the cell's
 * share of z_i. Values shown are the core's own; the terms are recomputed only for display.
 */
import type { AttentionResult, HeadResult, Matrix } from '../../src/shared/core';
import { fmt } from './format';

export interface DerivationLine {
  /** Stable key for tests and styling: 'score' | 'scaled' | 'weight' | 'contribution' | 'share' | 'note'. */
  readonly key: string;
  readonly label: string;
  /** The worked expression, e.g. "(0.1200×0.5000) + … = 0.3400". */
  readonly text: string;
  /** The value this line ends in, when it has one. */
  readonly value?: number;
}

export interface CellDerivation {
  readonly row: number;
  readonly col: number;
  readonly query: string;
  readonly key: string;
  readonly masked: boolean;
  readonly lines: readonly DerivationLine[];
  /** One sentence for screen readers. */
  readonly summary: string;
}

const MAX_ALL_TERMS = 8;
const FIRST_TERMS = 3;
const MAX_VECTOR = 8;

function at(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

const rowSoftmaxCache = new WeakMap<Matrix, Map<number, { max: number; sum: number }>>();

/** max and Σ e^(s−max) over the finite entries of row i of `scaled`, cached per matrix and row. */
export function rowSoftmaxParts(scaled: Matrix, i: number): { max: number; sum: number } {
  let byRow = rowSoftmaxCache.get(scaled);
  if (!byRow) {
    byRow = new Map();
    rowSoftmaxCache.set(scaled, byRow);
  }
  const hit = byRow.get(i);
  if (hit) return hit;
  const base = i * scaled.cols;
  let max = -Infinity;
  for (let j = 0; j < scaled.cols; j++) {
    const s = scaled.data[base + j];
    if (s > max) max = s;
  }
  let sum = 0;
  if (max !== -Infinity) {
    for (let j = 0; j < scaled.cols; j++) {
      const s = scaled.data[base + j];
      if (s !== -Infinity) sum += Math.exp(s - max);
    }
  }
  const out = { max, sum };
  byRow.set(i, out);
  return out;
}

function vectorText(v: ArrayLike<number>, digits = 3): string {
  const parts: string[] = [];
  const shown = v.length <= MAX_VECTOR ? v.length : 4;
  for (let t = 0; t < shown; t++) parts.push(fmt(v[t], digits));
  if (shown < v.length) parts.push(`… (${v.length} values)`);
  return `[${parts.join(', ')}]`;
}

const shareCache = new WeakMap<object, Map<number, number>>();

/** Σ_j ‖w_ij · v_j‖ for row i (`row`: its weights), cached per matrix (or asked-for row) and row. */
function rowContributionNormSum(head: HeadResult, i: number, row: Float32Array): number {
  const key: object = head.weights.rows > i ? head.weights : row;
  let byRow = shareCache.get(key);
  if (!byRow) {
    byRow = new Map();
    shareCache.set(key, byRow);
  }
  const hit = byRow.get(i);
  if (hit !== undefined) return hit;
  const norms = vNorms(head.v as Matrix);
  let total = 0;
  for (let j = 0; j < row.length; j++) total += Math.abs(row[j]) * norms[j];
  byRow.set(i, total);
  return total;
}

const normCache = new WeakMap<Matrix, Float64Array>();
function vNorms(v: Matrix): Float64Array {
  let n = normCache.get(v);
  if (n) return n;
  n = new Float64Array(v.rows);
  for (let j = 0; j < v.rows; j++) {
    let s = 0;
    for (let t = 0; t < v.cols; t++) {
      const x = v.data[j * v.cols + t];
      s += x * x;
    }
    n[j] = Math.sqrt(s);
  }
  normCache.set(v, n);
  return n;
}

/**
 * Row i of a head's n×n matrices. A large result withholds them (see isWithheld): then the row the view asked for
 * (RowAnswer), and Q, K, V and Z of the focused head, which travel whole, give the same derivation.
 */
export interface CellRows {
  readonly weights: Float32Array;
  readonly scores: Float32Array | null;
  readonly scaled: Float32Array | null;
}

function rowsOf(head: HeadResult, i: number): CellRows | null {
  const row = (m: Matrix | null) => (m && i < m.rows ? m.data.subarray(i * m.cols, (i + 1) * m.cols) : null);
  const weights = row(head.weights);
  return weights ? { weights, scores: row(head.scores), scaled: row(head.scaled) } : null;
}

const rowPartsCache = new WeakMap<Float32Array, { max: number; sum: number }>();

/** max and Σ e^(s−max) of an asked-for row of scaled scores. */
function rowParts(head: HeadResult, i: number, scaled: Float32Array): { max: number; sum: number } {
  if (head.scaled && head.scaled.rows > i) return rowSoftmaxParts(head.scaled, i);
  let parts = rowPartsCache.get(scaled);
  if (!parts) {
    parts = rowSoftmaxParts({ rows: 1, cols: scaled.length, data: scaled }, 0);
    rowPartsCache.set(scaled, parts);
  }
  return parts;
}

/** The step-by-step story of cell (i, j) of one head (`asked`: row i, when the head's matrices are withheld). */
export function deriveCell(result: AttentionResult, layer: number, headIndex: number, i: number, j: number, asked?: CellRows): CellDerivation | null {
  const head = result.layers[layer]?.heads[headIndex];
  if (!head) return null;
  // A withheld matrix is 0×0: the tokens give its shape.
  const n = head.weights.rows > 0 ? head.weights.rows : result.tokens.length;
  const m = head.weights.cols > 0 ? head.weights.cols : result.keyTokens.length;
  if (i < 0 || j < 0 || i >= n || j >= m) return null;
  const rows = asked ?? rowsOf(head, i);
  if (!rows || j >= rows.weights.length) return null;
  // Tokens are counted from 1 on screen, as the token view counts them; the subscripts follow.
  const qn = i + 1;
  const kn = j + 1;
  const query = result.tokens[i] ?? `#${qn}`;
  const keyTok = result.keyTokens[j] ?? `#${kn}`;
  const lines: DerivationLine[] = [];
  const weight = rows.weights[j];
  const masked = rows.scaled ? rows.scaled[j] === -Infinity : false;

  if (head.q && head.k && rows.scores) {
    const qi = head.q.data.subarray(i * head.q.cols, (i + 1) * head.q.cols);
    const kj = head.k.data.subarray(j * head.k.cols, (j + 1) * head.k.cols);
    const dk = qi.length;
    const shown = dk <= MAX_ALL_TERMS ? dk : FIRST_TERMS;
    const terms: string[] = [];
    for (let t = 0; t < shown; t++) terms.push(`(${fmt(qi[t], 3)}×${fmt(kj[t], 3)})`);
    if (shown < dk) terms.push(`… (${dk} terms)`);
    const score = rows.scores[j];
    lines.push({ key: 'score', label: 'score q·k', text: `${terms.join(' + ')} = ${fmt(score)}`, value: score });
    if (rows.scaled) {
      const s = rows.scaled[j];
      const temp = result.options.temperature;
      lines.push(
        masked
          ? { key: 'scaled', label: 'scaled', text: `masked: key ${kn} is hidden from query ${qn}, so the score becomes -∞`, value: -Infinity }
          : { key: 'scaled', label: 'scaled', text: `${fmt(score)} × ${fmt(head.scale)} ÷ ${fmt(temp, 2)} = ${fmt(s)}`, value: s },
      );
    }
  } else {
    const none = result.layers.every((L) => L.heads.every((h) => h.q === null));
    lines.push({
      key: 'note',
      label: 'note',
      text: none
        ? 'Q and K are not in the file (precomputed weights), so the score cannot be derived.'
        : 'Q and K of this head were not sent for this large result; focus the head to see the derivation.',
    });
  }

  if (rows.scaled) {
    const s = rows.scaled[j];
    const { max, sum } = rowParts(head, i, rows.scaled);
    if (masked) {
      lines.push({ key: 'weight', label: 'weight', text: `e^(-∞) = 0, so the weight is ${fmt(weight)}`, value: weight });
    } else {
      const e = Math.exp(s - max);
      lines.push({
        key: 'weight',
        label: 'weight softmax',
        text: `e^(${fmt(s)} - ${fmt(max)}) / Σ e^(s - max) = ${fmt(e)} / ${fmt(sum)} = ${fmt(weight)}`,
        value: weight,
      });
    }
  } else {
    lines.push({ key: 'weight', label: 'weight', text: fmt(weight), value: weight });
  }

  if (head.v && head.output) {
    const vj = head.v.data.subarray(j * head.v.cols, (j + 1) * head.v.cols);
    const contrib = Array.from(vj, (x) => x * weight);
    lines.push({ key: 'contribution', label: 'w·v_j', text: `${fmt(weight)} × v_${kn} = ${vectorText(contrib)}` });
    const total = rowContributionNormSum(head, i, rows.weights);
    const mine = Math.abs(weight) * vNorms(head.v)[j];
    const share = total > 0 ? mine / total : 0;
    lines.push({ key: 'share', label: 'share of z', text: `‖w·v_${kn}‖ / Σ‖w·v‖ = ${fmt(mine)} / ${fmt(total)} = ${(share * 100).toFixed(1)}% of z_${qn}`, value: share });
  }

  const summary = `Query ${qn} "${query}", key ${kn} "${keyTok}": ${masked ? 'masked, ' : ''}weight ${fmt(weight)}.`;
  return { row: i, col: j, query, key: keyTok, masked, lines, summary };
}

/** A cell of the "what if" difference: Δweight, the run with the interventions minus the run without. */
export function deriveDifferenceCell(result: AttentionResult, layer: number, headIndex: number, i: number, j: number): CellDerivation | null {
  const d = result.layers[layer]?.heads[headIndex]?.weights;
  if (!d || i < 0 || j < 0 || i >= d.rows || j >= d.cols) return null;
  const query = result.tokens[i] ?? `#${i + 1}`;
  const key = result.keyTokens[j] ?? `#${j + 1}`;
  const value = at(d, i, j);
  return {
    row: i, col: j, query, key, masked: false,
    lines: [{ key: 'delta', label: 'Δweight', text: `${fmt(value)} (with the interventions − without)`, value }],
    summary: `Query ${i + 1} to key ${j + 1}: Δweight ${fmt(value)}.`,
  };
}
