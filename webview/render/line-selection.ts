/**
 * Which keys of one query row get a line (and a key bar). A fixed weight threshold draws nothing at
 * thousands of tokens, where every weight is small, so the default is relative: the k strongest keys.
 */
import type { LineRule } from '../../src/shared/enums';

/** Keys drawn per query under 'top-k'. */
export const TOP_K = 8;
/** Share of the row's weight the keys drawn under 'mass' hold together. */
export const MASS = 0.9;

export const LINE_RULE_LABELS: Record<LineRule, string> = {
  'top-k': `Top ${TOP_K} keys per query`,
  mass: `Keys holding ${Math.round(MASS * 100)}% of the weight`,
  threshold: 'Weights above a threshold',
};

/** Indices of the keys of `row` drawn under `rule`, strongest first; zero weights are never drawn. */
export function keysToDraw(row: ArrayLike<number>, rule: LineRule, threshold: number): number[] {
  if (rule === 'threshold') {
    const thr = Math.max(0, threshold);
    const out: number[] = [];
    for (let j = 0; j < row.length; j++) if (row[j] > 0 && row[j] >= thr) out.push(j);
    return out.sort((a, b) => row[b] - row[a] || a - b);
  }
  if (rule === 'top-k') return topK(row, TOP_K);
  const order: number[] = [];
  let total = 0;
  for (let j = 0; j < row.length; j++) {
    if (row[j] > 0) {
      order.push(j);
      total += row[j];
    }
  }
  order.sort((a, b) => row[b] - row[a] || a - b);
  const out: number[] = [];
  let held = 0;
  for (const j of order) {
    if (held >= MASS * total) break;
    out.push(j);
    held += row[j];
  }
  return out;
}

/** The k largest positive entries, strongest first (ties: lower index first); O(n·k), no full sort. */
function topK(row: ArrayLike<number>, k: number): number[] {
  const best: number[] = [];
  for (let j = 0; j < row.length; j++) {
    const v = row[j];
    if (!(v > 0)) continue;
    if (best.length === k && v <= row[best[k - 1]]) continue;
    let at = best.length;
    while (at > 0 && row[best[at - 1]] < v) at--;
    best.splice(at, 0, j);
    if (best.length > k) best.pop();
  }
  return best;
}
