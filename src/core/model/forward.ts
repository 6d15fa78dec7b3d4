/**
 * The forward pass of every supported family, one layer's weights read at a time, keeping every intermediate the
 * views draw (Q, K, V after RoPE; scores, scaled, weights, Z; the residual stream).
 */
import { attentionHead } from '../attention';
import { planInterventions, type LayerInterventions } from '../interventions/apply';
import { concatColumns, zeros, type Matrix } from '../matrix';
import type { AttentionOptions, HeadResult } from '../types';
import type { LayerNames, LinearName, ModelNames, NormName } from './families';
import { activate, addInPlace, applyRope, columns, copyMatrix, layerNormAffine, project, rmsNorm } from './ops';
import { decodeTensor } from './safetensors';
import { ModelCancelled, type Model, type ModelConfig, type ModelLayerResult, type RunModelInput } from './types';

export const CAUSAL: AttentionOptions = { scale: true, mask: { kind: 'causal' }, temperature: 1 };

/** One tensor as float32. */
export function tensor(model: Model, name: string): Float32Array {
  const info = model.source.tensors.get(name);
  if (!info) throw new Error(`internal: tensor "${name}" was not checked at load`);
  return decodeTensor(model.source.read(name), info.dtype);
}

function norm(model: Model, x: Matrix, n: NormName): Matrix {
  const w = tensor(model, n.weight);
  return n.bias ? layerNormAffine(x, w, tensor(model, n.bias), model.config.normEps) : rmsNorm(x, w, model.config.normEps);
}

function linear(model: Model, x: Matrix, l: LinearName): Matrix {
  return project(x, tensor(model, l.weight), l.outDim, l.transposed, l.bias ? tensor(model, l.bias) : undefined);
}

/** Q per head and K, V per key/value head, each T × head_dim, in the family's layout. */
function splitHeads(model: Model, x: Matrix, names: LayerNames): { q: Matrix[]; k: Matrix[]; v: Matrix[] } {
  const c = model.config;
  const hd = c.headDim;
  const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);
  if (c.family === 'gpt2') {
    const qkv = linear(model, x, names.qkv[0]);
    const D = c.hidden;
    return { q: range(c.heads).map((h) => columns(qkv, h * hd, hd)), k: range(c.heads).map((h) => columns(qkv, D + h * hd, hd)), v: range(c.heads).map((h) => columns(qkv, 2 * D + h * hd, hd)) };
  }
  if (c.family === 'gpt_neox') {
    // The fused projection is interleaved per head: [q k v] of head 0, then of head 1, …
    const qkv = linear(model, x, names.qkv[0]);
    return { q: range(c.heads).map((h) => columns(qkv, 3 * h * hd, hd)), k: range(c.heads).map((h) => columns(qkv, (3 * h + 1) * hd, hd)), v: range(c.heads).map((h) => columns(qkv, (3 * h + 2) * hd, hd)) };
  }
  const [q, k, v] = names.qkv.map((l) => linear(model, x, l));
  return { q: range(c.heads).map((h) => columns(q, h * hd, hd)), k: range(c.kvHeads).map((h) => columns(k, h * hd, hd)), v: range(c.kvHeads).map((h) => columns(v, h * hd, hd)) };
}

function mlp(model: Model, x: Matrix, names: LayerNames): Matrix {
  const c = model.config;
  if (names.mlp.length === 3) {
    const gate = linear(model, x, names.mlp[0]);
    activate(gate, c.activation);
    const up = linear(model, x, names.mlp[1]);
    for (let p = 0; p < gate.data.length; p++) gate.data[p] *= up.data[p];
    return linear(model, gate, names.mlp[2]);
  }
  const hidden = linear(model, x, names.mlp[0]);
  activate(hidden, c.activation);
  return linear(model, hidden, names.mlp[1]);
}

function runModelLayer(
  model: Model, names: ModelNames, index: number, residualIn: Matrix, keep: RunModelInput['keep'], interventions: LayerInterventions | null,
): ModelLayerResult {
  const c = model.config;
  const ln = names.layer(index);
  const attentionNormed = norm(model, residualIn, ln.norm1);
  const { q, k, v } = splitHeads(model, attentionNormed, ln);
  if (c.rotaryDims > 0) for (const m of [...q, ...k]) applyRope(m, c.rotaryDims, c.ropeTheta);
  const group = c.heads / c.kvHeads;
  const kvHeadOf = q.map((_, h) => Math.floor(h / group));
  const heads: HeadResult[] = q.map((qh, h) => {
    const computed = attentionHead(`L${index}H${h}`, qh, k[kvHeadOf[h]], v[kvHeadOf[h]], CAUSAL);
    const head = interventions?.apply(h, computed) ?? computed;
    return keep === 'weights' ? { ...head, scores: null, scaled: null } : head;
  });
  const concat = concatColumns(heads.map((h) => h.output as Matrix));
  const attentionOutput = linear(model, concat, ln.out);
  let residualMid: Matrix;
  let mlpOutput: Matrix;
  const output = copyMatrix(residualIn);
  if (c.parallelResidual) {
    residualMid = residualIn;
    mlpOutput = mlp(model, norm(model, residualIn, ln.norm2), ln);
    addInPlace(output, attentionOutput);
    addInPlace(output, mlpOutput);
  } else {
    addInPlace(output, attentionOutput);
    residualMid = copyMatrix(output);
    mlpOutput = mlp(model, norm(model, residualMid, ln.norm2), ln);
    addInPlace(output, mlpOutput);
  }
  return { input: residualIn, residualIn, heads, concat, attentionOutput, attentionNormed, residualMid, mlpOutput, output, kvHeadOf };
}

/** Token embeddings (plus learned positions for GPT-2): the residual stream entering layer 0. */
function embed(model: Model, names: ModelNames, ids: readonly number[], table: Float32Array): Matrix {
  const D = model.config.hidden;
  const x = zeros(ids.length, D);
  ids.forEach((id, t) => x.data.set(table.subarray(id * D, (id + 1) * D), t * D));
  if (names.positions) {
    const positions = tensor(model, names.positions);
    for (let p = 0; p < x.data.length; p++) x.data[p] += positions[p];
  }
  return x;
}

export interface ForwardOutput {
  readonly layers: ModelLayerResult[];
  readonly finalHidden: Matrix;
  readonly logits: Float32Array;
}

/** Runs every layer on `ids` (already checked against vocab and length), with `input.interventions` (already checked). */
export function forward(model: Model, names: ModelNames, ids: readonly number[], input: RunModelInput): ForwardOutput {
  const table = tensor(model, names.embed);
  let x = embed(model, names, ids, table);
  const layers: ModelLayerResult[] = [];
  const plan = planInterventions(input.interventions);
  for (let l = 0; l < model.config.layers; l++) {
    if (input.isCancelled?.()) throw new ModelCancelled();
    const layer = runModelLayer(model, names, l, x, input.keep, plan(l));
    layers.push(layer);
    input.onLayer?.(layer, l);
    x = layer.output as Matrix;
  }
  const finalHidden = norm(model, x, names.finalNorm);
  // Tied heads reuse the embedding table already read (GPT-2's is 150 MB).
  const head = names.head === names.embed ? table : tensor(model, names.head);
  return { layers, finalHidden, logits: logitsOfRow(model.config, head, finalHidden, ids.length - 1) };
}

/**
 * head · finalHidden[position]: the next-token logits after that position. One row is a matrix–vector product, so
 * it runs in plain JS: copying a vocabulary-sized head into the kernels' memory would cost more than the product.
 */
export function logitsOfRow(config: ModelConfig, head: Float32Array, finalHidden: Matrix, position: number): Float32Array {
  const D = config.hidden;
  const x = finalHidden.data.subarray(position * D, (position + 1) * D);
  const logits = new Float32Array(config.vocabSize);
  for (let v = 0; v < logits.length; v++) {
    const w = v * D;
    let sum = 0;
    for (let j = 0; j < D; j++) sum += x[j] * head[w + j];
    logits[v] = sum;
  }
  return logits;
}
