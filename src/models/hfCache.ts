/**
 * Finds the models already in the user's Hugging Face cache. Node file system only, no vscode, so unit
 * tests run it on a cache they build in a temp folder.
 *
 * Layout: <hub>/models--<org>--<name>/snapshots/<revision>/<files>, the files being symlinks into
 * ../../blobs/<sha>; refs/main names the revision the hub last downloaded.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { readConfinedText, modelRoot } from './modelFolder';

export interface CachedModel {
  /** The Hub id, e.g. "openai-community/gpt2" or "gpt2". */
  readonly id: string;
  /** The snapshot folder holding config.json, the weights and the tokenizer. */
  readonly folder: string;
  readonly revision: string;
  /** config.json's model_type, when it could be read. */
  readonly modelType?: string;
  /** Bytes of the *.safetensors files in the snapshot (their blobs). */
  readonly weightBytes: number;
  /** Layers × hidden size, e.g. "12 layers × 768", when the config says. */
  readonly shape?: string;
}

/** The hub folders to look in, most specific first, without duplicates. */
export function hubCacheDirs(env: NodeJS.ProcessEnv, home: string): string[] {
  const dirs = [
    env.HF_HUB_CACHE,
    env.HUGGINGFACE_HUB_CACHE,
    env.HF_HOME ? path.join(env.HF_HOME, 'hub') : undefined,
    home ? path.join(home, '.cache', 'huggingface', 'hub') : undefined,
  ].filter((d): d is string => !!d);
  return [...new Set(dirs.map((d) => path.resolve(d)))];
}

/** "models--org--name" → "org/name"; undefined for anything else (datasets, spaces, stray files). */
export function modelIdFromEntry(entry: string): string | undefined {
  const match = /^models--(.+)$/.exec(entry);
  return match ? match[1].split('--').join('/') : undefined;
}

/** "openai-community/gpt2" for …/models--openai-community--gpt2/snapshots/<rev>, else the folder's own name. */
export function modelName(folder: string): string {
  const parts = folder.split(/[\\/]/).filter(Boolean);
  const entry = parts.length >= 3 && parts[parts.length - 2] === 'snapshots' ? parts[parts.length - 3] : undefined;
  return (entry && modelIdFromEntry(entry)) || (parts[parts.length - 1] ?? folder);
}

/** Every model found in the given hub folders; unreadable entries are skipped, never thrown. */
export async function listCachedModels(hubDirs: readonly string[]): Promise<CachedModel[]> {
  const found: CachedModel[] = [];
  const seen = new Set<string>();
  for (const hub of hubDirs) {
    let entries: string[];
    try {
      entries = await fs.readdir(hub);
    } catch {
      continue;
    }
    for (const entry of entries.sort()) {
      const id = modelIdFromEntry(entry);
      if (!id) continue;
      const model = await readCacheEntry(path.join(hub, entry), id);
      if (!model) continue;
      const real = await fs.realpath(model.folder).catch(() => model.folder);
      if (seen.has(real)) continue;
      seen.add(real);
      found.push(model);
    }
  }
  return found;
}

/** The snapshot refs/main names, else the newest snapshot; undefined when there is none. */
export async function snapshotOf(entryDir: string): Promise<{ readonly revision: string; readonly folder: string } | undefined> {
  const snapshots = path.join(entryDir, 'snapshots');
  const main = (await fs.readFile(path.join(entryDir, 'refs', 'main'), 'utf8').catch(() => '')).trim();
  if (/^[\w.-]+$/.test(main) && (await isDirectory(path.join(snapshots, main)))) return { revision: main, folder: path.join(snapshots, main) };
  let newest: { revision: string; folder: string; mtime: number } | undefined;
  for (const revision of await fs.readdir(snapshots).catch(() => [] as string[])) {
    const folder = path.join(snapshots, revision);
    const stat = await fs.stat(folder).catch(() => undefined);
    if (stat?.isDirectory() && (!newest || stat.mtimeMs > newest.mtime)) newest = { revision, folder, mtime: stat.mtimeMs };
  }
  return newest && { revision: newest.revision, folder: newest.folder };
}

async function readCacheEntry(entryDir: string, id: string): Promise<CachedModel | undefined> {
  const snapshot = await snapshotOf(entryDir);
  if (!snapshot) return undefined;
  const files = await fs.readdir(snapshot.folder).catch(() => [] as string[]);
  if (!files.includes('config.json')) return undefined;
  const root = await modelRoot(snapshot.folder);
  let weightBytes = 0;
  for (const file of files.filter((f) => f.endsWith('.safetensors'))) {
    const stat = await fs.stat(path.join(snapshot.folder, file)).catch(() => undefined);
    weightBytes += stat?.isFile() ? stat.size : 0;
  }
  const config = await readConfinedText(snapshot.folder, 'config.json', root, 1 << 20).then(parseConfigSummary, () => undefined);
  return { id, folder: snapshot.folder, revision: snapshot.revision, weightBytes, ...config };
}

/** model_type and a short shape from config.json text; nothing when it is not a JSON object. */
export function parseConfigSummary(text: string): { modelType?: string; shape?: string } {
  let config: unknown;
  try {
    config = JSON.parse(text);
  } catch {
    return {};
  }
  if (!config || typeof config !== 'object') return {};
  const c = config as Record<string, unknown>;
  const num = (...keys: string[]) => keys.map((k) => c[k]).find((v): v is number => typeof v === 'number');
  const layers = num('n_layer', 'num_hidden_layers');
  const width = num('n_embd', 'hidden_size');
  return {
    ...(typeof c.model_type === 'string' ? { modelType: c.model_type } : {}),
    ...(layers !== undefined && width !== undefined ? { shape: `${layers} layers × ${width}` } : {}),
  };
}

async function isDirectory(p: string): Promise<boolean> {
  return (await fs.stat(p).catch(() => undefined))?.isDirectory() ?? false;
}
