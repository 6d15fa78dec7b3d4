/** Reads the tiny checkpoints and goldens that scripts/make-tiny-models.py writes under test/fixtures/models/. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LoadModelInput, ModelFamily } from '../../../src/core';

export const MODELS_DIR = join(__dirname, '..', '..', 'fixtures', 'models');

export interface GoldenToken {
  readonly id: number;
  readonly start: number;
  readonly end: number;
}

export interface Golden {
  readonly family: ModelFamily;
  readonly text: string;
  readonly prependBos: boolean;
  readonly ids: number[];
  readonly tokens: GoldenToken[];
  /** weights[layer][head]: T×T, row-major. */
  readonly weights: number[][][];
  /** logits[position]: vocab_size entries. */
  readonly logits: number[][];
  readonly top5: number[];
  readonly tokenizerCases: { text: string; tokens: GoldenToken[] }[];
}

export function golden(family: ModelFamily): Golden {
  return JSON.parse(readFileSync(join(MODELS_DIR, `${family}.golden.json`), 'utf8')) as Golden;
}

/** The folder's files as loadModel takes them (the way the worker will read them). */
export function folderInput(family: ModelFamily, withTokenizer = true): LoadModelInput {
  const dir = join(MODELS_DIR, family);
  const text = (name: string): string => readFileSync(join(dir, name), 'utf8');
  const indexed = existsSync(join(dir, 'model.safetensors.index.json'));
  const shards = indexed ? readdirSync(dir).filter((f) => /^model-\d+-of-\d+\.safetensors$/.test(f)).sort() : ['model.safetensors'];
  return {
    config: text('config.json'),
    weights: shards.map((f) => new Uint8Array(readFileSync(join(dir, f)))),
    weightFiles: shards,
    ...(indexed ? { index: text('model.safetensors.index.json') } : {}),
    ...(withTokenizer ? { tokenizer: text('tokenizer.json') } : {}),
  };
}
