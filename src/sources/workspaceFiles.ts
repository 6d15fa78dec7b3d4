/**
 * Which roots the file rules (fileRules.ts) allow, from VS Code's workspace folders and workspace trust,
 * and the same rules for virtual file systems, where there is no real path to resolve.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import { MAX_TEXT_LENGTH } from '../shared/core';
import { allowedRoots, checkFile, readFileWithinRules, refusal, type ReadRules } from './fileRules';

/** Tensor JSON read from disk: the parser's own length limit. */
export const MAX_JSON_FILE_BYTES = MAX_TEXT_LENGTH;
/** A binary attention file read into the host to be handed to the worker. */
export const MAX_BINARY_FILE_BYTES = 1024 * 1024 * 1024;

export interface Access {
  /** How the file is called in messages, e.g. `attention_file "a.npz"`. */
  readonly what: string;
  readonly maxBytes: number;
  /**
   * A folder the user chose beyond the workspace folders: the folder of a file they opened themselves, or
   * of the JSON file naming a binary file. Ignored in an untrusted workspace, where only workspace folders count.
   */
  readonly alsoFrom?: vscode.Uri;
}

type Outcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** The folder holding `uri`. */
export function folderOf(uri: vscode.Uri): vscode.Uri {
  return vscode.Uri.joinPath(uri, '..');
}

/** The allowed roots on the file system of `uri`, as `file` fs paths or as URI paths. */
function roots(uri: vscode.Uri, access: Access, pathOf: (u: vscode.Uri) => string): string[] {
  const sameFs = (u: vscode.Uri) => u.scheme === uri.scheme && u.authority === uri.authority;
  const folders = (vscode.workspace.workspaceFolders ?? []).map((f) => f.uri).filter(sameFs);
  const chosen = access.alsoFrom && sameFs(access.alsoFrom) ? pathOf(access.alsoFrom) : undefined;
  return allowedRoots(folders.map(pathOf), chosen, vscode.workspace.isTrusted);
}

function rules(uri: vscode.Uri, access: Access): ReadRules {
  return { roots: roots(uri, access, (u) => u.fsPath), maxBytes: access.maxBytes, what: access.what };
}

/** Checks a file against the rules without reading it (restoring a panel). */
export async function checkAllowed(uri: vscode.Uri, access: Access): Promise<Outcome<void>> {
  if (uri.scheme === 'file') {
    const checked = await checkFile(uri.fsPath, rules(uri, access));
    return checked.ok ? { ok: true, value: undefined } : checked;
  }
  const stat = await virtualStat(uri, access);
  return stat.ok ? { ok: true, value: undefined } : stat;
}

/** Reads a file the rules allow, with the size cap. */
export async function readAllowed(uri: vscode.Uri, access: Access): Promise<Outcome<Uint8Array>> {
  if (uri.scheme === 'file') {
    const read = await readFileWithinRules(uri.fsPath, rules(uri, access));
    return read.ok ? { ok: true, value: read.bytes } : read;
  }
  const stat = await virtualStat(uri, access);
  if (!stat.ok) return stat;
  try {
    const bytes = await vscode.workspace.fs.readFile(uri);
    if (bytes.byteLength > access.maxBytes) return { ok: false, message: `${access.what} changed while it was read; it is read again when it changes.` };
    return { ok: true, value: bytes };
  } catch (error) {
    return { ok: false, message: `${access.what} could not be read: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * A virtual file system (a remote repository, say) has no real path: the file must lie inside a root by
 * its path, and be a plain file, not a link, within the size cap.
 */
async function virtualStat(uri: vscode.Uri, access: Access): Promise<Outcome<void>> {
  try {
    const stat = await vscode.workspace.fs.stat(uri);
    const problem = refusal(path.posix.normalize(uri.path), {
      isFile: () => stat.type === vscode.FileType.File,
      isDirectory: () => (stat.type & vscode.FileType.Directory) !== 0,
      size: stat.size,
    }, { ...access, roots: roots(uri, access, (u) => u.path) }, path.posix);
    return problem ? { ok: false, message: problem } : { ok: true, value: undefined };
  } catch {
    return { ok: false, message: `${access.what} was not found.` };
  }
}
