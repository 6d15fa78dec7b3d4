/** Shape checks for computed files: every dimension that must agree, with messages that name both sides. */
import type { Matrix } from '../matrix';
import { type JsonPath, type JsonValue, formatPath } from './json';
import type { Reporter } from './problems';
import type { Located } from './read';
import { plural } from '../plural';

export type RawHead =
  | { readonly path: JsonPath; readonly node: JsonValue; readonly name?: string; readonly kind: 'projection'; readonly wq: Located<Matrix>; readonly wk: Located<Matrix>; readonly wv: Located<Matrix> }
  | { readonly path: JsonPath; readonly node: JsonValue; readonly name?: string; readonly kind: 'direct'; readonly query: Located<Matrix>; readonly key: Located<Matrix>; readonly value: Located<Matrix> };

export interface RawFfn {
  readonly path: JsonPath;
  readonly node: JsonValue;
  readonly w1: Located<Matrix>;
  readonly b1: Located<Float32Array>;
  readonly w2: Located<Matrix>;
  readonly b2: Located<Float32Array>;
}

export interface RawLayer {
  /** [] for a single layer given at the top level, ["layers", i] inside a stack. */
  readonly path: JsonPath;
  readonly node: JsonValue;
  readonly heads: readonly RawHead[];
  readonly wo?: Located<Matrix>;
  readonly ffn?: RawFfn;
}

export interface StackInput {
  /** Query count (tokens) and key count (key_tokens, else tokens). */
  readonly n: number;
  readonly m: number;
  /** "tokens" / "key tokens", for messages. */
  readonly keyWord: string;
  readonly embeddings?: Located<Matrix>;
  readonly keyEmbeddings?: Located<Matrix>;
  readonly layers: readonly RawLayer[];
}

const thereAre = (k: number, word: string): string => (k === 1 ? `there is 1 ${word.replace(/s$/, '')}` : `there are ${k} ${word}`);

function at(rep: Reporter, x: Located<unknown>, message: string): void {
  rep.errorAt(x.node, x.path, message);
}

/** Checks every dimension through the stack. Returns false when anything disagrees (all reported). */
export function validateStack(rep: Reporter, input: StackInput): boolean {
  const before = rep.errorCount;
  const { n, m, embeddings: X, keyEmbeddings: Xk, keyWord } = input;
  const name = (p: JsonPath): string => formatPath(p);

  if (X !== undefined && X.value.rows !== n) {
    at(rep, X, `embeddings has ${plural(X.value.rows, 'row')}, but ${thereAre(n, 'tokens')}.`);
  }
  if (Xk !== undefined) {
    if (Xk.value.rows !== m) at(rep, Xk, `key_embeddings has ${plural(Xk.value.rows, 'row')}, but ${thereAre(m, keyWord)}.`);
    if (X !== undefined && Xk.value.cols !== X.value.cols) {
      at(rep, Xk, `key_embeddings has ${plural(Xk.value.cols, 'column')}, but embeddings have ${X.value.cols} (d_model = ${X.value.cols}); queries and keys must share d_model.`);
    }
  }

  // d_model flowing into each layer, and a phrase saying where it comes from.
  let dIn: number | undefined = X?.value.cols;
  let dInFrom = X !== undefined ? `embeddings have ${plural(X.value.cols, 'column')} (d_model = ${X.value.cols})` : '';

  input.layers.forEach((layer, li) => {
    const layerName = layer.path.length === 0 ? 'the layer' : name(layer.path);
    // Key-side width: key_embeddings for cross-attention, otherwise the layer input.
    const dKey = Xk !== undefined && li === 0 ? Xk.value.cols : dIn;
    const dKeyFrom = Xk !== undefined && li === 0 ? `key_embeddings have ${plural(Xk.value.cols, 'column')} (d_model = ${Xk.value.cols})` : dInFrom;

    let concatWidth: number | undefined = 0;
    if (layer.heads.length === 0) {
      concatWidth = dIn; // Q = K = V = X
    }
    for (const h of layer.heads) {
      const hp = name(h.path);
      if (h.kind === 'projection') {
        const { wq, wk, wv } = h;
        if (dIn === undefined) {
          rep.errorAt(h.node, h.path, `${hp} has wq, wk and wv, which project the embeddings, but the file has no embeddings; add "embeddings" (one row per token) or give query, key and value directly.`);
          concatWidth = undefined;
          continue;
        }
        if (wq.value.rows !== dIn) at(rep, wq, `${name(wq.path)} has ${plural(wq.value.rows, 'row')}, but ${dInFrom}.`);
        if (dKey !== undefined && wk.value.rows !== dKey) at(rep, wk, `${name(wk.path)} has ${plural(wk.value.rows, 'row')}, but ${dKeyFrom}.`);
        if (dKey !== undefined && wv.value.rows !== dKey) at(rep, wv, `${name(wv.path)} has ${plural(wv.value.rows, 'row')}, but ${dKeyFrom}.`);
        if (wk.value.cols !== wq.value.cols) {
          at(rep, wk, `${name(wk.path)} has ${plural(wk.value.cols, 'column')}, but ${name(wq.path)} has ${wq.value.cols} (W_Q and W_K must share d_k).`);
        }
        if (concatWidth !== undefined) concatWidth += wv.value.cols;
      } else {
        const { query, key, value } = h;
        if (li > 0) {
          rep.errorAt(h.node, h.path, `${hp} gives query, key and value directly, but only the first layer can: later layers compute Q, K and V from the previous layer's output with wq, wk and wv.`);
        }
        if (query.value.rows !== n) at(rep, query, `${name(query.path)} has ${plural(query.value.rows, 'row')}, but ${thereAre(n, 'tokens')}.`);
        if (key.value.rows !== m) at(rep, key, `${name(key.path)} has ${plural(key.value.rows, 'row')}, but ${thereAre(m, keyWord)}.`);
        if (key.value.cols !== query.value.cols) {
          at(rep, key, `${name(key.path)} has ${plural(key.value.cols, 'column')}, but ${name(query.path)} has ${query.value.cols} (Q and K must share d_k).`);
        }
        if (value.value.rows !== key.value.rows) {
          at(rep, value, `${name(value.path)} has ${plural(value.value.rows, 'row')}, but ${name(key.path)} has ${key.value.rows}: V needs one row per key.`);
        }
        if (concatWidth !== undefined) concatWidth += value.value.cols;
      }
    }

    let dOut = concatWidth;
    if (layer.wo !== undefined) {
      const wo = layer.wo;
      if (concatWidth !== undefined && wo.value.rows !== concatWidth) {
        const from =
          layer.heads.length === 0
            ? `${layerName} has no heads, so its output Z has the width of its input (${concatWidth})`
            : `the ${plural(layer.heads.length, 'head')} ${layer.heads.length === 1 ? 'gives' : 'give'} ${plural(concatWidth, 'column')} side by side (heads·d_v = ${concatWidth})`;
        at(rep, wo, `${name(wo.path)} has ${plural(wo.value.rows, 'row')}, but ${from}.`);
      }
      dOut = wo.value.cols;
    }

    if (layer.ffn !== undefined) {
      const f = layer.ffn;
      if (dIn === undefined) {
        rep.errorAt(f.node, f.path, `${name(f.path)} needs embeddings: an encoder layer adds its input back (X + attention), and this file has no embeddings.`);
      } else {
        if (dOut !== undefined && dOut !== dIn) {
          const culprit = layer.wo ?? { node: f.node, path: f.path };
          rep.errorAt(culprit.node, culprit.path, `The attention output of ${layerName} has ${plural(dOut, 'column')}, but its input has ${dIn} (d_model = ${dIn}); the residual X + attention in ${name(f.path)} needs them equal${layer.wo !== undefined ? `: give wo ${dIn} columns` : `: add wo with ${dIn} columns`}.`);
        }
        const { w1, b1, w2, b2 } = f;
        const dff = w1.value.cols;
        if (w1.value.rows !== dIn) at(rep, w1, `${name(w1.path)} has ${plural(w1.value.rows, 'row')}, but ${dInFrom}.`);
        if (b1.value.length !== dff) at(rep, b1, `${name(b1.path)} has ${plural(b1.value.length, 'number')}, but ${name(w1.path)} has ${plural(dff, 'column')} (d_ff = ${dff}).`);
        if (w2.value.rows !== dff) at(rep, w2, `${name(w2.path)} has ${plural(w2.value.rows, 'row')}, but ${name(w1.path)} has ${plural(dff, 'column')} (d_ff = ${dff}).`);
        if (w2.value.cols !== dIn) at(rep, w2, `${name(w2.path)} has ${plural(w2.value.cols, 'column')}, but the layer's d_model is ${dIn}; the FFN must map back to d_model.`);
        if (b2.value.length !== dIn) at(rep, b2, `${name(b2.path)} has ${plural(b2.value.length, 'number')}, but the layer's d_model is ${dIn}.`);
        dOut = dIn;
      }
    }

    dIn = dOut;
    dInFrom = dOut !== undefined ? `${layerName} outputs ${plural(dOut, 'column')} (d_model = ${dOut})` : '';
  });

  return rep.errorCount === before;
}
