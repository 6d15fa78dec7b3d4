import { describe, expect, it } from 'vitest';
import { estimateModelMemory, loadModel, loadModelFromFolder, memoryFolder, ModelError, parseModelConfig, runModel, type LoadModelInput } from '../../../src/core';
import { folderInput } from './fixtures';
import { editTensors } from './safetensorsEdit';

/** The ModelError message of a call that must fail. */
function failure(run: () => unknown): string {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(ModelError);
    return (e as Error).message;
  }
  throw new Error('expected a ModelError');
}

const gpt2 = folderInput('gpt2');
const gpt2Weights = gpt2.weights as Uint8Array[];
const withWeights = (weights: Uint8Array): LoadModelInput => ({ ...gpt2, weights: [weights] });

describe('bad model folders get one clear sentence naming the file and the problem', () => {
  it('no config.json', () => {
    const folder = memoryFolder(new Map([['model.safetensors', gpt2Weights[0]]]));
    expect(failure(() => loadModelFromFolder(folder))).toBe('The folder has no config.json, so it is not a Hugging Face model folder.');
  });

  it('an unknown model_type, naming it and the supported ones', () => {
    expect(failure(() => loadModel({ ...gpt2, config: JSON.stringify({ model_type: 'bert', hidden_size: 8 }) }))).toBe(
      'config.json has model_type "bert", which is not supported; supported: gpt2, llama, qwen2, gpt_neox.',
    );
  });

  it('only a pickle: refused, never unpickled', () => {
    const folder = memoryFolder(new Map<string, string | Uint8Array>([['config.json', gpt2.config], ['pytorch_model.bin', new Uint8Array(16)]]));
    expect(failure(() => loadModelFromFolder(folder))).toMatch(/^The folder has only pytorch_model\.bin, a PyTorch pickle, which is never loaded/);
  });

  it('a missing tensor', () => {
    const weights = editTensors(gpt2Weights[0], (ts) => ts.filter((t) => t.name !== 'h.1.mlp.c_fc.bias'));
    expect(failure(() => loadModel(withWeights(weights)))).toBe('The weights have no tensor "h.1.mlp.c_fc.bias", which a gpt2 checkpoint of this config needs.');
  });

  it('a tensor of the wrong shape', () => {
    const weights = editTensors(gpt2Weights[0], (ts) => ts.map((t) => (t.name === 'h.0.attn.c_attn.weight' ? { ...t, shape: [96, 32] } : t)));
    expect(failure(() => loadModel(withWeights(weights)))).toBe('model.safetensors, tensor "h.0.attn.c_attn.weight", has shape [96, 32]; config.json implies [32, 96].');
  });

  it('a truncated safetensors file', () => {
    const cut = gpt2Weights[0].subarray(0, gpt2Weights[0].length - 100);
    expect(failure(() => loadModel(withWeights(cut)))).toMatch(/^model\.safetensors is truncated: tensor "[^"]+" ends at byte \d+, but the file has \d+\.$/);
    expect(failure(() => loadModel(withWeights(gpt2Weights[0].subarray(0, 5))))).toBe('model.safetensors is truncated: it is 5 bytes long, too short for a safetensors header.');
  });

  it('an index that names a missing shard', () => {
    const qwen = folderInput('qwen2');
    const first = (qwen.weights as Uint8Array[])[0];
    expect(failure(() => loadModel({ ...qwen, weights: [first], weightFiles: ['model-00001-of-00002.safetensors'] }))).toBe(
      'model.safetensors.index.json names shard model-00002-of-00002.safetensors, which is not in the folder.',
    );
  });

  it('a tokenizer whose vocabulary disagrees with vocab_size', () => {
    const tokenizer = JSON.parse(gpt2.tokenizer as string) as { added_tokens: { id: number; content: string }[] };
    tokenizer.added_tokens.push({ ...tokenizer.added_tokens[0], id: 400, content: '<|extra|>' });
    expect(failure(() => loadModel({ ...gpt2, tokenizer: JSON.stringify(tokenizer) }))).toMatch(/^tokenizer\.json has 401 tokens, more than config\.json's vocab_size of \d+\.$/);
  });

  it('text longer than max_position_embeddings', () => {
    const model = loadModel(gpt2);
    expect(failure(() => runModel(model, { text: 'the cat sat '.repeat(20) }))).toMatch(
      /^The input is \d+ tokens long, over the model's max_position_embeddings of 32 \(config\.json\); select less text\.$/,
    );
  });

  it('text without a tokenizer; ids outside the vocabulary', () => {
    const model = loadModel({ ...gpt2, tokenizer: undefined });
    expect(failure(() => runModel(model, { text: 'hi' }))).toBe('This model folder has no tokenizer.json, so it runs on token ids only.');
    expect(failure(() => runModel(model, { ids: [1, 9999] }))).toMatch(/^Token id 9999 is outside the vocabulary \(0 to \d+, vocab_size in config\.json\)\.$/);
  });

  it('config values that cannot work', () => {
    const config = JSON.parse(gpt2.config) as Record<string, unknown>;
    expect(failure(() => parseModelConfig(JSON.stringify({ ...config, n_head: 3 })))).toBe('config.json: hidden size 32 does not split into 3 heads.');
    expect(failure(() => parseModelConfig('{'))).toMatch(/^config\.json is not valid JSON/);
    expect(failure(() => parseModelConfig(JSON.stringify({ ...config, n_layer: 'two' })))).toBe('config.json has no numeric "n_layer" (it is "two").');
  });
});

describe('memory estimate', () => {
  it('counts GPT-2 small\'s largest layer, embeddings, and the kept matrices', () => {
    const config = parseModelConfig(JSON.stringify({ model_type: 'gpt2', n_layer: 12, n_head: 12, n_embd: 768, vocab_size: 50257, n_positions: 1024 }));
    const estimate = estimateModelMemory(config, 256);
    // One layer: c_attn 768×2304, c_proj 768×768, c_fc 768×3072, mlp c_proj 3072×768; plus wte and wpe.
    expect(estimate.weightBytes).toBe(4 * (768 * 2304 + 768 * 768 + 2 * 768 * 3072 + 50257 * 768 + 1024 * 768));
    // The three T×T matrices per head dominate what a run keeps: 12 layers × 12 heads × 3 × 256² floats.
    expect(estimate.keptBytes).toBeGreaterThan(4 * 12 * 12 * 3 * 256 * 256);
    expect(estimate.totalBytes).toBe(estimate.weightBytes + estimate.keptBytes);
  });
});
