/**
 * Reader for `*.attention.json` files (format: docs/file-format.md, schema: schemas/attention.schema.json).
 *
 * parseTensorFile never throws. It returns either a spec with warnings or every problem it found, each
 * with an exact location (offset, length, 0-based line and column, JSON path) on the most specific node.
 */
import type { AttentionSpec, ComputeSpec, ParseResult, PrecomputedSpec, Problem, Provenance } from '../types';
import { type JsonObject, type JsonValue, arrayItem, arraySize, formatPath, getProp } from './json';
import { buildTree } from './jsonParser';
import { readLayers, toLayerSpec } from './layers';
import { readAttention } from './layout';
import { MAX_TEXT_LENGTH } from './limits';
import { checkConflicts } from './modes';
import { readOptions } from './options';
import { Reporter, reportSyntaxError } from './problems';
import { type Located, describe, field, readMatrix, readString, readStringArray, warnUnknownKeys } from './read';
import { type AttentionReference, readHeadNames, readReference } from './reference';
import { validateStack } from './validate';

export { MAX_DEPTH, MAX_TEXT_LENGTH } from './limits';
export type { AttentionLayout } from './layout';
export { ATTENTION_FILE_EXTENSIONS, type AttentionReference } from './reference';

export const TOP_LEVEL_FIELDS = [
  '$schema', 'description', 'source', 'tokens', 'key_tokens', 'embeddings', 'key_embeddings',
  'heads', 'query', 'key', 'value', 'wo', 'ffn', 'layers', 'attention', 'head_names', 'options',
  'attention_file', 'attention_tensor',
] as const;

/**
 * parseTensorFile's result. When the file is a sidecar (it has "attention_file"), `reference` is set and
 * the spec is precomputed with an empty `attention`: the weights are in the binary file.
 */
export type TensorFileResult = ParseResult & { readonly reference?: AttentionReference; readonly tokenRanges?: TokenStringRanges };

/**
 * Where the token strings are in the text, for the editor sync: [start, end) of each "tokens" (and "key_tokens")
 * literal, quotes included. Found by the one parse, so no second parser reads the file for them.
 */
export interface TokenStringRanges {
  readonly queries: readonly (readonly [number, number])[];
  /** The "key_tokens" literals; the queries' when the file has none. */
  readonly keys: readonly (readonly [number, number])[];
}

/** What readSpec finds besides the spec. */
interface Found {
  reference?: AttentionReference;
  tokenRanges?: TokenStringRanges;
}

function literalRanges(node: JsonValue): [number, number][] {
  if (node.kind !== 'array') return [];
  return Array.from({ length: arraySize(node) }, (_, i) => {
    const item = arrayItem(node, i);
    return [item.offset, item.offset + item.length];
  });
}

export const DEFAULT_MODEL_DESCRIPTION = 'Attention weights exported from a model.';
export const DEFAULT_FILE_DESCRIPTION = 'Computed from the weights in this file.';

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

  const refOut: Found = {};
  const spec = readSpec(rep, root, refOut);
  if (spec === undefined || rep.hasErrors) {
    if (!rep.hasErrors) rep.error('The file could not be read.', root.offset, 1, []);
    return fail(rep.problems());
  }
  return {
    ok: true, spec, warnings: rep.warnings(),
    ...(refOut.reference !== undefined ? { reference: refOut.reference } : {}),
    ...(refOut.tokenRanges !== undefined ? { tokenRanges: refOut.tokenRanges } : {}),
  };
}

function readSpec(rep: Reporter, root: JsonObject, refOut: Found): AttentionSpec | undefined {
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
  if (getProp(root, 'attention_file') === undefined) {
    const at = field(root, 'attention_tensor', []);
    if (at !== undefined) rep.warnAt(at.node, at.path, 'attention_tensor is only used with "attention_file": it names the array inside an .npz or .safetensors file.');
  }
  const options = readOptions(rep, root, isPrecomputed);
  if (!conflictsOk || tokens === undefined || (kt !== undefined && keyTokens === undefined)) {
    return undefined;
  }
  const queryRanges = literalRanges(tokens.node);
  refOut.tokenRanges = { queries: queryRanges, keys: keyTokens !== undefined ? literalRanges(keyTokens.node) : queryRanges };

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
  const layers = readLayers(rep, root, e !== undefined);
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
