/**
 * config.json → ModelConfig, literal values: each family's fields and the defaults used when a field is absent (as in
 * Hugging Face's GPT2Config, LlamaConfig and GPTNeoXConfig), the activation names, and every refusal's sentence.
 */
import { describe, expect, it } from 'vitest';
import { ModelError, parseModelConfig, type TensorSource } from '../../../src/core';
import { FAMILY_NAMES } from '../../../src/core/model/config';
import { checkTensors, expectedTensors, modelNames, type ModelNames } from '../../../src/core/model/families';

function refusal(config: Record<string, unknown> | string): string {
  try {
    parseModelConfig(typeof config === 'string' ? config : JSON.stringify(config));
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    expect((e as ModelError).file).toBe('config.json');
    return (e as Error).message;
  }
  throw new Error('expected a ModelError');
}

const parse = (config: Record<string, unknown>) => parseModelConfig(JSON.stringify(config));
const gpt2 = { model_type: 'gpt2', n_layer: 2, n_head: 4, n_embd: 32, vocab_size: 100 };
const llama = { model_type: 'llama', num_hidden_layers: 2, hidden_size: 32, num_attention_heads: 4, intermediate_size: 64, vocab_size: 100 };
const neox = { model_type: 'gpt_neox', num_hidden_layers: 2, hidden_size: 64, num_attention_heads: 2, vocab_size: 100 };

describe('each family with only the required fields: the defaults', () => {
  it('gpt2: 4·n_embd MLP, 1024 positions, ε 1e-5, gelu_new, tied, learned positions', () => {
    expect(parse(gpt2)).toEqual({
      family: 'gpt2', layers: 2, heads: 4, kvHeads: 4, hidden: 32, headDim: 8, intermediate: 128, vocabSize: 100, maxPositions: 1024,
      normEps: 1e-5, rotaryDims: 0, ropeTheta: 0, activation: 'gelu_new', tiedEmbeddings: true, parallelResidual: false,
      bosTokenId: null, prependBosByDefault: false,
    });
  });

  it('llama: no GQA unless asked, 2048 positions, ε 1e-6, θ 10000, silu, untied, rotary over the whole head', () => {
    expect(parse(llama)).toEqual({
      family: 'llama', layers: 2, heads: 4, kvHeads: 4, hidden: 32, headDim: 8, intermediate: 64, vocabSize: 100, maxPositions: 2048,
      normEps: 1e-6, rotaryDims: 8, ropeTheta: 10000, activation: 'silu', tiedEmbeddings: false, parallelResidual: false,
      bosTokenId: null, prependBosByDefault: false,
    });
  });

  it('gpt_neox: a quarter of each head rotated, θ 10000, gelu, parallel residual, 4·hidden MLP, untied', () => {
    expect(parse(neox)).toEqual({
      family: 'gpt_neox', layers: 2, heads: 2, kvHeads: 2, hidden: 64, headDim: 32, intermediate: 256, vocabSize: 100, maxPositions: 2048,
      normEps: 1e-5, rotaryDims: 8, ropeTheta: 10000, activation: 'gelu', tiedEmbeddings: false, parallelResidual: true,
      bosTokenId: null, prependBosByDefault: false,
    });
  });
});

describe('fields given', () => {
  it('gpt2 reads n_inner, n_positions, layer_norm_epsilon, activation_function and bos_token_id', () => {
    expect(parse({ ...gpt2, n_inner: 40, n_positions: 64, layer_norm_epsilon: 1e-3, activation_function: 'relu', bos_token_id: 0 })).toMatchObject({
      intermediate: 40, maxPositions: 64, normEps: 1e-3, activation: 'relu', bosTokenId: 0, prependBosByDefault: false,
    });
    expect(parse({ ...gpt2, n_inner: null }).intermediate).toBe(128);
  });

  it('llama reads head_dim, GQA, positions, ε, θ, tying and BOS (which llama prepends by default)', () => {
    expect(parse({ ...llama, head_dim: 16, num_key_value_heads: 2, max_position_embeddings: 64, rms_norm_eps: 1e-5, rope_theta: 500, tie_word_embeddings: true, bos_token_id: 1, hidden_act: 'swish' }))
      .toMatchObject({ headDim: 16, rotaryDims: 16, kvHeads: 2, maxPositions: 64, normEps: 1e-5, ropeTheta: 500, tiedEmbeddings: true, bosTokenId: 1, prependBosByDefault: true, activation: 'silu' });
    expect(parse({ ...llama, head_dim: null }).headDim).toBe(8);
    expect(parse({ ...llama, rope_scaling: null, use_sliding_window: false }).family).toBe('llama');
  });

  it('qwen2 ties its embeddings unless told not to, does not prepend BOS, and has 32768 positions (Qwen2Config\'s default)', () => {
    expect(parse({ ...llama, model_type: 'qwen2', bos_token_id: 5 })).toMatchObject({ family: 'qwen2', tiedEmbeddings: true, bosTokenId: 5, prependBosByDefault: false, maxPositions: 32768 });
    expect(parse({ ...llama, model_type: 'qwen2', tie_word_embeddings: false }).tiedEmbeddings).toBe(false);
    expect(parse({ ...llama, tie_word_embeddings: 'yes' }).tiedEmbeddings).toBe(false);
  });

  it('gpt_neox reads rotary_pct (or partial_rotary_factor), the rotary base (or rope_theta), and the residual switch', () => {
    expect(parse({ ...neox, rotary_pct: 0.5, rotary_emb_base: 2000, use_parallel_residual: false, tie_word_embeddings: true, intermediate_size: 100, layer_norm_eps: 1e-6 }))
      .toMatchObject({ rotaryDims: 16, ropeTheta: 2000, parallelResidual: false, tiedEmbeddings: true, intermediate: 100, normEps: 1e-6 });
    expect(parse({ ...neox, max_position_embeddings: 4096 }).maxPositions).toBe(4096);
    expect(parse({ ...neox, partial_rotary_factor: 1, rope_theta: 300 })).toMatchObject({ rotaryDims: 32, ropeTheta: 300 });
    expect(parse({ ...neox, rotary_pct: 0.25, partial_rotary_factor: 1 }).rotaryDims).toBe(8);
    expect(parse({ ...neox, use_parallel_residual: 'no' }).parallelResidual).toBe(true);
  });

  it('a BOS id counts only when it is a whole number ≥ 0', () => {
    expect(parse({ ...gpt2, bos_token_id: -1 }).bosTokenId).toBeNull();
    expect(parse({ ...gpt2, bos_token_id: 1.5 }).bosTokenId).toBeNull();
    expect(parse({ ...gpt2, bos_token_id: '1' }).bosTokenId).toBeNull();
    expect(parse({ ...llama, bos_token_id: null }).prependBosByDefault).toBe(false);
    expect(parse({ ...llama, bos_token_id: [1, 2] }).bosTokenId).toBeNull();
  });

  it('maps every activation name Hugging Face uses for these families', () => {
    const act = (name: string) => parse({ ...gpt2, activation_function: name }).activation;
    expect(['gelu_new', 'gelu_pytorch_tanh', 'gelu_fast', 'gelu', 'silu', 'swish', 'relu'].map(act)).toEqual(['gelu_new', 'gelu_new', 'gelu_new', 'gelu', 'silu', 'silu', 'relu']);
    expect(FAMILY_NAMES).toEqual({ gpt2: 'GPT-2', llama: 'Llama', qwen2: 'Qwen2', gpt_neox: 'GPT-NeoX' });
  });
});

describe('refusals, one sentence each', () => {
  it('the file itself', () => {
    expect(refusal('[1]')).toBe('config.json is not a JSON object.');
    expect(refusal('null')).toBe('config.json is not a JSON object.');
    expect(refusal('42')).toBe('config.json is not a JSON object.');
    expect(refusal('"gpt2"')).toBe('config.json is not a JSON object.');
    expect(refusal('{"a": ')).toMatch(/^config\.json is not valid JSON \(.+\)\.$/);
    expect(refusal({ n_layer: 2 })).toBe('config.json has model_type undefined, which is not supported; supported: gpt2, llama, qwen2, gpt_neox.');
  });

  it('numbers that are missing, not numbers, not whole or below 1', () => {
    expect(refusal({ ...gpt2, n_layer: undefined })).toBe('config.json has no numeric "n_layer".');
    expect(refusal({ ...gpt2, n_layer: null })).toBe('config.json has no numeric "n_layer".');
    expect(refusal({ ...gpt2, layer_norm_epsilon: 'small' })).toBe('config.json has no numeric "layer_norm_epsilon" (it is "small").');
    // JSON.parse reads a number too large for a double as Infinity.
    expect(refusal(JSON.stringify(gpt2).replace('}', ', "layer_norm_epsilon": 1e999}'))).toBe('config.json has no numeric "layer_norm_epsilon" (it is Infinity).');
    expect(refusal(JSON.stringify(gpt2).replace('"n_embd":32', '"n_embd":-1e999'))).toBe('config.json has no numeric "n_embd" (it is -Infinity).');
    expect(refusal({ ...gpt2, n_layer: 0 })).toBe('config.json has "n_layer": 0; it must be a whole number ≥ 1.');
    expect(refusal({ ...gpt2, n_layer: 1.5 })).toBe('config.json has "n_layer": 1.5; it must be a whole number ≥ 1.');
    expect(parse({ ...gpt2, n_layer: 1 }).layers).toBe(1);
  });

  it('what the forward pass does not support', () => {
    expect(refusal({ ...gpt2, activation_function: 'tanh' })).toBe('config.json names activation "tanh"; supported: gelu_new, gelu, silu, relu.');
    expect(refusal({ ...llama, rope_scaling: { type: 'linear', factor: 2 } }))
      .toBe('config.json sets "rope_scaling" ({"type":"linear","factor":2}), which is not supported yet; only plain RoPE is.');
    expect(refusal({ ...llama, model_type: 'qwen2', use_sliding_window: true })).toBe('config.json sets "use_sliding_window": true, which is not supported yet.');
    expect(refusal({ ...llama, num_key_value_heads: 3 })).toBe('config.json: 4 attention heads do not share 3 key/value heads evenly.');
    expect(refusal({ ...neox, rotary_pct: 0.1 })).toBe('config.json: the rotary dimensions (3) must be even.');
    expect(refusal({ ...llama, hidden_size: 30 })).toBe('config.json: hidden size 30 does not split into 4 heads.');
  });
});

/** A source holding the named tensors with the given shapes (headers only). */
function holding(tensors: Iterable<readonly [string, readonly number[]]>): TensorSource {
  const infos = new Map([...tensors].map(([name, shape]) => [name, { dtype: 'F32' as const, shape, file: 'model.safetensors', begin: 0, end: 0 }]));
  return { tensors: infos, read: () => new Uint8Array(), readPart: () => new Uint8Array(), readInto: () => {} };
}

describe('the tensor table', () => {
  const gpt2Small = parse({ ...gpt2, n_layer: 1, n_embd: 4, n_head: 1, vocab_size: 10, n_positions: 8 });
  const storedAs = (names: ModelNames): boolean[] => {
    const l = names.layer(0);
    return [...l.qkv, l.out, ...l.mlp].map((p) => p.transposed);
  };

  it('GPT-2 stores every projection as Conv1D [in, out]; Llama and GPT-NeoX as nn.Linear [out, in], square ones included', () => {
    expect(storedAs(modelNames(gpt2Small, holding([])))).toEqual([false, false, false, false]);
    expect(storedAs(modelNames(parse(llama), holding([])))).toEqual([true, true, true, true, true, true, true]);
    expect(storedAs(modelNames(parse(neox), holding([])))).toEqual([true, true, true, true]);
  });

  it('a tied GPT-NeoX that still stores embed_out reads it as its head', () => {
    const tied = parse({ ...neox, tie_word_embeddings: true });
    expect(modelNames(tied, holding([])).head).toBe('gpt_neox.embed_in.weight');
    expect(modelNames(tied, holding([['embed_out.weight', [100, 64]]])).head).toBe('embed_out.weight');
  });

  it('checkTensors passes a complete checkpoint and names the first tensor whose rank or one axis differs', () => {
    const expected = expectedTensors(gpt2Small, modelNames(gpt2Small, holding([])));
    const names = modelNames(gpt2Small, holding([]));
    const reshaped = (name: string, shape: number[]) => holding([...expected].map(([n, s]) => [n, n === name ? shape : s] as const));
    expect(() => checkTensors(gpt2Small, names, holding(expected))).not.toThrow();
    const failure = (source: TensorSource) => {
      try {
        checkTensors(gpt2Small, names, source);
      } catch (e) {
        expect(e).toBeInstanceOf(ModelError);
        return { message: (e as Error).message, file: (e as ModelError).file };
      }
      throw new Error('expected a ModelError');
    };
    expect(failure(reshaped('wte.weight', [10]))).toEqual({ message: 'model.safetensors, tensor "wte.weight", has shape [10]; config.json implies [10, 4].', file: 'model.safetensors' });
    expect(failure(reshaped('h.0.mlp.c_fc.weight', [4, 17])).message).toBe('model.safetensors, tensor "h.0.mlp.c_fc.weight", has shape [4, 17]; config.json implies [4, 16].');
    expect(failure(reshaped('ln_f.bias', [4, 1])).message).toBe('model.safetensors, tensor "ln_f.bias", has shape [4, 1]; config.json implies [4].');
    expect(failure(holding([...expected].filter(([n]) => n !== 'h.0.attn.c_proj.bias'))).message).toBe('The weights have no tensor "h.0.attn.c_proj.bias", which a gpt2 checkpoint of this config needs.');
  });
});
