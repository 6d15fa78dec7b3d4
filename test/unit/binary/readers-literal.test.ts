/**
 * The binary readers' exact words and edge values, each worked out from the format (readers.test.ts matches the
 * messages loosely; these pin every sentence a person reads, so a changed or dropped word is caught).
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkShape, formatBytes, formatShape, halfToFloat, toFloat32, type TensorRead } from '../../../src/core/binary/common';
import { readNpy } from '../../../src/core/binary/npy';
import { readNpz } from '../../../src/core/binary/npz';
import { binaryFormat, readBinaryTensor } from '../../../src/core/binary/read';
import { readSafetensors } from '../../../src/core/binary/safetensors';

function message(r: TensorRead): string {
  if (r.ok) throw new Error('expected a problem');
  expect(r.problem.severity).toBe('error');
  return r.problem.message;
}

function shapeOf(r: TensorRead): readonly number[] {
  if (!r.ok) throw new Error(r.problem.message);
  return r.tensor.shape;
}

/** A .npy file: magic, version `major`.0, the header length (2 bytes in v1, 4 in v2/v3), the header, `dataBytes` zeros. */
function npy(header: string, dataBytes: number, major = 1): Uint8Array {
  const h = new TextEncoder().encode(`${header}\n`);
  const pre = major === 1 ? 10 : 12;
  const out = new Uint8Array(pre + h.length + dataBytes);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  if (major === 1) out.set([h.length & 0xff, h.length >> 8], 8);
  else new DataView(out.buffer).setUint32(8, h.length, true);
  out.set(h, pre);
  return out;
}

const f4 = (shape: string): string => `{'descr': '<f4', 'fortran_order': False, 'shape': ${shape}, }`;

/** A safetensors file: the 8-byte header length, the JSON header, `dataBytes` zeros. */
function safetensors(header: object, dataBytes = 16): Uint8Array {
  const h = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + h.length + dataBytes);
  new DataView(out.buffer).setUint32(0, h.length, true);
  out.set(h, 8);
  return out;
}

describe('shapes, sizes and half floats', () => {
  it('formats a shape as Python prints a tuple, and sizes in bytes, KB and MB', () => {
    expect(formatShape([5])).toBe('(5,)');
    expect(formatShape([2, 3])).toBe('(2, 3)');
    expect(formatBytes(1023)).toBe('1023 bytes');
    expect(formatBytes(1024)).toBe('1.0 KB');
    expect(formatBytes(1024 * 1024 - 1)).toBe('1024.0 KB');
    expect(formatBytes(1024 * 1024)).toBe('1.0 MB');
  });

  it('checks a declared shape: axes, whole dimensions, the element limit (2^28 is allowed), emptiness', () => {
    expect(checkShape([])).toBe('it declares a scalar (shape ()), but attention weights need 2 to 5 axes');
    expect(checkShape([1, 1, 1, 1, 1, 1, 1, 2])).toBe(2);
    expect(checkShape([1, 1, 1, 1, 1, 1, 1, 1, 2])).toBe('it declares 9 axes (1, 1, 1, 1, 1, 1, 1, 1, 2); attention weights need 2 to 5');
    expect(checkShape([2, 1.5])).toBe('its shape (2, 1.5) has a dimension that is not a whole number ≥ 0');
    expect(checkShape([2, -1])).toBe('its shape (2, -1) has a dimension that is not a whole number ≥ 0');
    expect(checkShape([2 ** 28])).toBe(2 ** 28);
    expect(checkShape([2 ** 28 + 1])).toBe(
      'its shape (268435457,) declares more than 268,435,456 values (the limit is 1024.0 MB as float32); export fewer layers, heads or tokens',
    );
    expect(checkShape([0, 3])).toBe('its shape (0, 3) holds no values');
  });

  it('reads IEEE half floats: signed zero and infinity, the largest subnormal, the smallest normal, the largest finite', () => {
    expect(Object.is(halfToFloat(0x8000), -0)).toBe(true);
    expect(halfToFloat(0xfc00)).toBe(-Infinity);
    expect(halfToFloat(0x03ff)).toBe(1023 * 2 ** -24);
    expect(halfToFloat(0x0400)).toBe(2 ** -14);
    expect(halfToFloat(0x7bff)).toBe(65504);
    expect(halfToFloat(0x13c00)).toBe(1); // only the low 16 bits count
  });

  it('converts float64, float16 and bfloat16 at odd offsets through a DataView, little-endian', () => {
    const bytes = new Uint8Array(1 + 16);
    const dv = new DataView(bytes.buffer);
    dv.setFloat64(1, 1.5, true);
    dv.setFloat64(9, -0.25, true);
    expect([...toFloat32(bytes, 1, 2, 'f8')]).toEqual([1.5, -0.25]);
    dv.setUint16(1, 0x3c00, true); // float16 1
    dv.setUint16(3, 0xc000, true); // float16 −2
    expect([...toFloat32(bytes, 1, 2, 'f2')]).toEqual([1, -2]);
    dv.setUint16(1, 0x3fc0, true); // bfloat16 1.5
    dv.setUint16(3, 0xc080, true); // bfloat16 −4
    expect([...toFloat32(bytes, 1, 2, 'bf16')]).toEqual([1.5, -4]);
    dv.setFloat32(1, 0.75, true);
    dv.setFloat32(5, -3, true);
    expect([...toFloat32(bytes, 1, 2, 'f4')]).toEqual([0.75, -3]);
  });

  it('reads aligned float64 and float16 in place of a DataView, with the same values', () => {
    const f8 = new Float64Array([2.5, -1]);
    expect([...toFloat32(new Uint8Array(f8.buffer), 0, 2, 'f8')]).toEqual([2.5, -1]);
    const f2 = new Uint16Array([0x3800, 0xbc00]); // 0.5, −1
    expect([...toFloat32(new Uint8Array(f2.buffer), 0, 2, 'f2')]).toEqual([0.5, -1]);
  });
});

describe('.npy messages', () => {
  it('names what is wrong with the preamble and the version', () => {
    expect(message(readNpy(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59])))).toBe('The .npy file cannot be read: it is truncated: 6 bytes, too short for a .npy header.');
    expect(message(readNpy(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 4, 1, 0, 0]))))
      .toBe('The .npy file cannot be read: it uses .npy format version 4.1; versions 1.0, 2.0 and 3.0 are supported.');
    expect(message(readNpy(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 2, 0, 0, 0, 0]))))
      .toBe('The .npy file cannot be read: it is truncated inside the .npy preamble (11 bytes).');
    expect(message(readNpy(new Uint8Array([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x58, 1, 0, 0, 0]))))
      .toBe('The .npy file cannot be read: it is not a NumPy .npy file (it does not start with "\\x93NUMPY").');
  });

  it('reads versions 2 and 3 (a 4-byte header length), "|" and "=" byte orders and Python 2 long dimensions', () => {
    expect(shapeOf(readNpy(npy("{'descr': '<f2', 'fortran_order': False, 'shape': (3,), }", 6, 2)))).toEqual([3]);
    expect(shapeOf(readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }", 8, 3)))).toEqual([2, 1]);
    expect(shapeOf(readNpy(npy("{'descr': '|f4', 'fortran_order': False, 'shape': (2L, 1L), }", 8)))).toEqual([2, 1]);
    expect(shapeOf(readNpy(npy("{'descr': '=f8', 'fortran_order': False, 'shape': (1,), }", 8)))).toEqual([1]);
    expect(shapeOf(readNpy(npy('{"descr": "<f4", "fortran_order": False, "shape": ( 2 , 2 ), }', 16)))).toEqual([2, 2]);
  });

  it('names the missing header field', () => {
    expect(message(readNpy(npy("{'fortran_order': False, 'shape': (3,), }", 6)))).toBe('The .npy file cannot be read: its header has no "descr" (the data type).');
    expect(message(readNpy(npy("{'descr': '<f4', 'shape': (3,), }", 6)))).toBe('The .npy file cannot be read: its header has no "fortran_order".');
    expect(message(readNpy(npy("{'descr': '<f4', 'fortran_order': False, }", 6)))).toBe('The .npy file cannot be read: its header has no "shape".');
    expect(message(readNpy(npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }", 8))))
      .toBe('The .npy file cannot be read: it holds a structured array (a record dtype); save a plain float array, e.g. np.save(path, attn.astype(np.float32)).');
  });

  it('says how to convert other data types, Fortran order and bad shapes', () => {
    const as = (header: string, bytes = 12): string => message(readNpy(npy(header, bytes), 'x.npy'));
    const only = 'but only float32 ("<f4"), float64 ("<f8") and float16 ("<f2") are read';
    expect(as("{'descr': '<i4', 'fortran_order': False, 'shape': (3,), }")).toBe(`x.npy cannot be read: its data type is "<i4", ${only}: convert with attn.astype(np.float32).`);
    expect(as("{'descr': '>f4', 'fortran_order': False, 'shape': (3,), }")).toBe(`x.npy cannot be read: its data type is ">f4", ${only}: it is big-endian; convert with attn.astype("<f4").`);
    expect(as("{'descr': '|i1', 'fortran_order': False, 'shape': (3,), }")).toBe(`x.npy cannot be read: its data type is "|i1", ${only}: convert with attn.astype(np.float32).`);
    expect(as("{'descr': '<f4', 'fortran_order': True, 'shape': (3,), }"))
      .toBe('x.npy cannot be read: it is stored in Fortran (column-major) order; save a C-order array instead: np.save(path, np.ascontiguousarray(attn)).');
    expect(as(f4('(2, x)'))).toBe('x.npy cannot be read: its shape (2, x) is not a tuple of whole numbers.');
    expect(as(f4('(3,)'), 11)).toBe('x.npy is truncated: its shape (3,) needs 12 bytes of data, but only 11 bytes follow the header.');
    expect(as(f4('()'), 4)).toBe('x.npy cannot be read: it declares a scalar (shape ()), but attention weights need 2 to 5 axes.');
  });
});

describe('.npz messages', () => {
  // One float32 1 in a (1, 1) array, as np.savez (stored) and np.savez_compressed (deflate) write it.
  const member = npy(f4('(1, 1)'), 4);
  new DataView(member.buffer).setFloat32(member.length - 4, 1, true);
  const stored = zipSync({ 'w.npy': member, 'v.npy': member }, { level: 0 });
  const deflated = zipSync({ 'w.npy': member }, { level: 6 });
  /** A copy of `zip` with its first central directory entry edited (offsets from APPNOTE.TXT 4.3.12). */
  function edited(zip: Uint8Array, edit: (dv: DataView, entry: number) => void): Uint8Array {
    const copy = zip.slice();
    const dv = new DataView(copy.buffer);
    let eocd = copy.length - 22;
    while (dv.getUint32(eocd, true) !== 0x06054b50) eocd--;
    edit(dv, dv.getUint32(eocd + 16, true));
    return copy;
  }
  const npz = (zip: Uint8Array, maxBytes = Infinity): string => message(readNpz(zip, undefined, 'z.npz', maxBytes));

  it('reads a named array with or without ".npy" and lists the others', () => {
    const v = readNpz(stored, 'v.npy');
    expect(v.ok && { name: v.name, others: v.others, data: [...v.tensor.data] }).toEqual({ name: 'v', others: ['w'], data: [1] });
    expect(message(readNpz(stored, 'u', 'z.npz'))).toBe('z.npz has no array named "u"; it holds "w", "v".');
    expect(shapeOf(readNpz(deflated))).toEqual([1, 1]);
  });

  it('refuses encrypted, unknown-method, inconsistent and misplaced members in one sentence each', () => {
    expect(npz(edited(stored, (dv, e) => dv.setUint16(e + 8, 1, true)))).toBe('z.npz, array "w.npy", is encrypted.');
    expect(npz(edited(stored, (dv, e) => dv.setUint16(e + 10, 12, true))))
      .toBe('z.npz, array "w.npy", uses zip compression method 12; only stored (np.savez) and deflate (np.savez_compressed) are read.');
    expect(npz(edited(stored, (dv, e) => dv.setUint32(e + 24, 5, true)))).toBe('z.npz, array "w.npy", is stored uncompressed but declares two different sizes.');
    expect(npz(edited(stored, (dv, e) => dv.setUint32(e + 42, 7, true)))).toBe('z.npz, array "w.npy", has no local header where the directory says (the file is damaged).');
    expect(npz(edited(stored, (dv, e) => dv.setUint32(e, 7, true)))).toBe('z.npz cannot be read: its central directory entry 1 is damaged.');
    expect(npz(zipSync({ 'd/': new Uint8Array(0) }))).toBe('z.npz holds no arrays.');
    expect(npz(new Uint8Array(30))).toBe('z.npz cannot be read: it is not a complete zip archive (no end-of-central-directory record; the file may be truncated).');
    expect(npz(new Uint8Array(21))).toBe('z.npz cannot be read: it is too short to be a zip archive.');
  });

  it('inflates exactly the declared size: the budget, and streams that end short or run long', () => {
    expect(npz(deflated, 10))
      .toBe('z.npz, array "w.npy", is 74 bytes uncompressed, over the memory budget of 10 bytes (setting selfAttention.memoryBudgetMB); export fewer layers, heads or tokens.');
    expect(shapeOf(readNpz(deflated, undefined, 'z.npz', 74))).toEqual([1, 1]);
    expect(shapeOf(readNpz(stored, undefined, 'z.npz', 10))).toEqual([1, 1]); // stored members are the file's own bytes
    expect(npz(edited(deflated, (dv, e) => dv.setUint32(e + 24, 1000, true))))
      .toBe('z.npz, array "w.npy", decompressed to 74 bytes, not the 1000 bytes its directory declares (the file is damaged).');
    expect(npz(edited(deflated, (dv, e) => dv.setUint32(e + 24, 70, true))))
      .toBe('z.npz, array "w.npy", decompresses to more than the 70 bytes its directory declares (the file is damaged or hostile).');
  });
});

describe('.safetensors messages', () => {
  const prefix = (lo: number, hi: number): Uint8Array => {
    const out = new Uint8Array(16);
    new DataView(out.buffer).setUint32(0, lo, true);
    new DataView(out.buffer).setUint32(4, hi, true);
    return out;
  };
  const st = (bytes: Uint8Array, name?: string): string => message(readSafetensors(bytes, name, 's'));
  const square = { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] };

  it('checks the header length against the 16 MB limit and the file', () => {
    expect(st(new Uint8Array(5))).toBe('s cannot be read: it is 5 bytes long, too short for a safetensors header.');
    const limit = 'over the 16.0 MB limit for attention files (is it a safetensors file of attention weights?).';
    expect(st(prefix(2 ** 24 + 1, 0))).toBe(`s cannot be read: its header claims to be 16.0 MB long, ${limit}`);
    expect(st(prefix(0, 1))).toBe(`s cannot be read: its header claims to be over 4 GB long, ${limit}`);
    expect(st(prefix(20, 0))).toBe('s is truncated: the header claims 20 bytes, but the file has 8 bytes after the length.');
    expect(st(safetensors([1]))).toBe('s cannot be read: its header is not a JSON object.');
    expect(st(safetensors(null as unknown as object))).toBe('s cannot be read: its header is not a JSON object.');
    expect(st(new Uint8Array([...prefix(2, 0).subarray(0, 8), 0x7b, 0xff]))).toMatch(/^s cannot be read: its header is not valid JSON \(.+\)\.$/);
  });

  it('names the entry, the tensor and the field at fault', () => {
    expect(st(safetensors({ a: 3 }))).toBe('s cannot be read: header entry "a" is not an object.');
    expect(st(safetensors({ a: null }))).toBe('s cannot be read: header entry "a" is not an object.');
    expect(st(safetensors({ a: [square] }))).toBe('s cannot be read: header entry "a" is not an object.');
    expect(st(safetensors({ __metadata__: { x: 'y' } }))).toBe('s holds no tensors.');
    expect(st(safetensors({ a: square, b: { dtype: 'F32', shape: [2], data_offsets: [0, 8] } }), 'c')).toBe('s has no tensor named "c"; it holds "a", "b".');
    expect(st(safetensors({ a: { ...square, dtype: 7 } }))).toBe('s, tensor "a", has data type 7; only F32, F16, BF16 and F64 are read. Save float32: t.float().numpy().');
    expect(st(safetensors({ a: { ...square, shape: [2, '2'] } }))).toBe('s, tensor "a", has no valid "shape" (a list of whole numbers).');
    expect(st(safetensors({ a: { ...square, shape: 4 } }))).toBe('s, tensor "a", has no valid "shape" (a list of whole numbers).');
    expect(st(safetensors({ a: { ...square, shape: [] } }))).toBe('s, tensor "a", cannot be read: it declares a scalar (shape ()), but attention weights need 2 to 5 axes.');
    const offsets = 's, tensor "a", has no valid "data_offsets" ([begin, end] with 0 ≤ begin ≤ end).';
    expect(st(safetensors({ a: { ...square, data_offsets: [0] } }))).toBe(offsets);
    expect(st(safetensors({ a: { ...square, data_offsets: [0, 16, 16] } }))).toBe(offsets);
    expect(st(safetensors({ a: { ...square, data_offsets: [-1, 15] } }))).toBe(offsets);
    expect(st(safetensors({ a: { ...square, data_offsets: 'x' } }))).toBe(offsets);
    expect(st(safetensors({ a: { ...square, dtype: 'F16' } }))).toBe('s, tensor "a", declares shape (2, 2) of F16 (8 bytes), but its data_offsets span 16 bytes.');
    expect(st(safetensors({ a: { ...square, data_offsets: [4, 20] } }))).toBe('s, tensor "a", is truncated: its data ends at byte 85, but the file has 81.');
  });

  it('keeps only the string values of __metadata__, and reads the tensor at its offset', () => {
    const bytes = safetensors({ __metadata__: { tokens: '["a"]', n: 3 }, a: { ...square, data_offsets: [4, 20] } }, 20);
    new DataView(bytes.buffer).setFloat32(bytes.length - 20 + 4, 0.5, true);
    const r = readSafetensors(bytes);
    expect(r.ok && { metadata: r.metadata, others: r.others, first: r.tensor.data[0] }).toEqual({ metadata: { tokens: '["a"]' }, others: [], first: 0.5 });
    const text = readSafetensors(safetensors({ __metadata__: 'tokens', a: square }));
    expect(text.ok && 'metadata' in text).toBe(false);
    const plain = readSafetensors(safetensors({ a: square }));
    expect(plain.ok && 'metadata' in plain).toBe(false);
  });
});

describe('readBinaryTensor', () => {
  it('takes the format from the extension of the base name, in any case', () => {
    expect(binaryFormat('a.NPY')).toBe('npy');
    expect(binaryFormat('a.Safetensors')).toBe('safetensors');
    expect(binaryFormat('a.npy.json')).toBeUndefined();
    expect(binaryFormat('npz')).toBeUndefined();
    expect(message(readBinaryTensor(new Uint8Array(3), 'a/b\\x.bin'))).toBe('x.bin is not a binary attention file: use .npy, .npz or .safetensors.');
    expect(message(readBinaryTensor(new Uint8Array(3), 'dir/x.npy'))).toBe('x.npy cannot be read: it is not a NumPy .npy file (it does not start with "\\x93NUMPY").');
    expect(message(readBinaryTensor(new Uint8Array(3), 'dir\\x.npz'))).toBe('x.npz cannot be read: it is too short to be a zip archive.');
    expect(message(readBinaryTensor(new Uint8Array(3), 'x.safetensors'))).toBe('x.safetensors cannot be read: it is 3 bytes long, too short for a safetensors header.');
  });
});
