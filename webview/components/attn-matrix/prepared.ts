/**
 * What the matrix view draws, prepared once per result, head and kind: the matrix, its mask, its labels, and a
 * raster cached per matrix and block size (cells per raster pixel), so zooming back and forth repeats no work.
 * A large result withholds the matrix (see isWithheld): then the raster is the one the view asked for (see
 * askedRaster), pooled by the same rule in the compute worker.
 */
import { hiddenPairs, type AttentionResult, type HeadResult, type IndexRange, type MaskSpec, type Matrix } from '../../../src/shared/core';
import { isWithheld, type MatrixKind, type RasterAnswer } from '../../../src/shared/protocol';
import { maxAbsFinite } from '../../../src/shared/core';
import { differenceDomain, divergingDomain, matrixDomain, sequentialDomain, type ColourDomain } from '../../render/colour-scale';
import { tokenLabel } from '../../render/format';
import { paintPooled, rasterize, rasterizePooled, type Raster } from '../../render/heatmap';

export interface Prepared {
  readonly head: HeadResult;
  /** The kind actually shown (weights when the file lacks scores). */
  readonly kind: MatrixKind;
  /** The matrix, or a withheld one (0×0, see isWithheld): `rows` and `cols` give the shape either way. */
  readonly matrix: Matrix;
  readonly rows: number;
  readonly cols: number;
  /** The matrix stays in the compute worker: the view asks for rasters and rows of it. */
  readonly withheld: boolean;
  /** Same shape as matrix; −∞ where masked. Null when nothing is masked (or the matrix is withheld). */
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
  /** The cells the raster covers (an asked-for raster may cover part of the matrix; none while it is on its way). */
  readonly rows: IndexRange;
  readonly cols: IndexRange;
  /** An asked-for raster at one value per cell: the cells' values (−∞: masked), for the values and the hatching. */
  readonly cells?: Float32Array;
}

const rasterCache = new WeakMap<Matrix, Map<number, PreparedRaster>>();
const maskCache = new WeakMap<Matrix, Matrix | null>();

/** −∞ wherever the mask hides a pair, for precomputed weights that have no scaled matrix. */
function maskMatrixFor(weights: Matrix, mask: MaskSpec): Matrix | null {
  if (!maskCache.has(weights)) maskCache.set(weights, hiddenPairs(mask, weights.rows, weights.cols));
  return maskCache.get(weights) ?? null;
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
  const withheld = isWithheld(matrix);
  const rows = isWithheld(matrix) ? matrix.withheld.rows : matrix.rows;
  const cols = isWithheld(matrix) ? matrix.withheld.cols : matrix.cols;
  let maskSource: Matrix | null = null;
  if (withheld) maskSource = null;
  else if (kind === 'scaled') maskSource = matrix;
  else if (kind === 'weights') maskSource = h.scaled ?? maskMatrixFor(matrix, result.options.mask);
  const rowLabels = result.tokens.slice(0, rows).map((t) => tokenLabel(t));
  const colLabels = result.keyTokens.slice(0, cols).map((t) => tokenLabel(t));
  return { head: h, kind, matrix, rows, cols, withheld, maskSource, rowLabels, colLabels, maskSpec: result.options.mask, difference: difference && kind === 'weights' };
}

let none: PreparedRaster | undefined;

/** Nothing to draw yet: an asked-for raster is on its way (the labels are drawn meanwhile). */
export function noRaster(): PreparedRaster {
  none ??= { domain: sequentialDomain(0, 1), raster: paintPooled(new Float32Array(0), 0, 0, sequentialDomain(0, 1)), block: 1, rows: [0, 0], cols: [0, 0] };
  return none;
}

const asked = new WeakMap<RasterAnswer, PreparedRaster>();

/** The raster the worker sent for a withheld matrix, painted once in the colours of the whole matrix. */
export function askedRaster(answer: RasterAnswer): PreparedRaster {
  let prepared = asked.get(answer);
  if (!prepared) {
    const domain = answer.matrix === 'weights' ? sequentialDomain(answer.domain.min, answer.domain.max) : divergingDomain(answer.domain.max);
    const raster = paintPooled(answer.values, answer.width, answer.height, domain);
    prepared = { domain, raster, block: answer.block, rows: answer.rows, cols: answer.cols, ...(answer.block === 1 ? { cells: answer.values } : {}) };
    asked.set(answer, prepared);
  }
  return prepared;
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
  const block = blockForCell(cellDevicePx);
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
      cached = { domain, raster: rasterize(p.matrix, domain, mask), block, rows: [0, p.rows], cols: [0, p.cols] };
    } else {
      // The spec is only a shortcut for weights over the core's own scaled/mask matrices (same −∞ pattern).
      const spec = p.kind === 'weights' ? p.maskSpec : undefined;
      const scale = p.difference ? 'difference' : p.kind === 'weights' ? 'sequential' : 'diverging';
      cached = { ...rasterizePooled(p.matrix, scale, block, mask, spec), block, rows: [0, p.rows], cols: [0, p.cols] };
    }
    byBlock.set(block, cached);
  }
  return cached;
}

/** Cells per raster pixel for a cell of `cellDevicePx` device pixels. */
export function blockForCell(cellDevicePx: number): number {
  // Round up: the pooled raster is then at most the drawn size, so no block (no peak) is skipped when drawn.
  return Math.max(1, Math.ceil(1 / Math.max(1e-6, cellDevicePx) - 1e-9));
}
