/**
 * Each family's exact Hugging Face tensor layout: names, shapes, and whether a weight is stored [in, out]
 * (GPT-2's Conv1D: y = x·W) or [out, in] (nn.Linear: y = x·Wᵀ). The forward pass reads only through this table.
 */
import { ModelError, type ModelConfig, type TensorSource } from './types';

/** A projection as stored: `transposed` means nn.Linear's [out, in]. */
export interface LinearName {
  readonly weight: string;
  readonly bias?: string;
  readonly inDim: number;
  readonly outDim: number;
  readonly transposed: boolean;
}

export interface NormName {
  readonly weight: string;
  /** LayerNorm has a bias; RMSNorm has none. */
  readonly bias?: string;
}

export interface LayerNames {
  readonly norm1: NormName;
  readonly norm2: NormName;
  /** One fused projection (gpt2 c_attn, neox query_key_value) or three (llama q, k, v). */
  readonly qkv: readonly LinearName[];
  readonly out: LinearName;
  /** gpt2/neox: [up, down]; llama: [gate, up, down]. */
  readonly mlp: readonly LinearName[];
}

export interface ModelNames {
  readonly embed: string;
  readonly positions?: string;
  readonly finalNorm: NormName;
  /** The LM head, [vocab, hidden]: the embedding itself when tied. */
  readonly head: string;
  layer(i: number): LayerNames;
}

function lin(weight: string, inDim: number, outDim: number, transposed: boolean, bias: boolean): LinearName {
  return bias ? { weight: `${weight}.weight`, bias: `${weight}.bias`, inDim, outDim, transposed } : { weight: `${weight}.weight`, inDim, outDim, transposed };
}

function gpt2Names(c: ModelConfig, source: TensorSource): ModelNames {
  const p = source.tensors.has('wte.weight') || !source.tensors.has('transformer.wte.weight') ? '' : 'transformer.';
  const D = c.hidden;
  return {
    embed: `${p}wte.weight`,
    positions: `${p}wpe.weight`,
    finalNorm: { weight: `${p}ln_f.weight`, bias: `${p}ln_f.bias` },
    head: `${p}wte.weight`,
    layer: (i) => {
      const h = `${p}h.${i}`;
      return {
        norm1: { weight: `${h}.ln_1.weight`, bias: `${h}.ln_1.bias` },
        norm2: { weight: `${h}.ln_2.weight`, bias: `${h}.ln_2.bias` },
        qkv: [lin(`${h}.attn.c_attn`, D, 3 * D, false, true)],
        out: lin(`${h}.attn.c_proj`, D, D, false, true),
        mlp: [lin(`${h}.mlp.c_fc`, D, c.intermediate, false, true), lin(`${h}.mlp.c_proj`, c.intermediate, D, false, true)],
      };
    },
  };
}

function llamaNames(c: ModelConfig, source: TensorSource): ModelNames {
  const D = c.hidden;
  const qDim = c.heads * c.headDim;
  const kvDim = c.kvHeads * c.headDim;
  const qkvBias = c.family === 'qwen2' || source.tensors.has('model.layers.0.self_attn.q_proj.bias');
  const outBias = source.tensors.has('model.layers.0.self_attn.o_proj.bias');
  const mlpBias = source.tensors.has('model.layers.0.mlp.up_proj.bias');
  return {
    embed: 'model.embed_tokens.weight',
    finalNorm: { weight: 'model.norm.weight' },
    head: c.tiedEmbeddings && !source.tensors.has('lm_head.weight') ? 'model.embed_tokens.weight' : 'lm_head.weight',
    layer: (i) => {
      const l = `model.layers.${i}`;
      return {
        norm1: { weight: `${l}.input_layernorm.weight` },
        norm2: { weight: `${l}.post_attention_layernorm.weight` },
        qkv: [
          lin(`${l}.self_attn.q_proj`, D, qDim, true, qkvBias),
          lin(`${l}.self_attn.k_proj`, D, kvDim, true, qkvBias),
          lin(`${l}.self_attn.v_proj`, D, kvDim, true, qkvBias),
        ],
        out: lin(`${l}.self_attn.o_proj`, qDim, D, true, outBias),
        mlp: [
          lin(`${l}.mlp.gate_proj`, D, c.intermediate, true, mlpBias),
          lin(`${l}.mlp.up_proj`, D, c.intermediate, true, mlpBias),
          lin(`${l}.mlp.down_proj`, c.intermediate, D, true, mlpBias),
        ],
      };
    },
  };
}

function neoxNames(c: ModelConfig, source: TensorSource): ModelNames {
  const D = c.hidden;
  const bias = source.tensors.has('gpt_neox.layers.0.attention.query_key_value.bias');
  return {
    embed: 'gpt_neox.embed_in.weight',
    finalNorm: { weight: 'gpt_neox.final_layer_norm.weight', bias: 'gpt_neox.final_layer_norm.bias' },
    head: c.tiedEmbeddings && !source.tensors.has('embed_out.weight') ? 'gpt_neox.embed_in.weight' : 'embed_out.weight',
    layer: (i) => {
      const l = `gpt_neox.layers.${i}`;
      return {
        norm1: { weight: `${l}.input_layernorm.weight`, bias: `${l}.input_layernorm.bias` },
        norm2: { weight: `${l}.post_attention_layernorm.weight`, bias: `${l}.post_attention_layernorm.bias` },
        qkv: [lin(`${l}.attention.query_key_value`, D, 3 * D, true, bias)],
        out: lin(`${l}.attention.dense`, D, D, true, bias),
        mlp: [lin(`${l}.mlp.dense_h_to_4h`, D, c.intermediate, true, true), lin(`${l}.mlp.dense_4h_to_h`, c.intermediate, D, true, true)],
      };
    },
  };
}

export function modelNames(config: ModelConfig, source: TensorSource): ModelNames {
  switch (config.family) {
    case 'gpt2':
      return gpt2Names(config, source);
    case 'llama':
    case 'qwen2':
      return llamaNames(config, source);
    case 'gpt_neox':
      return neoxNames(config, source);
  }
}

/** Every tensor the forward pass will read, with the shape it must have. */
export function expectedTensors(config: ModelConfig, names: ModelNames): Map<string, readonly number[]> {
  const out = new Map<string, readonly number[]>();
  const D = config.hidden;
  out.set(names.embed, [config.vocabSize, D]);
  if (names.positions) out.set(names.positions, [config.maxPositions, D]);
  out.set(names.head, [config.vocabSize, D]);
  const norm = (n: NormName): void => {
    out.set(n.weight, [D]);
    if (n.bias) out.set(n.bias, [D]);
  };
  const linear = (l: LinearName): void => {
    out.set(l.weight, l.transposed ? [l.outDim, l.inDim] : [l.inDim, l.outDim]);
    if (l.bias) out.set(l.bias, [l.outDim]);
  };
  norm(names.finalNorm);
  for (let i = 0; i < config.layers; i++) {
    const l = names.layer(i);
    norm(l.norm1);
    norm(l.norm2);
    [...l.qkv, l.out, ...l.mlp].forEach(linear);
  }
  return out;
}

/** Checks the headers against the table: a clear message for the first missing tensor or wrong shape. */
export function checkTensors(config: ModelConfig, names: ModelNames, source: TensorSource): void {
  for (const [name, shape] of expectedTensors(config, names)) {
    const info = source.tensors.get(name);
    if (!info) throw new ModelError(`The weights have no tensor "${name}", which a ${config.family} checkpoint of this config needs.`);
    if (info.shape.length !== shape.length || info.shape.some((d, i) => d !== shape[i])) {
      throw new ModelError(`${info.file}, tensor "${name}", has shape [${info.shape.join(', ')}]; config.json implies [${shape.join(', ')}].`, info.file);
    }
  }
}
