/**
 * Issue 12 row 11: numbers at ±1e9 with mixed signs made every score of a 64-token file NaN (WebAssembly kernels) or
 * ±∞, and every weight silently 0. Such a job is now refused with a message naming where it overflowed and how large
 * the inputs are, on both the JS path and the kernels. Never a silent NaN or all-zero row.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { runJob } from '../../../src/compute/job';
import { evaluate, parseTensorFile } from '../../../src/core';
import { kernelMode, setKernelMode, type KernelMode } from '../../../src/core/kernels';
import { hugeNumbersFile } from '../../fixtures/budgetInputs';

const initialMode = kernelMode();
afterEach(() => setKernelMode(initialMode));

describe.each<KernelMode>(['off', 'always'])('numbers that overflow float32 (kernels %s)', (mode) => {
  it('the reproducer: evaluated without the check, its scores are not finite', () => {
    setKernelMode(mode);
    const parsed = parseTensorFile(hugeNumbersFile(64, 16));
    if (!parsed.ok) throw new Error(parsed.problems[0].message);
    const scores = evaluate(parsed.spec).layers[0].heads[0].scores?.data ?? new Float32Array();
    expect(scores.filter((s) => !Number.isFinite(s)).length).toBeGreaterThan(1000);
  });

  it('a 64-token file at ±1e9 is refused, naming the place and the size', () => {
    setKernelMode(mode);
    const outcome = runJob({ kind: 'file', text: hugeNumbersFile(64, 16) });
    expect(outcome.ok ? 'accepted' : outcome.message).toMatch(
      /^The numbers overflow 32-bit floats \(beyond ±3\.4e38\) in head 1: (Q|the scores Q·Kᵀ): the inputs reach 1\.0e9 in magnitude, .*scale the embeddings or weights down \(for example to within ±1e3\)\.$/,
    );
  });

  it('the same file scaled down computes, every weight row summing to 1', () => {
    setKernelMode(mode);
    const outcome = runJob({ kind: 'file', text: hugeNumbersFile(64, 16).replaceAll('1000000000', '0.001') });
    if (!outcome.ok) throw new Error(outcome.message);
    const w = outcome.result.layers[0].heads[0].weights;
    for (let r = 0; r < w.rows; r++) {
      const row = w.data.subarray(r * w.cols, (r + 1) * w.cols);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
  });

  it('two tokens at ±1e9 (finite scores on the JS path before) are computed or refused, never NaN', () => {
    setKernelMode(mode);
    const outcome = runJob({ kind: 'file', text: hugeNumbersFile(2, 16) });
    if (outcome.ok) expect(outcome.result.layers[0].heads[0].weights.data.every((w) => Number.isFinite(w))).toBe(true);
    else expect(outcome.message).toMatch(/overflow 32-bit floats/);
  });
});
