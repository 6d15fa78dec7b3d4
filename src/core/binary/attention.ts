/**
 * Binary tensor → attention weights [layer][head] (queries × keys), sharing the tensor's buffer.
 * Accepted shapes, by number of axes:
 *   2  [query][key]                    one layer, one head
 *   3  [head][query][key]              one layer
 *   4  [layer][head][query][key]       np.stack of HF attentions with the batch axis dropped
 *   5  [layer][1][head][query][key]    torch.stack(outputs.attentions) with batch size 1
 */
import type { Matrix } from '../matrix';
import type { Problem } from '../types';
import { type BinaryTensor, formatShape } from './common';
import { ROW_SUM_TOLERANCE } from '../tensorFile/limits';

export type BinaryLayout = '[query][key]' | '[head][query][key]' | '[layer][head][query][key]' | '[layer][1][head][query][key]';

export interface BinaryAttention {
  readonly layout: BinaryLayout;
  /** weights[layer][head]: views on the tensor's data (no copy). */
  readonly weights: Matrix[][];
  readonly queries: number;
  readonly keys: number;
}

const LAYOUTS: Readonly<Record<number, BinaryLayout>> = {
  2: '[query][key]',
  3: '[head][query][key]',
  4: '[layer][head][query][key]',
  5: '[layer][1][head][query][key]',
};

function err(message: string): { ok: false; problem: Problem } {
  return { ok: false, problem: { severity: 'error', message } };
}

/**
 * Splits a tensor into per-head matrices. `queries` / `keys`: the token counts the tensor must match
 * (undefined: take them from the shape). `label` names the tensor in messages.
 */
export function attentionFromTensor(
  tensor: BinaryTensor,
  label: string,
  queries?: number,
  keys?: number,
): { ok: true; value: BinaryAttention } | { ok: false; problem: Problem } {
  const s = tensor.shape;
  const layout = LAYOUTS[s.length];
  if (layout === undefined) {
    return err(`${label} has shape ${formatShape(s)} (${s.length} axes), but attention weights need 2 to 5 axes: ${Object.values(LAYOUTS).join(', ')}.`);
  }
  if (s.length === 5 && s[1] !== 1) {
    return err(`${label} has shape ${formatShape(s)}, read as [layer][batch][head][query][key], but the batch axis has size ${s[1]}, not 1. Export one sequence: attn[:, 0] (or attn[:, i] for sequence i).`);
  }
  const layers = s.length >= 4 ? s[0] : 1;
  const heads = s.length === 2 ? 1 : s[s.length - 3];
  const n = s[s.length - 2];
  const m = s[s.length - 1];
  const read = `${label} has shape ${formatShape(s)}, read as ${layout}`;
  if (queries !== undefined && n !== queries) {
    return err(`${read}: ${n} quer${n === 1 ? 'y' : 'ies'}, but there ${queries === 1 ? 'is 1 token' : `are ${queries} tokens`}.`);
  }
  if (keys !== undefined && m !== keys) {
    return err(`${read}: ${m} key${m === 1 ? '' : 's'}, but there ${keys === 1 ? 'is 1 key token' : `are ${keys} key tokens`}.`);
  }
  const cells = n * m;
  const weights: Matrix[][] = [];
  for (let l = 0; l < layers; l++) {
    const row: Matrix[] = [];
    for (let h = 0; h < heads; h++) {
      const start = (l * heads + h) * cells;
      row.push({ rows: n, cols: m, data: tensor.data.subarray(start, start + cells) });
    }
    weights.push(row);
  }
  return { ok: true, value: { layout, weights, queries: n, keys: m } };
}

/**
 * Checks weights the way the JSON reader does: non-finite or negative values are errors; rows that do
 * not sum to 1 (all-zero rows excepted) give one summary warning. One pass over the data.
 */
export function checkAttentionWeights(weights: readonly (readonly Matrix[])[], label: string): Problem[] {
  const problems: Problem[] = [];
  let offRows = 0;
  let worst = 0;
  let firstOff = '';
  for (let l = 0; l < weights.length; l++) {
    for (let h = 0; h < weights[l].length; h++) {
      const { rows, cols, data } = weights[l][h];
      for (let i = 0; i < rows; i++) {
        let sum = 0;
        let bad = -1;
        const base = i * cols;
        for (let j = 0; j < cols; j++) {
          const x = data[base + j];
          // NaN fails x >= 0 too.
          if (!(x >= 0 && x !== Infinity)) {
            bad = j;
            break;
          }
          sum += x;
        }
        if (bad >= 0) {
          const v = data[base + bad];
          problems.push({
            severity: 'error',
            message: `${label}: weight [${l}][${h}][${i}][${bad}] is ${String(v)}, but attention weights must be finite and ≥ 0 (they come out of a softmax).`,
          });
          return problems;
        }
        if (sum === 0) continue;
        const dev = Math.abs(sum - 1);
        if (dev > ROW_SUM_TOLERANCE) {
          if (offRows === 0) firstOff = `[${l}][${h}][${i}] sums to ${Math.round(sum * 1e4) / 1e4}`;
          offRows++;
          if (dev > worst) worst = dev;
        }
      }
    }
  }
  if (offRows > 0) {
    problems.push({
      severity: 'warning',
      message: `${label}: ${offRows} row${offRows === 1 ? '' : 's'} do${offRows === 1 ? 'es' : ''} not sum to 1 (first: ${firstOff}; largest difference ${Math.round(worst * 1e4) / 1e4}): these may not be softmax weights.`,
    });
  }
  return problems;
}

/** Position labels "0", "1", … for a file that carries no tokens. */
export function positionTokens(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(i));
}

/**
 * Tokens from safetensors `__metadata__`: "tokens" (and optionally "key_tokens"), each a JSON string
 * holding an array of strings. Returns undefined fields when absent, or a problem when malformed.
 */
export function tokensFromMetadata(
  metadata: Readonly<Record<string, string>> | undefined,
  label: string,
): { tokens?: string[]; keyTokens?: string[]; problem?: Problem } {
  const out: { tokens?: string[]; keyTokens?: string[]; problem?: Problem } = {};
  if (!metadata) return out;
  for (const [key, field] of [['tokens', 'tokens'], ['key_tokens', 'keyTokens']] as const) {
    const raw = metadata[key];
    if (raw === undefined) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw);
    } catch {
      parsed = undefined;
    }
    if (!Array.isArray(parsed) || !parsed.every((t) => typeof t === 'string')) {
      out.problem = {
        severity: 'error',
        message: `${label}: metadata "${key}" must be a JSON list of strings, e.g. metadata={"${key}": json.dumps(tokens)}, but it is ${JSON.stringify(raw.slice(0, 60))}${raw.length > 60 ? '…' : ''}.`,
      };
      return out;
    }
    out[field] = parsed as string[];
  }
  return out;
}
