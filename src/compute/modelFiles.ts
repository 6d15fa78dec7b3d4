/**
 * Reads a model folder for the worker: config.json, tokenizer.json and the safetensors headers, then
 * each tensor by file offset when the forward pass asks for it, so a multi-GB checkpoint is never in
 * memory at once. Every file goes through the model-folder rules (plain names, symlinks confined).
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { mergeShards, parseSafetensorsHeader, parseShardIndex, safetensorsHeaderLength, ModelError, type TensorInfo, type TensorSource } from '../core';
import { ModelFileError, displayPath, modelRoot, readConfinedText, resolveModelFile } from '../models/modelFolder';

const MAX_CONFIG_BYTES = 1 << 20;
const MAX_INDEX_BYTES = 16 << 20;
const MAX_TOKENIZER_BYTES = 64 << 20;
const INDEX = 'model.safetensors.index.json';
const SINGLE = 'model.safetensors';

export interface ModelFolder {
  readonly folder: string;
  readonly config: string;
  readonly tokenizer?: string;
  /** Bytes of all weight files: the upper bound of what the forward pass reads. */
  readonly weightBytes: number;
  /** Changes when any file changes (weights: path, size, modification time; the JSON files: their text). */
  readonly stamp: string;
  readonly source: FileTensorSource;
}

/** A TensorSource over open files: one positioned read per tensor. close() releases the descriptors. */
export interface FileTensorSource extends TensorSource {
  close(): void;
}

/** Reads the small files and every weights header of `folder`; throws one sentence naming the file. */
export async function openModelFolder(folder: string): Promise<ModelFolder> {
  const root = await modelRoot(folder);
  const where = displayPath(folder);
  const config = await readConfinedText(folder, 'config.json', root, MAX_CONFIG_BYTES).catch((error: unknown) => {
    throw error instanceof ModelFileError && /is missing/.test(error.message)
      ? new ModelFileError(`${where} has no config.json: a model folder needs config.json, model.safetensors (or shards with ${INDEX}) and tokenizer.json.`)
      : error;
  });
  const tokenizer = await readConfinedText(folder, 'tokenizer.json', root, MAX_TOKENIZER_BYTES).catch(unlessMissing);
  const { files, weightMap } = await weightFiles(folder, root, where);
  const resolved = await Promise.all(files.map(async (name) => ({ name, ...(await resolveModelFile(folder, name, root).catch((error: unknown) => {
    throw error instanceof ModelFileError && /is missing/.test(error.message) && weightMap
      ? new ModelFileError(`${INDEX} names shard ${name}, which is missing from ${where}.`)
      : error;
  })) })));
  const source = openTensorSource(resolved, weightMap);
  return {
    folder,
    config,
    ...(tokenizer !== undefined ? { tokenizer } : {}),
    weightBytes: resolved.reduce((sum, f) => sum + f.size, 0),
    stamp: JSON.stringify([resolved.map((f) => [f.name, f.path, f.size, f.modified]), config, tokenizer ?? null]),
    source,
  };
}

async function weightFiles(folder: string, root: string, where: string): Promise<{ files: string[]; weightMap?: Map<string, string> }> {
  const index = await readConfinedText(folder, INDEX, root, MAX_INDEX_BYTES).catch(unlessMissing);
  if (index !== undefined) return parseShardIndex(index, INDEX);
  const single = await resolveModelFile(folder, SINGLE, root).catch(unlessMissing);
  if (single) return { files: [SINGLE] };
  const pickle = await resolveModelFile(folder, 'pytorch_model.bin', root).catch(unlessMissing);
  if (pickle) {
    throw new ModelFileError(`${where} has only pytorch_model.bin, a Python pickle, which is never read: save the model as safetensors (save_pretrained(folder, safe_serialization=True)).`);
  }
  throw new ModelFileError(`${where} has no ${SINGLE} and no ${INDEX}: only safetensors weights are read.`);
}

/** Optional files: absent is fine, anything else (a link out of the folder, a folder) is an error. */
function unlessMissing(error: unknown): undefined {
  if (error instanceof ModelFileError && /is missing/.test(error.message)) return undefined;
  throw error;
}

function openTensorSource(files: readonly { name: string; path: string; size: number }[], weightMap: Map<string, string> | undefined): FileTensorSource {
  const fds = new Map<string, number>();
  const close = () => {
    for (const fd of fds.values()) closeSync(fd);
    fds.clear();
  };
  try {
    const headers = new Map<string, Map<string, TensorInfo>>();
    for (const f of files) {
      const fd = openSync(f.path, 'r');
      fds.set(f.name, fd);
      const length = safetensorsHeaderLength(readAt(fd, 0, Math.min(8, f.size)), f.name, f.size);
      headers.set(f.name, parseSafetensorsHeader(readAt(fd, 8, length), f.name, f.size));
    }
    const tensors = mergeShards(headers, weightMap);
    return {
      tensors,
      read(name) {
        const info = tensors.get(name);
        const fd = info && fds.get(info.file);
        if (!info || fd === undefined) throw new ModelError(`No weights file holds tensor "${name}".`);
        return readAt(fd, info.begin, info.end - info.begin);
      },
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}

/** Exactly `length` bytes at `offset`, or a message that the file ended first. */
function readAt(fd: number, offset: number, length: number): Uint8Array {
  const bytes = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const n = readSync(fd, bytes, done, length - done, offset + done);
    if (n === 0) throw new ModelFileError(`A weights file ended ${length - done} bytes early at offset ${offset + done}: it is truncated.`);
    done += n;
  }
  return bytes;
}
