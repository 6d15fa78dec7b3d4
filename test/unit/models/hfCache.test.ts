import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hubCacheDirs, listCachedModels, modelIdFromEntry, modelName, parseConfigSummary, snapshotOf } from '../../../src/models/hfCache';

/** Writes a Hub-layout cache entry: blobs/<sha> files, snapshots/<rev>/<name> symlinks, refs/main. */
function addModel(hub: string, id: string, revision: string, files: Record<string, string>, refMain = true): string {
  const entry = path.join(hub, `models--${id.replace('/', '--')}`);
  const snapshot = path.join(entry, 'snapshots', revision);
  mkdirSync(path.join(entry, 'blobs'), { recursive: true });
  mkdirSync(snapshot, { recursive: true });
  mkdirSync(path.join(entry, 'refs'), { recursive: true });
  Object.entries(files).forEach(([name, content], i) => {
    const blob = path.join(entry, 'blobs', `sha${i}${revision}`);
    writeFileSync(blob, content);
    symlinkSync(path.relative(snapshot, blob), path.join(snapshot, name));
  });
  if (refMain) writeFileSync(path.join(entry, 'refs', 'main'), revision);
  return snapshot;
}

let hub: string;
beforeEach(() => {
  hub = mkdtempSync(path.join(tmpdir(), 'hf-hub-'));
});
afterEach(() => rmSync(hub, { recursive: true, force: true }));

describe('hubCacheDirs', () => {
  it('orders HF_HUB_CACHE, HF_HOME/hub, then ~/.cache/huggingface/hub', () => {
    expect(hubCacheDirs({ HF_HUB_CACHE: '/a', HF_HOME: '/h' }, '/home/u')).toEqual(['/a', '/h/hub', '/home/u/.cache/huggingface/hub']);
  });
  it('falls back to the home cache alone and drops duplicates', () => {
    expect(hubCacheDirs({}, '/home/u')).toEqual(['/home/u/.cache/huggingface/hub']);
    expect(hubCacheDirs({ HF_HUB_CACHE: '/home/u/.cache/huggingface/hub/' }, '/home/u')).toEqual(['/home/u/.cache/huggingface/hub']);
  });
});

describe('modelIdFromEntry', () => {
  it('turns models--org--name into org/name and ignores datasets', () => {
    expect(modelIdFromEntry('models--HuggingFaceTB--SmolLM2-135M')).toBe('HuggingFaceTB/SmolLM2-135M');
    expect(modelIdFromEntry('models--gpt2')).toBe('gpt2');
    expect(modelIdFromEntry('datasets--wikitext')).toBeUndefined();
  });
});

describe('modelName', () => {
  it('names a snapshot by its Hub id and any other folder by its name', () => {
    expect(modelName('/hub/models--openai-community--gpt2/snapshots/abc')).toBe('openai-community/gpt2');
    expect(modelName('/home/u/models/SmolLM2-135M/')).toBe('SmolLM2-135M');
  });
});

describe('listCachedModels', () => {
  it('finds snapshots, follows blob symlinks for sizes, and reads the family from config.json', async () => {
    const config = JSON.stringify({ model_type: 'gpt2', n_layer: 2, n_embd: 32 });
    const folder = addModel(hub, 'openai-community/gpt2', 'abc123', { 'config.json': config, 'model.safetensors': 'x'.repeat(1500), 'tokenizer.json': '{}' });
    const models = await listCachedModels([hub]);
    expect(models).toEqual([{ id: 'openai-community/gpt2', folder, revision: 'abc123', modelType: 'gpt2', shape: '2 layers × 32', weightBytes: 1500 }]);
  });

  it('takes the revision refs/main names, else the newest snapshot', async () => {
    addModel(hub, 'a/m', 'old', { 'config.json': '{}' }, false);
    const entry = path.join(hub, 'models--a--m');
    expect((await snapshotOf(entry))?.revision).toBe('old');
    addModel(hub, 'a/m', 'new', { 'config.json': '{}' });
    expect((await snapshotOf(entry))?.revision).toBe('new');
  });

  it('skips entries without config.json, empty hubs, missing hubs and stray files', async () => {
    addModel(hub, 'no/config', 'r1', { 'model.safetensors': 'x' });
    writeFileSync(path.join(hub, 'version.txt'), '1');
    mkdirSync(path.join(hub, 'models--empty--entry'));
    expect(await listCachedModels([hub, path.join(hub, 'missing')])).toEqual([]);
  });

  it('lists a model once when two hub paths name the same folder', async () => {
    addModel(hub, 'gpt2', 'r', { 'config.json': '{"model_type":"gpt2"}' });
    symlinkSync(hub, `${hub}-link`);
    try {
      expect(await listCachedModels([hub, `${hub}-link`])).toHaveLength(1);
    } finally {
      rmSync(`${hub}-link`);
    }
  });

  it('does not read a config.json that links outside its cache entry', async () => {
    const outside = path.join(hub, 'secret.json');
    writeFileSync(outside, '{"model_type":"gpt2"}');
    const folder = addModel(hub, 'evil/model', 'r', { 'model.safetensors': 'x' });
    symlinkSync(outside, path.join(folder, 'config.json'));
    const [model] = await listCachedModels([hub]);
    expect(model.id).toBe('evil/model');
    expect(model.modelType).toBeUndefined();
  });
});

describe('parseConfigSummary', () => {
  it('reads llama-style names and tolerates junk', () => {
    expect(parseConfigSummary('{"model_type":"llama","num_hidden_layers":30,"hidden_size":576}')).toEqual({ modelType: 'llama', shape: '30 layers × 576' });
    expect(parseConfigSummary('not json')).toEqual({});
    expect(parseConfigSummary('[1]')).toEqual({});
  });
});
