/**
 * The one place that decides which files the extension may read, and reads them safely. Node's fs, no
 * vscode, so the rules are tested against real temporary folders (test/unit/host/fileRules.test.ts).
 *
 * A file is read only when its real path (symlinks resolved) is a regular file inside one of the allowed
 * roots and no bigger than the cap. Its type and size are checked before it is opened, and it is opened
 * non-blocking and without following a symlink, so a FIFO, a device or a file swapped in between can
 * neither hang nor grow the host: the opened file must be the very file that was checked.
 */
import { constants, promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import { formatBytes } from '../shared/core';

export interface ReadRules {
  /** Folders a file must be inside, by real path (workspace folders, maybe the folder of the file that names it). */
  readonly roots: readonly string[];
  /** Largest file read, in bytes. */
  readonly maxBytes: number;
  /** How the file is called in messages, e.g. `attention_file "a.npz"`. */
  readonly what: string;
}

export type Checked =
  | { readonly ok: true; readonly realPath: string; readonly size: number; readonly identity: string }
  | { readonly ok: false; readonly message: string };
export type Read = { readonly ok: true; readonly bytes: Uint8Array } | { readonly ok: false; readonly message: string };

type Paths = Pick<typeof path, 'relative' | 'isAbsolute'>;

/**
 * The folders files may be read from: the workspace folders, and the folder the user chose beyond them (the
 * file they opened, the JSON naming a binary file), but that one only in a trusted workspace.
 */
export function allowedRoots(workspaceFolders: readonly string[], chosenFolder: string | undefined, trusted: boolean): string[] {
  return chosenFolder !== undefined && trusted ? [...workspaceFolders, chosenFolder] : [...workspaceFolders];
}

/** Whether `p` is `root` or inside it (both absolute and normalized), by whole path segments. */
export function isInside(root: string, p: string, paths: Paths = path): boolean {
  const rel = paths.relative(root, p);
  return !/^\.\.([/\\]|$)/.test(rel) && !paths.isAbsolute(rel);
}

/** The pure decision, from what stat found: undefined when the file may be read, else the reason. */
export function refusal(realPath: string, stats: Pick<Stats, 'isFile' | 'isDirectory' | 'size'>, rules: ReadRules, paths: Paths = path): string | undefined {
  if (!rules.roots.some((root) => isInside(root, realPath, paths))) {
    return rules.roots.length === 0
      ? `${rules.what} was not read: no workspace folder is open, and only files inside one are read.`
      : `${rules.what} was not read: its real path is ${realPath}, outside the workspace folder, and only files inside it are read.`;
  }
  if (!stats.isFile()) {
    return `${rules.what} was not read: ${stats.isDirectory() ? 'it is a folder' : 'it is not a regular file (a device, pipe or socket)'}.`;
  }
  if (stats.size > rules.maxBytes) {
    return `${rules.what} was not read: it is ${formatBytes(stats.size)}, more than the limit of ${formatBytes(rules.maxBytes)}.`;
  }
  return undefined;
}

function failure(rules: ReadRules, error: unknown): { ok: false; message: string } {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return { ok: false, message: `${rules.what} was not found.` };
  if (code === 'ELOOP') return { ok: false, message: `${rules.what} was not read: it is a symbolic link loop.` };
  return { ok: false, message: `${rules.what} could not be read: ${error instanceof Error ? error.message : String(error)}` };
}

function changed(rules: ReadRules): { ok: false; message: string } {
  return { ok: false, message: `${rules.what} changed while it was read; it is read again when it changes.` };
}

/** Real roots: a workspace folder reached through a symlink still contains its own files. */
async function realRoots(roots: readonly string[]): Promise<string[]> {
  const real = await Promise.all(roots.map((r) => fs.realpath(r).catch(() => undefined)));
  return real.filter((r): r is string => r !== undefined);
}

/** Device and inode: the same file, even if a folder on its path was swapped for a link in between. */
function identity(stats: Stats): string {
  return `${stats.dev}:${stats.ino}`;
}

/** Resolves and checks a file without opening it. */
export async function checkFile(filePath: string, rules: ReadRules): Promise<Checked> {
  try {
    const realPath = await fs.realpath(filePath);
    const stats = await fs.lstat(realPath);
    const problem = refusal(realPath, stats, { ...rules, roots: await realRoots(rules.roots) });
    return problem ? { ok: false, message: problem } : { ok: true, realPath, size: stats.size, identity: identity(stats) };
  } catch (error) {
    return failure(rules, error);
  }
}

/** Reads a file the rules allow: at most `maxBytes`, and only the regular file that was checked. */
export async function readFileWithinRules(filePath: string, rules: ReadRules): Promise<Read> {
  const checked = await checkFile(filePath, rules);
  if (!checked.ok) return checked;
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(checked.realPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const opened = await handle.stat();
    if (identity(opened) !== checked.identity) return changed(rules);
    const problem = refusal(checked.realPath, opened, { ...rules, roots: [checked.realPath] });
    if (problem) return { ok: false, message: problem };
    const bytes = new Uint8Array(opened.size);
    let filled = 0;
    while (filled < bytes.length) {
      const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    // One byte more tells a file that grew (or shrank) while it was read: read it again later.
    const { bytesRead: extra } = await handle.read(new Uint8Array(1), 0, 1, filled);
    if (filled !== bytes.length || extra !== 0) return changed(rules);
    return { ok: true, bytes };
  } catch (error) {
    return failure(rules, error);
  } finally {
    await handle?.close();
  }
}
