import { copyFileSync, mkdtempSync, readFileSync, realpathSync, rmSync, symlinkSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ModelJobs } from '../../../src/compute/modelJob';
import type { ModelRequest } from '../../../src/compute/modelProtocol';
import { ModelCancelled } from '../../../src/core';
import { addCachedModel, TINY_MODELS } from '../../fixtures/hfCache';

const HOOKS = { progress: () => {}, isCancelled: () => false };
const GB = 2 ** 30;

let hub: string;
beforeEach(() => {
  hub = realpathSync(mkdtempSync(path.join(tmpdir(), 'model-job-')));
});
afterEach(() => rmSync(hub, { recursive: true, force: true }));

function request(folder: string, more: Partial<ModelRequest> = {}): ModelRequest {
  return { folder, text: 'The cat sat on the mat.', maxTokens: 4096, budgetBytes: GB, ...more };
}

async function errorOf(jobs: ModelJobs, req: ModelRequest): Promise<string> {
  const outcome = await jobs.run(1, req, HOOKS);
  expect(outcome.ok).toBe(false);
  return outcome.ok ? '' : outcome.message;
}

describe('ModelJobs on a tiny GPT-2 in a Hub-layout cache', () => {
  it('runs the selection, names heads L0H0…, ranges every token, and lists the 10 likeliest next tokens', async () => {
    const folder = addCachedModel(hub, 'tiny/gpt2', 'gpt2');
    const progress: number[] = [];
    const outcome = await new ModelJobs().run(7, request(folder), { ...HOOKS, progress: (_m, done) => progress.push(done) });
    if (!outcome.ok) throw new Error(outcome.message);
    const r = outcome.result;
    expect(r.layers.map((l) => l.heads.map((h) => h.name))).toEqual([['L0H0', 'L0H1'], ['L1H0', 'L1H1']]);
    expect(r.provenance).toEqual({ kind: 'model', description: `GPT-2 (36K) from ${hub}/…/tiny/gpt2: learned weights (F32).` });
    expect(outcome.tokenRanges).toHaveLength(r.tokens.length);
    expect(progress).toEqual([0, 1, 2]);
    const top = outcome.nextTokens!.top;
    expect(outcome.nextTokens!.position).toBe(r.tokens.length - 1);
    expect(top).toHaveLength(10);
    for (let i = 1; i < top.length; i++) expect(top[i].probability).toBeLessThanOrEqual(top[i - 1].probability);
    expect(top.reduce((s, t) => s + t.probability, 0)).toBeLessThanOrEqual(1 + 1e-9);
  });
});

describe('ModelJobs keeps the loaded model and answers hovers', () => {
  it('gives the next tokens after any position of a kept run, and reloads when a file changes', async () => {
    const folder = addCachedModel(hub, 'tiny/gpt2', 'gpt2');
    const jobs = new ModelJobs();
    const first = await jobs.run(1, request(folder), HOOKS);
    expect(jobs.nextTokens(1, 0)?.top).toHaveLength(10);
    expect(jobs.nextTokens(1, 999)).toBeUndefined();
    expect(jobs.nextTokens(2, 0)).toBeUndefined();
    // Replace config.json's blob target: the stamp changes and the model reloads with the new config.
    const config = path.join(folder, 'config.json');
    const text = readFileSync(config, 'utf8');
    unlinkSync(config);
    writeFileSync(config, text.replace('"model_type": "gpt2"', '"model_type": "bert"'));
    const second = await jobs.run(2, request(folder), HOOKS);
    expect(first.ok).toBe(true);
    expect(second.ok ? '' : second.message).toMatch(/bert/);
  });

  it('stops between layers when cancelled', async () => {
    const folder = addCachedModel(hub, 'tiny/gpt2', 'gpt2');
    let layers = 0;
    await expect(new ModelJobs().run(1, request(folder), { progress: (_m, done) => (layers = done), isCancelled: () => layers >= 1 })).rejects.toBeInstanceOf(ModelCancelled);
  });
});

describe('ModelJobs refuses bad input with one sentence naming the file', () => {
  it('a folder without config.json', async () => {
    expect(await errorOf(new ModelJobs(), request(hub))).toBe(`${hub}: The folder has no config.json, so it is not a Hugging Face model folder.`);
  });

  it('an unknown model_type', async () => {
    const folder = addCachedModel(hub, 'tiny/gpt2', 'gpt2');
    const config = path.join(folder, 'config.json');
    const text = readFileSync(config, 'utf8');
    unlinkSync(config);
    writeFileSync(config, text.replace('"model_type": "gpt2"', '"model_type": "mamba"'));
    expect(await errorOf(new ModelJobs(), request(folder))).toMatch(/mamba.*gpt2/);
  });

  it('a truncated safetensors file', async () => {
    const folder = addCachedModel(hub, 'tiny/gpt2', 'gpt2');
    truncateSync(realpathSync(path.join(folder, 'model.safetensors')), 5000);
    expect(await errorOf(new ModelJobs(), request(folder))).toMatch(/model\.safetensors.*truncated|truncated.*model\.safetensors|file has/);
  });

  it('an index naming a missing shard', async () => {
    const folder = addCachedModel(hub, 'tiny/gpt2', 'gpt2');
    writeFileSync(path.join(folder, 'model.safetensors.index.json'), JSON.stringify({ weight_map: { 'wte.weight': 'model-00001-of-00002.safetensors' } }));
    expect(await errorOf(new ModelJobs(), request(folder))).toMatch(/^.*tiny\/gpt2: model\.safetensors\.index\.json names shard model-00001-of-00002\.safetensors, which is not in the folder/);
  });

  it('only pytorch_model.bin', async () => {
    const folder = addCachedModel(hub, 'tiny/gpt2', 'gpt2');
    unlinkSync(path.join(folder, 'model.safetensors'));
    writeFileSync(path.join(folder, 'pytorch_model.bin'), 'pickle');
    expect(await errorOf(new ModelJobs(), request(folder))).toMatch(/tiny\/gpt2: The folder has only pytorch_model\.bin, a PyTorch pickle, which is never loaded/);
  });

  it('weights linking outside the cache entry', async () => {
    const folder = addCachedModel(hub, 'tiny/gpt2', 'gpt2');
    const outside = path.join(hub, 'elsewhere.safetensors');
    copyFileSync(path.join(TINY_MODELS, 'gpt2', 'model.safetensors'), outside);
    unlinkSync(path.join(folder, 'model.safetensors'));
    symlinkSync(outside, path.join(folder, 'model.safetensors'));
    expect(await errorOf(new ModelJobs(), request(folder))).toMatch(/model\.safetensors .*links outside the model's folder/);
  });

  it('text longer than max_position_embeddings, and a run over the memory budget', async () => {
    const folder = addCachedModel(hub, 'tiny/gpt2', 'gpt2');
    expect(await errorOf(new ModelJobs(), request(folder, { text: 'word '.repeat(40) }))).toMatch(/max_position_embeddings/);
    expect(await errorOf(new ModelJobs(), request(folder, { budgetBytes: 1000 }))).toMatch(/more than the memory budget of 1 kB \(setting selfAttention\.memoryBudgetMB\)/);
    expect(await errorOf(new ModelJobs(), request(folder, { maxTokens: 3 }))).toMatch(/more than the limit of 3 \(setting selfAttention\.maxTokens\)/);
  });
});
