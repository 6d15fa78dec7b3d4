/**
 * A model folder read through random access: config.json, model.safetensors or the shards of
 * model.safetensors.index.json, and tokenizer.json. Headers are read first; tensor bytes are read by offset when a
 * forward pass needs them, so a multi-GB checkpoint is never in memory at once. The worker supplies the reads.
 */
import { mergeShards, parseSafetensorsHeader, parseShardIndex, safetensorsHeaderLength } from './safetensors';
import { ModelError, type TensorInfo, type TensorSource } from './types';

/** The reads a model folder needs; names are plain file names inside the folder. */
export interface ModelFolder {
  /** The files at the folder's top level. */
  readonly files: readonly string[];
  readText(name: string): string;
  size(name: string): number;
  read(name: string, offset: number, length: number): Uint8Array;
  /** Reads `target.length` bytes from `offset` into `target`, returning how many were read (else `read` and a copy). */
  readInto?(name: string, offset: number, target: Uint8Array): number;
}

export const SINGLE_WEIGHTS = 'model.safetensors';
export const SHARD_INDEX = 'model.safetensors.index.json';

/** The weights files of a folder (one file, or the index's shards) and the index's map. */
function weightFiles(folder: ModelFolder): { files: string[]; weightMap?: Map<string, string> } {
  const has = new Set(folder.files);
  if (has.has(SHARD_INDEX)) {
    const index = parseShardIndex(folder.readText(SHARD_INDEX));
    const missing = index.files.find((f) => !has.has(f));
    if (missing !== undefined) throw new ModelError(`${SHARD_INDEX} names shard ${missing}, which is not in the folder.`, SHARD_INDEX);
    return index;
  }
  if (has.has(SINGLE_WEIGHTS)) return { files: [SINGLE_WEIGHTS] };
  const pickle = folder.files.find((f) => /^pytorch_model.*\.bin$/.test(f));
  if (pickle !== undefined) {
    throw new ModelError(`The folder has only ${pickle}, a PyTorch pickle, which is never loaded (unpickling can run code); convert it to model.safetensors.`, pickle);
  }
  throw new ModelError(`The folder has no ${SINGLE_WEIGHTS} and no ${SHARD_INDEX}.`, SINGLE_WEIGHTS);
}

/** Reads every weights file's header and returns a source that reads tensors by offset. */
export function folderTensorSource(folder: ModelFolder): TensorSource {
  const { files, weightMap } = weightFiles(folder);
  const headers = new Map<string, Map<string, TensorInfo>>();
  for (const file of files) {
    const size = folder.size(file);
    const length = safetensorsHeaderLength(folder.read(file, 0, Math.min(8, size)), file, size);
    headers.set(file, parseSafetensorsHeader(folder.read(file, 8, length), file, size));
  }
  const tensors = mergeShards(headers, weightMap);
  const readPart = (name: string, offset: number, length: number): Uint8Array => {
    const info = tensors.get(name);
    if (!info) throw new ModelError(`No weights file holds tensor "${name}".`);
    if (offset < 0 || offset + length > info.end - info.begin) throw new RangeError(`internal: bytes ${offset}…${offset + length} are outside tensor "${name}"`);
    const bytes = folder.read(info.file, info.begin + offset, length);
    if (bytes.length !== length) throw new ModelError(`${info.file} is truncated: tensor "${name}" could not be read in full.`, info.file);
    return bytes;
  };
  return {
    tensors,
    read: (name) => {
      const info = tensors.get(name);
      return readPart(name, 0, info ? info.end - info.begin : 0);
    },
    readPart,
    readInto: (name, target) => {
      const info = tensors.get(name);
      if (!info || target.length !== info.end - info.begin) throw new RangeError(`internal: tensor "${name}" does not fit ${target.length} bytes`);
      if (!folder.readInto) {
        target.set(readPart(name, 0, target.length));
        return;
      }
      if (folder.readInto(info.file, info.begin, target) !== target.length) {
        throw new ModelError(`${info.file} is truncated: tensor "${name}" could not be read in full.`, info.file);
      }
    },
  };
}

/** config.json's text, with a clear message when it is missing. */
export function folderConfig(folder: ModelFolder): string {
  if (!folder.files.includes('config.json')) throw new ModelError('The folder has no config.json, so it is not a Hugging Face model folder.', 'config.json');
  return folder.readText('config.json');
}

/** tokenizer.json's text, or undefined: a folder without one runs on token ids. */
export function folderTokenizer(folder: ModelFolder): string | undefined {
  return folder.files.includes('tokenizer.json') ? folder.readText('tokenizer.json') : undefined;
}

/** A folder over files in memory (tests, and `loadModel`'s byte arrays). */
export function memoryFolder(files: ReadonlyMap<string, Uint8Array | string>): ModelFolder {
  const bytes = (name: string): Uint8Array => {
    const f = files.get(name);
    if (f === undefined) throw new ModelError(`The folder has no ${name}.`, name);
    return typeof f === 'string' ? new TextEncoder().encode(f) : f;
  };
  return {
    files: [...files.keys()],
    readText: (name) => {
      const f = files.get(name);
      return typeof f === 'string' ? f : new TextDecoder().decode(bytes(name));
    },
    size: (name) => bytes(name).length,
    read: (name, offset, length) => bytes(name).subarray(offset, offset + length),
  };
}
