/**
 * Binary tensor → attention weights [layer][head] (queries × keys), sharing the tensor's buffer. The layouts,
 * checks and messages are weightLayout.ts's, the same as for weights written in a JSON file.
 */
import type { Matrix } from '../matrix';
import type { Problem } from '../types';
import {
  type AttentionLayout, ATTENTION_LAYOUTS, axesProblem, batchProblem, checkWeights, countProblem, invalidWeightMessage,
  layersAndHeads, moreInvalidMessage, moreOffRowsMessage, offRowMessage,
} from '../weightLayout';
import { type BinaryTensor, formatShape } from './common';

export interface BinaryAttention {
  readonly layout: AttentionLayout;
  /** weights[layer][head]: views on the tensor's data (no copy). */
  readonly weights: Matrix[][];
  readonly queries: number;
  readonly keys: number;
}

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
  const layout = ATTENTION_LAYOUTS[s.length];
  const subject = `${label} ${formatShape(s)}`;
  if (layout === undefined) return err(axesProblem(subject, s.length));
  if (s.length === 5 && s[1] !== 1) return err(batchProblem(subject, 'axis 1', s[1]));
  const { layers, heads } = layersAndHeads(s);
  const n = s[s.length - 2];
  const m = s[s.length - 1];
  const read = `${subject}, read as ${layout},`;
  if (queries !== undefined && n !== queries) return err(countProblem(read, 'query', n, queries, 'tokens'));
  if (keys !== undefined && m !== keys) return err(countProblem(read, 'key', m, keys, 'key tokens'));
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
 * Checks weights as the JSON reader does (weightLayout.ts). Without cells to point at, the first finding of
 * each kind is given with its indices and the rest are counted.
 */
export function checkAttentionWeights(weights: readonly (readonly Matrix[])[], label: string): Problem[] {
  const problems: Problem[] = [];
  const check = checkWeights(weights, 1, {
    invalid(l, h, i, j) {
      const x = weights[l][h].data[i * weights[l][h].cols + j];
      problems.push({ severity: 'error', message: invalidWeightMessage(`${label}[${l}][${h}][${i}][${j}]`, String(x)) });
    },
    offRow(l, h, i, sum) {
      problems.push({ severity: 'warning', message: offRowMessage(`${label}[${l}][${h}][${i}]`, sum) });
    },
  });
  const moreInvalid = moreInvalidMessage(label, check, 1);
  if (moreInvalid !== undefined) problems.push({ severity: 'error', message: moreInvalid });
  const moreOff = moreOffRowsMessage(label, check, 1);
  if (moreOff !== undefined) problems.push({ severity: 'warning', message: moreOff });
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
