/**
 * WebAssembly SIMD kernels for the hot paths (Q·Kᵀ, scale + mask + softmax, weights·V, A·B), with the JS
 * implementation in ../matrix.ts and ../attention.ts as fallback and reference. Pure: no vscode, no DOM; runs in
 * Node (main thread and worker_threads) and in browsers. Imports nothing else from the core: masks arrive already
 * translated into a KernelMask (see ../masks.ts), so the kernels never depend on the domain types.
 *
 * The module is compiled synchronously. Where that is refused (a browser main thread may reject synchronous
 * compiles of big modules) or WebAssembly/SIMD is missing, `kernels()` returns null and callers stay on JS.
 * It comes in two builds of the same source: relaxed SIMD (multiply–adds fused where the CPU has FMA) where the
 * runtime validates it, plain SIMD otherwise.
 */
import { KERNELS_RELAXED_WASM_BASE64, KERNELS_WASM_BASE64 } from './generated/kernelsWasm';
import { softmaxRow } from './softmaxRow';

/** The little of the WebAssembly JS API used here (the project's lib setting has no WebAssembly types). */
interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: object };
}

interface KernelExports {
  readonly memory: WasmMemory;
  qkt(a: number, b: number, out: number, n: number, m: number, d: number, ldo: number): void;
  gemm(a: number, lda: number, b: number, ldb: number, out: number, ldo: number, n: number, m: number, k0: number, k1: number): void;
  softmax(
    scores: number, scaled: number, weights: number, rows: number, m: number, factor: number,
    i0: number, kind: number, window: number, dilation: number, bad: number,
  ): number;
  heapBase(): number;
}

export type KernelMode = 'auto' | 'off' | 'always';

/** The two builds of the kernels. */
export const KERNEL_VARIANTS = ['relaxed-simd', 'simd'] as const;
export type KernelVariant = (typeof KERNEL_VARIANTS)[number];
const BUILDS: Record<KernelVariant, string> = { 'relaxed-simd': KERNELS_RELAXED_WASM_BASE64, simd: KERNELS_WASM_BASE64 };

let mode: KernelMode = 'auto';
let variantChoice: KernelVariant | 'auto' = 'auto';
const instances = new Map<KernelVariant, Kernels | null>();

/**
 * 'auto' (default): kernels for products big enough to pay for the copies; 'off': JS only (reference, benchmarks);
 * 'always': kernels whenever they load, whatever the size (tests).
 */
export function setKernelMode(next: KernelMode): void {
  mode = next;
}

export function kernelMode(): KernelMode {
  return mode;
}

/** Multiply–adds below which the JS path is used in 'auto' mode: copying in and out would cost more. */
const MIN_WORK = 32 * 32 * 32;

/** How many products chose each path since the last reset, so tests can check which one ran (not how fast). */
const choices = { wasm: 0, js: 0 };

export function kernelChoices(): Readonly<typeof choices> {
  return { ...choices };
}

export function resetKernelChoices(): void {
  choices.wasm = 0;
  choices.js = 0;
}

/** The kernels when they should run for `work` multiply–adds, else null. */
export function kernelsFor(work: number): Kernels | null {
  const chosen = mode === 'off' || (mode === 'auto' && work < MIN_WORK) ? null : kernels();
  if (chosen) choices.wasm++;
  else choices.js++;
  return chosen;
}

/** 'auto' (default): the relaxed-SIMD build where the runtime has it; a variant: that build only (tests, benchmarks). */
export function setKernelVariant(next: KernelVariant | 'auto'): void {
  variantChoice = next;
}

/** The loaded kernels, or null where WebAssembly SIMD is unavailable. Each build loads once. */
export function kernels(): Kernels | null {
  if (variantChoice !== 'auto') return instance(variantChoice);
  return instance('relaxed-simd') ?? instance('simd');
}

/** Whether this runtime validates the relaxed-SIMD build (feature detection by the module itself). */
export function relaxedSimdSupported(): boolean {
  const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
  try {
    return wasm?.validate(decodeBase64(BUILDS['relaxed-simd'])) ?? false;
  } catch {
    return false;
  }
}

function instance(variant: KernelVariant): Kernels | null {
  let loaded = instances.get(variant);
  if (loaded === undefined) instances.set(variant, (loaded = load(variant)));
  return loaded;
}

function decodeBase64(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function load(variant: KernelVariant): Kernels | null {
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const bytes = decodeBase64(BUILDS[variant]);
    if (!wasm?.validate(bytes)) return null;
    const module = new wasm.Module(bytes);
    return new Kernels(new wasm.Instance(module, {}).exports as unknown as KernelExports, variant);
  } catch {
    return null;
  }
}

const PAGE = 65536;

/**
 * The instance plus a bump allocator over its memory. Every operation reserves what it needs up front
 * (growing memory once), then takes views; views are never kept across operations, since growth detaches them.
 */
export class Kernels {
  readonly exports: KernelExports;
  readonly variant: KernelVariant;
  private readonly base: number;
  private top: number;

  constructor(exports: KernelExports, variant: KernelVariant) {
    this.exports = exports;
    this.variant = variant;
    this.base = exports.heapBase();
    this.top = this.base;
  }

  /** Frees everything and makes room for `bytes` (plus 16-byte alignment slack per buffer). */
  reset(bytes: number): void {
    this.top = this.base;
    const need = this.base + bytes + 64 * 16;
    const memory = this.exports.memory;
    if (need > memory.buffer.byteLength) memory.grow(Math.ceil((need - memory.buffer.byteLength) / PAGE));
  }

  /** Reserves `count` 32-bit cells, 16-byte aligned; returns the byte offset. */
  alloc(count: number): number {
    const at = (this.top + 15) & ~15;
    this.top = at + count * 4;
    if (this.top > this.exports.memory.buffer.byteLength) throw new Error('kernel arena overflow');
    return at;
  }

  f32(at: number, count: number): Float32Array {
    return new Float32Array(this.exports.memory.buffer, at, count);
  }

  i32(at: number, count: number): Int32Array {
    return new Int32Array(this.exports.memory.buffer, at, count);
  }

  /** Copies `data` into fresh arena space; returns its offset. */
  put(data: Float32Array): number {
    const at = this.alloc(data.length);
    this.f32(at, data.length).set(data);
    return at;
  }
}

/** Bytes for a list of float counts, with alignment slack. */
function bytesFor(...counts: number[]): number {
  return counts.reduce((s, c) => s + c * 4 + 16, 0);
}

/** Rows per block so that one n-wide block of floats is about 256 KB (fits L2 alongside K and V tiles). */
function blockRows(m: number, cap = 128): number {
  return Math.max(4, Math.min(cap, Math.floor(65536 / Math.max(1, m)) & ~3));
}

/** Writes an operand into the kernels' memory: a copy of an array, or a weight read there straight from its file. */
export type KernelOperand = Float32Array | ((target: Float32Array) => void);

function putOperand(k: Kernels, b: KernelOperand, count: number): number {
  if (typeof b !== 'function') return k.put(b);
  const at = k.alloc(count);
  b(k.f32(at, count));
  return at;
}

/** out = A·Bᵀ: `a` is n×d, `bT` m×d, `out` n×m (all row-major). */
export function kernelMatmulTransposed(k: Kernels, a: Float32Array, bT: KernelOperand, out: Float32Array, n: number, m: number, d: number): void {
  const rows = Math.min(n, blockRows(m));
  k.reset(bytesFor(n * d, m * d, rows * m));
  const pa = k.put(a);
  const pb = putOperand(k, bT, m * d);
  const po = k.alloc(rows * m);
  const { qkt } = k.exports;
  for (let i0 = 0; i0 < n; i0 += rows) {
    const r = Math.min(rows, n - i0);
    qkt(pa + i0 * d * 4, pb, po, r, m, d, m);
    out.set(k.f32(po, r * m), i0 * m);
  }
}

/** out = A·B: `a` is n×kk, `b` kk×m, `out` n×m (all row-major). Rows of A and out go through in blocks. */
export function kernelMatmul(k: Kernels, a: Float32Array, b: KernelOperand, out: Float32Array, n: number, kk: number, m: number): void {
  const rows = Math.min(n, blockRows(Math.max(kk, m), 256));
  k.reset(bytesFor(kk * m, rows * kk, rows * m));
  const pb = putOperand(k, b, kk * m);
  const pa = k.alloc(rows * kk);
  const po = k.alloc(rows * m);
  for (let i0 = 0; i0 < n; i0 += rows) {
    const r = Math.min(rows, n - i0);
    k.f32(pa, r * kk).set(a.subarray(i0 * kk, (i0 + r) * kk));
    const o = k.f32(po, r * m);
    o.fill(0);
    k.exports.gemm(pa, kk, pb, m, po, m, r, m, 0, kk);
    out.set(o, i0 * m);
  }
}

/**
 * A mask as the kernel reads it. `code`: 0 none, 1 causal, 2 sliding window, 3 dilated window (the order of core's
 * MASK_KINDS). `keyRange` gives keys [lo, hi) that queries [i0, i1) may see (a superset: invisible weights are 0).
 */
export interface KernelMask {
  readonly code: number;
  readonly window: number;
  readonly dilation: number;
  keyRange(i0: number, i1: number, m: number): readonly [number, number];
}

/** Whether the kernel's 32-bit index arithmetic can run this mask; otherwise JS handles it. */
function fitsKernel({ code, window, dilation }: KernelMask): boolean {
  switch (code) {
    case 0:
    case 1:
      return true;
    case 2:
      return Number.isInteger(window) && Math.abs(window) < 2 ** 30;
    case 3:
      return Number.isInteger(window) && Number.isInteger(dilation) && dilation >= 1 && window < 2 ** 20 && dilation < 2 ** 20;
    default:
      return false;
  }
}

function allFinite(data: Float32Array): boolean {
  for (let p = 0; p < data.length; p++) if (!Number.isFinite(data[p])) return false;
  return true;
}

export interface AttentionArrays {
  readonly scores: Float32Array; // n × m
  readonly scaled: Float32Array; // n × m
  readonly weights: Float32Array; // n × m
  readonly output: Float32Array; // n × dV
}

/**
 * One attention head through the kernels, block of query rows by block of query rows, writing into `out`.
 * Returns false (having written nothing useful) when the inputs are outside the fast path: non-finite Q, K or V
 * (the reference's zero-weight skipping decides what 0·∞ means), or a mask the kernel does not implement.
 */
export function kernelAttention(
  k: Kernels, q: Float32Array, key: Float32Array, v: Float32Array, n: number, m: number, d: number, dV: number,
  factor: number, mask: KernelMask, out: AttentionArrays,
): boolean {
  if (!fitsKernel(mask) || !Number.isFinite(factor) || !allFinite(q) || !allFinite(key) || !allFinite(v)) return false;
  const { code, window, dilation } = mask;
  const rows = Math.min(n, blockRows(m, 64));
  k.reset(bytesFor(m * d, m * dV, rows * d, rows * m, rows * m, rows * m, rows * dV, rows));
  const pk = k.put(key);
  const pv = k.put(v);
  const pq = k.alloc(rows * d);
  const ps = k.alloc(rows * m);
  const px = k.alloc(rows * m);
  const pw = k.alloc(rows * m);
  const po = k.alloc(rows * dV);
  const pbad = k.alloc(rows);
  const { qkt, softmax, gemm } = k.exports;
  for (let i0 = 0; i0 < n; i0 += rows) {
    const r = Math.min(rows, n - i0);
    const cells = r * m;
    k.f32(pq, r * d).set(q.subarray(i0 * d, (i0 + r) * d));
    qkt(pq, pk, ps, r, m, d, m);
    out.scores.set(k.f32(ps, cells), i0 * m);
    const nBad = softmax(ps, px, pw, r, m, factor, i0, code, window, dilation, pbad);
    out.scaled.set(k.f32(px, cells), i0 * m);
    out.weights.set(k.f32(pw, cells), i0 * m);
    if (nBad > 0) {
      const bad = k.i32(pbad, nBad);
      const w = k.f32(pw, cells);
      for (const rr of bad) {
        const offset = (i0 + rr) * m;
        softmaxRow(out.scaled, out.weights, offset, m, new Float64Array(m));
        w.set(out.weights.subarray(offset, offset + m), rr * m);
      }
    }
    const [lo, hi] = mask.keyRange(i0, i0 + r, m);
    const o = k.f32(po, r * dV);
    o.fill(0);
    if (hi > lo) gemm(pw, m, pv, dV, po, dV, r, dV, lo, hi);
    out.output.set(k.f32(po, r * dV), i0 * dV);
  }
  return true;
}
