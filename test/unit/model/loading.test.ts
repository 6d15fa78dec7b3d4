import { describe, expect, it } from 'vitest';
import { loadModel, loadModelFromFolder, memoryFolder, ModelCancelled, runModel, type ModelFolder } from '../../../src/core';
import { folderInput, golden } from './fixtures';
import { editTensors } from './safetensorsEdit';

const gpt2 = folderInput('gpt2');
const weights = (gpt2.weights as Uint8Array[])[0];

describe('loading real layouts', () => {
  it('reads GPT-2 saved with the transformer. prefix the same way, ignoring the attn.bias buffers', () => {
    const prefixed = editTensors(weights, (ts) => ts.map((t) => ({ ...t, name: `transformer.${t.name}` })));
    const a = runModel(loadModel(gpt2), { text: golden('gpt2').text });
    const b = runModel(loadModel({ ...gpt2, weights: [prefixed] }), { text: golden('gpt2').text });
    expect(Array.from(b.logits)).toEqual(Array.from(a.logits));
  });

  it('describes what ran: family, parameters (buffers excluded), dtype', () => {
    expect(loadModel(gpt2).description).toMatchObject({ family: 'gpt2', familyName: 'GPT-2', dtype: 'F32', hasTokenizer: true });
    expect(loadModel(folderInput('llama')).description).toMatchObject({ familyName: 'Llama', dtype: 'BF16' });
    expect(loadModel(folderInput('gpt_neox')).description.dtype).toBe('F16');
    const d = loadModel(gpt2).description;
    // wte 305×32, wpe 32×32, ln_f, and per layer 12·32² + 13·32 (buffers h.i.attn.bias are not parameters).
    expect(d.parameters).toBe(305 * 32 + 32 * 32 + 2 * 32 + 2 * (12 * 32 * 32 + 13 * 32));
  });

  it('runs on token ids without a tokenizer', () => {
    const g = golden('gpt2');
    const result = runModel(loadModel({ ...gpt2, tokenizer: undefined }), { ids: g.ids });
    expect(result.tokens[0]).toBe(`#${g.ids[0]}`);
    expect(result.modelTokens.every((t) => !t.fromText)).toBe(true);
    expect(result.description.hasTokenizer).toBe(false);
  });
});

describe('a folder read by offset', () => {
  /** Records every read, to prove that no read takes a whole weights file. */
  function countingFolder(): { folder: ModelFolder; reads: number[] } {
    const inner = memoryFolder(new Map<string, string | Uint8Array>([['config.json', gpt2.config], ['model.safetensors', weights], ['tokenizer.json', gpt2.tokenizer as string]]));
    const reads: number[] = [];
    return { folder: { ...inner, read: (name, offset, length) => (reads.push(length), inner.read(name, offset, length)) }, reads };
  }

  it('reads the header, then one tensor at a time, never the whole file', () => {
    const { folder, reads } = countingFolder();
    const model = loadModelFromFolder(folder);
    expect(reads.length).toBe(2); // the 8-byte length, then the JSON header
    runModel(model, { text: 'the cat' });
    expect(Math.max(...reads)).toBeLessThan(weights.length / 3);
  });

  it('hands each layer over as it finishes, and stops between layers when cancelled', () => {
    const model = loadModelFromFolder(countingFolder().folder);
    const seen: number[] = [];
    runModel(model, { text: 'the cat', onLayer: (_, i) => seen.push(i) });
    expect(seen).toEqual([0, 1]);
    let layers = 0;
    expect(() => runModel(model, { text: 'the cat', onLayer: () => layers++, isCancelled: () => layers >= 1 })).toThrow(ModelCancelled);
    expect(layers).toBe(1);
  });
});

describe('what each layer keeps', () => {
  it('llama: GQA heads share K and V; the residual stream adds up', () => {
    const model = loadModel(folderInput('llama'));
    const result = runModel(model, { text: 'the cat sat' });
    const layer = result.layers[0];
    expect(layer.kvHeadOf).toEqual([0, 0, 1, 1]);
    expect(layer.heads[0].k).toBe(layer.heads[1].k);
    expect(layer.heads[1].k).not.toBe(layer.heads[2].k);
    // output = residualMid + mlpOutput, residualMid = residualIn + attentionOutput (sequential residual)
    const out = layer.output?.data as Float32Array;
    out.forEach((x, i) => expect(x).toBeCloseTo(layer.residualMid.data[i] + layer.mlpOutput.data[i], 5));
    layer.residualMid.data.forEach((x, i) => expect(x).toBeCloseTo(layer.residualIn.data[i] + (layer.attentionOutput?.data[i] ?? NaN), 5));
  });

  it('gpt_neox: parallel residual adds attention and MLP to the same input', () => {
    const result = runModel(loadModel(folderInput('gpt_neox')), { text: 'the cat sat' });
    const layer = result.layers[1];
    expect(layer.residualMid).toBe(layer.residualIn);
    (layer.output?.data as Float32Array).forEach((x, i) => expect(x).toBeCloseTo(layer.residualIn.data[i] + (layer.attentionOutput?.data[i] ?? NaN) + layer.mlpOutput.data[i], 5));
  });
});
