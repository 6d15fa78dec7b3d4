/**
 * A real GPT-2 from the local Hugging Face cache, when there is one: the same folder reader the worker uses, on
 * learned weights. Skipped (and says so) on machines without the cache; nothing is ever downloaded.
 */
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModelFromFolder, runModel, topTokens, type ModelFolder } from '../../../src/core';

function cachedGpt2(): string | undefined {
  const hub = process.env.HF_HUB_CACHE ?? (process.env.HF_HOME ? join(process.env.HF_HOME, 'hub') : join(homedir(), '.cache', 'huggingface', 'hub'));
  for (const name of ['models--gpt2', 'models--openai-community--gpt2']) {
    const snapshots = join(hub, name, 'snapshots');
    if (!existsSync(snapshots)) continue;
    const folder = readdirSync(snapshots).map((rev) => join(snapshots, rev)).find((dir) => existsSync(join(dir, 'model.safetensors')) && existsSync(join(dir, 'config.json')));
    if (folder) return folder;
  }
  return undefined;
}

const folder = cachedGpt2();
if (!folder) console.info('real-cache test skipped: no gpt2 with model.safetensors in the Hugging Face cache');

describe.skipIf(!folder)('a real GPT-2 from the Hugging Face cache', () => {
  it('ranks Paris among the next tokens and keeps 12 × 12 heads', () => {
    const dir = folder as string;
    const fds = new Map<string, number>();
    const fd = (name: string): number => fds.get(name) ?? (fds.set(name, openSync(join(dir, name), 'r')), fds.get(name) as number);
    const source: ModelFolder = {
      files: readdirSync(dir),
      readText: (name) => readFileSync(join(dir, name), 'utf8'),
      size: (name) => fstatSync(fd(name)).size,
      read: (name, offset, length) => {
        const bytes = new Uint8Array(length);
        readSync(fd(name), bytes, 0, length, offset);
        return bytes;
      },
    };
    try {
      const model = loadModelFromFolder(source);
      expect(model.description.parameterLabel).toBe('124M');
      const result = runModel(model, { text: 'The capital of France is the city of' });
      expect(result.layers.length).toBe(12);
      expect(result.layers[0].heads.length).toBe(12);
      const best = topTokens(result.logits, 10).map((t) => model.tokenizer?.tokenText(t.id));
      expect(best).toContain('ĠParis');
    } finally {
      for (const f of fds.values()) closeSync(f);
    }
  });
});
