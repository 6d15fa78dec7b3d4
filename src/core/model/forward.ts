/**
 * The forward pass of every supported family, one layer's weights read at a time, keeping every intermediate the
 * views draw (Q, K, V after RoPE; scores, scaled, weights, Z; the residual stream).
 */
import { attentionHead } from '../attention';
import { planInterventions, type LayerInterventions } from '../interventions/apply';
import { columns, concatColumns, zeros, type Matrix } from '../matrix';
import type { AttentionOptions, HeadResult } from '../types';
import type { LayerNames, LinearName, ModelNames, NormName } from './families';
import { activate, addInPlace, applyRope, copyMatrix, layerNormAffine, project, rmsNorm } from './ops';
import { decodeTensor, ITEM } from './safetensors';
import { ModelCancelled, type Model, type ModelConfig, type ModelLayerResult, type RunModelInput, type TensorInfo } from './types';

export const CAUSAL: AttentionOptions = { scale: true, mask: { kind: 'causal' }, temperature: 1 };

function infoOf(model: Model, name: string): TensorInfo {
  const info = model.source.tensors.get(name);
  if (!info) throw new Error(`internal: tensor "${name}" was not checked at load`);
  return info;
}

/** One tensor as float32. */
export function tensor(model: Model, name: string): Float32Array {
  return decodeTensor(model.source.read(name), infoOf(model, name).dtype);
}

function norm(model: Model, x: Matrix, n: NormName): Matrix {
  const w = tensor(model, n.weight);
  return n.bias ? layerNormAffine(x, w, tensor(model, n.bias), model.config.normEps) : rmsNorm(x, w, model.config.normEps);
}

function linear(model: Model, x: Matrix, l: LinearName): Matrix {
  return project(x, (target) => readWeightInto(model, l.weight, target), l.outDim, l.transposed, l.bias ? tensor(model, l.bias) : undefined);
}

/**
 * x·[W₁ᵀ | W₂ᵀ | …] (+ biases) for nn.Linear weights ([out, in], all reading x): stacked [out, in] blocks are the
 * concatenated transposed weight, so each is read straight into its place and one product replaces several.
 */
function stackedLinear(model: Model, x: Matrix, parts: readonly LinearName[]): Matrix {
  if (!parts.every((l) => l.transposed && l.inDim === x.cols)) throw new Error('internal: stacked projections must be [out, in] weights of one input');
  const outDim = parts.reduce((sum, l) => sum + l.outDim, 0);
  const readAll = (target: Float32Array): void => {
    let offset = 0;
    for (const l of parts) {
      readWeightInto(model, l.weight, target.subarray(offset, (offset += l.outDim * l.inDim)));
    }
  };
  let bias: Float32Array | undefined;
  if (parts.some((l) => l.bias)) {
    bias = new Float32Array(outDim);
    let offset = 0;
    for (const l of parts) {
      if (l.bias) bias.set(tensor(model, l.bias), offset);
      offset += l.outDim;
    }
  }
  return project(x, readAll, outDim, true, bias);
}

/** A weight as float32 in `target`: F32 is read straight into it (the kernels' memory), F16/BF16 decoded there. */
function readWeightInto(model: Model, name: string, target: Float32Array): void {
  const info = infoOf(model, name);
  if (info.dtype === 'F32') model.source.readInto(name, new Uint8Array(target.buffer, target.byteOffset, target.byteLength));
  else target.set(decodeTensor(model.source.read(name), info.dtype));
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
  // Separate q/k/v_proj weights: one product with all three, read one after the other into the kernels' memory.
  const qkv = stackedLinear(model, x, names.qkv);
  const qDim = c.heads * hd;
  const kvDim = c.kvHeads * hd;
  return {
    q: range(c.heads).map((h) => columns(qkv, h * hd, hd)),
    k: range(c.kvHeads).map((h) => columns(qkv, qDim + h * hd, hd)),
    v: range(c.kvHeads).map((h) => columns(qkv, qDim + kvDim + h * hd, hd)),
  };
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
  const output = copyMatrix(residualIn);
  addInPlace(output, attentionOutput);
  // GPT-NeoX's parallel residual: the MLP reads X itself, not X + attention.
  const residualMid = c.parallelResidual ? residualIn : copyMatrix(output);
  const mlpNormed = norm(model, residualMid, ln.norm2);
  const mlpOutput = mlp(model, mlpNormed, ln);
  addInPlace(output, mlpOutput);
  return { input: residualIn, residualIn, heads, concat, attentionOutput, attentionNormed, residualMid, mlpNormed, mlpOutput, output, kvHeadOf };
}

/** Rows `first…first+count-1` of a [rows, D] tensor, read alone (not the whole table). */
function tensorRows(model: Model, name: string, first: number, count: number): Float32Array {
  const info = infoOf(model, name);
  const rowBytes = model.config.hidden * ITEM[info.dtype];
  return decodeTensor(model.source.readPart(name, first * rowBytes, count * rowBytes), info.dtype);
}

/**
 * Token embeddings (plus learned positions for GPT-2): the residual stream entering layer 0. Only the rows of these
 * ids are read, so the first layer does not wait for a vocabulary-sized table (GPT-2's is 150 MB).
 */
function embed(model: Model, names: ModelNames, ids: readonly number[]): Matrix {
  const D = model.config.hidden;
  const x = zeros(ids.length, D);
  const rows = new Map<number, Float32Array>();
  ids.forEach((id, t) => {
    let row = rows.get(id);
    if (!row) rows.set(id, (row = tensorRows(model, names.embed, id, 1)));
    x.data.set(row, t * D);
  });
  if (names.positions) {
    const positions = tensorRows(model, names.positions, 0, ids.length);
    for (let p = 0; p < x.data.length; p++) x.data[p] += positions[p];
  }
  return x;
}

export interface ForwardOutput {
  readonly layers: ModelLayerResult[];
  readonly finalHidden: Matrix;
  readonly logits: Float32Array;
}

/** What `forward` reads of the run's options: `onLayer` gets each layer as it finishes. */
export type ForwardOptions = Pick<RunModelInput, 'keep' | 'isCancelled' | 'interventions'> & { readonly onLayer?: (layer: ModelLayerResult, index: number) => void };

/** Runs every layer on `ids` (already checked against vocab and length), with `input.interventions` (already checked). */
export function forward(model: Model, names: ModelNames, ids: readonly number[], input: ForwardOptions): ForwardOutput {
  let x = embed(model, names, ids);
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
  const head = tensor(model, names.head);
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
