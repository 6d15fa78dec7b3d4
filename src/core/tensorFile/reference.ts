/** Sidecar files: "attention_file" (+ "attention_tensor") pointing at binary weights, and "head_names". */
import type { SourceLocation } from '../types';
import { type JsonObject, arrayItem, arraySize, formatPath } from './json';
import type { Reporter } from './problems';
import { expectArray, field, readString, readStringArray } from './read';
import { plural } from '../plural';

/** File types `attention_file` may name. */
export const ATTENTION_FILE_EXTENSIONS = ['.npy', '.npz', '.safetensors'] as const;

/**
 * Where a sidecar file's weights are: `attention_file` (a path relative to the JSON file's folder) and,
 * for .npz / .safetensors, the array inside it. The weights are read by parseBinaryAttention.
 */
export interface AttentionReference {
  /** The path as written, with "\\" turned into "/". */
  readonly file: string;
  readonly tensor?: string;
  /** head_names as written (flat or per layer), checked against the tensor once it is read. */
  readonly headNames?: readonly (readonly string[])[] | readonly string[];
  /** The "attention_file" value in the text. */
  readonly location: SourceLocation;
}

/** attention_file (+ attention_tensor, head_names) of a sidecar file. */
export function readReference(rep: Reporter, root: JsonObject): AttentionReference | undefined {
  const f = field(root, 'attention_file', []);
  if (f === undefined) return undefined;
  const raw = readString(rep, f.node, f.path);
  if (raw === undefined) return undefined;
  const file = raw.replace(/\\/g, '/');
  const ext = ATTENTION_FILE_EXTENSIONS.find((e) => file.toLowerCase().endsWith(e));
  if (file.trim() === '') {
    rep.errorAt(f.node, f.path, 'attention_file is empty: give the binary file\'s path relative to this file, e.g. "gpt2-512.npz".');
    return undefined;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(file) || file.startsWith('/')) {
    rep.errorAt(f.node, f.path, `attention_file must be a path relative to this file's folder, such as "gpt2-512.npz", but it is ${JSON.stringify(raw)}.`);
    return undefined;
  }
  if (ext === undefined) {
    rep.errorAt(f.node, f.path, `attention_file must name a .npy, .npz or .safetensors file, but it is ${JSON.stringify(raw)}.`);
    return undefined;
  }
  let tensor: string | undefined;
  const t = field(root, 'attention_tensor', []);
  if (t !== undefined) {
    tensor = readString(rep, t.node, t.path);
    if (tensor !== undefined && ext === '.npy') rep.warnAt(t.node, t.path, 'attention_tensor has no effect: a .npy file holds a single array.');
  }
  let headNames: string[][] | string[] | undefined;
  const hn = field(root, 'head_names', []);
  if (hn !== undefined) {
    const arr = expectArray(rep, hn.node, hn.path, 'an array of head names (or one array per layer)');
    if (arr !== undefined) {
      if (arraySize(arr) > 0 && arrayItem(arr, 0).kind === 'array') {
        const nested: string[][] = [];
        for (let i = 0; i < arraySize(arr); i++) {
          const r = readStringArray(rep, arrayItem(arr, i), [...hn.path, i], 'head name');
          if (r !== undefined) nested.push(r.value);
        }
        headNames = nested;
      } else {
        headNames = readStringArray(rep, arr, hn.path, 'head name')?.value;
      }
    }
  }
  return {
    file,
    ...(tensor !== undefined ? { tensor } : {}),
    ...(headNames !== undefined ? { headNames } : {}),
    location: rep.location(f.node.offset, f.node.length, f.path),
  };
}

export function readHeadNames(rep: Reporter, root: JsonObject, headCounts: number[] | undefined): string[][] | undefined {
  const hn = field(root, 'head_names', []);
  if (hn === undefined) return undefined;
  const arr = expectArray(rep, hn.node, hn.path, 'an array of head names (or one array per layer)');
  if (arr === undefined) return undefined;
  const nested = arraySize(arr) > 0 && arrayItem(arr, 0).kind === 'array';
  let names: string[][];
  if (nested) {
    names = [];
    for (let i = 0; i < arraySize(arr); i++) {
      const r = readStringArray(rep, arrayItem(arr, i), [...hn.path, i], 'head name');
      if (r === undefined) return undefined;
      names.push(r.value);
    }
  } else {
    const r = readStringArray(rep, arr, hn.path, 'head name');
    if (r === undefined) return undefined;
    names = (headCounts ?? [r.value.length]).map(() => r.value);
  }
  if (headCounts === undefined) return undefined;
  if (names.length !== headCounts.length) {
    rep.errorAt(arr, hn.path, `head_names has names for ${plural(names.length, 'layer')}, but attention has ${headCounts.length}.`);
    return undefined;
  }
  for (let i = 0; i < names.length; i++) {
    if (names[i].length !== headCounts[i]) {
      const p = nested ? [...hn.path, i] : hn.path;
      rep.errorAt(nested ? arrayItem(arr, i) : arr, p, `${formatPath(p)} has ${plural(names[i].length, 'name')}, but layer ${i} of attention has ${plural(headCounts[i], 'head')}.`);
      return undefined;
    }
  }
  return names;
}
