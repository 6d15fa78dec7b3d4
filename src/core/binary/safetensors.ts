/**
 * Hugging Face .safetensors reader. Layout: 8-byte little-endian header length N, N bytes of JSON
 * { name: { dtype, shape, data_offsets: [begin, end] }, …, "__metadata__"?: { key: string } }, then the
 * data; offsets are relative to the end of the header. F32, F16, BF16 and F64 are read as float32.
 */
import { type DType, type TensorRead, ITEM_SIZE, bad, checkShape, formatBytes, formatShape, toFloat32 } from './common';

/**
 * Limits on the JSON header, far below the format's own 100 MB: an attention export has a handful of entries, and a
 * 97 MB header of 7 M entries took 30 s and 3.9 GB to parse.
 */
export const MAX_HEADER_BYTES = 16 * 1024 * 1024;
export const MAX_HEADER_ENTRIES = 100_000;

const DTYPES: Readonly<Record<string, DType>> = { F32: 'f4', F16: 'f2', BF16: 'bf16', F64: 'f8' };

interface Entry {
  readonly name: string;
  readonly dtype: unknown;
  readonly shape: unknown;
  readonly offsets: unknown;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/**
 * Reads one tensor: the one called `name`, else the only or first one in header order.
 * `metadata` carries the string map of `__metadata__` (tokens live there as a JSON string).
 */
export function readSafetensors(bytes: Uint8Array, name?: string, label = 'The .safetensors file'): TensorRead {
  if (bytes.length < 8) return bad(`${label} cannot be read: it is ${bytes.length} bytes long, too short for a safetensors header.`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const lo = dv.getUint32(0, true);
  const hi = dv.getUint32(4, true);
  if (hi !== 0 || lo > MAX_HEADER_BYTES) return bad(`${label} cannot be read: its header claims to be ${hi !== 0 ? 'over 4 GB' : formatBytes(lo)} long, over the ${formatBytes(MAX_HEADER_BYTES)} limit for attention files (is it a safetensors file of attention weights?).`);
  const headerLen = lo;
  if (8 + headerLen > bytes.length) return bad(`${label} is truncated: the header claims ${formatBytes(headerLen)}, but the file has ${formatBytes(bytes.length - 8)} after the length.`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    return bad(`${label} cannot be read: its header is not valid JSON (${e instanceof Error ? e.message : String(e)}).`);
  }
  if (!isRecord(header)) return bad(`${label} cannot be read: its header is not a JSON object.`);
  const entryCount = Object.keys(header).length;
  if (entryCount > MAX_HEADER_ENTRIES) {
    return bad(`${label} cannot be read: its header lists ${entryCount.toLocaleString('en-US')} entries, over the limit of ${MAX_HEADER_ENTRIES.toLocaleString('en-US')} (an attention export needs a few).`);
  }

  let metadata: Record<string, string> | undefined;
  const entries: Entry[] = [];
  for (const [key, value] of Object.entries(header)) {
    if (key === '__metadata__') {
      if (isRecord(value)) {
        metadata = {};
        for (const [mk, mv] of Object.entries(value)) if (typeof mv === 'string') metadata[mk] = mv;
      }
      continue;
    }
    if (!isRecord(value)) return bad(`${label} cannot be read: header entry "${key}" is not an object.`);
    entries.push({ name: key, dtype: value.dtype, shape: value.shape, offsets: value.data_offsets });
  }
  if (entries.length === 0) return bad(`${label} holds no tensors.`);
  let index = 0;
  if (name !== undefined) {
    index = entries.findIndex((e) => e.name === name);
    if (index < 0) return bad(`${label} has no tensor named "${name}"; it holds ${entries.map((e) => `"${e.name}"`).join(', ')}.`);
  }
  const e = entries[index];
  const where = `${label}, tensor "${e.name}",`;
  const dtype = typeof e.dtype === 'string' ? DTYPES[e.dtype] : undefined;
  if (dtype === undefined) {
    return bad(`${where} has data type ${JSON.stringify(e.dtype)}; only F32, F16, BF16 and F64 are read. Save float32: t.float().numpy().`);
  }
  if (!Array.isArray(e.shape) || !e.shape.every((d) => typeof d === 'number')) return bad(`${where} has no valid "shape" (a list of whole numbers).`);
  const shape = e.shape as number[];
  const count = checkShape(shape);
  if (typeof count === 'string') return bad(`${where} cannot be read: ${count}.`);
  const offs = e.offsets;
  if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((x) => Number.isSafeInteger(x) && x >= 0) || offs[0] > offs[1]) {
    return bad(`${where} has no valid "data_offsets" ([begin, end] with 0 ≤ begin ≤ end).`);
  }
  const [begin, end] = offs as [number, number];
  const need = count * ITEM_SIZE[dtype];
  if (end - begin !== need) {
    return bad(`${where} declares shape ${formatShape(shape)} of ${e.dtype as string} (${formatBytes(need)}), but its data_offsets span ${formatBytes(end - begin)}.`);
  }
  const dataStart = 8 + headerLen;
  if (dataStart + end > bytes.length) {
    return bad(`${where} is truncated: its data ends at byte ${(dataStart + end).toLocaleString('en-US')}, but the file has ${bytes.length.toLocaleString('en-US')}.`);
  }
  return {
    ok: true,
    tensor: { shape, data: toFloat32(bytes, dataStart + begin, count, dtype) },
    name: e.name,
    others: entries.filter((_, i) => i !== index).map((x) => x.name),
    ...(metadata !== undefined ? { metadata } : {}),
  };
}
