/**
 * The .npy and .safetensors readers at the edges of what they accept: each length and limit exactly at and one past
 * its bound, headers spaced and encoded as other writers do, and the values behind every data type code.
 */
import { describe, expect, it } from 'vitest';
import { message, values } from './tensorReads';
import { halfToFloat } from '../../../src/core/binary/common';
import { readNpy } from '../../../src/core/binary/npy';
import { BINARY_EXTENSIONS, binaryFormat } from '../../../src/core/binary/read';
import { readSafetensors } from '../../../src/core/binary/safetensors';



/** A .npy file: magic, version `major`.0, the header length, the header's bytes, then `data`. */
function npy(header: Uint8Array | string, data: number[] = [], major = 1): Uint8Array {
  const h = typeof header === 'string' ? new TextEncoder().encode(header) : header;
  const pre = major === 1 ? 10 : 12;
  const out = new Uint8Array(pre + h.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  if (major === 1) out.set([h.length & 0xff, h.length >> 8], 8);
  else new DataView(out.buffer).setUint32(8, h.length, true);
  out.set(h, pre);
  out.set(data, pre + h.length);
  return out;
}

/** A .npy preamble alone: magic, version `major`.0 and the 2- or 4-byte header length `lengthBytes`, then `rest` zeros. */
const preamble = (major: number, lengthBytes: number[], rest = 0): Uint8Array =>
  Uint8Array.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0, ...lengthBytes, ...new Array<number>(rest).fill(0)]);

const FLOAT_ONE = { f4: [0, 0, 0x80, 0x3f], f8: [0, 0, 0, 0, 0, 0, 0xf0, 0x3f], f2: [0x00, 0x3c] };

// First in the file: the half-float table is built on the first read of a float16, and its first reader is what
// Stryker's per-test coverage credits with the table's code.
describe('half floats', () => {
  it('an all-ones exponent with a fraction is NaN, not infinity', () => {
    expect(halfToFloat(0x7c01)).toBeNaN();
    expect(halfToFloat(0x7e00)).toBeNaN();
    expect(halfToFloat(0xfe00)).toBeNaN();
    expect(halfToFloat(0x7c00)).toBe(Infinity);
  });
});

describe('.npy lengths at their bounds', () => {
  it('a v1 preamble of exactly 10 bytes is complete: its header, 0 bytes long, is then read (and lacks "descr")', () => {
    expect(message(readNpy(preamble(1, [0, 0])))).toBe('The .npy file cannot be read: its header has no "descr" (the data type).');
  });

  it('reads all four bytes of a v2 header length: 2^24 is 16 MB, far over the 1 MB allowed', () => {
    expect(message(readNpy(preamble(2, [0, 0, 0, 1])))).toBe('The .npy file cannot be read: its header claims to be 16.0 MB long, far more than a .npy header needs.');
  });

  it('a header of exactly 1 MB is allowed, and then found truncated; the message counts the bytes after the preamble', () => {
    expect(message(readNpy(preamble(2, [0, 0, 0x10, 0], 5))))
      .toBe('The .npy file cannot be read: it is truncated: the header claims 1048576 bytes, but the file ends after 5.');
  });

  it('a header that ends at the last byte is complete; the data it declares is then missing', () => {
    expect(message(readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }"))))
      .toBe('The .npy file is truncated: its shape (1, 1) needs 4 bytes of data, but only 0 bytes follow the header.');
  });
});

describe('.npy headers as other writers space and encode them', () => {
  it('spaces around the colons, or none at all, as Python\'s literal_eval accepts', () => {
    const spaced = "{'descr' : '<f4', 'fortran_order' : False, 'shape' : (1, 1), }";
    const tight = "{'descr':'<f4','fortran_order':False,'shape':(1,1)}";
    expect(values(readNpy(npy(spaced, FLOAT_ONE.f4)))).toEqual([1]);
    expect(values(readNpy(npy(tight, FLOAT_ONE.f4)))).toEqual([1]);
    const structured = 'The .npy file cannot be read: it holds a structured array (a record dtype); save a plain float array, e.g. np.save(path, attn.astype(np.float32)).';
    expect(message(readNpy(npy("{'descr' : [('a', '<f4')], 'fortran_order': False, 'shape': (1, 1), }", FLOAT_ONE.f4)))).toBe(structured);
    expect(message(readNpy(npy("{'descr':[('a','<f4')],'fortran_order':False,'shape':(1,1)}", FLOAT_ONE.f4)))).toBe(structured);
  });

  it('versions 1 and 2 decode the header as Latin-1, version 3 as UTF-8', () => {
    const latin1 = Uint8Array.from([...new TextEncoder().encode("{'descr': '<f4', 'fortran_order': False, 'shape': (2, "), 0xe9, 0x29, 0x7d]);
    const notWhole = 'The .npy file cannot be read: its shape (2, é) is not a tuple of whole numbers.';
    expect(message(readNpy(npy(latin1)))).toBe(notWhole);
    expect(message(readNpy(npy(latin1, [], 2)))).toBe(notWhole);
    expect(message(readNpy(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, é)}", [], 3)))).toBe(notWhole);
  });

  it('each dimension is digits and nothing else; the message quotes the shape trimmed', () => {
    const shape = (s: string): string => message(readNpy(npy(`{'descr': '<f4', 'fortran_order': False, 'shape': ${s}, }`)));
    expect(shape('(2, 3x)')).toBe('The .npy file cannot be read: its shape (2, 3x) is not a tuple of whole numbers.');
    expect(shape('(2, x3)')).toBe('The .npy file cannot be read: its shape (2, x3) is not a tuple of whole numbers.');
    expect(shape('( 2, x )')).toBe('The .npy file cannot be read: its shape (2, x) is not a tuple of whole numbers.');
  });

  it('the native-order codes "=f4", "=f8" and "=f2" read their data as little-endian float32, float64 and float16', () => {
    const one = (code: string, bytes: number[]): number[] => values(readNpy(npy(`{'descr': '${code}', 'fortran_order': False, 'shape': (1, 1), }`, bytes)));
    expect(one('=f4', FLOAT_ONE.f4)).toEqual([1]);
    expect(one('=f8', FLOAT_ONE.f8)).toEqual([1]);
    expect(one('=f2', FLOAT_ONE.f2)).toEqual([1]);
  });
});

describe('.safetensors at its bounds', () => {
  const prefix = (lo: number): Uint8Array => {
    const out = new Uint8Array(16);
    new DataView(out.buffer).setUint32(0, lo, true);
    return out;
  };
  /** A safetensors file: the header length, the header's bytes, then `dataBytes` zeros. */
  function file(header: Uint8Array | object, dataBytes = 16): Uint8Array {
    const h = header instanceof Uint8Array ? header : new TextEncoder().encode(JSON.stringify(header));
    const out = new Uint8Array(8 + h.length + dataBytes);
    new DataView(out.buffer).setUint32(0, h.length, true);
    out.set(h, 8);
    return out;
  }
  const st = (bytes: Uint8Array, name?: string): string => message(readSafetensors(bytes, name, 's'));
  const square = { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] };

  it('the default name of the file in messages', () => {
    expect(message(readSafetensors(new Uint8Array(5)))).toBe('The .safetensors file cannot be read: it is 5 bytes long, too short for a safetensors header.');
  });

  it('8 bytes hold a header length of 0: an empty header, which is not JSON', () => {
    expect(st(new Uint8Array(8))).toMatch(/^s cannot be read: its header is not valid JSON \(.+\)\.$/);
  });

  it('a header of exactly 16 MB is within the limit (and then found truncated)', () => {
    expect(st(prefix(2 ** 24))).toBe('s is truncated: the header claims 16.0 MB, but the file has 8 bytes after the length.');
  });

  it('bytes that are not UTF-8, even inside a JSON string, make the header unreadable', () => {
    const header = Uint8Array.from([...new TextEncoder().encode('{"__metadata__": {"k": "'), 0xff, ...new TextEncoder().encode(`"}, "a": ${JSON.stringify(square)}}`)]);
    expect(st(file(header))).toBe('s cannot be read: its header is not valid JSON (The encoded data was not valid for encoding utf-8).');
  });

  it('a header of 100 000 entries is read; 100 001 are refused before any is looked at', () => {
    const entries = (n: number): Uint8Array => new TextEncoder().encode(`{${Array.from({ length: n }, (_, i) => `"t${i}":${i}`).join(',')}}`);
    expect(st(file(entries(100_000)))).toBe('s cannot be read: header entry "t0" is not an object.');
    expect(st(file(entries(100_001)))).toBe('s cannot be read: its header lists 100,001 entries, over the limit of 100,000 (an attention export needs a few).');
  });

  it('the first tensor can be asked for by name', () => {
    const r = readSafetensors(file({ a: square, b: square }), 'a');
    expect(r.ok && [r.name, r.others]).toEqual(['a', ['b']]);
  });

  it('a data type given as a list is refused, even a list holding a known name', () => {
    expect(st(file({ a: { ...square, dtype: ['F32'] } }))).toBe('s, tensor "a", has data type ["F32"]; only F32, F16, BF16 and F64 are read. Save float32: t.float().numpy().');
  });

  it('data_offsets: begin after end is invalid, begin = end spans 0 bytes, and the span is end − begin', () => {
    expect(st(file({ a: { ...square, data_offsets: [16, 0] } }))).toBe('s, tensor "a", has no valid "data_offsets" ([begin, end] with 0 ≤ begin ≤ end).');
    expect(st(file({ a: { ...square, data_offsets: [0, 0] } }))).toBe('s, tensor "a", declares shape (2, 2) of F32 (16 bytes), but its data_offsets span 0 bytes.');
    expect(st(file({ a: { ...square, data_offsets: [4, 12] } }))).toBe('s, tensor "a", declares shape (2, 2) of F32 (16 bytes), but its data_offsets span 8 bytes.');
  });
});

describe('binary extensions', () => {
  it('the extensions offered for binary files are exactly the ones the readers tell apart', () => {
    expect(BINARY_EXTENSIONS.map((e) => binaryFormat(`x${e}`))).toEqual(['npy', 'npz', 'safetensors']);
  });
});
