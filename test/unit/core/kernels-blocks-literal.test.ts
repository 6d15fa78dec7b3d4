// The kernels past their first block of rows, on a fresh instance (whose memory starts at one page, so every
// reservation must be right), and where WebAssembly or relaxed SIMD is missing. Hand-worked values throughout.
// Written for mutation testing (bench/mutation/README.md); kernels-literal.test.ts covers one block.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Kernels, kernelAttention, kernelMatmul, kernelMatmulTransposed, kernels, relaxedSimdSupported, type KernelMask } from '../../../src/core/kernels';
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from '../../../src/core/kernels/generated/kernelsWasm';

const PAGE = 65536;
const decode = (base64: string): Uint8Array<ArrayBuffer> => Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));

/** A new instance of the plain SIMD build: one page of memory, nothing allocated yet. */
function freshKernels(): Kernels {
  const instance = new WebAssembly.Instance(new WebAssembly.Module(decode(KERNELS_WASM_BASE64)), {});
  return new Kernels(instance.exports as unknown as ConstructorParameters<typeof Kernels>[0], 'simd');
}

const noMask: KernelMask = { code: 0, window: 0, dilation: 0, keyRange: (_i0, _i1, m) => [0, m] };

describe('products taller than one block of rows, on a fresh instance', () => {
  it('A·Bᵀ, 300 rows through blocks of 128 (256 columns): out[i][j] = (i + 1)·(j mod 3 + 1)', () => {
    const [n, m, d] = [300, 256, 256];
    // Row i of A is (i + 1, 0, …); row j of Bᵀ is (j mod 3 + 1, 0, …).
    const a = new Float32Array(n * d);
    for (let i = 0; i < n; i++) a[i * d] = i + 1;
    const bT = new Float32Array(m * d);
    for (let j = 0; j < m; j++) bT[j * d] = (j % 3) + 1;
    const out = new Float32Array(n * m);
    kernelMatmulTransposed(freshKernels(), a, bT, out, n, m, d);
    for (const i of [0, 127, 128, 255, 256, 299]) {
      expect(Array.from(out.subarray(i * m, i * m + 4)), `row ${i}`).toEqual([1, 2, 3, 1].map((x) => (i + 1) * x));
    }
    expect(out[n * m - 1]).toBe(300 * ((255 % 3) + 1));
  });

  it('A·B, 150 rows through blocks of 64 (inner size 1024): out[i][j] = (i + 1)·(j + 1)', () => {
    const [n, kk, m] = [150, 1024, 2];
    const a = new Float32Array(n * kk);
    for (let i = 0; i < n; i++) a[i * kk] = i + 1;
    const b = new Float32Array(kk * m);
    b.set([1, 2]); // B's first row; the others are 0
    const out = new Float32Array(n * m);
    kernelMatmul(freshKernels(), a, b, out, n, kk, m);
    for (const i of [0, 63, 64, 127, 128, 149]) expect([out[i * m], out[i * m + 1]], `row ${i}`).toEqual([i + 1, 2 * (i + 1)]);
  });
});

describe('attention taller than one block of rows (2048 keys: blocks of 32 queries)', () => {
  // Q = 0 except query 33 (second block, second row), K = 0 except key 0: every row's scores are 0 (weights 1/2048)
  // except row 33, whose score on key 0 is 3e38 · 3e38 = +∞: the JS softmax gives it all the weight.
  const [n, m] = [70, 2048];
  const q = new Float32Array(n);
  q[33] = 3e38;
  const key = new Float32Array(m);
  key[0] = 3e38;
  // V = (2048, 1, 2, …, 2047): the mean is (2048 + 2047·2048/2) / 2048 = 1024.5.
  const v = Float32Array.from({ length: m }, (_, j) => (j === 0 ? 2048 : j));

  it('a +∞ row in a later block takes all the weight on its key; the rows around it keep 1/2048 and the mean of V', () => {
    const out = { scores: new Float32Array(n * m), scaled: new Float32Array(n * m), weights: new Float32Array(n * m), output: new Float32Array(n) };
    expect(kernelAttention(freshKernels(), q, key, v, n, m, 1, 1, 1, noMask, out)).toBe(true);
    expect([out.weights[33 * m], out.weights[33 * m + 1]]).toEqual([1, 0]);
    for (const i of [0, 31, 32, 34, 64, 69]) expect([out.weights[i * m], out.weights[i * m + m - 1]], `row ${i}`).toEqual([1 / 2048, 1 / 2048]);
    expect(out.output[33]).toBe(2048);
    for (const i of [0, 32, 34, 69]) expect(out.output[i], `row ${i}`).toBe(1024.5);
  });

  it('wide values (d_V 512) on a fresh instance: every row is the mean of V, 31.5', () => {
    const [rows, keys, dV] = [64, 64, 512];
    const values = new Float32Array(keys * dV);
    for (let j = 0; j < keys; j++) values.fill(j, j * dV, (j + 1) * dV);
    const out = { scores: new Float32Array(rows * keys), scaled: new Float32Array(rows * keys), weights: new Float32Array(rows * keys), output: new Float32Array(rows * dV) };
    expect(kernelAttention(freshKernels(), new Float32Array(rows), new Float32Array(keys), values, rows, keys, 1, dV, 1, noMask, out)).toBe(true);
    expect(out.output.every((x) => x === 31.5)).toBe(true);
  });
});

describe('the arena of a fresh instance (one page; the heap starts at heapBase)', () => {
  it('reset makes room for what is asked plus 1 KB of alignment slack (64 buffers × 16 bytes), growing by whole pages', () => {
    const k = freshKernels();
    const base = k.exports.heapBase();
    k.reset(PAGE - base - 1024);
    expect(k.exports.memory.buffer.byteLength).toBe(PAGE);
    k.reset(PAGE - base - 1024 + 1);
    expect(k.exports.memory.buffer.byteLength).toBe(2 * PAGE);
  });

  it('an allocation ending exactly at the end of memory fits, and so does an empty one after it', () => {
    const k = freshKernels();
    k.reset(0);
    const first = (k.exports.heapBase() + 15) & ~15;
    expect(k.alloc((PAGE - first) / 4)).toBe(first);
    expect(k.alloc(0)).toBe(PAGE);
    expect(() => k.alloc(1)).toThrow('kernel arena overflow');
  });
});

describe('loading, in a fresh copy of the module', () => {
  const realWasm = WebAssembly;
  const fresh = async () => {
    vi.resetModules();
    return import('../../../src/core/kernels');
  };
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.resetModules();
  });

  it('relaxed SIMD is reported exactly where auto mode loads the relaxed build', () => {
    expect(relaxedSimdSupported()).toBe(kernels()?.variant === 'relaxed-simd');
  });

  it('no product counted yet: both counts start at 0', async () => {
    expect((await fresh()).kernelChoices()).toEqual({ wasm: 0, js: 0 });
  });

  it('without WebAssembly: no relaxed SIMD, no kernels, and products stay on JS', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    const k = await fresh();
    expect(k.relaxedSimdSupported()).toBe(false);
    expect(k.kernels()).toBeNull();
    k.setKernelMode('always');
    expect(k.kernelsFor(1)).toBeNull();
    expect(k.kernelChoices()).toEqual({ wasm: 0, js: 1 });
  });

  it('a runtime whose validate throws: no relaxed SIMD and no kernels', async () => {
    vi.stubGlobal('WebAssembly', { Module: realWasm.Module, Instance: realWasm.Instance, validate: () => { throw new Error('refused'); } });
    const k = await fresh();
    expect(k.relaxedSimdSupported()).toBe(false);
    expect(k.kernels()).toBeNull();
  });

  it('a runtime without relaxed SIMD: auto loads the plain SIMD build', async () => {
    const relaxed = decode(KERNELS_RELAXED_WASM_BASE64);
    const isRelaxed = (bytes: Uint8Array) => bytes.length === relaxed.length && bytes.every((x, p) => x === relaxed[p]);
    vi.stubGlobal('WebAssembly', { Module: realWasm.Module, Instance: realWasm.Instance, validate: (bytes: Uint8Array<ArrayBuffer>) => !isRelaxed(bytes) && realWasm.validate(bytes) });
    const k = await fresh();
    expect(k.relaxedSimdSupported()).toBe(false);
    expect(k.kernels()?.variant).toBe('simd');
  });
});
