/**
 * File rules for a model folder. A model's path comes from the user, but the names inside it (shard
 * names in model.safetensors.index.json, symlinks) come from the folder: a file is read only when it
 * is a regular file whose real path lies inside the model folder, or inside its cache entry
 * (models--org--name/, whose snapshots/ link into blobs/).
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

export class ModelFileError extends Error {}

/** The folder symlinks may resolve into: the cache entry for a Hub snapshot, else the folder itself. */
export async function modelRoot(folder: string): Promise<string> {
  const resolved = path.resolve(folder);
  const parts = resolved.split(path.sep);
  const at = parts.length - 3;
  const inCache = at >= 0 && parts[at].startsWith('models--') && parts[at + 1] === 'snapshots';
  const root = inCache ? parts.slice(0, at + 1).join(path.sep) || path.sep : resolved;
  return fs.realpath(root).catch(() => root);
}

/** Whether `child` is `parent` or lies under it (both absolute, real paths). */
export function isInside(parent: string, child: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/**
 * The real path and size of `name` in `folder`, after checking the rules above. `name` must be a plain
 * file name: no folders, no "..". Throws a ModelFileError naming the file and the problem.
 */
export async function resolveModelFile(folder: string, name: string, root: string): Promise<{ readonly path: string; readonly size: number; readonly modified: number }> {
  if (name === '' || name !== path.basename(name) || name === '.' || name === '..' || name.includes('/') || name.includes('\\')) {
    throw new ModelFileError(`"${name}" is not a plain file name inside the model folder.`);
  }
  const file = path.join(folder, name);
  let real: string;
  try {
    real = await fs.realpath(file);
  } catch {
    throw new ModelFileError(`${name} is missing from ${displayPath(folder)}.`);
  }
  if (!isInside(root, real)) {
    throw new ModelFileError(`${name} in ${displayPath(folder)} links outside the model's folder (to ${real}); it was not read.`);
  }
  const stat = await fs.stat(real);
  if (!stat.isFile()) throw new ModelFileError(`${name} in ${displayPath(folder)} is not a regular file.`);
  return { path: real, size: stat.size, modified: stat.mtimeMs };
}

/** A small text file (config.json, tokenizer.json, the shard index), refused above maxBytes. */
export async function readConfinedText(folder: string, name: string, root: string, maxBytes: number): Promise<string> {
  const file = await resolveModelFile(folder, name, root);
  if (file.size > maxBytes) {
    throw new ModelFileError(`${name} is ${formatBytes(file.size)}, more than the ${formatBytes(maxBytes)} a model's ${name} may be.`);
  }
  return fs.readFile(file.path, 'utf8');
}

/** "~/…" for paths under the home folder, so banners and messages stay short. */
export function displayPath(p: string, home = process.env.HOME ?? ''): string {
  return home && isInside(home, p) ? path.join('~', path.relative(home, p)) : p;
}

/** "~/.cache/huggingface/hub/…/org/name" for a Hub snapshot (the revision folder says nothing), else displayPath. */
export function shortModelPath(folder: string, home = process.env.HOME ?? ''): string {
  const parts = path.resolve(folder).split(path.sep);
  const at = parts.length - 3;
  if (at >= 1 && parts[at].startsWith('models--') && parts[at + 1] === 'snapshots') {
    return `${displayPath(parts.slice(0, at).join(path.sep) || path.sep, home)}/…/${parts[at].slice('models--'.length).split('--').join('/')}`;
  }
  return displayPath(folder, home);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} bytes`;
}
