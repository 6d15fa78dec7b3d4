/**
 * Zip archives as np.savez writes them at any size: the zip64 records (written by hand here, byte by byte from
 * APPNOTE.TXT 4.3.14–4.3.16 and 4.5.3, since fflate writes none), and the directory checks before any member is read.
 */
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { message } from './tensorReads';
import { isNpy } from '../../../src/core/binary/npy';
import { isZip, npzNames, readNpz, zipEntries } from '../../../src/core/binary/npz';


/** A one-float .npy member, value 1, shape (1, 1). */
function member(): Uint8Array {
  const header = new TextEncoder().encode("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 1), }\n");
  const out = new Uint8Array(10 + header.length + 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(header, 10);
  new DataView(out.buffer).setFloat32(out.length - 4, 1, true);
  return out;
}

/**
 * `zip` (one stored member, as fflate writes it) rewritten as zip64: the entry's sizes and offset moved into a zip64
 * extra field (`extraFields` of them: 3 is all, fewer cuts the field short), and the end records as zip64 ones.
 */
function asZip64(zip: Uint8Array, extraFields = 3, edit?: (dv: DataView, at: { record: number; locator: number; eocd: number }) => void): Uint8Array {
  const dv = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const eocd = zip.length - 22;
  const cdOffset = dv.getUint32(eocd + 16, true);
  const entryLength = 46 + dv.getUint16(cdOffset + 28, true) + dv.getUint16(cdOffset + 30, true);
  const fields = [dv.getUint32(cdOffset + 24, true), dv.getUint32(cdOffset + 20, true), dv.getUint32(cdOffset + 42, true)].slice(0, extraFields);
  const extra = new Uint8Array(4 + 8 * fields.length);
  const ex = new DataView(extra.buffer);
  ex.setUint16(0, 0x0001, true);
  ex.setUint16(2, 8 * fields.length, true);
  fields.forEach((v, i) => ex.setUint32(4 + 8 * i, v, true)); // high words stay 0
  const entry = new Uint8Array(entryLength + extra.length);
  entry.set(zip.subarray(cdOffset, cdOffset + entryLength));
  entry.set(extra, entryLength);
  const en = new DataView(entry.buffer);
  en.setUint32(20, 0xffffffff, true);
  en.setUint32(24, 0xffffffff, true);
  en.setUint32(42, 0xffffffff, true);
  en.setUint16(30, en.getUint16(30, true) + extra.length, true);
  const record = cdOffset + entry.length;
  const out = new Uint8Array(record + 56 + 20 + 22);
  out.set(zip.subarray(0, cdOffset));
  out.set(entry, cdOffset);
  const o = new DataView(out.buffer);
  o.setUint32(record, 0x06064b50, true);
  o.setUint32(record + 4, 44, true);
  o.setUint32(record + 32, 1, true); // entries
  o.setUint32(record + 40, entry.length, true); // directory size
  o.setUint32(record + 48, cdOffset, true); // directory offset
  const locator = record + 56;
  o.setUint32(locator, 0x07064b50, true);
  o.setUint32(locator + 8, record, true);
  const end = locator + 20;
  o.setUint32(end, 0x06054b50, true);
  o.setUint16(end + 10, 0xffff, true);
  o.setUint32(end + 12, 0xffffffff, true);
  o.setUint32(end + 16, 0xffffffff, true);
  edit?.(o, { record, locator, eocd: end });
  return out;
}

describe('zip64', () => {
  const plain = zipSync({ 'w.npy': member() }, { level: 0 });

  it('reads the entry count, directory and member sizes from the zip64 records', () => {
    const zip = asZip64(plain);
    const entries = zipEntries(zip);
    expect(entries).toEqual([{ name: 'w.npy', method: 0, flags: expect.any(Number), compressedSize: member().length, size: member().length, localOffset: 0 }]);
    const r = readNpz(zip);
    expect(r.ok && [r.name, ...r.tensor.data]).toEqual(['w', 1]);
  });

  it('a zip64 field cut short keeps the 0xFFFFFFFF it stands for, which is then refused', () => {
    // Only the size given: the local header offset stays 0xFFFFFFFF, past the end of the file.
    expect(message(readNpz(asZip64(plain, 1), undefined, 'z.npz'))).toBe('z.npz, array "w.npy", has no local header where the directory says (the file is damaged).');
    const none = zipEntries(asZip64(plain, 0));
    expect(Array.isArray(none) && none[0]).toMatchObject({ size: 0xffffffff, compressedSize: 0xffffffff, localOffset: 0xffffffff });
    expect(message(readNpz(asZip64(plain, 0), undefined, 'z.npz'))).toBe('z.npz, array "w.npy", is 4096.0 MB uncompressed, over the 1025.0 MB limit; export fewer layers, heads or tokens.');
  });

  it('names a missing or misplaced zip64 record, an absurd entry count, and a directory past the end', () => {
    const bad = (edit: Parameters<typeof asZip64>[2]): string => message(readNpz(asZip64(plain, 3, edit), undefined, 'z.npz'));
    expect(bad((dv, at) => dv.setUint32(at.locator, 0, true))).toBe('z.npz cannot be read: its zip64 end-of-central-directory locator is missing.');
    expect(bad((dv, at) => dv.setUint32(at.record, 0, true))).toBe('z.npz cannot be read: its zip64 end-of-central-directory record is missing or out of range.');
    expect(bad((dv, at) => dv.setUint32(at.locator + 8, at.eocd, true))).toBe('z.npz cannot be read: its zip64 end-of-central-directory record is missing or out of range.');
    expect(bad((dv, at) => dv.setUint32(at.record + 32, 65537, true))).toBe('z.npz cannot be read: it claims 65537 entries.');
    expect(bad((dv, at) => dv.setUint32(at.record + 44, 1, true))).toBe('z.npz cannot be read: its central directory lies beyond the end of the file (the file may be truncated).');
    expect(bad((dv, at) => dv.setUint32(at.record + 40, 40, true))).toBe('z.npz cannot be read: its central directory entry 1 is damaged.');
    expect(bad((dv, at) => dv.setUint32(at.record + 40, 50, true))).toBe('z.npz cannot be read: its central directory entry 1 runs past the directory.');
    // Only the count says zip64 (0xFFFF): the other fields are read from the zip64 record too.
    const countOnly = asZip64(plain, 3, (dv, at) => {
      dv.setUint32(at.eocd + 12, 0, true);
      dv.setUint32(at.eocd + 16, 0, true);
    });
    expect(readNpz(countOnly).ok).toBe(true);
    const offsetOnly = asZip64(plain, 3, (dv, at) => {
      dv.setUint16(at.eocd + 10, 1, true);
      dv.setUint32(at.eocd + 12, 0, true);
    });
    expect(readNpz(offsetOnly).ok).toBe(true);
    const sizeOnly = asZip64(plain, 3, (dv, at) => {
      dv.setUint16(at.eocd + 10, 1, true);
      dv.setUint32(at.eocd + 16, 0, true);
    });
    expect(readNpz(sizeOnly).ok).toBe(true);
  });
});

describe('telling formats apart', () => {
  it('a zip starts "PK" with a local header or an empty archive\'s end record; a .npy with its magic', () => {
    expect(isZip(zipSync({ 'a.npy': member() }))).toBe(true);
    expect(isZip(Uint8Array.of(0x50, 0x4b, 5, 6))).toBe(true);
    expect(isZip(Uint8Array.of(0x50, 0x4b, 3, 6))).toBe(true);
    for (const bytes of [[0x50, 0x4b, 3], [0x51, 0x4b, 3, 4], [0x50, 0x4c, 3, 4], [0x50, 0x4b, 4, 4], [0x50, 0x4b, 3, 5]]) expect(isZip(Uint8Array.from(bytes)), String(bytes)).toBe(false);
    expect(isNpy(member())).toBe(true);
    expect(isNpy(member().subarray(0, 6))).toBe(true);
    expect(isNpy(member().subarray(0, 5))).toBe(false);
  });

  it('array names drop ".npy" and directories', () => {
    const entry = (name: string) => ({ name, method: 0, flags: 0, compressedSize: 0, size: 0, localOffset: 0 });
    expect(npzNames([entry('a.npy'), entry('d/'), entry('b'), entry('c.npy.npy')])).toEqual(['a', 'b', 'c.npy']);
  });

  it('a directory with more than 65 536 entries is refused before it is read', () => {
    const zip = zipSync({ 'w.npy': member() }, { level: 0 }).slice();
    const dv = new DataView(zip.buffer);
    dv.setUint16(zip.length - 22 + 10, 0xffff, true);
    expect(message(readNpz(zip, undefined, 'z.npz'))).toBe('z.npz cannot be read: its zip64 end-of-central-directory locator is missing.');
  });
});
