/**
 * NumPy .npz reader: a zip archive of .npy files (np.savez: stored; np.savez_compressed: deflate).
 * Reads the central directory (zip64 aware), picks one array, inflates it with fflate's streaming Inflate
 * into a buffer of exactly the declared size, counting bytes as they come, then reads it as .npy.
 */
import { Inflate } from 'fflate';
import { type TensorRead, MAX_TENSOR_ELEMENTS, bad, formatBytes } from './common';
import { readNpy } from './npy';

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
/** Largest .npy member inflated: the float32 tensor limit plus room for a header. */
const MAX_MEMBER = MAX_TENSOR_ELEMENTS * 4 + 1024 * 1024;
/** Deflate cannot expand more than ~1032:1; a bigger declared ratio is a lie (or a bomb). */
const MAX_DEFLATE_RATIO = 1032;
const MAX_ENTRIES = 65536;
/** Compressed bytes pushed per step: a stream that lies about its size is stopped within one step (≤ 16 MB of output). */
const INFLATE_STEP = 16 * 1024;

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly flags: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localOffset: number;
}

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 3 || bytes[2] === 5) && (bytes[3] === 4 || bytes[3] === 6);
}

/** The entries of a zip archive, or a message saying why it cannot be read. */
export function zipEntries(bytes: Uint8Array): ZipEntry[] | string {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => dv.getUint16(o, true);
  const u32 = (o: number) => dv.getUint32(o, true);
  const u64 = (o: number) => u32(o) + u32(o + 4) * 2 ** 32;
  if (bytes.length < 22) return 'it is too short to be a zip archive';
  let eocd = -1;
  for (let p = bytes.length - 22; p >= Math.max(0, bytes.length - 22 - 65535); p--) {
    if (u32(p) === EOCD) {
      eocd = p;
      break;
    }
  }
  if (eocd < 0) return 'it is not a complete zip archive (no end-of-central-directory record; the file may be truncated)';
  let count = u16(eocd + 10);
  let cdSize = u32(eocd + 12);
  let cdOffset = u32(eocd + 16);
  if (count === 0xffff || cdSize === 0xffffffff || cdOffset === 0xffffffff) {
    const loc = eocd - 20;
    if (loc < 0 || u32(loc) !== ZIP64_LOCATOR) return 'its zip64 end-of-central-directory locator is missing';
    const z = u64(loc + 8);
    if (z + 56 > bytes.length || u32(z) !== ZIP64_EOCD) return 'its zip64 end-of-central-directory record is missing or out of range';
    count = u64(z + 32);
    cdSize = u64(z + 40);
    cdOffset = u64(z + 48);
  }
  if (count > MAX_ENTRIES) return `it claims ${count} entries`;
  if (cdOffset + cdSize > bytes.length) return 'its central directory lies beyond the end of the file (the file may be truncated)';
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (p + 46 > cdOffset + cdSize || u32(p) !== CENTRAL) return `its central directory entry ${i + 1} is damaged`;
    const flags = u16(p + 8);
    const method = u16(p + 10);
    let compressedSize = u32(p + 20);
    let size = u32(p + 24);
    const nameLen = u16(p + 28);
    const extraLen = u16(p + 30);
    const commentLen = u16(p + 32);
    let localOffset = u32(p + 42);
    const end = p + 46 + nameLen + extraLen + commentLen;
    if (end > cdOffset + cdSize) return `its central directory entry ${i + 1} runs past the directory`;
    const name = new TextDecoder('utf-8').decode(bytes.subarray(p + 46, p + 46 + nameLen));
    // zip64 extended information: the 0xFFFFFFFF fields, in this order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = u16(e);
      const len = u16(e + 2);
      if (id === 0x0001) {
        let q = e + 4;
        const take = (): number | undefined => {
          if (q + 8 > e + 4 + len) return undefined;
          const v = u64(q);
          q += 8;
          return v;
        };
        if (size === 0xffffffff) size = take() ?? size;
        if (compressedSize === 0xffffffff) compressedSize = take() ?? compressedSize;
        if (localOffset === 0xffffffff) localOffset = take() ?? localOffset;
      }
      e += 4 + len;
    }
    entries.push({ name, method, flags, compressedSize, size, localOffset });
    p = end;
  }
  return entries;
}

/** The archive's array names (members without ".npy"), in directory order. */
export function npzNames(entries: readonly ZipEntry[]): string[] {
  return entries.filter((e) => !e.name.endsWith('/')).map((e) => e.name.replace(/\.npy$/, ''));
}

/**
 * Inflates a deflate stream into exactly `size` bytes, refusing it as soon as it produces more, or when it ends with
 * fewer: a zip directory that understates a member (a zip bomb) costs one step, not the whole stream.
 */
export function inflateExactly(data: Uint8Array, size: number): Uint8Array | string {
  const out = new Uint8Array(size);
  let written = 0;
  let over = false;
  const inflater = new Inflate((chunk) => {
    if (over || written + chunk.length > size) {
      over = true;
      return;
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    if (data.length === 0) inflater.push(data, true);
    for (let p = 0; p < data.length && !over; p += INFLATE_STEP) inflater.push(data.subarray(p, p + INFLATE_STEP), p + INFLATE_STEP >= data.length);
  } catch (e) {
    return `could not be decompressed (${e instanceof Error ? e.message : String(e)})`;
  }
  if (over) return `decompresses to more than the ${formatBytes(size)} its directory declares (the file is damaged or hostile)`;
  if (written !== size) return `decompressed to ${formatBytes(written)}, not the ${formatBytes(size)} its directory declares (the file is damaged)`;
  return out;
}

/** The stored or inflated bytes of one member, exactly `entry.size` long; `maxBytes` caps what may be allocated. */
function memberBytes(bytes: Uint8Array, entry: ZipEntry, label: string, maxBytes: number): Uint8Array | string {
  const where = `${label}, array "${entry.name}",`;
  if (entry.flags & 1) return `${where} is encrypted`;
  if (entry.size > MAX_MEMBER) return `${where} is ${formatBytes(entry.size)} uncompressed, over the ${formatBytes(MAX_MEMBER)} limit; export fewer layers, heads or tokens`;
  if (entry.method !== 0 && entry.size > maxBytes) {
    return `${where} is ${formatBytes(entry.size)} uncompressed, over the memory budget of ${formatBytes(maxBytes)} (setting selfAttention.memoryBudgetMB); export fewer layers, heads or tokens`;
  }
  const lo = entry.localOffset;
  if (lo + 30 > bytes.length || bytes[lo] !== 0x50 || bytes[lo + 1] !== 0x4b || bytes[lo + 2] !== 3 || bytes[lo + 3] !== 4) {
    return `${where} has no local header where the directory says (the file is damaged)`;
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (dv.getUint32(lo, true) !== LOCAL) return `${where} has a damaged local header`;
  const start = lo + 30 + dv.getUint16(lo + 26, true) + dv.getUint16(lo + 28, true);
  if (start + entry.compressedSize > bytes.length) {
    return `${where} is truncated: it needs ${formatBytes(entry.compressedSize)}, but the file ends first`;
  }
  const data = bytes.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) {
    if (entry.size !== entry.compressedSize) return `${where} is stored uncompressed but declares two different sizes`;
    return data;
  }
  if (entry.method !== 8) return `${where} uses zip compression method ${entry.method}; only stored (np.savez) and deflate (np.savez_compressed) are read`;
  if (entry.size > entry.compressedSize * MAX_DEFLATE_RATIO + 1024) return `${where} declares an impossible compression ratio (the file is damaged or hostile)`;
  const out = inflateExactly(data, entry.size);
  return typeof out === 'string' ? `${where} ${out}` : out;
}

/**
 * Reads one array from an .npz archive: the one called `name` (with or without ".npy"), else the
 * only or first one. `others` lists the arrays that were not read. A compressed member over `maxBytes` is not inflated.
 */
export function readNpz(bytes: Uint8Array, name?: string, label = 'The .npz file', maxBytes = Infinity): TensorRead {
  const entries = zipEntries(bytes);
  if (typeof entries === 'string') return bad(`${label} cannot be read: ${entries}.`);
  const arrays = entries.filter((e) => !e.name.endsWith('/'));
  if (arrays.length === 0) return bad(`${label} holds no arrays.`);
  const names = npzNames(arrays);
  let index = 0;
  if (name !== undefined) {
    index = names.indexOf(name.replace(/\.npy$/, ''));
    if (index < 0) return bad(`${label} has no array named "${name}"; it holds ${names.map((n) => `"${n}"`).join(', ')}.`);
  }
  const entry = arrays[index];
  const member = memberBytes(bytes, entry, label, maxBytes);
  if (typeof member === 'string') return bad(`${member}.`);
  const read = readNpy(member, `${label}, array "${names[index]}",`);
  if (!read.ok) return read;
  return { ok: true, tensor: read.tensor, name: names[index], others: names.filter((_, i) => i !== index) };
}
