/** Layers and heads to compute: a "layers" stack, or the top-level heads / query-key-value shorthand, wo and ffn. */
import type { Matrix } from '../matrix';
import type { FeedForwardSpec, HeadSpec, LayerSpec } from '../types';
import { type JsonObject, type JsonPath, type JsonValue, arrayItem, arraySize, formatPath, getProp } from './json';
import type { Reporter } from './problems';
import { type Located, expectArray, expectObject, field, readMatrix, readString, readVector, suggest, warnUnknownKeys } from './read';
import type { RawFfn, RawHead, RawLayer } from './validate';

const HEAD_FIELDS = ['name', 'wq', 'wk', 'wv', 'query', 'key', 'value'];
const LAYER_FIELDS = ['heads', 'wo', 'ffn'];
const FFN_FIELDS = ['w1', 'b1', 'w2', 'b2'];

/** The layers of a compute-mode file, or undefined after reporting why there are none. */
export function readLayers(rep: Reporter, root: JsonObject, hasEmbeddings: boolean): RawLayer[] | undefined {
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
    if (!hasHeads && !hasShorthand && !hasEmbeddings) {
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
  return layers;
}

export function toLayerSpec(l: RawLayer): LayerSpec {
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
