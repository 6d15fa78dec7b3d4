import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  halfToFloat,
  MAX_TENSOR_ELEMENTS,
  readBinaryTensor,
  readNpy,
  readNpz,
  readSafetensors,
  type TensorRead,
} from '../../../src/core';

const dir = path.join(__dirname, '../../fixtures/binary');
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(dir, name)));
const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { shape: number[]; data: number[]; tokens: string[] };

function ok(r: TensorRead): Extract<TensorRead, { ok: true }> {
  if (!r.ok) throw new Error(r.problem.message);
  return r;
}
function message(r: TensorRead): string {
  if (r.ok) throw new Error('expected a problem');
  expect(r.problem.severity).toBe('error');
  return r.problem.message;
}
function close(a: Float32Array, b: readonly number[], tol: number): void {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}
const exact = new Float32Array(expected.data);

describe('.npy', () => {
  it.each(['attn_f4.npy', 'attn_v2.npy', 'attn_v3.npy'])('reads float32 %s exactly', (name) => {
    const r = ok(readNpy(load(name)));
    expect(r.tensor.shape).toEqual(expected.shape);
    expect([...r.tensor.data]).toEqual([...exact]);
  });

  it('reads aligned float32 without copying', () => {
    const bytes = load('attn_f4.npy');
    const r = ok(readNpy(bytes));
    expect(r.tensor.data.buffer).toBe(bytes.buffer);
  });

  it('still reads float32 at an unaligned offset (copies)', () => {
    const src = load('attn_f4.npy');
    const shifted = new Uint8Array(src.length + 1).subarray(1);
    shifted.set(src);
    const r = ok(readNpy(shifted));
    expect([...r.tensor.data]).toEqual([...exact]);
  });

  it('converts float64 and float16', () => {
    close(ok(readNpy(load('attn_f8.npy'))).tensor.data, expected.data, 0);
    close(ok(readNpy(load('attn_f2.npy'))).tensor.data, expected.data, 5e-4);
  });

  it('refuses Fortran order, integer and big-endian data with a hint', () => {
    expect(message(readNpy(load('fortran.npy'), 'fortran.npy'))).toMatch(/fortran.npy cannot be read: .*Fortran \(column-major\).*np\.ascontiguousarray/);
    expect(message(readNpy(load('int32.npy')))).toMatch(/"<i4".*float32/);
    expect(message(readNpy(load('big_endian.npy')))).toMatch(/">f4".*big-endian/);
  });

  it('refuses truncated data and headers', () => {
    const bytes = load('attn_f4.npy');
    expect(message(readNpy(bytes.subarray(0, bytes.length - 1)))).toMatch(/truncated: its shape \(2, 3, 4, 4\) needs 384 bytes of data, but only 383/);
    expect(message(readNpy(bytes.subarray(0, 40)))).toMatch(/truncated: the header claims/);
    expect(message(readNpy(bytes.subarray(0, 9)))).toMatch(/truncated/);
    expect(message(readNpy(new TextEncoder().encode('hello world')))).toMatch(/not a NumPy .npy file/);
  });

  it('refuses a huge declared shape before allocating anything', () => {
    const npy = (header: string, dataBytes: number): Uint8Array => {
      const h = new TextEncoder().encode(`${header}\n`);
      const out = new Uint8Array(10 + h.length + dataBytes);
      out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, h.length & 0xff, h.length >> 8]);
      out.set(h, 10);
      return out;
    };
    expect(message(readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (99999, 99999, 9), }", 64))))
      .toMatch(new RegExp(`more than ${MAX_TENSOR_ELEMENTS.toLocaleString('en-US')} values`));
    expect(message(readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", 4)))).toMatch(/scalar/);
    expect(message(readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, x), }", 4)))).toMatch(/not a tuple of whole numbers/);
    expect(message(readNpy(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 8)))).toMatch(/structured array/);
    expect(ok(readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", 8))).tensor.shape).toEqual([2]);
  });

  it('refuses a lying header length', () => {
    const bytes = load('attn_f4.npy').slice();
    bytes[8] = 0xff;
    bytes[9] = 0xff;
    expect(message(readNpy(bytes))).toMatch(/truncated|no "/);
    const v2 = load('attn_v2.npy').slice();
    v2.set([0xff, 0xff, 0xff, 0x7f], 8);
    expect(message(readNpy(v2))).toMatch(/header claims to be .* long/);
  });
});

describe('.npz', () => {
  it('reads the named array, or the first one, and lists the others', () => {
    const named = ok(readNpz(load('multi.npz'), 'attention'));
    expect(named.name).toBe('attention');
    expect(named.others).toEqual(['other']);
    expect([...named.tensor.data]).toEqual([...exact]);
    const first = ok(readNpz(load('multi.npz')));
    expect(first.name).toBe('other');
    expect(first.tensor.shape).toEqual([2, 2]);
    expect(message(readNpz(load('multi.npz'), 'nope'))).toMatch(/no array named "nope"; it holds "other", "attention"/);
  });

  it('inflates np.savez_compressed', () => {
    const r = ok(readNpz(load('compressed.npz')));
    expect(r.tensor.shape).toEqual(expected.shape);
    expect([...r.tensor.data]).toEqual([...exact]);
  });

  it('refuses truncated or damaged archives', () => {
    const bytes = load('compressed.npz');
    expect(message(readNpz(bytes.subarray(0, bytes.length - 30)))).toMatch(/end-of-central-directory|central directory/);
    expect(message(readNpz(bytes.subarray(0, 10)))).toMatch(/too short/);
    // corrupt the deflate stream
    const bad = bytes.slice();
    for (let i = 60; i < 200; i++) bad[i] ^= 0x5a;
    const r = readNpz(bad);
    expect(r.ok).toBe(false);
  });

  it('refuses a member whose declared size is a lie (bomb guard)', () => {
    const bytes = load('compressed.npz').slice();
    const dv = new DataView(bytes.buffer);
    // find the central directory entry and declare a 900 MB uncompressed size
    let p = bytes.length - 22;
    while (dv.getUint32(p, true) !== 0x06054b50) p--;
    const cd = dv.getUint32(p + 16, true);
    dv.setUint32(cd + 24, 900 * 1024 * 1024, true);
    expect(message(readNpz(bytes))).toMatch(/impossible compression ratio/);
    dv.setUint32(cd + 24, 0xfffffff0, true);
    expect(message(readNpz(bytes))).toMatch(/over the .* limit/);
  });
});

describe('.safetensors', () => {
  it('reads F32 and its metadata', () => {
    const r = ok(readSafetensors(load('attn_f32.safetensors')));
    expect(r.name).toBe('attention');
    expect(JSON.parse(r.metadata?.tokens ?? 'null')).toEqual(expected.tokens);
    expect([...r.tensor.data]).toEqual([...exact]);
  });

  it('converts F16, BF16 and F64', () => {
    close(ok(readSafetensors(load('attn_f16.safetensors'))).tensor.data, expected.data, 5e-4);
    close(ok(readSafetensors(load('attn_bf16.safetensors'))).tensor.data, expected.data, 4e-3);
    close(ok(readSafetensors(load('attn_f64.safetensors'))).tensor.data, expected.data, 0);
  });

  it('picks a named tensor or the first', () => {
    expect(ok(readSafetensors(load('two.safetensors'))).name).toBe('a_first');
    const r = ok(readSafetensors(load('two.safetensors'), 'b_attention'));
    expect(r.tensor.shape).toEqual(expected.shape);
    expect(r.others).toEqual(['a_first']);
  });

  it('refuses other dtypes, lying headers and truncation', () => {
    expect(message(readSafetensors(load('i64.safetensors')))).toMatch(/data type "I64"; only F32, F16, BF16 and F64/);
    const bytes = load('attn_f32.safetensors');
    expect(message(readSafetensors(bytes.subarray(0, bytes.length - 4)))).toMatch(/truncated: its data ends at byte/);
    expect(message(readSafetensors(bytes.subarray(0, 5)))).toMatch(/too short/);
    const huge = bytes.slice();
    new DataView(huge.buffer).setUint32(0, 0xfffffff0, true);
    expect(message(readSafetensors(huge))).toMatch(/header claims/);
    const over = bytes.slice();
    new DataView(over.buffer).setUint32(4, 1, true);
    expect(message(readSafetensors(over))).toMatch(/over 4 GB/);
    const json = bytes.slice();
    json[8] = 0x7b + 1; // "{" → "|"
    expect(message(readSafetensors(json))).toMatch(/not valid JSON/);
  });

  it('refuses data_offsets that disagree with the shape, and huge shapes', () => {
    const make = (header: object, dataBytes = 16): Uint8Array => {
      const h = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(8 + h.length + dataBytes);
      new DataView(out.buffer).setUint32(0, h.length, true);
      out.set(h, 8);
      return out;
    };
    expect(message(readSafetensors(make({ a: { dtype: 'F32', shape: [4, 4], data_offsets: [0, 16] } })))).toMatch(/data_offsets span 16 bytes/);
    expect(message(readSafetensors(make({ a: { dtype: 'F32', shape: [1e6, 1e6], data_offsets: [0, 16] } })))).toMatch(/more than .* values/);
    expect(message(readSafetensors(make({ a: { dtype: 'F32', shape: [2, 2], data_offsets: [8, 4] } })))).toMatch(/data_offsets/);
    expect(message(readSafetensors(make({ a: { dtype: 'F32', shape: [-2, 2], data_offsets: [0, 16] } })))).toMatch(/not a whole number/);
    expect(message(readSafetensors(make({ a: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] } }, 8)))).toMatch(/truncated/);
    expect(message(readSafetensors(make({})))).toMatch(/no tensors/);
  });
});

describe('readBinaryTensor', () => {
  it('dispatches by extension', () => {
    expect(ok(readBinaryTensor(load('attn_f4.npy'), 'dir/x.npy')).tensor.shape).toEqual(expected.shape);
    expect(ok(readBinaryTensor(load('compressed.npz'), 'x.NPZ')).tensor.shape).toEqual(expected.shape);
    expect(message(readBinaryTensor(load('attn_f4.npy'), 'x.bin'))).toMatch(/use .npy, .npz or .safetensors/);
    expect(message(readBinaryTensor(load('attn_f4.npy'), 'x.safetensors'))).toMatch(/x.safetensors/);
  });

  it('halfToFloat handles subnormals, infinities and NaN', () => {
    expect(halfToFloat(0x3c00)).toBe(1);
    expect(halfToFloat(0xc000)).toBe(-2);
    expect(halfToFloat(0x0001)).toBe(2 ** -24);
    expect(halfToFloat(0x7c00)).toBe(Infinity);
    expect(halfToFloat(0x7e00)).toBeNaN();
  });
});
