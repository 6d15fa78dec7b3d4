/** loadModel / runModel / logitsAt: the entry points for real checkpoints. */
import { checkInterventions } from '../interventions/check';
import { checkEditId, editTextTokens } from '../interventions/tokenEdit';
import { countVisiblePairs } from '../masks';
import { FAMILY_NAMES, parseModelConfig } from './config';
import { checkTensors, expectedTensors, modelNames, type ModelNames } from './families';
import { CAUSAL, forward, logitsOfRow, tensor } from './forward';
import { folderConfig, folderTensorSource, folderTokenizer, memoryFolder, SHARD_INDEX, SINGLE_WEIGHTS, type ModelFolder } from './folder';
import { parseShardIndex } from './safetensors';
import { loadTokenizer } from './tokenizer';
import {
  ModelError, type LoadModelInput, type Model, type ModelConfig, type ModelDescription, type ModelMemoryEstimate, type ModelResult,
  type ModelToken, type ModelTokenizer, type RunModelInput, type TensorSource,
} from './types';

/** Tensor names per loaded model, so they are worked out once. */
const NAMES = new WeakMap<Model, ModelNames>();

function parameterLabel(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)}B`;
  if (n >= 1e6) return `${Math.round(n / 1e6)}M`;
  if (n >= 1e3) return `${Math.round(n / 1e3)}K`;
  return String(n);
}

function describe(config: ModelConfig, names: ModelNames, source: TensorSource, hasTokenizer: boolean): ModelDescription {
  let parameters = 0;
  const dtypes = new Set<string>();
  for (const name of expectedTensors(config, names).keys()) {
    const info = source.tensors.get(name);
    if (!info) continue;
    parameters += info.shape.reduce((a, b) => a * b, 1);
    dtypes.add(info.dtype);
  }
  return { family: config.family, familyName: FAMILY_NAMES[config.family], parameters, parameterLabel: parameterLabel(parameters), dtype: [...dtypes].sort().join('+'), hasTokenizer };
}

/**
 * Builds a model over any tensor source (a worker passes one that reads by file offset). Checks every tensor's
 * presence and shape against config.json, and the tokenizer's vocabulary against vocab_size.
 */
export function loadModelFromTensors(configText: string, source: TensorSource, tokenizerText?: string): Model {
  const config = parseModelConfig(configText);
  const names = modelNames(config, source);
  checkTensors(config, names, source);
  const tokenizer: ModelTokenizer | null = tokenizerText === undefined ? null : loadTokenizer(tokenizerText);
  if (tokenizer && tokenizer.vocabSize > config.vocabSize) {
    throw new ModelError(`tokenizer.json has ${tokenizer.vocabSize} tokens, more than config.json's vocab_size of ${config.vocabSize}.`, 'tokenizer.json');
  }
  const prependsBos = config.bosTokenId !== null && (tokenizer?.addsBos ?? config.prependBosByDefault);
  const model: Model = { config, source, tokenizer, prependsBos, description: describe(config, names, source, tokenizer !== null) };
  NAMES.set(model, names);
  return model;
}

/** Builds a model from a folder read by random access (the worker's path): headers now, tensors during runs. */
export function loadModelFromFolder(folder: ModelFolder): Model {
  const config = folderConfig(folder);
  parseModelConfig(config); // an unknown model_type is reported before any weights are read
  return loadModelFromTensors(config, folderTensorSource(folder), folderTokenizer(folder));
}

/** Builds a model from files in memory: config.json, model.safetensors (or shards + index), tokenizer.json. */
export function loadModel(input: LoadModelInput): Model {
  const weights = input.weights instanceof Uint8Array ? [input.weights] : input.weights;
  const names = input.weightFiles ?? (input.index === undefined ? [SINGLE_WEIGHTS] : parseShardIndex(input.index).files);
  if (names.length !== weights.length) {
    throw new ModelError(`${weights.length} weights files were given for ${names.length} names (${names.join(', ')}).`);
  }
  const files = new Map<string, Uint8Array | string>(names.map((name, i) => [name, weights[i]]));
  files.set('config.json', input.config);
  if (input.index !== undefined) files.set(SHARD_INDEX, input.index);
  if (input.tokenizer !== undefined) files.set('tokenizer.json', input.tokenizer);
  return loadModelFromFolder(memoryFolder(files));
}

function namesOf(model: Model): ModelNames {
  let names = NAMES.get(model);
  if (!names) {
    names = modelNames(model.config, model.source);
    NAMES.set(model, names);
  }
  return names;
}

/** The tokens to run: from ids or text, with BOS per the family's convention unless `prependBos` says otherwise, then the token edit. */
function tokensFor(model: Model, input: RunModelInput): ModelToken[] {
  const c = model.config;
  let tokens: ModelToken[];
  if (input.ids !== undefined) {
    tokens = input.ids.map((id) => ({ id, text: model.tokenizer?.tokenText(id) ?? `#${id}`, start: 0, end: 0, fromText: false }));
  } else if (input.text !== undefined) {
    if (!model.tokenizer) throw new ModelError('This model folder has no tokenizer.json, so it runs on token ids only.', 'tokenizer.json');
    tokens = model.tokenizer.encode(input.text);
  } else {
    throw new ModelError('Give runModel either ids or text.');
  }
  const bos = input.prependBos ?? model.prependsBos;
  if (bos) {
    if (c.bosTokenId === null) throw new ModelError('config.json has no bos_token_id, so no BOS token can be prepended.', 'config.json');
    tokens.unshift({ id: c.bosTokenId, text: model.tokenizer?.tokenText(c.bosTokenId) ?? `#${c.bosTokenId}`, start: 0, end: 0, fromText: false });
  }
  if (input.tokenEdit) {
    tokens = editTextTokens(tokens, input.tokenEdit, (id, start, end) => ({ id, text: model.tokenizer?.tokenText(id) ?? `#${id}`, start, end, fromText: false }));
    checkEditId(input.tokenEdit, c.vocabSize);
  }
  if (tokens.length === 0) throw new ModelError('There is nothing to run: the input has no tokens.');
  if (tokens.length > c.maxPositions) {
    throw new ModelError(`The input is ${tokens.length} tokens long, over the model's max_position_embeddings of ${c.maxPositions} (config.json); select less text.`, 'config.json');
  }
  const bad = tokens.find((t) => !Number.isSafeInteger(t.id) || t.id < 0 || t.id >= c.vocabSize);
  if (bad) throw new ModelError(`Token id ${bad.id} is outside the vocabulary (0 to ${c.vocabSize - 1}, vocab_size in config.json).`, 'config.json');
  return tokens;
}

/** Runs the model on `ids` or `text`; every layer and head keeps its intermediates. */
export function runModel(model: Model, input: RunModelInput): ModelResult {
  const tokens = tokensFor(model, input);
  const ids = tokens.map((t) => t.id);
  const interventions = input.interventions ?? [];
  const c = model.config;
  checkInterventions(interventions, { heads: Array<number>(c.layers).fill(c.heads), queries: ids.length, keys: ids.length, mask: CAUSAL.mask });
  const { layers, finalHidden, logits } = forward(model, namesOf(model), ids, input);
  const strings = tokens.map((t) => t.text);
  const d = model.description;
  return {
    tokens: strings,
    keyTokens: strings,
    layers,
    options: CAUSAL,
    cost: { computedPairs: countVisiblePairs(CAUSAL.mask, ids.length, ids.length), fullPairs: ids.length * ids.length },
    provenance: { kind: 'model', description: `${d.familyName} (${d.parameterLabel}, ${d.dtype}): weights read from the checkpoint.` },
    ids,
    modelTokens: tokens,
    logits,
    finalHidden,
    description: d,
    ...(interventions.length > 0 ? { interventions } : {}),
  };
}

/** Next-token logits after any position of a result (reads the LM head once per call). */
export function logitsAt(model: Model, result: ModelResult, position: number): Float32Array {
  if (!Number.isInteger(position) || position < 0 || position >= result.ids.length) throw new RangeError(`position ${position} is outside 0…${result.ids.length - 1}`);
  return logitsOfRow(model.config, tensor(model, namesOf(model).head), result.finalHidden, position);
}

/** The k highest logits as { id, logit, probability } (softmax over the whole vocabulary), best first. */
export function topTokens(logits: Float32Array, k: number): { id: number; logit: number; probability: number }[] {
  let max = -Infinity;
  for (const v of logits) if (v > max) max = v;
  let sum = 0;
  for (const v of logits) sum += Math.exp(v - max);
  const best: number[] = [];
  for (let i = 0; i < logits.length; i++) {
    if (best.length < k || logits[i] > logits[best[best.length - 1]]) {
      best.push(i);
      best.sort((a, b) => logits[b] - logits[a] || a - b);
      if (best.length > k) best.pop();
    }
  }
  return best.map((id) => ({ id, logit: logits[id], probability: Math.exp(logits[id] - max) / sum }));
}

/**
 * What loading and one run of `tokens` tokens hold at peak, in bytes: the largest layer's float32 weights plus the
 * embedding and LM head, and the kept matrices (per head q, k, v, z and the T×T weights, plus scores and scaled
 * scores unless `keep` is 'weights'; per layer the residual steps; the MLP's hidden width; one row of logits).
 */
export function estimateModelMemory(config: ModelConfig, tokens: number, keep: RunModelInput['keep'] = 'all'): ModelMemoryEstimate {
  const { hidden: D, heads: H, kvHeads: KV, headDim: hd, intermediate: I, vocabSize: V, layers: L } = config;
  const mlpMatrices = config.family === 'llama' || config.family === 'qwen2' ? 3 : 2;
  const layerWeights = D * (H + 2 * KV) * hd + H * hd * D + mlpMatrices * D * I;
  const positions = config.family === 'gpt2' ? config.maxPositions * D : 0;
  const weightBytes = 4 * (layerWeights + V * D * (config.tiedEmbeddings ? 1 : 2) + positions);
  const T = tokens;
  const squares = keep === 'weights' ? 1 : 3;
  const perLayer = H * (squares * T * T + 2 * T * hd) + KV * 2 * T * hd + T * (H * hd * 2 + D * 5);
  const keptBytes = 4 * (L * perLayer + T * I * 2 + V);
  return { weightBytes, keptBytes, totalBytes: weightBytes + keptBytes };
}
