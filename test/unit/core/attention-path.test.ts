// Which heads attentionHead hands to the WebAssembly attention kernel: well-formed, non-empty ones only.
// kernelChoices() cannot tell (the JS path's matmul counts as a kernel choice too), so the kernel is watched.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { attentionHead, fromRows, zeros, type AttentionOptions, type Matrix } from '../../../src/core';
import { kernelAttention, setKernelMode } from '../../../src/core/kernels';

vi.mock('../../../src/core/kernels', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../src/core/kernels')>();
  return { ...actual, kernelAttention: vi.fn(actual.kernelAttention) };
});

const opts: AttentionOptions = { scale: true, mask: { kind: 'none' }, temperature: 1 };
const Q = fromRows([[1, 0], [0, 1], [1, 1]]);
const V = fromRows([[1, 2], [3, 4], [5, 6]]);

/** Calls to the attention kernel for one head, in 'always' mode (any size goes to the kernels). */
function kernelCalls(q: Matrix, k: Matrix, v: Matrix): number {
  setKernelMode('always');
  vi.mocked(kernelAttention).mockClear();
  try {
    attentionHead('h', q, k, v, opts);
  } catch {
    // Mismatched shapes throw on the JS path (checked in attention-literal.test.ts); only the path matters here.
  }
  return vi.mocked(kernelAttention).mock.calls.length;
}

afterEach(() => setKernelMode('auto'));

describe('the attention kernel gets well-formed heads only', () => {
  it('a well-formed head', () => {
    expect(kernelCalls(Q, Q, V)).toBe(1);
  });

  it('not when d_q ≠ d_k or K and V differ in rows', () => {
    expect(kernelCalls(fromRows([[1, 0, 0]]), Q, V)).toBe(0);
    expect(kernelCalls(Q, Q, fromRows([[1, 2], [3, 4]]))).toBe(0);
  });

  it('not for an empty head', () => {
    expect(kernelCalls(zeros(0, 2), Q, V)).toBe(0);
    expect(kernelCalls(Q, zeros(0, 2), zeros(0, 2))).toBe(0);
    expect(kernelCalls(zeros(3, 0), zeros(3, 0), V)).toBe(0);
  });
});
