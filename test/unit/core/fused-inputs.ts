/**
 * Seeded inputs of the fused Q/K/V projection cases: test/unit/core/fused-projection.test.ts builds them with the
 * core's own seeded generator, and scripts/reference/fused-golden.mjs bundles this file to hand the same numbers to
 * the float64 numpy reference. Big enough that every product runs in the WebAssembly kernels.
 */
import { mulberry32, uniformMatrix, type MaskSpec, type Matrix } from '../../../src/core';

export interface FusedCase {
  readonly name: string;
  readonly seed: number;
  readonly queries: number;
  /** Key/value tokens; absent for self-attention (the keys are the queries' own input). */
  readonly keys?: number;
  readonly dModel: number;
  readonly heads: number;
  readonly dK: number;
  readonly mask: MaskSpec;
}

export const FUSED_CASES: readonly FusedCase[] = [
  { name: 'self-attention, 6 heads × 16, d_model 96, 48 tokens, causal', seed: 1401, queries: 48, dModel: 96, heads: 6, dK: 16, mask: { kind: 'causal' } },
  { name: 'cross-attention, 4 heads × 12, d_model 64, 40 queries over 56 keys', seed: 1402, queries: 40, keys: 56, dModel: 64, heads: 4, dK: 12, mask: { kind: 'none' } },
];

export interface FusedInputs {
  readonly x: Matrix;
  readonly keyX: Matrix;
  readonly layer: { readonly heads: readonly { readonly wq: Matrix; readonly wk: Matrix; readonly wv: Matrix }[]; readonly wo: Matrix };
}

export function fusedInputs(c: FusedCase): FusedInputs {
  const random = mulberry32(c.seed);
  const x = uniformMatrix(c.queries, c.dModel, 1, random);
  const keyX = c.keys === undefined ? x : uniformMatrix(c.keys, c.dModel, 1, random);
  const limit = Math.sqrt(6 / (c.dModel + c.dK));
  const heads = Array.from({ length: c.heads }, () => ({
    wq: uniformMatrix(c.dModel, c.dK, limit, random),
    wk: uniformMatrix(c.dModel, c.dK, limit, random),
    wv: uniformMatrix(c.dModel, c.dK, limit, random),
  }));
  const wo = uniformMatrix(c.heads * c.dK, c.dModel, Math.sqrt(6 / (c.heads * c.dK + c.dModel)), random);
  return { x, keyX, layer: { heads, wo } };
}
