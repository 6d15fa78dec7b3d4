/**
 * The .npz reader at the edges of what it accepts: sizes, offsets and limits exactly at and one past each bound, the
 * deflate stream in 16 KB steps, and zip records that other writers place or fill differently. The archives are
 * written byte by byte here (APPNOTE.TXT 4.3.7, 4.3.12, 4.3.16, 4.5.3), since fflate writes only the usual layout.
 */
import { deflateSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { message, values } from './tensorReads';
import { npzNames, readNpz } from '../../../src/core/binary/npz';



/** A .npy file of float32 `data` in shape (1, n), its header padded with spaces to `headerBytes` (v1). */
function npy(data: number[], headerBytes = 64): Uint8Array {
  const text = `{'descr': '<f4', 'fortran_order': False, 'shape': (1, ${data.length}), }`;
  const header = new TextEncoder().encode(`${text.padEnd(headerBytes - 1)}\n`);
  const out = new Uint8Array(10 + header.length + 4 * data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(header, 10);
  data.forEach((v, i) => new DataView(out.buffer).setFloat32(10 + header.length + 4 * i, v, true));
  return out;
}

interface Member {
  readonly name: string;
  /** The bytes as stored in the archive (deflated already when `method` is 8). */
  readonly data: Uint8Array;
  readonly method?: number;
  /** The uncompressed size the directory declares (default: data's length). */
  readonly size?: number;
  /** The directory entry's extra field and comment. */
  readonly extra?: Uint8Array;
  readonly comment?: Uint8Array;
}

/** A zip archive: local headers and data, the central directory, the end record, then `archiveComment`. */
function zip(members: Member[], archiveComment = new Uint8Array(0)): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const offsets: number[] = [];
  let at = 0;
  for (const m of members) {
    const name = enc.encode(m.name);
    const local = new Uint8Array(30 + name.length);
    const dv = new DataView(local.buffer);
    dv.setUint32(0, 0x04034b50, true);
    dv.setUint16(8, m.method ?? 0, true);
    dv.setUint32(18, m.data.length, true);
    dv.setUint32(22, m.size ?? m.data.length, true);
    dv.setUint16(26, name.length, true);
    local.set(name, 30);
    offsets.push(at);
    parts.push(local, m.data);
    at += local.length + m.data.length;
  }
  const cdOffset = at;
  members.forEach((m, i) => {
    const name = enc.encode(m.name);
    const extra = m.extra ?? new Uint8Array(0);
    const comment = m.comment ?? new Uint8Array(0);
    const entry = new Uint8Array(46 + name.length + extra.length + comment.length);
    const dv = new DataView(entry.buffer);
    dv.setUint32(0, 0x02014b50, true);
    dv.setUint16(10, m.method ?? 0, true);
    dv.setUint32(20, m.data.length, true);
    dv.setUint32(24, m.size ?? m.data.length, true);
    dv.setUint16(28, name.length, true);
    dv.setUint16(30, extra.length, true);
    dv.setUint16(32, comment.length, true);
    dv.setUint32(42, offsets[i], true);
    entry.set(name, 46);
    entry.set(extra, 46 + name.length);
    entry.set(comment, 46 + name.length + extra.length);
    parts.push(entry);
    at += entry.length;
  });
  const end = new Uint8Array(22);
  const dv = new DataView(end.buffer);
  dv.setUint32(0, 0x06054b50, true);
  dv.setUint16(8, members.length, true);
  dv.setUint16(10, members.length, true);
  dv.setUint32(12, at - cdOffset, true);
  dv.setUint32(16, cdOffset, true);
  dv.setUint16(20, archiveComment.length, true);
  parts.push(end, archiveComment);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let p = 0;
  for (const part of parts) {
    out.set(part, p);
    p += part.length;
  }
  return out;
}

/** An extra field: a 2-byte id, a 2-byte length, then `body`. */
function extraField(id: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint16(0, id, true);
  new DataView(out.buffer).setUint16(2, body.length, true);
  out.set(body, 4);
  return out;
}

const u64 = (v: number): Uint8Array => {
  const out = new Uint8Array(8);
  new DataView(out.buffer).setUint32(0, v, true);
  return out;
};

const one = npy([1]);
const npz = (bytes: Uint8Array, name?: string): string => message(readNpz(bytes, name, 'z.npz'));

describe('the end record and the archive comment', () => {
  it('an empty archive (its 22-byte end record alone, at offset 0) holds no arrays', () => {
    expect(zipSync({}).length).toBe(22);
    expect(npz(zipSync({}))).toBe('z.npz holds no arrays.');
  });

  it('finds the end record behind an archive comment of the largest size, 65 535 bytes', () => {
    expect(values(readNpz(zip([{ name: 'w.npy', data: one }], new Uint8Array(65535))))).toEqual([1]);
  });

  it('an end record at offset 0 that asks for zip64 has no room for the locator before it', () => {
    const end = zipSync({}).slice();
    new DataView(end.buffer).setUint16(10, 0xffff, true);
    expect(npz(end)).toBe('z.npz cannot be read: its zip64 end-of-central-directory locator is missing.');
  });

  it('the default name of the file in messages', () => {
    expect(message(readNpz(new Uint8Array(3)))).toBe('The .npz file cannot be read: it is too short to be a zip archive.');
  });
});

/**
 * `archive` (from `zip`, no archive comment) with its end record written the zip64 way: a zip64 end record, its
 * locator, and an end record whose count, size and offset say "see zip64". `edit` may change the zip64 record.
 */
function zip64End(archive: Uint8Array, edit?: (dv: DataView, record: number) => void): Uint8Array {
  const end = archive.length - 22;
  const old = new DataView(archive.buffer, archive.byteOffset);
  const out = new Uint8Array(end + 56 + 20 + 22);
  out.set(archive.subarray(0, end));
  const dv = new DataView(out.buffer);
  dv.setUint32(end, 0x06064b50, true);
  dv.setUint32(end + 4, 44, true);
  dv.setUint32(end + 32, old.getUint16(end + 10, true), true); // entries
  dv.setUint32(end + 40, old.getUint32(end + 12, true), true); // directory size
  dv.setUint32(end + 48, old.getUint32(end + 16, true), true); // directory offset
  dv.setUint32(end + 56, 0x07064b50, true);
  dv.setUint32(end + 56 + 8, end, true);
  const eocd = end + 76;
  dv.setUint32(eocd, 0x06054b50, true);
  dv.setUint16(eocd + 10, 0xffff, true);
  dv.setUint32(eocd + 12, 0xffffffff, true);
  dv.setUint32(eocd + 16, 0xffffffff, true);
  edit?.(dv, end);
  return out;
}

describe('zip64 records at the edges of the file', () => {
  /**
   * An empty zip64 archive laid out backwards: the locator at offset 0, the end record after it, and the zip64 end
   * record in the end record's comment, its last `cut` bytes missing.
   */
  function locatorFirst(cut = 0): Uint8Array {
    const out = new Uint8Array(20 + 22 + 56 - cut);
    const dv = new DataView(out.buffer);
    dv.setUint32(0, 0x07064b50, true);
    dv.setUint32(8, 42, true); // the zip64 end record's offset
    dv.setUint32(20, 0x06054b50, true);
    dv.setUint16(20 + 10, 0xffff, true);
    dv.setUint32(20 + 12, 0xffffffff, true);
    dv.setUint32(20 + 16, 0xffffffff, true);
    dv.setUint16(20 + 20, 56 - cut, true);
    dv.setUint32(42, 0x06064b50, true);
    dv.setUint32(42 + 4, 44, true); // entries, directory size and offset stay 0
    return out;
  }

  it('a locator at offset 0 and a zip64 record ending at the last byte are read', () => {
    expect(npz(locatorFirst())).toBe('z.npz holds no arrays.');
  });

  it('a zip64 record with fewer than its 56 bytes left in the file is refused, not read past the end', () => {
    expect(npz(locatorFirst(1))).toBe('z.npz cannot be read: its zip64 end-of-central-directory record is missing or out of range.');
  });

  const plain = zip([{ name: 'w.npy', data: one }]);

  it('the zip64 end record is read', () => {
    expect(values(readNpz(zip64End(plain)))).toEqual([1]);
  });

  it('65 536 entries are within the limit (so the directory is read, and found short)', () => {
    expect(npz(zip64End(plain, (dv, record) => dv.setUint32(record + 32, 65536, true)))).toBe('z.npz cannot be read: its central directory entry 2 is damaged.');
  });

  it('a directory may end at the last byte of the file, and its entry header needs all 46 bytes', () => {
    const toEnd = zip64End(plain, (dv, record) => dv.setUint32(record + 40, dv.byteLength - dv.getUint32(record + 48, true), true));
    expect(values(readNpz(toEnd))).toEqual([1]);
    const headerOnly = zip64End(plain, (dv, record) => dv.setUint32(record + 40, 46, true));
    expect(npz(headerOnly)).toBe('z.npz cannot be read: its central directory entry 1 runs past the directory.');
  });
});

describe('directory entries', () => {
  it('an entry comment is stepped over to reach the next entry', () => {
    const archive = zip([{ name: 'w.npy', data: npy([0.5]), comment: new TextEncoder().encode('first') }, { name: 'v.npy', data: one }]);
    expect(values(readNpz(archive, 'v'))).toEqual([1]);
  });

  it('a zip64 field after another extra field (an NTFS timestamp, id 0x000A) is found and read', () => {
    // NTFS field: 4 reserved bytes, tag 1, size 24, three 8-byte times. Its first 8 bytes are not a size.
    const ntfs = new Uint8Array(32);
    new DataView(ntfs.buffer).setUint16(4, 1, true);
    new DataView(ntfs.buffer).setUint16(6, 24, true);
    const zip64 = extraField(0x0001, u64(one.length));
    const extra = new Uint8Array([...extraField(0x000a, ntfs), ...zip64]);
    expect(values(readNpz(zip([{ name: 'w.npy', data: one, size: 0xffffffff, extra }])))).toEqual([1]);
  });

  it('a zip64 field is read only for the sizes and offset that are 0xFFFFFFFF', () => {
    // Some writers add the field to every entry; here none of the three is 0xFFFFFFFF, so its 7 is not used.
    expect(values(readNpz(zip([{ name: 'w.npy', data: one, extra: extraField(0x0001, u64(7)) }])))).toEqual([1]);
  });

  it('a comment that begins like a zip64 field is not read as one', () => {
    const comment = extraField(0x0001, u64(one.length));
    expect(npz(zip([{ name: 'w.npy', data: one, size: 0xffffffff, comment }])))
      .toBe('z.npz, array "w.npy", is 4096.0 MB uncompressed, over the 1025.0 MB limit; export fewer layers, heads or tokens.');
  });
});

describe('names', () => {
  const archive = zip([{ name: 'w.npy', data: one }, { name: 'w.npy.old', data: npy([0.25]) }]);

  it('only a final ".npy" is dropped from an array name, and only a final one is ignored when asked for', () => {
    expect(npzNames([{ name: 'w.npy.old', method: 0, flags: 0, compressedSize: 0, size: 0, localOffset: 0 }])).toEqual(['w.npy.old']);
    expect(values(readNpz(archive, 'w.npy.old'))).toEqual([0.25]);
    expect(values(readNpz(archive, 'w.npy.old.npy'))).toEqual([0.25]);
  });

  it('the first array can be asked for by name', () => {
    const r = readNpz(archive, 'w');
    expect(r.ok && [r.name, r.others, ...r.tensor.data]).toEqual(['w', ['w.npy.old'], 1]);
  });

  it('a member that is not a .npy file is named in the .npy reader\'s message', () => {
    expect(npz(zip([{ name: 'w.npy', data: new Uint8Array([1, 2, 3]) }])))
      .toBe('z.npz, array "w", cannot be read: it is not a NumPy .npy file (it does not start with "\\x93NUMPY").');
  });
});

describe('where a member is and how big it says it is', () => {
  it('a local header whose signature differs in any one of its four bytes is not a local header', () => {
    for (let k = 0; k < 4; k++) {
      const archive = zip([{ name: 'w.npy', data: one }]);
      archive[k] ^= 0x10;
      expect(npz(archive), `byte ${k}`).toBe('z.npz, array "w.npy", has no local header where the directory says (the file is damaged).');
    }
  });

  it('a local header needs its 30 bytes inside the file: in the last 30 it is read, starting later it is not', () => {
    // The archive comment holds a local header of a 0-byte member; the entry points at it.
    const local = new Uint8Array(30);
    new DataView(local.buffer).setUint32(0, 0x04034b50, true);
    const at = (archive: Uint8Array, comment: Uint8Array): Uint8Array => {
      const dv = new DataView(archive.buffer);
      const cdOffset = dv.getUint32(archive.length - comment.length - 22 + 16, true);
      dv.setUint32(cdOffset + 42, archive.length - comment.length, true);
      return archive;
    };
    const lastThirty = at(zip([{ name: 'w.npy', data: new Uint8Array(0) }], local), local);
    expect(npz(lastThirty)).toBe('z.npz, array "w", cannot be read: it is not a NumPy .npy file (it does not start with "\\x93NUMPY").');
    const cut = local.subarray(0, 29);
    expect(npz(at(zip([{ name: 'w.npy', data: new Uint8Array(0) }], cut), cut)))
      .toBe('z.npz, array "w.npy", has no local header where the directory says (the file is damaged).');
  });

  it('a stored member may run to the last byte of the file, not one byte past it', () => {
    const archive = zip([{ name: 'w.npy', data: one }]);
    const dv = new DataView(archive.buffer);
    const cdOffset = dv.getUint32(archive.length - 22 + 16, true);
    const toEnd = archive.length - 35; // the data starts after the 30-byte local header and "w.npy"
    dv.setUint32(cdOffset + 20, toEnd, true);
    dv.setUint32(cdOffset + 24, toEnd, true);
    expect(values(readNpz(archive))).toEqual([1]); // what follows the .npy data is not read
    dv.setUint32(cdOffset + 20, toEnd + 1, true);
    dv.setUint32(cdOffset + 24, toEnd + 1, true);
    expect(npz(archive)).toBe(`z.npz, array "w.npy", is truncated: it needs ${toEnd + 1} bytes, but the file ends first.`);
  });

  it('an uncompressed size of exactly the member limit is allowed (and then checked against the compressed size)', () => {
    const limit = 2 ** 28 * 4 + 1024 * 1024;
    const deflated = deflateSync(one);
    expect(npz(zip([{ name: 'w.npy', data: deflated, method: 8, size: limit }])))
      .toBe('z.npz, array "w.npy", declares an impossible compression ratio (the file is damaged or hostile).');
    expect(npz(zip([{ name: 'w.npy', data: deflated, method: 8, size: limit + 1 }])))
      .toBe('z.npz, array "w.npy", is 1025.0 MB uncompressed, over the 1025.0 MB limit; export fewer layers, heads or tokens.');
  });

  it('a declared ratio of up to 1032:1 plus 1 KB is inflated; one byte more is refused unread', () => {
    const deflated = deflateSync(one);
    expect([one.length, deflated.length]).toEqual([78, 74]);
    const most = 74 * 1032 + 1024; // 77 392 bytes
    expect(npz(zip([{ name: 'w.npy', data: deflated, method: 8, size: most }])))
      .toBe('z.npz, array "w.npy", decompressed to 78 bytes, not the 75.6 KB its directory declares (the file is damaged).');
    expect(npz(zip([{ name: 'w.npy', data: deflated, method: 8, size: most + 1 }])))
      .toBe('z.npz, array "w.npy", declares an impossible compression ratio (the file is damaged or hostile).');
  });
});

describe('inflating in steps of 16 KB of compressed bytes', () => {
  // Deflate's stored blocks add 5 bytes to each block: a 16 379-byte .npy compresses to exactly 16 384 bytes.
  const data = Array.from({ length: 4000 }, (_, i) => i / 4000);
  /** A .npy of `bytes` bytes: (1, 4000) float32 after a padded header. */
  const member = (bytes: number): Uint8Array => npy(data, bytes - 10 - 16000);
  const deflated = (bytes: number): Uint8Array => deflateSync(member(bytes), { level: 0 });

  it('a stream of exactly one step and one of a step and a byte both inflate whole', () => {
    expect(deflated(16379).length).toBe(16384);
    expect(deflated(16380).length).toBe(16385);
    for (const bytes of [16379, 16380]) {
      const r = readNpz(zip([{ name: 'w.npy', data: deflated(bytes), method: 8, size: bytes }]));
      expect(r.ok && [r.tensor.shape, r.tensor.data[3999]]).toEqual([[1, 4000], Math.fround(3999 / 4000)]);
    }
  });

  it('a stream cut short ends with the inflater\'s own error, also when the cut falls on a step', () => {
    const cut = deflated(16380).subarray(0, 16384);
    expect(npz(zip([{ name: 'w.npy', data: cut, method: 8, size: 16380 }]))).toBe('z.npz, array "w.npy", could not be decompressed (unexpected EOF).');
    const short = deflateSync(one).subarray(0, 4);
    expect(npz(zip([{ name: 'w.npy', data: short, method: 8, size: one.length }]))).toBe('z.npz, array "w.npy", could not be decompressed (unexpected EOF).');
  });

  it('bytes that are not deflate data are refused with the inflater\'s words', () => {
    expect(npz(zip([{ name: 'w.npy', data: new Uint8Array([0xff, 0xff, 0xff]), method: 8, size: one.length }])))
      .toBe('z.npz, array "w.npy", could not be decompressed (invalid block type).');
  });
});
