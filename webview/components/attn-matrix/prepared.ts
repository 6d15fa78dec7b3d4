/**
 * What the matrix view draws, prepared once per result, head and kind: the matrix, its mask, its labels, and a
 * raster cached per matrix and block size (cells per raster pixel), so zooming back and forth repeats no work.
 */
import { isVisible, type AttentionResult, type HeadResult, type MaskSpec, type Matrix } from '../../../src/shared/core';
import type { MatrixKind } from '../../../src/shared/protocol';
import { maxAbsFinite } from '../../../src/shared/core';
import { differenceDomain, matrixDomain, type ColourDomain } from '../../render/colour-scale';
import { tokenLabel } from '../../render/format';
import { rasterize, rasterizePooled, type Raster } from '../../render/heatmap';

export interface Prepared {
  readonly head: HeadResult;
  /** The kind actually shown (weights when the file lacks scores). */
  readonly kind: MatrixKind;
  readonly matrix: Matrix;
  /** Same shape as matrix; −∞ where masked. Null when nothing is masked. */
  readonly maskSource: Matrix | null;
  readonly rowLabels: readonly string[];
  readonly colLabels: readonly string[];
  /** The result's mask: a shortcut for pooling weights over the core's own −∞ pattern. */
  readonly maskSpec: MaskSpec;
  /** Δweight of a "what if" run: coloured on the diverging ramp around 0. */
  readonly difference: boolean;
}

export interface PreparedRaster {
  readonly domain: ColourDomain;
  readonly raster: Raster;
  /** Cells per raster pixel along each axis (1: one pixel per cell). */
  readonly block: number;
}

const rasterCache = new WeakMap<Matrix, Map<number, PreparedRaster>>();
const maskCache = new WeakMap<Matrix, Matrix | null>();

/** −∞ wherever the mask hides a pair, for precomputed weights that have no scaled matrix. */
function maskMatrixFor(weights: Matrix, mask: MaskSpec): Matrix | null {
  if (mask.kind === 'none') return null;
  if (maskCache.has(weights)) return maskCache.get(weights) ?? null;
  const data = new Float32Array(weights.rows * weights.cols);
  for (let i = 0; i < weights.rows; i++) {
    for (let j = 0; j < weights.cols; j++) if (!isVisible(mask, i, j)) data[i * weights.cols + j] = -Infinity;
  }
  const m = { rows: weights.rows, cols: weights.cols, data };
  maskCache.set(weights, m);
  return m;
}

/** The matrix of `kind` for one head, falling back to the weights when the result lacks it. */
export function prepare(result: AttentionResult | null, layer: number, head: number, wanted: MatrixKind, difference = false): Prepared | null {
  const h = result?.layers[layer]?.heads[head];
  if (!result || !h) return null;
  let kind = wanted;
  let matrix: Matrix | null = kind === 'scores' ? h.scores : kind === 'scaled' ? h.scaled : h.weights;
  if (!matrix) {
    kind = 'weights';
    matrix = h.weights;
  }
  let maskSource: Matrix | null = null;
  if (kind === 'scaled') maskSource = matrix;
  else if (kind === 'weights') maskSource = h.scaled ?? maskMatrixFor(matrix, result.options.mask);
  const rowLabels = result.tokens.slice(0, matrix.rows).map((t) => tokenLabel(t));
  const colLabels = result.keyTokens.slice(0, matrix.cols).map((t) => tokenLabel(t));
  return { head: h, kind, matrix, maskSource, rowLabels, colLabels, maskSpec: result.options.mask, difference: difference && kind === 'weights' };
}

/** The mask the heatmap shows (raw scores show none). */
export function shownMask(p: Prepared): Matrix | null {
  return p.kind === 'scores' ? null : p.maskSource;
}

/**
 * The raster for a cell of `cellDevicePx` device pixels: 1 px per cell when a cell covers at least a device pixel,
 * else one pixel per block of cells (rasterizePooled), which at N = 4096 reads the matrix once and paints ~640²
 * pixels instead of 4096².
 */
export function rasterFor(p: Prepared, cellDevicePx: number): PreparedRaster {
  // Round up: the pooled raster is then at most the drawn size, so no block (no peak) is skipped when drawn.
  const block = Math.max(1, Math.ceil(1 / Math.max(1e-6, cellDevicePx) - 1e-9));
  let byBlock = rasterCache.get(p.matrix);
  if (!byBlock) {
    byBlock = new Map();
    rasterCache.set(p.matrix, byBlock);
  }
  let cached = byBlock.get(block);
  if (!cached) {
    const mask = shownMask(p);
    if (block === 1) {
      const domain = p.difference ? differenceDomain(maxAbsFinite(p.matrix.data)) : matrixDomain(p.kind, p.matrix);
      cached = { domain, raster: rasterize(p.matrix, domain, mask), block };
    } else {
      // The spec is only a shortcut for weights over the core's own scaled/mask matrices (same −∞ pattern).
      const spec = p.kind === 'weights' ? p.maskSpec : undefined;
      const scale = p.difference ? 'difference' : p.kind === 'weights' ? 'sequential' : 'diverging';
      cached = { ...rasterizePooled(p.matrix, scale, block, mask, spec), block };
    }
    byBlock.set(block, cached);
  }
  return cached;
}
