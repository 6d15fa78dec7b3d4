/** Host helpers for binary attention files: which files, where a sidecar's reference points, owned bytes. */
import * as path from 'node:path';
import { isInside } from './fileRules';

const BINARY = /\.(npy|npz|safetensors)$/i;

export function isBinaryAttentionPath(p: string): boolean {
  return BINARY.test(p);
}

export type ResolvedReference = { readonly ok: true; readonly path: string } | { readonly ok: false; readonly message: string };

/**
 * Resolves a sidecar's `attention_file` (relative, '/'-separated) against the sidecar's URI path. The
 * result must stay inside the sidecar's folder or the workspace folder holding it (`workspaceRoot`):
 * a path that climbs out with ".." is refused.
 */
export function resolveReferencePath(sidecarPath: string, file: string, workspaceRoot?: string): ResolvedReference {
  const rel = file.replace(/\\/g, '/');
  if (rel.startsWith('/') || /^[a-z][a-z0-9+.-]*:/i.test(rel)) {
    return { ok: false, message: `attention_file must be a path relative to the JSON file's folder, but it is "${file}".` };
  }
  const dir = path.posix.dirname(sidecarPath);
  const resolved = path.posix.normalize(path.posix.join(dir, rel));
  const roots = [dir, ...(workspaceRoot !== undefined ? [path.posix.normalize(workspaceRoot)] : [])];
  if (!roots.some((root) => isInside(root, resolved, path.posix))) {
    return {
      ok: false,
      message: `attention_file "${file}" points outside ${workspaceRoot !== undefined ? 'the workspace folder' : "the JSON file's folder"}, which is not allowed. Keep the binary file next to the JSON file or elsewhere in the workspace.`,
    };
  }
  return { ok: true, path: resolved };
}

/**
 * Bytes that fill their own ArrayBuffer. A view on a bigger (pooled or IPC) buffer is copied: posting it to the
 * compute process would otherwise send the whole underlying buffer.
 */
export function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer ? bytes : bytes.slice();
}
