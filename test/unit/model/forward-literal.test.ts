/**
 * The forward pass's own checks and its stacked q/k/v product, given tensor names by hand: a name the checkpoint
 * lacks, projections that cannot be stacked, and a bias on only some of the stacked projections.
 */
import { describe, expect, it } from 'vitest';
import { loadModel, runModel, type Model } from '../../../src/core';
import { modelNames, type LinearName, type ModelNames } from '../../../src/core/model/families';
import { forward } from '../../../src/core/model/forward';
import { folderInput } from './fixtures';
import { editTensors } from './safetensorsEdit';

/** The names `modelNames` gives, with layer i's q, k, v projections changed by `edit`. */
function withQkv(names: ModelNames, edit: (part: LinearName, index: number) => LinearName): ModelNames {
  return { ...names, layer: (i) => ({ ...names.layer(i), qkv: names.layer(i).qkv.map(edit) }) };
}

const withoutBias = ({ weight, inDim, outDim, transposed }: LinearName): LinearName => ({ weight, inDim, outDim, transposed });

describe('forward, given names by hand', () => {
  it('names a tensor the checkpoint lacks instead of failing on its missing header', () => {
    const model = loadModel(folderInput('gpt2'));
    const names = modelNames(model.config, model.source);
    expect(() => forward(model, { ...names, embed: 'wte.missing' }, [1], {})).toThrow(new Error('internal: tensor "wte.missing" was not checked at load'));
  });

  it('refuses separate q, k, v projections that are not [out, in] weights of the layer\'s input, rather than multiply them wrongly', () => {
    const model = loadModel(folderInput('llama'));
    const names = modelNames(model.config, model.source);
    const message = 'internal: stacked projections must be [out, in] weights of one input';
    // v_proj alone stored [in, out]; v_proj alone reading a wider input (hidden size 32).
    expect(() => forward(model, withQkv(names, (p, j) => (j === 2 ? { ...p, transposed: false } : p)), [1, 2], {})).toThrow(new Error(message));
    expect(() => forward(model, withQkv(names, (p, j) => (j === 2 ? { ...p, inDim: 33 } : p)), [1, 2], {})).toThrow(new Error(message));
  });

  it('adds a bias given for q alone to q\'s columns only: the same logits as zero biases for k and v', () => {
    // llama (hidden 32, 4 query heads and 2 key/value heads of 16): q_proj.bias has 64 values, k and v 32.
    const llama = folderInput('llama');
    const f32 = (values: Float32Array): Uint8Array => new Uint8Array(values.buffer);
    const qBias = Float32Array.from({ length: 64 }, (_, i) => (i % 3) - 1);
    const weights = editTensors((llama.weights as Uint8Array[])[0], (ts) => [
      ...ts,
      ...[0, 1].flatMap((l) => [
        { name: `model.layers.${l}.self_attn.q_proj.bias`, dtype: 'F32' as const, shape: [64], data: f32(qBias) },
        { name: `model.layers.${l}.self_attn.k_proj.bias`, dtype: 'F32' as const, shape: [32], data: f32(new Float32Array(32)) },
        { name: `model.layers.${l}.self_attn.v_proj.bias`, dtype: 'F32' as const, shape: [32], data: f32(new Float32Array(32)) },
      ]),
    ]);
    const model: Model = loadModel({ ...llama, weights: [weights] });
    const names = modelNames(model.config, model.source);
    const ids = [1, 5, 9];
    const allThree = runModel(model, { ids, prependBos: false }).logits;
    expect(forward(model, withQkv(names, (p, j) => (j === 0 ? p : withoutBias(p))), ids, {}).logits).toEqual(allThree);
    // …and q's bias does move the logits.
    expect(forward(model, withQkv(names, withoutBias), ids, {}).logits).not.toEqual(allThree);
  });
});
