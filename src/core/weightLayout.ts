/**
 * Exported attention weights, whatever file they come in (JSON: tensorFile/layout.ts; .npy, .npz,
 * .safetensors: binary/attention.ts): the layouts accepted, the checks on the values, and the messages
 * for both, so a file reads the same way, with the same words, in either form.
 */
import type { Matrix } from './matrix';
import { ROW_SUM_TOLERANCE } from './tensorFile/limits';

export type AttentionLayout = '[query][key]' | '[head][query][key]' | '[layer][head][query][key]' | '[layer][batch][head][query][key]';

/**
 * By number of axes: 4 is np.stack of Hugging Face `attentions` with the batch axis dropped (or one
 * `attentions[l]` of shape [1][head][q][k], read as one layer); 5 is torch.stack(outputs.attentions), batch size 1.
 */
export const ATTENTION_LAYOUTS: Readonly<Record<number, AttentionLayout>> = {
  2: '[query][key]',
  3: '[head][query][key]',
  4: '[layer][head][query][key]',
  5: '[layer][batch][head][query][key]',
};

const LAYOUT_LIST = Object.values(ATTENTION_LAYOUTS).join(', ');

/** The layers, and heads per layer, of a tensor of this shape in its layout (2 to 5 axes). */
export function layersAndHeads(shape: readonly number[]): { layers: number; heads: number } {
  const axes = shape.length;
  return { layers: axes >= 4 ? shape[0] : 1, heads: axes === 2 ? 1 : shape[axes - 3] };
}

export function axesProblem(subject: string, axes: number): string {
  return `${subject} has ${axes > 5 ? 'more than 5' : axes} ax${axes === 1 ? 'is' : 'es'}, but attention weights need 2 to 5: ${LAYOUT_LIST}.`;
}

/** `batchAxis` names the batch axis (its path in a JSON file, "axis 1" in a binary one). */
export function batchProblem(subject: string, batchAxis: string, size: number): string {
  return `${subject} has 5 axes, read as ${ATTENTION_LAYOUTS[5]}, so ${batchAxis} is the batch axis and must have size 1, but it has ${size}. Export one sequence at a time: attn[:, 0] (or attn[:, i] for sequence i).`;
}

/** A head's query rows or key columns against the tokens; `tokensWord` is "tokens" or "key tokens". */
export function countProblem(subject: string, axis: 'query' | 'key', found: number, expected: number, tokensWord: string): string {
  const what = axis === 'query' ? `query row${found === 1 ? '' : 's'}` : `key column${found === 1 ? '' : 's'}`;
  return `${subject} has ${found} ${what}, but there ${expected === 1 ? `is 1 ${tokensWord.replace(/s$/, '')}` : `are ${expected} ${tokensWord}`}.`;
}

export function invalidWeightMessage(where: string, value: string): string {
  return `${where} is ${value}, but attention weights must be finite and ≥ 0 (they come out of a softmax).`;
}

export function offRowMessage(where: string, sum: number): string {
  return `${where} sums to ${round(sum)}, not 1 (off by more than ${ROW_SUM_TOLERANCE}): these may not be softmax weights, or may be rounded too coarsely.`;
}

/** Where a weight or row is found, as indices from the tensor's first axis. */
export interface WeightFindings {
  /** A value that is negative, infinite or NaN, at weights[layer][head], row i, column j. */
  invalid(layer: number, head: number, i: number, j: number): void;
  /** A row that is not all zero and does not sum to 1 within ROW_SUM_TOLERANCE. */
  offRow(layer: number, head: number, i: number, sum: number): void;
}

export interface WeightCheck {
  readonly invalid: number;
  readonly offRows: number;
  /** The largest |row sum − 1| among the rows off. */
  readonly worst: number;
}

/**
 * Weights must be finite and ≥ 0; each row should sum to 1, except an all-zero row, which is how some
 * exporters write a query whose keys are all masked (padding). Tells `findings` about the first `listed`
 * of each kind and counts them all, in one pass over the data.
 */
export function checkWeights(weights: readonly (readonly Matrix[])[], listed: number, findings: WeightFindings): WeightCheck {
  let invalid = 0;
  let offRows = 0;
  let worst = 0;
  for (let l = 0; l < weights.length; l++) {
    for (let h = 0; h < weights[l].length; h++) {
      const { rows, cols, data } = weights[l][h];
      for (let i = 0; i < rows; i++) {
        let sum = 0;
        let rowValid = true;
        const base = i * cols;
        for (let j = 0; j < cols; j++) {
          const x = data[base + j];
          // NaN fails x >= 0 too.
          if (x >= 0 && x !== Infinity) sum += x;
          else {
            rowValid = false;
            if (invalid++ < listed) findings.invalid(l, h, i, j);
          }
        }
        if (!rowValid || sum === 0) continue;
        const dev = Math.abs(sum - 1);
        if (dev > ROW_SUM_TOLERANCE) {
          if (offRows++ < listed) findings.offRow(l, h, i, sum);
          if (dev > worst) worst = dev;
        }
      }
    }
  }
  return { invalid, offRows, worst };
}

/** The summaries after the `listed` findings, or undefined when everything was listed. */
export function moreInvalidMessage(whole: string, check: WeightCheck, listed: number): string | undefined {
  const more = check.invalid - listed;
  return more > 0 ? `…and ${more} more weight${more === 1 ? '' : 's'} in ${whole} that ${more === 1 ? 'is' : 'are'} negative or not finite.` : undefined;
}

export function moreOffRowsMessage(whole: string, check: WeightCheck, listed: number): string | undefined {
  const more = check.offRows - listed;
  return more > 0 ? `…and ${more} more row${more === 1 ? '' : 's'} of ${whole} that do not sum to 1 (${check.offRows} in all; the largest difference is ${round(check.worst)}).` : undefined;
}

function round(x: number): string {
  return String(Math.round(x * 1e4) / 1e4);
}
