/**
 * Reader for `*.attention.json` files (format: docs/file-format.md, schema: schemas/attention.schema.json).
 *
 * parseTensorFile never throws. It returns either a spec with warnings or every problem it found, each
 * with an exact location (offset, length, 0-based line and column, JSON path) on the most specific node.
 */
import type { Matrix } from '../matrix';
import {
  type AttentionOptions,
  type AttentionSpec,
  type ComputeSpec,
  type FeedForwardSpec,
  type HeadSpec,
  type LayerSpec,
  type MaskSpec,
  type ParseResult,
  type PrecomputedSpec,
  type Problem,
  type Provenance,
  type SourceLocation,
  DEFAULT_OPTIONS,
} from '../types';
import { type JsonObject, type JsonPath, type JsonValue, arrayItem, arraySize, buildTree, formatPath, getProp } from './json';
import { readAttention } from './layout';
import { MAX_FACTOR, MAX_TEXT_LENGTH, MIN_FACTOR } from './limits';
import { Reporter, reportSyntaxError } from './problems';
import { type Located, describe, expectArray, expectObject, readMatrix, readNumber, readString, readStringArray, readVector, suggest, warnUnknownKeys } from './read';
import { type RawFfn, type RawHead, type RawLayer, validateStack } from './validate';

export { MAX_DEPTH, MAX_TEXT_LENGTH } from './limits';
export type { AttentionLayout } from './layout';

export const TOP_LEVEL_FIELDS = [
  '$schema', 'description', 'source', 'tokens', 'key_tokens', 'embeddings', 'key_embeddings',
  'heads', 'query', 'key', 'value', 'wo', 'ffn', 'layers', 'attention', 'head_names', 'options',
  'attention_file', 'attention_tensor',
] as const;

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

/**
 * parseTensorFile's result. When the file is a sidecar (it has "attention_file"), `reference` is set and
 * the spec is precomputed with an empty `attention`: the weights are in the binary file.
 */
export type TensorFileResult = ParseResult & { readonly reference?: AttentionReference };

export const DEFAULT_MODEL_DESCRIPTION = 'Attention weights exported from a model.';
export const DEFAULT_FILE_DESCRIPTION = 'Computed from the weights in this file.';

const HEAD_FIELDS = ['name', 'wq', 'wk', 'wv', 'query', 'key', 'value'];
const LAYER_FIELDS = ['heads', 'wo', 'ffn'];
const FFN_FIELDS = ['w1', 'b1', 'w2', 'b2'];
const OPTION_FIELDS = ['scale', 'mask', 'temperature'];
const MASK_FIELDS = ['window', 'dilation'];

/** What each mode-defining field means, for "a mix of modes" messages. */
const MODE_ROLE: Record<string, string> = {
  attention: 'gives weights exported from a model, so nothing is computed',
  attention_file: 'points to weights exported from a model in a binary file (.npy, .npz, .safetensors)',
  embeddings: 'is the input X to compute attention from',
  key_embeddings: 'is the key-side input X to compute attention from',
  heads: 'gives the heads of a single layer',
  query: 'is the single-head shorthand (query, key, value)',
  key: 'is the single-head shorthand (query, key, value)',
  value: 'is the single-head shorthand (query, key, value)',
  wo: 'belongs to a single top-level layer',
  ffn: 'belongs to a single top-level layer',
  layers: 'describes a stack of layers, each with its own heads, wo and ffn',
};

/** Pairs of top-level fields that cannot appear together. */
const CONFLICTS: readonly (readonly [string, readonly string[]])[] = [
  ['attention', ['embeddings', 'key_embeddings', 'heads', 'query', 'key', 'value', 'wo', 'ffn', 'layers', 'attention_file']],
  ['attention_file', ['embeddings', 'key_embeddings', 'heads', 'query', 'key', 'value', 'wo', 'ffn', 'layers']],
  ['layers', ['heads', 'query', 'key', 'value', 'wo', 'ffn']],
  ['heads', ['query', 'key', 'value']],
];

export function parseTensorFile(text: string): TensorFileResult {
  try {
    return parseUnchecked(text);
  } catch (e) {
    // Should be unreachable; the fuzz tests look for it. Never let a bad file take the caller down.
    return { ok: false, problems: [{ severity: 'error', message: `Internal error while reading the file: ${e instanceof Error ? e.message : String(e)}` }] };
  }
}

function fail(problems: Problem[]): ParseResult {
  return { ok: false, problems };
}

function mb(chars: number): string {
  return `${(chars / (1024 * 1024)).toFixed(1)} MB`;
}

function parseUnchecked(input: string): TensorFileResult {
  if (typeof input !== 'string') return fail([{ severity: 'error', message: 'The file could not be read as text.' }]);
  if (input.length > MAX_TEXT_LENGTH) {
    return fail([{
      severity: 'error',
      message: `The file is too large to read: ${mb(input.length)} (${input.length.toLocaleString('en-US')} characters), over the ${mb(MAX_TEXT_LENGTH)} limit for JSON attention files. Export fewer layers, heads or tokens (for example one layer at a time).`,
      location: { offset: 0, length: 0, line: 0, column: 0, path: [] },
    }]);
  }
  // A byte-order mark becomes a space, so every offset still points into the original text.
  const text = input.charCodeAt(0) === 0xfeff ? ` ${input.slice(1)}` : input;
  const rep = new Reporter(text);

  const tree = buildTree(text);
  if (tree.syntaxError !== undefined) {
    reportSyntaxError(rep, tree.syntaxError);
    return fail(rep.problems());
  }
  const root = tree.root;
  if (root === undefined && !/\S/.test(text)) {
    rep.error('The file is empty. An attention file is a JSON object such as { "tokens": ["I", "am", "good"], "embeddings": [[…], …] }.', 0, 0, []);
    return fail(rep.problems());
  }
  if (root === undefined) {
    rep.error('The file has only comments: an attention file is a JSON object such as { "tokens": [...], "embeddings": [...] }.', 0, 0, []);
    return fail(rep.problems());
  }
  if (root.kind !== 'object') {
    const hint = root.kind === 'array' ? ' To show bare attention weights, wrap them: { "tokens": [...], "attention": [...] }.' : '';
    rep.errorAt(root, [], `The file must contain a JSON object at the top level, but it contains ${describe(root)}.${hint}`);
    return fail(rep.problems());
  }
  let listed = 0;
  for (const d of tree.duplicates) {
    if (rep.full) break;
    rep.error(`Duplicate key ${JSON.stringify(d.key)} in ${d.path.length > 1 ? formatPath(d.path.slice(0, -1)) : 'the top-level object'}; it was already given at ${rep.humanPosition(d.firstOffset)}. Keep one.`, d.offset, d.length, d.path);
    listed++;
  }
  rep.countErrors(tree.duplicateCount - listed);

  const refOut: { reference?: AttentionReference } = {};
  const spec = readSpec(rep, root, refOut);
  if (spec === undefined || rep.hasErrors) {
    if (!rep.hasErrors) rep.error('The file could not be read.', root.offset, 1, []);
    return fail(rep.problems());
  }
  return { ok: true, spec, warnings: rep.warnings(), ...(refOut.reference !== undefined ? { reference: refOut.reference } : {}) };
}

/** Field value with its path, or undefined when absent. */
function field(o: JsonObject, key: string, base: JsonPath): { node: JsonValue; path: JsonPath; keyOffset: number } | undefined {
  const p = getProp(o, key);
  if (p === undefined || p.value === undefined) return undefined;
  return { node: p.value, path: [...base, key], keyOffset: p.keyOffset };
}

function checkConflicts(rep: Reporter, root: JsonObject): boolean {
  let ok = true;
  for (const [a, others] of CONFLICTS) {
    const pa = getProp(root, a);
    if (pa === undefined) continue;
    for (const b of others) {
      const pb = getProp(root, b);
      if (pb === undefined) continue;
      const [first, second] = pa.keyOffset < pb.keyOffset ? [pa, pb] : [pb, pa];
      rep.error(
        `"${first.key}" and "${second.key}" are a mix of modes that cannot go together: "${first.key}" ${MODE_ROLE[first.key]}, while "${second.key}" ${MODE_ROLE[second.key]}. Keep one.`,
        second.keyOffset,
        second.keyLength,
        [second.key],
      );
      ok = false;
    }
  }
  return ok;
}

function readSpec(rep: Reporter, root: JsonObject, refOut: { reference?: AttentionReference }): AttentionSpec | undefined {
  warnUnknownKeys(rep, root, [], TOP_LEVEL_FIELDS, { ffn_w1: 'Feed-forward weights go in "ffn": { "w1", "b1", "w2", "b2" }.' });
  const conflictsOk = checkConflicts(rep, root);

  // Text fields.
  let description: string | undefined;
  let source: string | undefined;
  const d = field(root, 'description', []);
  if (d !== undefined) description = readString(rep, d.node, d.path);
  const s = field(root, 'source', []);
  if (s !== undefined) source = readString(rep, s.node, s.path);
  const schemaField = field(root, '$schema', []);
  if (schemaField !== undefined) readString(rep, schemaField.node, schemaField.path);

  // Tokens.
  const t = field(root, 'tokens', []);
  let tokens: Located<string[]> | undefined;
  if (t === undefined) {
    rep.error('Missing "tokens": list the tokens, e.g. "tokens": ["I", "am", "good"].', root.offset, 1, []);
  } else {
    tokens = readStringArray(rep, t.node, t.path, 'token');
  }
  const kt = field(root, 'key_tokens', []);
  let keyTokens: Located<string[]> | undefined;
  if (kt !== undefined) keyTokens = readStringArray(rep, kt.node, kt.path, 'key token');

  const isReference = getProp(root, 'attention_file') !== undefined && getProp(root, 'attention') === undefined;
  const isPrecomputed = getProp(root, 'attention') !== undefined || isReference;
  if (!isReference) {
    const at = field(root, 'attention_tensor', []);
    if (at !== undefined) rep.warnAt(at.node, at.path, 'attention_tensor is only used with "attention_file": it names the array inside an .npz or .safetensors file.');
  }
  const options = readOptions(rep, root, isPrecomputed);
  if (!conflictsOk || tokens === undefined || (kt !== undefined && keyTokens === undefined)) {
    return undefined;
  }

  const n = tokens.value.length;
  const m = keyTokens?.value.length ?? n;
  const keyWord = keyTokens !== undefined ? 'key tokens' : 'tokens';
  const withSource = (text: string): string => (source !== undefined && source.trim() !== '' ? `${text} Source: ${source}` : text);

  if (isReference) {
    const reference = readReference(rep, root);
    if (reference === undefined || options === undefined || rep.hasErrors) return undefined;
    refOut.reference = reference;
    return {
      kind: 'precomputed',
      tokens: tokens.value,
      ...(keyTokens !== undefined ? { keyTokens: keyTokens.value } : {}),
      options,
      provenance: { kind: 'model', description: withSource(description ?? DEFAULT_MODEL_DESCRIPTION) },
      attention: [],
    };
  }

  if (isPrecomputed) {
    const a = field(root, 'attention', []);
    if (a === undefined) {
      rep.error('"attention" has no value.', root.offset, 1, ['attention']);
      return undefined;
    }
    const tensor = readAttention(rep, a.node, a.path, { queries: n, keys: m, queryWord: 'tokens', keyWord });
    const headNames = readHeadNames(rep, root, tensor?.weights.map((l) => l.length));
    if (tensor === undefined || options === undefined || rep.hasErrors) return undefined;
    const provenance: Provenance = { kind: 'model', description: withSource(description ?? DEFAULT_MODEL_DESCRIPTION) };
    const spec: PrecomputedSpec = {
      kind: 'precomputed',
      tokens: tokens.value,
      ...(keyTokens !== undefined ? { keyTokens: keyTokens.value } : {}),
      options,
      provenance,
      attention: tensor.weights,
      ...(headNames !== undefined ? { headNames } : {}),
    };
    return spec;
  }

  const hn = field(root, 'head_names', []);
  if (hn !== undefined) rep.warnAt(hn.node, hn.path, 'head_names is only used with "attention"; for computed heads, give each head a "name".');

  // Compute mode.
  const e = field(root, 'embeddings', []);
  const embeddings = e !== undefined ? readMatrix(rep, e.node, e.path) : undefined;
  const ke = field(root, 'key_embeddings', []);
  const keyEmbeddings = ke !== undefined ? readMatrix(rep, ke.node, ke.path) : undefined;
  if (ke !== undefined && e === undefined) {
    rep.errorAt(ke.node, ke.path, 'key_embeddings needs "embeddings" too: the queries come from embeddings, the keys and values from key_embeddings.');
  }

  let layers: RawLayer[] | undefined;
  const l = field(root, 'layers', []);
  if (l !== undefined) {
    const arr = expectArray(rep, l.node, l.path, 'an array of layers, each { "heads": [...], "wo"?: [...], "ffn"?: {...} }');
    if (arr !== undefined) {
      if (arraySize(arr) === 0) {
        rep.errorAt(arr, l.path, 'layers is empty: give at least one layer.');
      } else {
        layers = [];
        for (let i = 0; i < arraySize(arr); i++) {
          const lp = [...l.path, i];
          const lo = expectObject(rep, arrayItem(arr, i), lp, 'a layer object { "heads": [...], "wo"?: [...], "ffn"?: {...} }');
          if (lo === undefined) continue;
          warnUnknownKeys(rep, lo, lp, LAYER_FIELDS);
          const layer = readLayer(rep, lo, lp, false);
          if (layer !== undefined) layers.push(layer);
        }
      }
    }
  } else {
    const hasHeads = getProp(root, 'heads') !== undefined;
    const hasShorthand = ['query', 'key', 'value'].some((k) => getProp(root, k) !== undefined);
    if (!hasHeads && !hasShorthand && e === undefined) {
      const near = [...root.props].map((p) => suggest(p.key, ['attention', 'embeddings', 'heads', 'layers'])).find((x) => x !== undefined);
      rep.error(
        `Nothing to show: give "embeddings" (similarity of the tokens themselves), "heads" or "query"/"key"/"value" (a layer to compute), "layers" (a stack), or "attention" (weights exported from a model).${near !== undefined ? ` Did you mean "${near}"?` : ''}`,
        root.offset,
        1,
        [],
      );
      return undefined;
    }
    const layer = readLayer(rep, root, [], true);
    if (layer !== undefined) layers = [layer];
  }
  if (layers === undefined || rep.hasErrors || options === undefined) return undefined;

  // Cross-attention needs key embeddings whenever keys are computed from X.
  const crossAttention = keyTokens !== undefined || keyEmbeddings !== undefined;
  const needsX = layers[0].heads.length === 0 || layers[0].heads.some((h) => h.kind === 'projection');
  if (keyTokens !== undefined && keyEmbeddings === undefined && needsX && embeddings !== undefined) {
    rep.errorAt(keyTokens.node, keyTokens.path, 'key_tokens are given (cross-attention), so key_embeddings (one row per key token) are needed to compute the keys and values.');
  }
  if (crossAttention && layers.length > 1) {
    const at = keyTokens ?? keyEmbeddings;
    if (at !== undefined) rep.errorAt(at.node, at.path, `Cross-attention (${keyTokens !== undefined ? 'key_tokens' : 'key_embeddings'}) works with a single layer, but this file has ${layers.length} layers.`);
  }
  if (layers[0].heads.length === 0 && embeddings === undefined) {
    rep.errorAt(layers[0].node, layers[0].path, `${layers[0].path.length === 0 ? 'The layer' : formatPath(layers[0].path)} has no heads, so it attends over the embeddings directly, but the file has no "embeddings".`);
  }
  if (rep.hasErrors) return undefined;
  if (!validateStack(rep, { n, m, keyWord, embeddings, keyEmbeddings, layers })) return undefined;

  const spec: ComputeSpec = {
    kind: 'compute',
    tokens: tokens.value,
    ...(keyTokens !== undefined ? { keyTokens: keyTokens.value } : {}),
    options,
    provenance: { kind: 'file', description: withSource(description ?? DEFAULT_FILE_DESCRIPTION) },
    ...(embeddings !== undefined ? { embeddings: embeddings.value } : {}),
    ...(keyEmbeddings !== undefined ? { keyEmbeddings: keyEmbeddings.value } : {}),
    layers: layers.map(toLayerSpec),
  };
  return spec;
}

function toLayerSpec(l: RawLayer): LayerSpec {
  const heads: HeadSpec[] = l.heads.map((h) => {
    const named = h.name !== undefined ? { name: h.name } : {};
    return h.kind === 'projection'
      ? { ...named, wq: h.wq.value, wk: h.wk.value, wv: h.wv.value }
      : { ...named, query: h.query.value, key: h.key.value, value: h.value.value };
  });
  const ffn: FeedForwardSpec | undefined = l.ffn !== undefined ? { w1: l.ffn.w1.value, b1: l.ffn.b1.value, w2: l.ffn.w2.value, b2: l.ffn.b2.value } : undefined;
  return { heads, ...(l.wo !== undefined ? { wo: l.wo.value } : {}), ...(ffn !== undefined ? { ffn } : {}) };
}

/** One layer: from a layer object, or from the top level (heads / query-key-value shorthand / wo / ffn). */
function readLayer(rep: Reporter, o: JsonObject, base: JsonPath, topLevel: boolean): RawLayer | undefined {
  const before = rep.errorCount;
  const heads: RawHead[] = [];
  const h = field(o, 'heads', base);
  if (h !== undefined) {
    const arr = expectArray(rep, h.node, h.path, 'an array of heads, each { "wq", "wk", "wv" } or { "query", "key", "value" }');
    if (arr !== undefined) {
      for (let i = 0; i < arraySize(arr); i++) {
        const hp = [...h.path, i];
        const ho = expectObject(rep, arrayItem(arr, i), hp, 'a head object { "name"?, "wq", "wk", "wv" } or { "name"?, "query", "key", "value" }');
        if (ho === undefined) continue;
        warnUnknownKeys(rep, ho, hp, HEAD_FIELDS);
        const head = readHead(rep, ho, hp, hp, true);
        if (head !== undefined) heads.push(head);
      }
    }
  } else if (topLevel && ['query', 'key', 'value'].some((k) => getProp(o, k) !== undefined)) {
    const head = readHead(rep, o, base, [], false);
    if (head !== undefined) heads.push(head);
  }
  const w = field(o, 'wo', base);
  const wo = w !== undefined ? readMatrix(rep, w.node, w.path) : undefined;
  const f = field(o, 'ffn', base);
  let ffn: RawFfn | undefined;
  if (f !== undefined) {
    const fo = expectObject(rep, f.node, f.path, 'an object { "w1", "b1", "w2", "b2" }');
    if (fo !== undefined) {
      warnUnknownKeys(rep, fo, f.path, FFN_FIELDS);
      const get = (k: string): { node: JsonValue; path: JsonPath } | undefined => {
        const x = field(fo, k, f.path);
        if (x === undefined) rep.errorAt(fo, f.path, `${formatPath(f.path)} is missing "${k}": the feed-forward block needs w1 (d_model × d_ff), b1 (d_ff), w2 (d_ff × d_model) and b2 (d_model).`);
        return x;
      };
      const [w1n, b1n, w2n, b2n] = [get('w1'), get('b1'), get('w2'), get('b2')];
      const w1 = w1n && readMatrix(rep, w1n.node, w1n.path);
      const b1 = b1n && readVector(rep, b1n.node, b1n.path);
      const w2 = w2n && readMatrix(rep, w2n.node, w2n.path);
      const b2 = b2n && readVector(rep, b2n.node, b2n.path);
      if (w1 && b1 && w2 && b2) ffn = { path: f.path, node: fo, w1, b1, w2, b2 };
    }
  }
  if (rep.errorCount !== before) return undefined;
  return { path: base, node: o, heads, ...(wo !== undefined ? { wo } : {}), ...(ffn !== undefined ? { ffn } : {}) };
}

/**
 * A head from an object with wq/wk/wv or query/key/value. `where` names it in messages ("heads[1]"),
 * or is [] for the top-level shorthand.
 */
function readHead(rep: Reporter, o: JsonObject, base: JsonPath, where: JsonPath, allowName: boolean): RawHead | undefined {
  const label = where.length === 0 ? 'The single-head shorthand' : formatPath(where);
  const proj = ['wq', 'wk', 'wv'].filter((k) => getProp(o, k) !== undefined);
  const direct = ['query', 'key', 'value'].filter((k) => getProp(o, k) !== undefined);
  if (proj.length > 0 && direct.length > 0) {
    const second = getProp(o, direct[0]);
    rep.error(`${label} has both ${proj.join(', ')} and ${direct.join(', ')}: a mix of modes that cannot go together. A head gives either projections (wq, wk, wv) or Q, K, V directly (query, key, value).`, second?.keyOffset ?? o.offset, second?.keyLength ?? 1, [...base, direct[0]]);
    return undefined;
  }
  let name: string | undefined;
  if (allowName) {
    const nf = field(o, 'name', base);
    if (nf !== undefined) name = readString(rep, nf.node, nf.path);
  }
  const kind = proj.length > 0 ? 'projection' : 'direct';
  const keys = kind === 'projection' ? ['wq', 'wk', 'wv'] : ['query', 'key', 'value'];
  const present = kind === 'projection' ? proj : direct;
  if (present.length < 3) {
    const missing = keys.filter((k) => !present.includes(k));
    const has = present.length === 0 ? 'has none of' : `has ${present.join(' and ')} but not`;
    const node = where.length === 0 ? (getProp(o, present[0])?.value ?? o) : o;
    const path = where.length === 0 && present.length > 0 ? [present[0]] : where;
    rep.errorAt(node, path, `${label} ${has} ${missing.join(' and ')}: a head needs all of ${keys.join(', ')}${kind === 'projection' ? ' (or query, key, value)' : ''}.`);
    return undefined;
  }
  const mats: Located<Matrix>[] = [];
  for (const k of keys) {
    const x = field(o, k, base);
    if (x === undefined) {
      rep.errorAt(o, where, `${label}.${k} has no value.`);
      return undefined;
    }
    const mtx = readMatrix(rep, x.node, x.path);
    if (mtx === undefined) return undefined;
    mats.push(mtx);
  }
  const named = name !== undefined ? { name } : {};
  return kind === 'projection'
    ? { path: where, node: o, ...named, kind, wq: mats[0], wk: mats[1], wv: mats[2] }
    : { path: where, node: o, ...named, kind, query: mats[0], key: mats[1], value: mats[2] };
}

/** attention_file (+ attention_tensor, head_names) of a sidecar file. */
function readReference(rep: Reporter, root: JsonObject): AttentionReference | undefined {
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

function readHeadNames(rep: Reporter, root: JsonObject, headCounts: number[] | undefined): string[][] | undefined {
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
    rep.errorAt(arr, hn.path, `head_names has names for ${names.length} layer${names.length === 1 ? '' : 's'}, but attention has ${headCounts.length}.`);
    return undefined;
  }
  for (let i = 0; i < names.length; i++) {
    if (names[i].length !== headCounts[i]) {
      const p = nested ? [...hn.path, i] : hn.path;
      rep.errorAt(nested ? arrayItem(arr, i) : arr, p, `${formatPath(p)} has ${names[i].length} names, but layer ${i} of attention has ${headCounts[i]} heads.`);
      return undefined;
    }
  }
  return names;
}

function readOptions(rep: Reporter, root: JsonObject, precomputed: boolean): AttentionOptions | undefined {
  const f = field(root, 'options', []);
  if (f === undefined) return DEFAULT_OPTIONS;
  const o = expectObject(rep, f.node, f.path, 'an object { "scale"?, "mask"?, "temperature"? }');
  if (o === undefined) return undefined;
  warnUnknownKeys(rep, o, f.path, OPTION_FIELDS, { causal: 'Write "mask": "causal".', window: 'Write "mask": { "window": w }.' });
  const before = rep.errorCount;
  let scale: boolean | number = DEFAULT_OPTIONS.scale;
  let mask: MaskSpec = DEFAULT_OPTIONS.mask;
  let temperature = DEFAULT_OPTIONS.temperature;

  const sf = field(o, 'scale', f.path);
  if (sf !== undefined) {
    if (sf.node.kind === 'boolean') scale = sf.node.value as boolean;
    else if (sf.node.kind === 'number' && inFactorRange(sf.node.value as number)) scale = sf.node.value as number;
    else rep.errorAt(sf.node, sf.path, `options.scale must be true (divide by √d_k), false (no scaling) or a number from 1e-6 to 1e6 to multiply the scores by, but it is ${describe(sf.node)}.`);
    if (precomputed) rep.warnAt(sf.node, sf.path, 'options.scale has no effect: the attention weights are given, nothing is computed.');
  }
  const tf = field(o, 'temperature', f.path);
  if (tf !== undefined) {
    if (tf.node.kind === 'number' && inFactorRange(tf.node.value as number)) temperature = tf.node.value as number;
    else rep.errorAt(tf.node, tf.path, `options.temperature must be a number from 1e-6 to 1e6 (scores are divided by it), but it is ${describe(tf.node)}.`);
    if (precomputed) rep.warnAt(tf.node, tf.path, 'options.temperature has no effect: the attention weights are given, nothing is computed.');
  }
  const mf = field(o, 'mask', f.path);
  if (mf !== undefined) {
    const shapes = '"none", "causal", { "window": w } or { "window": w, "dilation": r }';
    if (mf.node.kind === 'string') {
      const v = mf.node.value as string;
      if (v === 'none') mask = { kind: 'none' };
      else if (v === 'causal') mask = { kind: 'causal' };
      else {
        const near = suggest(v, ['none', 'causal']);
        rep.errorAt(mf.node, mf.path, `options.mask must be ${shapes}, but it is ${describe(mf.node)}.${near !== undefined ? ` Did you mean "${near}"?` : ''}`);
      }
    } else if (mf.node.kind === 'object') {
      const mo = mf.node;
      warnUnknownKeys(rep, mo, mf.path, MASK_FIELDS);
      const positiveInt = (k: string, meaning: string): number | undefined => {
        const x = field(mo, k, mf.path);
        if (x === undefined) return undefined;
        const v = readNumber(rep, x.node, x.path);
        if (v === undefined) return undefined;
        if (!Number.isInteger(v) || v < 1) {
          rep.errorAt(x.node, x.path, `${formatPath(x.path)} must be a whole number ≥ 1 (${meaning}), but it is ${v}.`);
          return undefined;
        }
        return v;
      };
      const wf = field(mo, 'window', mf.path);
      const window = positiveInt('window', 'how many keys each query sees');
      const dilation = positiveInt('dilation', 'the gap between the keys a query sees');
      if (wf === undefined) rep.errorAt(mo, mf.path, `options.mask needs "window": ${shapes}.`);
      else if (window !== undefined && field(mo, 'dilation', mf.path) === undefined) mask = { kind: 'window', window };
      else if (window !== undefined && dilation !== undefined) mask = { kind: 'dilated', window, dilation };
    } else {
      rep.errorAt(mf.node, mf.path, `options.mask must be ${shapes}, but it is ${describe(mf.node)}.`);
    }
  }
  if (rep.errorCount !== before) return undefined;
  return { scale, mask, temperature };
}

function inFactorRange(x: number): boolean {
  return Number.isFinite(x) && x >= MIN_FACTOR && x <= MAX_FACTOR;
}
