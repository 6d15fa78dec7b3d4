/**
 * loadModel / runModel / topTokens / estimateModelMemory, literal values: the parameter labels and descriptions,
 * each family's tensor names, the refusals' sentences and the files they name, loadModel's input forms, BOS, token
 * edits and cancellation, ties and far-apart logits among the top tokens, and the memory estimate worked out by hand
 * from the formula's parts.
 */
import { describe, expect, it } from 'vitest';
import {
  estimateModelMemory, loadModel, loadModelFromTensors, logitsAt, ModelCancelled, ModelError, parseModelConfig, runModel, tokenFrame, topTokens,
  type ModelFamily, type TensorInfo, type TensorSource,
} from '../../../src/core';
import { expectedTensors, modelNames } from '../../../src/core/model/families';
import { folderInput, golden } from './fixtures';

function refusal(run: () => unknown): string {
  return refusalError(run).message;
}

function refusalError(run: () => unknown): ModelError {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    return e as ModelError;
  }
  throw new Error('expected a ModelError');
}

/** The last position's logits of the float64 numpy reference, each within 5e-5. */
function referenceLogits(family: ModelFamily): { ids: number[]; logits: ReturnType<typeof expect.closeTo>[] } {
  const g = golden(family);
  return { ids: g.ids, logits: g.logits[g.logits.length - 1].map((v) => expect.closeTo(v, 4)) };
}

/** A source that has every tensor `config` needs (headers only: loading reads no data). */
function headersOnly(configText: string, dtype: TensorInfo['dtype'] = 'F32', extra: Record<string, number[]> = {}): TensorSource {
  const config = parseModelConfig(configText);
  const probe: TensorSource = { tensors: new Map(Object.entries(extra).map(([n, shape]) => [n, { dtype, shape, file: 'm', begin: 0, end: 0 }])), read: () => new Uint8Array(), readPart: () => new Uint8Array(), readInto: () => {} };
  const tensors = new Map(probe.tensors);
  for (const [name, shape] of expectedTensors(config, modelNames(config, probe))) tensors.set(name, { dtype, shape: [...shape], file: 'm', begin: 0, end: 0 });
  return { ...probe, tensors };
}

const gpt2Config = (n_embd: number, n_layer: number, vocab_size: number) => JSON.stringify({ model_type: 'gpt2', n_layer, n_head: 1, n_embd, vocab_size, n_positions: 8 });

describe('what a loaded model says about itself', () => {
  it('counts parameters and labels them in K, M or B (whole below a billion, one decimal above)', () => {
    // gpt2 with D = n_embd, L layers: wte V·D (tied head counted once), wpe 8·D, ln_f 2D, per layer 12D² + 13D.
    const count = (D: number, L: number, V: number) => V * D + 8 * D + 2 * D + L * (12 * D * D + 13 * D);
    const label = (D: number, L: number, V: number) => loadModelFromTensors(gpt2Config(D, L, V), headersOnly(gpt2Config(D, L, V))).description;
    expect(label(1, 1, 10)).toMatchObject({ parameters: count(1, 1, 10), parameterLabel: String(count(1, 1, 10)) });
    expect(count(1, 1, 10)).toBeLessThan(1000);
    expect(label(8, 1, 10).parameterLabel).toBe(`${Math.round(count(8, 1, 10) / 1e3)}K`);
    expect(label(300, 1, 10).parameterLabel).toBe(`${Math.round(count(300, 1, 10) / 1e6)}M`);
    expect(label(4096, 6, 10)).toMatchObject({ parameterLabel: `${(count(4096, 6, 10) / 1e9).toFixed(1)}B`, familyName: 'GPT-2', dtype: 'F32', hasTokenizer: false });
    expect(count(4096, 6, 10)).toBeGreaterThan(1e9);
  });

  it('labels exactly a thousand, a million and a billion parameters 1K, 1M and 1.0B', () => {
    // D 1, one layer: V (wte, tied head) + 8 (wpe) + 2 (ln_f) + 25 (12D² + 13D) = V + 35.
    const label = (V: number) => loadModelFromTensors(gpt2Config(1, 1, V), headersOnly(gpt2Config(1, 1, V))).description;
    expect(label(964)).toMatchObject({ parameters: 999, parameterLabel: '999' });
    expect(label(965)).toMatchObject({ parameters: 1000, parameterLabel: '1K' });
    expect(label(999_965)).toMatchObject({ parameters: 1e6, parameterLabel: '1M' });
    expect(label(1e9 - 35)).toMatchObject({ parameters: 1e9, parameterLabel: '1.0B' });
  });

  it('lists mixed dtypes in order, and ignores tensors the forward pass does not read', () => {
    const config = gpt2Config(4, 1, 10);
    const source = headersOnly(config, 'F16', { 'h.0.attn.bias': [1, 1, 8, 8] });
    const mixed: TensorSource = { ...source, tensors: new Map([...source.tensors].map(([n, t]) => [n, n === 'wpe.weight' ? { ...t, dtype: 'BF16' as const } : t])) };
    const d = loadModelFromTensors(config, mixed).description;
    expect(d.dtype).toBe('BF16+F16');
    expect(d.parameters).toBe(10 * 4 + 8 * 4 + 2 * 4 + 12 * 16 + 13 * 4);
  });

  it('names each family\'s tensors as Hugging Face saves them', () => {
    const llama = parseModelConfig(JSON.stringify({ model_type: 'llama', num_hidden_layers: 1, hidden_size: 8, num_attention_heads: 2, num_key_value_heads: 1, intermediate_size: 16, vocab_size: 10 }));
    const none: TensorSource = { tensors: new Map(), read: () => new Uint8Array(), readPart: () => new Uint8Array(), readInto: () => {} };
    expect([...expectedTensors(llama, modelNames(llama, none))]).toEqual([
      ['model.embed_tokens.weight', [10, 8]], ['lm_head.weight', [10, 8]], ['model.norm.weight', [8]],
      ['model.layers.0.input_layernorm.weight', [8]], ['model.layers.0.post_attention_layernorm.weight', [8]],
      ['model.layers.0.self_attn.q_proj.weight', [8, 8]], ['model.layers.0.self_attn.k_proj.weight', [4, 8]], ['model.layers.0.self_attn.v_proj.weight', [4, 8]],
      ['model.layers.0.self_attn.o_proj.weight', [8, 8]],
      ['model.layers.0.mlp.gate_proj.weight', [16, 8]], ['model.layers.0.mlp.up_proj.weight', [16, 8]], ['model.layers.0.mlp.down_proj.weight', [8, 16]],
    ]);
    const neox = parseModelConfig(JSON.stringify({ model_type: 'gpt_neox', num_hidden_layers: 1, hidden_size: 16, num_attention_heads: 2, vocab_size: 10, intermediate_size: 32, tie_word_embeddings: true }));
    expect([...expectedTensors(neox, modelNames(neox, none))]).toEqual([
      ['gpt_neox.embed_in.weight', [10, 16]],
      ['gpt_neox.final_layer_norm.weight', [16]], ['gpt_neox.final_layer_norm.bias', [16]],
      ['gpt_neox.layers.0.input_layernorm.weight', [16]], ['gpt_neox.layers.0.input_layernorm.bias', [16]],
      ['gpt_neox.layers.0.post_attention_layernorm.weight', [16]], ['gpt_neox.layers.0.post_attention_layernorm.bias', [16]],
      ['gpt_neox.layers.0.attention.query_key_value.weight', [48, 16]], ['gpt_neox.layers.0.attention.dense.weight', [16, 16]],
      ['gpt_neox.layers.0.mlp.dense_h_to_4h.weight', [32, 16]], ['gpt_neox.layers.0.mlp.dense_h_to_4h.bias', [32]],
      ['gpt_neox.layers.0.mlp.dense_4h_to_h.weight', [16, 32]], ['gpt_neox.layers.0.mlp.dense_4h_to_h.bias', [16]],
    ]);
    const gpt2 = parseModelConfig(gpt2Config(4, 1, 10));
    expect([...expectedTensors(gpt2, modelNames(gpt2, none)).keys()]).toEqual([
      'wte.weight', 'wpe.weight', 'ln_f.weight', 'ln_f.bias', 'h.0.ln_1.weight', 'h.0.ln_1.bias', 'h.0.ln_2.weight', 'h.0.ln_2.bias',
      'h.0.attn.c_attn.weight', 'h.0.attn.c_attn.bias', 'h.0.attn.c_proj.weight', 'h.0.attn.c_proj.bias',
      'h.0.mlp.c_fc.weight', 'h.0.mlp.c_fc.bias', 'h.0.mlp.c_proj.weight', 'h.0.mlp.c_proj.bias',
    ]);
    expect(expectedTensors(gpt2, modelNames(gpt2, none)).get('h.0.mlp.c_fc.weight')).toEqual([4, 16]); // Conv1D: [in, out]
  });

  it('llama-style biases and a tied head follow the checkpoint', () => {
    const config = parseModelConfig(JSON.stringify({ model_type: 'qwen2', num_hidden_layers: 1, hidden_size: 8, num_attention_heads: 2, intermediate_size: 16, vocab_size: 10 }));
    const has = (...names: string[]): TensorSource => ({ tensors: new Map(names.map((n) => [n, { dtype: 'F32', shape: [1], file: 'm', begin: 0, end: 0 }])), read: () => new Uint8Array(), readPart: () => new Uint8Array(), readInto: () => {} });
    const qwen = modelNames(config, has());
    expect([qwen.head, qwen.layer(0).qkv[0].bias, qwen.layer(0).out.bias, qwen.layer(0).mlp[0].bias]).toEqual(['model.embed_tokens.weight', 'model.layers.0.self_attn.q_proj.bias', undefined, undefined]);
    const untied = modelNames(config, has('lm_head.weight', 'model.layers.0.self_attn.o_proj.bias', 'model.layers.0.mlp.up_proj.bias'));
    expect([untied.head, untied.layer(0).out.bias, untied.layer(0).mlp[2].bias]).toEqual(['lm_head.weight', 'model.layers.0.self_attn.o_proj.bias', 'model.layers.0.mlp.down_proj.bias']);
    const llama = parseModelConfig(JSON.stringify({ model_type: 'llama', num_hidden_layers: 1, hidden_size: 8, num_attention_heads: 2, intermediate_size: 16, vocab_size: 10 }));
    expect(modelNames(llama, has()).layer(0).qkv[0].bias).toBeUndefined();
    expect(modelNames(llama, has('model.layers.0.self_attn.q_proj.bias')).layer(0).qkv[2].bias).toBe('model.layers.0.self_attn.v_proj.bias');
    const neox = parseModelConfig(JSON.stringify({ model_type: 'gpt_neox', num_hidden_layers: 1, hidden_size: 16, num_attention_heads: 2, vocab_size: 10 }));
    expect(modelNames(neox, has()).head).toBe('embed_out.weight');
    expect(modelNames(neox, has('gpt_neox.layers.0.attention.query_key_value.bias')).layer(0).out.bias).toBe('gpt_neox.layers.0.attention.dense.bias');
    const gpt2 = parseModelConfig(gpt2Config(4, 1, 10));
    expect(modelNames(gpt2, has('transformer.wte.weight')).embed).toBe('transformer.wte.weight');
    expect(modelNames(gpt2, has('transformer.wte.weight', 'wte.weight')).embed).toBe('wte.weight');
  });
});

describe('running, literal values', () => {
  it('describes the run and its tokens: provenance, the causal frame, and #id without a tokenizer', () => {
    const model = loadModel({ ...folderInput('gpt2'), tokenizer: undefined });
    const result = runModel(model, { ids: [3, 4], prependBos: false });
    expect(result.provenance).toEqual({ kind: 'model', description: `GPT-2 (${model.description.parameterLabel}, F32): weights read from the checkpoint.` });
    expect(result.tokens).toEqual(['#3', '#4']);
    expect('interventions' in result).toBe(false);
    expect(tokenFrame([{ id: 1, text: 'a', start: 0, end: 1, fromText: true }, { id: 2, text: 'b', start: 1, end: 2, fromText: true }, { id: 3, text: 'c', start: 2, end: 3, fromText: true }]))
      .toEqual({ tokens: ['a', 'b', 'c'], keyTokens: ['a', 'b', 'c'], options: { scale: true, mask: { kind: 'causal' }, temperature: 1 }, cost: { computedPairs: 6, fullPairs: 9 } });
  });

  it('refuses what it cannot run, in one sentence', () => {
    const gpt2 = folderInput('gpt2');
    const model = loadModel(gpt2);
    expect(refusal(() => runModel(model, {}))).toBe('Give runModel either ids or text.');
    expect(refusal(() => runModel(model, { ids: [], prependBos: false }))).toBe('There is nothing to run: the input has no tokens.');
    expect(refusal(() => runModel(model, { ids: [-1], prependBos: false }))).toBe('Token id -1 is outside the vocabulary (0 to 304, vocab_size in config.json).');
    expect(refusal(() => runModel(model, { ids: [1.5], prependBos: false }))).toBe('Token id 1.5 is outside the vocabulary (0 to 304, vocab_size in config.json).');
    expect(refusal(() => runModel(model, { ids: [305], prependBos: false }))).toBe('Token id 305 is outside the vocabulary (0 to 304, vocab_size in config.json).');
    expect(runModel(model, { ids: [0, 304], prependBos: false }).ids).toEqual([0, 304]);
    expect(runModel(model, { ids: new Array<number>(32).fill(1), prependBos: false }).ids).toHaveLength(32);
    expect(refusal(() => runModel(model, { ids: new Array<number>(33).fill(1), prependBos: false })))
      .toBe("The input is 33 tokens long, over the model's max_position_embeddings of 32 (config.json); select less text.");
    const noBos = loadModel({ ...gpt2, config: JSON.stringify({ ...JSON.parse(gpt2.config), bos_token_id: null }) });
    expect(refusal(() => runModel(noBos, { ids: [1], prependBos: true }))).toBe('config.json has no bos_token_id, so no BOS token can be prepended.');
    expect(refusal(() => loadModel({ ...gpt2, weightFiles: ['a.safetensors', 'b.safetensors'] }))).toBe('1 weights files were given for 2 names (a.safetensors, b.safetensors).');
    const two = runModel(model, { ids: [1, 2], prependBos: false });
    expect(() => logitsAt(model, two, 2)).toThrow(new RangeError('position 2 is outside 0…1'));
    expect(() => logitsAt(model, two, -1)).toThrow(new RangeError('position -1 is outside 0…1'));
    expect(() => logitsAt(model, two, 0.5)).toThrow(new RangeError('position 0.5 is outside 0…1'));
  });

  it('names the file to fix in each refusal about the checkpoint, and calls itself ModelError', () => {
    const gpt2 = folderInput('gpt2');
    const model = loadModel(gpt2);
    const bare = loadModel({ ...gpt2, tokenizer: undefined });
    const noBos = loadModel({ ...gpt2, config: JSON.stringify({ ...JSON.parse(gpt2.config), bos_token_id: null }) });
    const small = gpt2Config(4, 1, 10);
    const cases: [() => unknown, string, string | undefined][] = [
      [() => loadModelFromTensors(small, headersOnly(small), gpt2.tokenizer), "tokenizer.json has 305 tokens, more than config.json's vocab_size of 10.", 'tokenizer.json'],
      [() => runModel(bare, { text: 'hi' }), 'This model folder has no tokenizer.json, so it runs on token ids only.', 'tokenizer.json'],
      [() => runModel(noBos, { ids: [1], prependBos: true }), 'config.json has no bos_token_id, so no BOS token can be prepended.', 'config.json'],
      [() => runModel(model, { ids: new Array<number>(33).fill(1), prependBos: false }), "The input is 33 tokens long, over the model's max_position_embeddings of 32 (config.json); select less text.", 'config.json'],
      [() => runModel(model, { ids: [305], prependBos: false }), 'Token id 305 is outside the vocabulary (0 to 304, vocab_size in config.json).', 'config.json'],
      [() => runModel(model, {}), 'Give runModel either ids or text.', undefined],
    ];
    for (const [run, message, file] of cases) {
      const error = refusalError(run);
      expect([error.message, error.file, error.name]).toEqual([message, file, 'ModelError']);
    }
  });

  it('stops between layers when cancelled, with its own error', () => {
    const model = loadModel(folderInput('gpt2'));
    let error: unknown;
    try {
      runModel(model, { ids: [1], prependBos: false, isCancelled: () => true });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelCancelled);
    expect([(error as Error).name, (error as Error).message]).toEqual(['ModelCancelled', 'The model run was cancelled.']);
  });

  it('loads one weights file given alone, and shards named by the index, to the reference numbers', () => {
    const gpt2 = folderInput('gpt2');
    const single = loadModel({ config: gpt2.config, weights: (gpt2.weights as Uint8Array[])[0], tokenizer: gpt2.tokenizer });
    const g = referenceLogits('gpt2');
    expect([...runModel(single, { ids: g.ids, prependBos: false }).logits]).toEqual(g.logits);
    const qwen = folderInput('qwen2');
    const sharded = loadModel({ config: qwen.config, weights: qwen.weights, index: qwen.index, tokenizer: qwen.tokenizer });
    const q = referenceLogits('qwen2');
    expect([...runModel(sharded, { ids: q.ids, prependBos: false }).logits]).toEqual(q.logits);
  });

  it('runs a model object copied from a loaded one (its tensor names worked out again)', () => {
    const copy = { ...loadModel(folderInput('llama')) };
    const g = referenceLogits('llama');
    expect([...runModel(copy, { ids: g.ids, prependBos: false }).logits]).toEqual(g.logits);
  });

  it('applies a token edit to the tokens it runs, naming a new token by the tokenizer, or #id without one', () => {
    const gpt2 = folderInput('gpt2');
    const model = loadModel(gpt2);
    // The golden text's second token covers characters 3…7; gpt2's tiny vocabulary has id 7 = "(".
    const replaced = runModel(model, { text: golden('gpt2').text, tokenEdit: { kind: 'replace-token', position: 1, token: 7 } });
    expect(replaced.ids.slice(0, 3)).toEqual([262, 7, 276]);
    expect(replaced.modelTokens[1]).toEqual({ id: 7, text: '(', start: 3, end: 7, fromText: false });
    const bare = loadModel({ ...gpt2, tokenizer: undefined });
    const inserted = runModel(bare, { ids: [3, 4], prependBos: false, tokenEdit: { kind: 'insert-token', position: 1, token: 7 } });
    expect(inserted.tokens).toEqual(['#3', '#7', '#4']);
    expect(inserted.modelTokens[1]).toEqual({ id: 7, text: '#7', start: 0, end: 0, fromText: false });
    expect(() => runModel(model, { ids: [3], prependBos: false, tokenEdit: { kind: 'insert-token', position: 1, token: 305 } }))
      .toThrow('The insert-token edit gives token id 305, outside the vocabulary (0 to 304).');
  });

  it('prepends BOS by the toggle, else by the tokenizer or the family, named by the tokenizer', () => {
    const gpt2 = loadModel(folderInput('gpt2'));
    expect(runModel(gpt2, { ids: [7] }).ids).toEqual([7]); // GPT-2's tokenizer adds no BOS
    const withBos = runModel(gpt2, { ids: [7], prependBos: true });
    expect(withBos.ids).toEqual([304, 7]);
    expect(withBos.modelTokens[0]).toEqual({ id: 304, text: '<|endoftext|>', start: 0, end: 0, fromText: false });
    const bare = loadModel({ ...folderInput('llama'), tokenizer: undefined });
    expect(bare.prependsBos).toBe(true); // llama's default without a tokenizer
    expect(runModel(bare, { ids: [7] }).modelTokens[0]).toMatchObject({ id: 1, text: '#1' });
    const llama = folderInput('llama');
    expect(loadModel(llama).tokenizer?.addsBos).toBe(true); // its post-processor starts with <s>
    const bosless = loadModel({ ...llama, config: JSON.stringify({ ...JSON.parse(llama.config), bos_token_id: null }) });
    expect(bosless.prependsBos).toBe(false); // no BOS to prepend, whatever the tokenizer says
    expect(runModel(bosless, { ids: [7] }).ids).toEqual([7]);
  });
});

describe('topTokens', () => {
  it('the k highest, ties by lower id, with softmax probabilities over every logit', () => {
    const logits = Float32Array.from([1, 3, 3, 0, 2]);
    const z = Math.exp(-2) + 2 + Math.exp(-3) + Math.exp(-1);
    const top = topTokens(logits, 3);
    expect(top.map((t) => [t.id, t.logit])).toEqual([[1, 3], [2, 3], [4, 2]]);
    top.forEach((t) => expect(t.probability).toBeCloseTo(Math.exp(t.logit - 3) / z, 12));
    expect(topTokens(logits, 9).map((t) => t.id)).toEqual([1, 2, 4, 0, 3]);
    expect(topTokens(logits, 0)).toEqual([]);
    expect(topTokens(Float32Array.from([-5, -1]), 1)).toEqual([{ id: 1, logit: -1, probability: 1 / (1 + Math.exp(-4)) }]);
    // Logits far apart, the largest not last: e^1000 would overflow, e^(0 − 1000) is 0.
    expect(topTokens(Float32Array.from([1000, 0]), 2)).toEqual([{ id: 0, logit: 1000, probability: 1 }, { id: 1, logit: 0, probability: 0 }]);
  });
});

describe('estimateModelMemory, term by term', () => {
  it('llama: three MLP matrices, GQA key/value widths, an untied head, no position table', () => {
    const config = parseModelConfig(JSON.stringify({ model_type: 'llama', num_hidden_layers: 2, hidden_size: 8, num_attention_heads: 2, num_key_value_heads: 1, intermediate_size: 16, vocab_size: 10 }));
    // D 8, H 2, KV 1, hd 4, I 16, V 10, L 2, T 3.
    const layerWeights = 8 * (2 + 2 * 1) * 4 + 2 * 4 * 8 + 3 * 8 * 16;
    const weightBytes = 4 * (layerWeights + 10 * 8 * 2);
    const perLayer = (squares: number) => 2 * (squares * 9 + 2 * 3 * 4) + 1 * 2 * 3 * 4 + 3 * (2 * 4 * 2 + 8 * 6);
    const kept = (squares: number) => 4 * (2 * perLayer(squares) + 3 * 16 * 2 + 10);
    expect(estimateModelMemory(config, 3)).toEqual({ weightBytes, keptBytes: kept(3), totalBytes: weightBytes + kept(3) });
    expect(estimateModelMemory(config, 3, 'weights')).toEqual({ weightBytes, keptBytes: kept(1), totalBytes: weightBytes + kept(1) });
  });

  it('qwen2: three MLP matrices (gate, up, down), as llama', () => {
    const config = parseModelConfig(JSON.stringify({ model_type: 'qwen2', num_hidden_layers: 1, hidden_size: 8, num_attention_heads: 2, num_key_value_heads: 2, intermediate_size: 16, vocab_size: 10, tie_word_embeddings: true }));
    // D 8, H 2, KV 2, hd 4, I 16, V 10, tied: q, k, v 8·6·4 = 192, o 2·4·8 = 64, MLP 3·8·16 = 384, embeddings 80.
    expect(estimateModelMemory(config, 1).weightBytes).toBe(4 * (192 + 64 + 384 + 80));
  });

  it('gpt2: two MLP matrices, the position table, a tied head', () => {
    const config = parseModelConfig(gpt2Config(4, 1, 10));
    // D 4, H 1, hd 4, I 16, V 10, positions 8.
    expect(estimateModelMemory(config, 1).weightBytes).toBe(4 * (4 * 3 * 4 + 4 * 4 + 2 * 4 * 16 + 10 * 4 + 8 * 4));
  });
});
