/**
 * Words, not subwords: groups of consecutive tokens that make one word (prose) or one identifier (code), and
 * attention aggregated over them — summed over a word's keys (the share the word gets), averaged over its queries
 * (each query row sums to 1, so the word's row does too).
 */
// Type only: the webview aggregates too, and must not pull in the kernels behind matrix.ts.
import type { Matrix } from '../matrix';

/** 'words': letters and digits join, plus contractions ("didn" + "'t"); 'identifiers': letters, digits, _ and $ join. */
export const WORD_GROUPINGS = ['words', 'identifiers'] as const;
export type WordGrouping = (typeof WORD_GROUPINGS)[number];

export interface TokenGroups {
  /** Token indices of each group, in order; every token is in exactly one group. */
  readonly groups: readonly (readonly number[])[];
  /** Each group's text (its tokens joined, BPE space markers read as spaces, leading space dropped unless that is all). */
  readonly labels: readonly string[];
  /** groupOf[token] = its group's index. */
  readonly groupOf: Int32Array;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;
const IDENTIFIER_CHAR = /[\p{L}\p{N}\p{M}_$]/u;
const CONTRACTION = /^'\p{L}/u;

/** A token as text: the byte-level and SentencePiece markers a raw token starts with, read as the space or newline they are. */
function plain(token: string): string {
  return token.replace(/^[Ġ▁Ċ]+/, (run) => run.replace(/[Ġ▁]/g, ' ').replace(/Ċ/g, '\n'));
}

/** Whether `token` continues the word that `previous` ends. */
function continues(previous: string, token: string, grouping: WordGrouping): boolean {
  if (previous.length === 0 || token.length === 0) return false;
  const last = previous[previous.length - 1];
  const first = token[0];
  const joins = grouping === 'identifiers' ? IDENTIFIER_CHAR : WORD_CHAR;
  if (joins.test(last) && joins.test(first)) return true;
  return grouping === 'words' && WORD_CHAR.test(last) && CONTRACTION.test(token);
}

/**
 * Groups tokens (raw, e.g. "Ġcat", "▁cat", or as text, " cat") into words or identifiers: a token joins the group
 * before it when no space separates them and both sides of the seam are word (identifier) characters.
 */
export function groupTokens(tokens: readonly string[], grouping: WordGrouping = 'words'): TokenGroups {
  const texts = tokens.map(plain);
  const groups: number[][] = [];
  const groupOf = new Int32Array(tokens.length);
  texts.forEach((text, i) => {
    if (i === 0 || !continues(texts[i - 1], text, grouping)) groups.push([]);
    groups[groups.length - 1].push(i);
    groupOf[i] = groups.length - 1;
  });
  const labels = groups.map((g) => {
    const text = g.map((i) => texts[i]).join('');
    return text.trim() === '' ? text : text.replace(/^\s+/, '');
  });
  return { groups, labels, groupOf };
}

/**
 * weights (queries × keys) aggregated to query groups × key groups: cell (a, b) is the mean over a's queries of the
 * sum of their weights on b's keys.
 */
export function aggregateWeights(weights: Matrix, queries: TokenGroups, keys: TokenGroups = queries): Matrix {
  if (queries.groupOf.length !== weights.rows || keys.groupOf.length !== weights.cols) {
    throw new RangeError(`The groups cover ${queries.groupOf.length} × ${keys.groupOf.length} tokens, the weights ${weights.rows} × ${weights.cols}.`);
  }
  const cols = keys.groups.length;
  const out: Matrix = { rows: queries.groups.length, cols, data: new Float32Array(queries.groups.length * cols) };
  const sums = new Float64Array(out.data.length);
  for (let i = 0; i < weights.rows; i++) {
    const base = queries.groupOf[i] * cols;
    for (let j = 0; j < weights.cols; j++) sums[base + keys.groupOf[j]] += weights.data[i * weights.cols + j];
  }
  queries.groups.forEach((g, a) => {
    for (let b = 0; b < cols; b++) out.data[a * cols + b] = sums[a * cols + b] / g.length;
  });
  return out;
}
