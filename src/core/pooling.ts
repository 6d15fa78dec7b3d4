import { contiguousSpan } from './masks';
import type { Matrix } from './matrix';
import type { MaskSpec } from './types';

/** How a matrix is coloured: weights from 0 up; scores and Δweight around 0 (the pooled value keeps its sign). */
export type PoolScale = 'sequential' | 'diverging';

/** Rows [start, end) or columns [start, end) of a matrix. */
export type IndexRange = readonly [number, number];

/** Block maxima of part of a matrix: `rows × cols` values, row-major, one per block of `block × block` cells. */
export interface PooledBlocks {
  readonly rows: number;
  readonly cols: number;
  readonly block: number;
  /** Sequential: the block's largest visible value; diverging: its value of largest magnitude, sign kept. −∞: masked. */
  readonly values: Float32Array;
  /** Largest pooled value (sequential) or magnitude (diverging) over the blocks; −∞ when every block is masked. */
  readonly top: number;
}

/**
 * Pools rows × cols of `m` by block max: each block's most extreme visible value (sequential: the max, so a sharp
 * attention peak never disappears; diverging: the value of largest magnitude). A block is masked (−∞) only when every
 * cell of it is: −∞ itself, NaN, or a weight of 0 that `maskSource` (same shape) hides. `maskSpec`, when it produced
 * maskSource, lets causal and window masks skip the cells they hide. At block 1 the values are the cells themselves.
 */
export function poolBlockMax(
  m: Matrix,
  scale: PoolScale,
  block: number,
  maskSource?: Matrix | null,
  maskSpec?: MaskSpec,
  rowRange: IndexRange = [0, m.rows],
  colRange: IndexRange = [0, m.cols],
): PooledBlocks {
  const [r0, r1] = rowRange;
  const [c0, c1] = colRange;
  const cols = m.cols;
  // Visible keys of row i are [i - span + 1, i] for causal (span ∞) and window masks; null: read maskSource.
  const span = contiguousSpan(maskSpec);
  const gw = Math.max(1, Math.ceil((c1 - c0) / block));
  const gh = Math.max(1, Math.ceil((r1 - r0) / block));
  const best = new Float32Array(gw * gh).fill(-Infinity);
  const src = m.data;
  const mask = maskSource && maskSource.rows === m.rows && maskSource.cols === cols && maskSource.data !== src ? maskSource.data : null;
  const signed = scale === 'diverging';
  // Per block-row accumulators (they stay in L1); each row is walked block by block with a plain inner max loop.
  const acc = new Float64Array(gw);
  const accSigned = new Float64Array(signed ? gw : 0);
  let top = -Infinity;
  for (let bi = 0; bi < gh; bi++) {
    const i0 = r0 + bi * block;
    const i1 = Math.min(i0 + block, r1);
    acc.fill(-Infinity);
    for (let i = i0; i < i1; i++) {
      const r = i * cols;
      if (signed) {
        for (let bj = 0, j = c0; j < c1; bj++) {
          const end = Math.min(j + block, c1);
          let b = acc[bj];
          let sv = accSigned[bj];
          for (; j < end; j++) {
            const v = src[r + j];
            const a = v < 0 ? -v : v;
            if (a > b && a !== Infinity) {
              b = a;
              sv = v;
            }
          }
          acc[bj] = b;
          accSigned[bj] = sv;
        }
      } else {
        // Weights under a causal or window mask: cells outside [i − span + 1, i] are masked, hence exactly 0,
        // and cannot raise a block's max; a block with no visible cell stays −∞, i.e. masked.
        const lo = span !== null && mask !== null ? Math.max(c0, i - span + 1) : c0;
        const hi = span !== null && mask !== null ? Math.min(c1, i + 1) : c1;
        for (let j = lo, bj = ((lo - c0) / block) | 0; j < hi; bj++) {
          const end = Math.min(c0 + (bj + 1) * block, hi);
          let b = acc[bj];
          for (; j < end; j++) {
            const v = src[r + j];
            if (v > b) b = v;
          }
          acc[bj] = b;
        }
      }
    }
    for (let bj = 0; bj < gw; bj++) {
      let v = acc[bj];
      if (!signed && (v === Infinity || (v <= 0 && mask !== null && span === null))) {
        // Rare: re-read this block, excluding +∞ and cells maskSource hides.
        v = -Infinity;
        const j0 = c0 + bj * block;
        const j1 = Math.min(j0 + block, c1);
        for (let i = i0; i < i1; i++) {
          for (let p = i * cols + j0; p < i * cols + j1; p++) {
            const x = src[p];
            if (x > v && x !== Infinity && !(mask !== null && x <= 0 && mask[p] === -Infinity)) v = x;
          }
        }
      }
      if (v > top) top = v;
      best[bi * gw + bj] = signed && v !== -Infinity ? accSigned[bj] : v;
    }
  }
  return { rows: gh, cols: gw, block, values: best, top };
}

/** Cells per pooled value so that `cells` fit in `out` values along one axis (1: every cell). */
export function blockFor(cells: number, out: number): number {
  return Math.max(1, Math.ceil(cells / Math.max(1, out)));
}
