/**
 * Shared pieces of the binary tensor readers (.npy, .npz, .safetensors). Pure: Uint8Array in,
 * float32 out, no vscode / DOM / node imports. Every reader validates what a header declares
 * against the bytes actually present before allocating anything, so a truncated or lying file
 * gives a clear Problem, never a crash or a giant allocation.
 */
import type { Problem } from '../types';

/** A dense C-order tensor, converted to float32. */
export interface BinaryTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

export type TensorRead =
  | {
    readonly ok: true;
    readonly tensor: BinaryTensor;
    /** The array's name inside an .npz / .safetensors file. */
    readonly name?: string;
    /** Other arrays in the same file, which were not read. */
    readonly others?: readonly string[];
    /** safetensors `__metadata__` (string → string). */
    readonly metadata?: Readonly<Record<string, string>>;
  }
  | { readonly ok: false; readonly problem: Problem };

/** Most elements one tensor may hold: 2^28 (1 GiB as float32). A 12×12×512×512 export is 37.7 M. */
export const MAX_TENSOR_ELEMENTS = 2 ** 28;

/** Most axes accepted (attention needs at most 5). */
export const MAX_AXES = 8;

export type DType = 'f4' | 'f8' | 'f2' | 'bf16';

export const ITEM_SIZE: Readonly<Record<DType, number>> = { f4: 4, f8: 8, f2: 2, bf16: 2 };

export function bad(message: string): { ok: false; problem: Problem } {
  return { ok: false, problem: { severity: 'error', message } };
}

export function formatShape(shape: readonly number[]): string {
  return `(${shape.join(', ')}${shape.length === 1 ? ',' : ''})`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MB`;
}

/**
 * Checks a declared shape: whole non-negative dimensions, at most MAX_AXES, at most MAX_TENSOR_ELEMENTS
 * in all. Returns the element count or a message.
 */
export function checkShape(shape: readonly number[]): number | string {
  if (shape.length === 0) return 'it declares a scalar (shape ()), but attention weights need 2 to 5 axes';
  if (shape.length > MAX_AXES) return `it declares ${shape.length} axes ${formatShape(shape)}; attention weights need 2 to 5`;
  let count = 1;
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) return `its shape ${formatShape(shape)} has a dimension that is not a whole number ≥ 0`;
    count *= d;
    if (count > MAX_TENSOR_ELEMENTS) {
      return `its shape ${formatShape(shape)} declares more than ${MAX_TENSOR_ELEMENTS.toLocaleString('en-US')} values (the limit is ${formatBytes(MAX_TENSOR_ELEMENTS * 4)} as float32); export fewer layers, heads or tokens`;
    }
  }
  if (count === 0) return `its shape ${formatShape(shape)} holds no values`;
  return count;
}

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

let halfTable: Float32Array | undefined;

/** float16 bit pattern → float32 value, for all 65 536 patterns (built once, 256 KB). */
function halfToFloatTable(): Float32Array {
  if (halfTable) return halfTable;
  const t = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >> 10) & 0x1f;
    const frac = h & 0x3ff;
    if (exp === 0) t[h] = sign * frac * 2 ** -24;
    else if (exp === 31) t[h] = frac === 0 ? sign * Infinity : NaN;
    else t[h] = sign * (1 + frac / 1024) * 2 ** (exp - 15);
  }
  halfTable = t;
  return t;
}

/** One IEEE half-precision value (for tests and single reads). */
export function halfToFloat(bits: number): number {
  return halfToFloatTable()[bits & 0xffff];
}

/**
 * Reads `count` little-endian values of `dtype` starting at `offset` in `bytes` as float32.
 * float32 data that is 4-byte aligned is returned as a view on the same buffer (no copy); the caller
 * must not reuse `bytes` afterwards. Assumes the range was checked against bytes.length.
 */
export function toFloat32(bytes: Uint8Array, offset: number, count: number, dtype: DType): Float32Array {
  const start = bytes.byteOffset + offset;
  const buffer = bytes.buffer;
  switch (dtype) {
    case 'f4': {
      if (LITTLE_ENDIAN && start % 4 === 0) return new Float32Array(buffer, start, count);
      const out = new Float32Array(count);
      if (LITTLE_ENDIAN) {
        new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + count * 4));
      } else {
        const dv = new DataView(buffer, start, count * 4);
        for (let i = 0; i < count; i++) out[i] = dv.getFloat32(i * 4, true);
      }
      return out;
    }
    case 'f8': {
      const out = new Float32Array(count);
      if (LITTLE_ENDIAN && start % 8 === 0) {
        const src = new Float64Array(buffer, start, count);
        for (let i = 0; i < count; i++) out[i] = src[i];
      } else {
        const dv = new DataView(buffer, start, count * 8);
        for (let i = 0; i < count; i++) out[i] = dv.getFloat64(i * 8, true);
      }
      return out;
    }
    case 'f2':
    case 'bf16': {
      const out = new Float32Array(count);
      const halves = LITTLE_ENDIAN && start % 2 === 0 ? new Uint16Array(buffer, start, count) : undefined;
      const dv = halves ? undefined : new DataView(buffer, start, count * 2);
      const bits = (i: number): number => (halves ? halves[i] : (dv as DataView).getUint16(i * 2, true));
      if (dtype === 'f2') {
        const table = halfToFloatTable();
        for (let i = 0; i < count; i++) out[i] = table[bits(i)];
      } else {
        // bfloat16 is the top half of a float32.
        const u32 = new Uint32Array(out.buffer);
        for (let i = 0; i < count; i++) u32[i] = bits(i) << 16;
      }
      return out;
    }
  }
}
