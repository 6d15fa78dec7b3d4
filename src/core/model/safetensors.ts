/**
 * Safetensors checkpoints: header parsing (so a worker can read tensors by file offset), shards through
 * model.safetensors.index.json, and F32/F16/BF16 → float32. Every problem names the file.
 */
import { toFloat32 } from '../binary/common';
import { ModelError, type TensorInfo, type WeightDType } from './types';

/** The format's own limit on the JSON header. */
const MAX_HEADER = 100 * 1024 * 1024;
const DTYPES: readonly WeightDType[] = ['F32', 'F16', 'BF16'];
/** Bytes per stored value. */
export const ITEM: Record<WeightDType, number> = { F32: 4, F16: 2, BF16: 2 };

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}


/** The header's JSON length from the first 8 bytes, checked against the format's limit and the file size. */
export function safetensorsHeaderLength(prefix: Uint8Array, file: string, fileSize: number): number {
  if (prefix.length < 8 || fileSize < 8) throw new ModelError(`${file} is truncated: it is ${fileSize} bytes long, too short for a safetensors header.`, file);
  const dv = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const lo = dv.getUint32(0, true);
  if (dv.getUint32(4, true) !== 0 || lo > MAX_HEADER) throw new ModelError(`${file} is not a safetensors file: its header claims to be over ${MAX_HEADER / 2 ** 20} MB.`, file);
  if (8 + lo > fileSize) throw new ModelError(`${file} is truncated: its header claims ${lo} bytes, but the file has ${fileSize - 8} after the length.`, file);
  return lo;
}

/**
 * Parses one file's JSON header (the `headerLength` bytes after the prefix) into tensor entries with absolute
 * offsets, checking each against the dtype, the shape and the file size.
 */
export function parseSafetensorsHeader(json: Uint8Array, file: string, fileSize: number): Map<string, TensorInfo> {
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch (e) {
    throw new ModelError(`${file} has a header that is not valid JSON (${e instanceof Error ? e.message : String(e)}).`, file);
  }
  if (!isRecord(header)) throw new ModelError(`${file} has a header that is not a JSON object.`, file);
  const dataStart = 8 + json.length;
  const tensors = new Map<string, TensorInfo>();
  for (const [name, value] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    const where = `${file}, tensor "${name}",`;
    if (!isRecord(value)) throw new ModelError(`${where} is not described by an object.`, file);
    const dtype = value.dtype as WeightDType;
    if (!DTYPES.includes(dtype)) throw new ModelError(`${where} has dtype ${JSON.stringify(value.dtype)}; only F32, F16 and BF16 weights are read.`, file);
    const shape = value.shape;
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new ModelError(`${where} has no valid shape.`, file);
    const offsets = value.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((x) => Number.isSafeInteger(x) && x >= 0) || offsets[0] > offsets[1]) {
      throw new ModelError(`${where} has no valid data_offsets.`, file);
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const [begin, end] = offsets as [number, number];
    if (end - begin !== count * ITEM[dtype]) throw new ModelError(`${where} declares shape [${shape.join(', ')}] of ${dtype} (${count * ITEM[dtype]} bytes) but its data_offsets span ${end - begin}.`, file);
    if (dataStart + end > fileSize) throw new ModelError(`${file} is truncated: tensor "${name}" ends at byte ${dataStart + end}, but the file has ${fileSize}.`, file);
    tensors.set(name, { dtype, shape: shape as number[], file, begin: dataStart + begin, end: dataStart + end });
  }
  return tensors;
}

/** The shard files an index names, in first-mention order, and its tensor → file map. */
export function parseShardIndex(text: string, file = 'model.safetensors.index.json'): { files: string[]; weightMap: Map<string, string> } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelError(`${file} is not valid JSON (${e instanceof Error ? e.message : String(e)}).`, file);
  }
  if (!isRecord(json) || !isRecord(json.weight_map)) throw new ModelError(`${file} has no "weight_map" object.`, file);
  const weightMap = new Map<string, string>();
  for (const [name, shard] of Object.entries(json.weight_map)) {
    if (typeof shard !== 'string' || shard.includes('/') || shard.includes('\\') || shard.startsWith('.')) {
      throw new ModelError(`${file} maps "${name}" to ${JSON.stringify(shard)}, which is not a file name in the model folder.`, file);
    }
    weightMap.set(name, shard);
  }
  return { files: [...new Set(weightMap.values())], weightMap };
}

/** Joins per-file headers; with an index, checks that every tensor it names is in the shard it names. */
export function mergeShards(headers: ReadonlyMap<string, ReadonlyMap<string, TensorInfo>>, weightMap?: ReadonlyMap<string, string>): Map<string, TensorInfo> {
  const all = new Map<string, TensorInfo>();
  for (const tensors of headers.values()) for (const [name, info] of tensors) all.set(name, info);
  if (weightMap) {
    for (const [name, shard] of weightMap) {
      if (!headers.has(shard)) throw new ModelError(`model.safetensors.index.json names shard ${shard}, which is missing.`, 'model.safetensors.index.json');
      const info = all.get(name);
      if (!info || info.file !== shard) throw new ModelError(`model.safetensors.index.json puts tensor "${name}" in ${shard}, but that file does not hold it.`, shard);
    }
  }
  return all;
}

const DECODE: Record<WeightDType, 'f4' | 'f2' | 'bf16'> = { F32: 'f4', F16: 'f2', BF16: 'bf16' };

/** One tensor's bytes as float32: a view for aligned F32 (read-only by convention), else a converted copy. */
export function decodeTensor(bytes: Uint8Array, dtype: WeightDType): Float32Array {
  return toFloat32(bytes, 0, bytes.length / ITEM[dtype], DECODE[dtype]);
}
