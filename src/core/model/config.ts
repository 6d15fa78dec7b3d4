/** config.json → the normalized `ModelConfig`, with each family's Hugging Face defaults. */
import { MODEL_FAMILIES, ModelError, type ModelConfig, type ModelFamily } from './types';

const FILE = 'config.json';

type Json = Record<string, unknown>;

function num(json: Json, key: string, fallback?: number): number {
  const value = json[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    // JSON.parse reads 1e999 as Infinity, which JSON.stringify would show as null.
    const shown = typeof value === 'number' ? String(value) : JSON.stringify(value);
    throw new ModelError(`${FILE} has no numeric "${key}"${value === undefined ? '' : ` (it is ${shown})`}.`, FILE);
  }
  return value;
}

function count(json: Json, key: string, fallback?: number): number {
  const value = num(json, key, fallback);
  if (!Number.isSafeInteger(value) || value < 1) throw new ModelError(`${FILE} has "${key}": ${value}; it must be a whole number ≥ 1.`, FILE);
  return value;
}

function activation(name: unknown): ModelConfig['activation'] {
  switch (name) {
    case 'gelu_new':
    case 'gelu_pytorch_tanh':
    case 'gelu_fast':
      return 'gelu_new';
    case 'gelu':
      return 'gelu';
    case 'silu':
    case 'swish':
      return 'silu';
    case 'relu':
      return 'relu';
    default:
      throw new ModelError(`${FILE} names activation ${JSON.stringify(name)}; supported: gelu_new, gelu, silu, relu.`, FILE);
  }
}

function bosId(json: Json): number | null {
  const id = json.bos_token_id;
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null;
}

function gpt2(json: Json): ModelConfig {
  const hidden = count(json, 'n_embd');
  const heads = count(json, 'n_head');
  return {
    family: 'gpt2', layers: count(json, 'n_layer'), heads, kvHeads: heads, hidden, headDim: hidden / heads,
    intermediate: count(json, 'n_inner', 4 * hidden), vocabSize: count(json, 'vocab_size'), maxPositions: count(json, 'n_positions', 1024),
    normEps: num(json, 'layer_norm_epsilon', 1e-5), rotaryDims: 0, ropeTheta: 0, activation: activation(json.activation_function ?? 'gelu_new'),
    tiedEmbeddings: true, parallelResidual: false, bosTokenId: bosId(json), prependBosByDefault: false,
  };
}

function llamaLike(json: Json, family: 'llama' | 'qwen2'): ModelConfig {
  const hidden = count(json, 'hidden_size');
  const heads = count(json, 'num_attention_heads');
  const headDim = json.head_dim === undefined || json.head_dim === null ? hidden / heads : count(json, 'head_dim');
  if (json.rope_scaling !== undefined && json.rope_scaling !== null) {
    throw new ModelError(`${FILE} sets "rope_scaling" (${JSON.stringify(json.rope_scaling)}), which is not supported yet; only plain RoPE is.`, FILE);
  }
  if (json.use_sliding_window === true) throw new ModelError(`${FILE} sets "use_sliding_window": true, which is not supported yet.`, FILE);
  const bos = bosId(json);
  return {
    family, layers: count(json, 'num_hidden_layers'), heads, kvHeads: count(json, 'num_key_value_heads', heads), hidden, headDim,
    intermediate: count(json, 'intermediate_size'), vocabSize: count(json, 'vocab_size'), maxPositions: count(json, 'max_position_embeddings', family === 'qwen2' ? 32768 : 2048),
    normEps: num(json, 'rms_norm_eps', 1e-6), rotaryDims: headDim, ropeTheta: num(json, 'rope_theta', 10000), activation: activation(json.hidden_act ?? 'silu'),
    tiedEmbeddings: json.tie_word_embeddings === true || (json.tie_word_embeddings === undefined && family === 'qwen2'),
    parallelResidual: false, bosTokenId: bos, prependBosByDefault: family === 'llama' && bos !== null,
  };
}

function gptNeox(json: Json): ModelConfig {
  const hidden = count(json, 'hidden_size');
  const heads = count(json, 'num_attention_heads');
  const headDim = hidden / heads;
  const pct = num(json, 'rotary_pct', typeof json.partial_rotary_factor === 'number' ? json.partial_rotary_factor : 0.25);
  return {
    family: 'gpt_neox', layers: count(json, 'num_hidden_layers'), heads, kvHeads: heads, hidden, headDim,
    intermediate: count(json, 'intermediate_size', 4 * hidden), vocabSize: count(json, 'vocab_size'), maxPositions: count(json, 'max_position_embeddings', 2048),
    normEps: num(json, 'layer_norm_eps', 1e-5), rotaryDims: Math.floor(headDim * pct),
    ropeTheta: num(json, 'rotary_emb_base', typeof json.rope_theta === 'number' ? json.rope_theta : 10000),
    activation: activation(json.hidden_act ?? 'gelu'), tiedEmbeddings: json.tie_word_embeddings === true,
    parallelResidual: json.use_parallel_residual !== false, bosTokenId: bosId(json), prependBosByDefault: false,
  };
}

/** Parses config.json's text; throws a `ModelError` naming the file and the problem. */
export function parseModelConfig(text: string): ModelConfig {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new ModelError(`${FILE} is not valid JSON (${e instanceof Error ? e.message : String(e)}).`, FILE);
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new ModelError(`${FILE} is not a JSON object.`, FILE);
  const record = json as Json;
  const type = record.model_type;
  if (!MODEL_FAMILIES.includes(type as ModelFamily)) {
    throw new ModelError(`${FILE} has model_type ${JSON.stringify(type)}, which is not supported; supported: ${MODEL_FAMILIES.join(', ')}.`, FILE);
  }
  const config = type === 'gpt2' ? gpt2(record) : type === 'gpt_neox' ? gptNeox(record) : llamaLike(record, type as 'llama' | 'qwen2');
  if (!Number.isInteger(config.headDim)) {
    throw new ModelError(`${FILE}: hidden size ${config.hidden} does not split into ${config.heads} heads.`, FILE);
  }
  if (config.heads % config.kvHeads !== 0) throw new ModelError(`${FILE}: ${config.heads} attention heads do not share ${config.kvHeads} key/value heads evenly.`, FILE);
  if (config.rotaryDims % 2 !== 0) throw new ModelError(`${FILE}: the rotary dimensions (${config.rotaryDims}) must be even.`, FILE);
  return config;
}

export const FAMILY_NAMES: Record<ModelFamily, string> = { gpt2: 'GPT-2', llama: 'Llama', qwen2: 'Qwen2', gpt_neox: 'GPT-NeoX' };
