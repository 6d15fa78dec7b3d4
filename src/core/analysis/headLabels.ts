/**
 * What a head does, read from its weights: previous-token, duplicate-token, induction and sink (BOS) scores, each a
 * mean share of attention in [0, 1] with a one-line definition, and the labels a head earns. Pure; O(n²) per head at
 * worst (a run of one repeated token), O(n·copies) in practice.
 */
import type { Matrix } from '../matrix';

export const HEAD_LABEL_KINDS = ['previous-token', 'induction', 'duplicate-token', 'sink'] as const;
export type HeadLabelKind = (typeof HEAD_LABEL_KINDS)[number];

/** The name and the one-line definition shown on hover; the definition states exactly what the score computes. */
export const HEAD_LABELS: Readonly<Record<HeadLabelKind, { readonly name: string; readonly definition: string }>> = {
  'previous-token': { name: 'previous token', definition: 'Mean weight each query i puts on key i − 1 (queries 1 onwards).' },
  induction: {
    name: 'induction',
    definition: 'Mean weight a repeated token puts on the tokens right after its earlier copies ("A B … A" attends to B); on a repeated random sequence this is the standard induction probe.',
  },
  'duplicate-token': { name: 'duplicate token', definition: 'Mean weight a repeated token puts on its earlier copies.' },
  sink: { name: 'sink / BOS', definition: 'Mean weight each query after the first puts on the first token.' },
};

/** A head earns a label when that score is at least this: more than half its attention goes where the label says. */
export const LABEL_THRESHOLD = 0.5;

/** Each score in [0, 1], or null when the input has no query it applies to (no repeats, one token, cross-attention). */
export type HeadScores = Readonly<Record<HeadLabelKind, number | null>>;

export interface HeadLabel {
  readonly kind: HeadLabelKind;
  readonly score: number;
}

const mean = (sum: number, count: number): number | null => (count > 0 ? sum / count : null);

/**
 * The four scores of one head's weights (queries × keys, rows summing to 1) over `tokens`, the token of each position
 * (ids or strings: equal values are copies). Self-attention only: a non-square matrix scores null throughout.
 */
export function scoreHead(weights: Matrix, tokens: readonly (string | number)[]): HeadScores {
  const n = weights.rows;
  if (n !== weights.cols || tokens.length !== n) return { 'previous-token': null, induction: null, 'duplicate-token': null, sink: null };
  const w = weights.data;
  let previous = 0;
  let sink = 0;
  let duplicate = 0;
  let induction = 0;
  let repeated = 0;
  const seen = new Map<string | number, number[]>();
  for (let i = 0; i < n; i++) {
    const row = i * n;
    if (i > 0) {
      previous += w[row + i - 1];
      sink += w[row];
    }
    const copies = seen.get(tokens[i]);
    if (copies) {
      repeated++;
      for (const j of copies) {
        duplicate += w[row + j];
        induction += w[row + j + 1];
      }
      copies.push(i);
    } else {
      seen.set(tokens[i], [i]);
    }
  }
  return { 'previous-token': mean(previous, n - 1), induction: mean(induction, repeated), 'duplicate-token': mean(duplicate, repeated), sink: mean(sink, n - 1) };
}

/** scores[layer][head] for every head of a result. */
export function scoreHeads(layers: readonly { readonly heads: readonly { readonly weights: Matrix }[] }[], tokens: readonly (string | number)[]): HeadScores[][] {
  return layers.map((layer) => layer.heads.map((head) => scoreHead(head.weights, tokens)));
}

/** The labels a head earns (score ≥ threshold), best first. */
export function headLabels(scores: HeadScores, threshold = LABEL_THRESHOLD): HeadLabel[] {
  const labels: HeadLabel[] = [];
  for (const kind of HEAD_LABEL_KINDS) {
    const score = scores[kind];
    if (score !== null && score >= threshold) labels.push({ kind, score });
  }
  return labels.sort((a, b) => b.score - a.score);
}

/** Every head with a score for `kind`, highest first (ties: earlier layer, then earlier head). */
export function rankHeads(scores: readonly (readonly HeadScores[])[], kind: HeadLabelKind): { layer: number; head: number; score: number }[] {
  const out: { layer: number; head: number; score: number }[] = [];
  scores.forEach((layer, l) => layer.forEach((s, h) => {
    const score = s[kind];
    if (score !== null) out.push({ layer: l, head: h, score });
  }));
  return out.sort((a, b) => b.score - a.score || a.layer - b.layer || a.head - b.head);
}
