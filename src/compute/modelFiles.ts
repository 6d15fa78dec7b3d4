/**
 * The worker's side of the core's ModelFolder: a model folder on disk, read by offset, where every file
 * goes through the model-folder rules first (plain names, regular files, symlinks confined to the folder
 * or its cache entry). The core reads headers first and each tensor when the forward pass needs it.
 */
import { closeSync, openSync, promises as fs, readFileSync, readSync } from 'node:fs';
import type { ModelFolder } from '../core';
import { ModelFileError, formatBytes, modelRoot, resolveModelFile } from '../models/modelFolder';

/** config.json, tokenizer.json and the shard index are read whole: refuse them past this size. */
const MAX_TEXT_BYTES = 64 << 20;

export interface DiskModelFolder extends ModelFolder {
  /** Bytes of the folder's *.safetensors files. */
  readonly weightBytes: number;
  /** Changes when any file changes (real path, size, modification time): the worker's cache key. */
  readonly stamp: string;
  close(): void;
}

type Resolved = { readonly path: string; readonly size: number; readonly modified: number } | { readonly error: Error };

/** Resolves every top-level file of `folder` now (async); reads happen later, synchronously, in the worker. */
export async function openModelFolder(folder: string): Promise<DiskModelFolder> {
  const root = await modelRoot(folder);
  const names = (await fs.readdir(folder).catch(() => [] as string[])).sort();
  const resolved = new Map<string, Resolved>();
  for (const name of names) {
    resolved.set(name, await resolveModelFile(folder, name, root).catch((error: unknown) => ({ error: error instanceof Error ? error : new Error(String(error)) })));
  }
  // Sub-folders are not model files; anything else that failed (a link out of the folder) stays listed, so reading it says why.
  const files = names.filter((n) => { const r = resolved.get(n)!; return !('error' in r) || !/not a regular file/.test(r.error.message); });
  const fds = new Map<string, number>();
  const file = (name: string) => {
    const r = resolved.get(name);
    if (!r) throw new ModelFileError(`${name} is missing from the model folder.`);
    if ('error' in r) throw r.error;
    return r;
  };
  const fd = (name: string): number => {
    let d = fds.get(name);
    if (d === undefined) fds.set(name, (d = openSync(file(name).path, 'r')));
    return d;
  };
  const readInto = (name: string, offset: number, target: Uint8Array): number => {
    let done = 0;
    while (done < target.length) {
      const n = readSync(fd(name), target, done, target.length - done, offset + done);
      if (n === 0) break;
      done += n;
    }
    return done;
  };
  return {
    files,
    size: (name) => file(name).size,
    readText(name) {
      const f = file(name);
      if (f.size > MAX_TEXT_BYTES) throw new ModelFileError(`${name} is ${formatBytes(f.size)}, more than the ${formatBytes(MAX_TEXT_BYTES)} a model's ${name} may be.`);
      return readFileSync(f.path, 'utf8');
    },
    read(name, offset, length) {
      const bytes = new Uint8Array(length);
      const done = readInto(name, offset, bytes);
      return done === length ? bytes : bytes.subarray(0, done);
    },
    readInto,
    weightBytes: files.filter((n) => n.endsWith('.safetensors')).reduce((sum, n) => sum + file(n).size, 0),
    stamp: JSON.stringify(names.map((n) => { const r = resolved.get(n)!; return 'error' in r ? [n, r.error.message] : [n, r.path, r.size, r.modified]; })),
    close() {
      for (const d of fds.values()) closeSync(d);
      fds.clear();
    },
  };
}
