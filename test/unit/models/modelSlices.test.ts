/**
 * Real-model results live in the model process (issue 14): a run's streamed layers and its outcome carry only the
 * slice the panel's focus draws, and later focuses get their slices from the kept result, equal to slicing the whole
 * result in one piece. A 512-token run of a tiny checkpoint (its positions raised so it takes 512 tokens).
 */
import { cpSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ModelClient } from '../../../src/compute/modelClient';
import { ModelJobs } from '../../../src/compute/modelJob';
import type { ModelOutcome, ModelRequest } from '../../../src/compute/modelProtocol';
import type { PartialModelResult } from '../../../src/compute/modelStream';
import { answerRaster, answerRow } from '../../../src/compute/raster';
import { DEFAULT_FOCUS, payloadBytes, slimResult, type Focus } from '../../../src/compute/slice';
import type { AttentionResult } from '../../../src/core';
import { isSnapshot } from '../../../src/shared/validateMessage';
import { isWithheld } from '../../../src/shared/protocol';
import { matrixToCsv } from '../../../src/shared/matrixExport';
import { TINY_MODELS } from '../../fixtures/hfCache';
import { buildModelProcess } from './modelProcess';

const dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'model-slices-')));
const folder = path.join(dir, 'llama');
let client: ModelClient;

beforeAll(async () => {
  cpSync(path.join(TINY_MODELS, 'llama'), folder, { recursive: true });
  const config = JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8'));
  writeFileSync(path.join(folder, 'config.json'), JSON.stringify({ ...config, max_position_embeddings: 1024 }));
  client = new ModelClient(await buildModelProcess(dir));
}, 60_000);
afterAll(() => {
  client?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const TEXT = Array.from({ length: 438 }, (_, i) => ['the', 'cat', 'sat', 'on', 'a', 'mat'][i % 6]).join(' ');
const request = (focus: Focus = DEFAULT_FOCUS): ModelRequest => ({ folder, text: TEXT, maxTokens: 4096, budgetBytes: 2 ** 30, focus });

/** Equal in structure and in every number (toEqual is slow on megabytes of Float32Array); the first difference's path. */
function difference(a: unknown, b: unknown, at = ''): string | undefined {
  if (a instanceof Float32Array || b instanceof Float32Array) {
    const bytes = (x: unknown) => (x instanceof Float32Array ? Buffer.from(x.buffer, x.byteOffset, x.byteLength) : undefined);
    return bytes(a)?.equals(bytes(b) ?? Buffer.alloc(0)) && bytes(b) ? undefined : at;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return Object.is(a, b) ? undefined : at;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)].filter((k) => (a as Record<string, unknown>)[k] !== undefined || (b as Record<string, unknown>)[k] !== undefined));
  for (const k of keys) {
    const found = difference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}.${k}`);
    if (found !== undefined) return found;
  }
  return undefined;
}

function expectSame(actual: unknown, expected: unknown): void {
  expect(difference(actual, expected)).toBeUndefined();
}

function resultOf(outcome: ModelOutcome): AttentionResult {
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.result;
}

describe('a real model\'s result stays in the model process', () => {
  let whole: ModelOutcome;
  beforeAll(async () => {
    whole = await new ModelJobs().run(1, request(), { progress: () => {}, isCancelled: () => false });
  }, 60_000);

  it('the layers and the outcome carry the focused slice; every head\'s summary stands in for the rest', async () => {
    const partials: PartialModelResult[] = [];
    const rssBefore = process.memoryUsage().rss;
    const run = client.run(request(), undefined, (p) => partials.push(p));
    const outcome = await run.outcome;
    const full = resultOf(whole);
    expect(full.tokens).toHaveLength(512);
    expect(outcome.ok && outcome.headSummaries).toEqual(whole.ok && whole.headSummaries);
    const sliced = resultOf(outcome);
    expectSame(sliced, slimResult(full, DEFAULT_FOCUS, whole.ok ? whole.headSummaries : undefined));
    expect(sliced.layers[1].heads.map((h) => isWithheld(h.weights) && h.weights.withheld.reason)).toEqual(sliced.layers[1].heads.map(() => 'summarized'));
    // What reached this process is the slice: a small part of the whole result.
    expect(payloadBytes(sliced) * 5).toBeLessThan(payloadBytes(full));
    expect(partials.map((p) => `${p.done}/${p.total}`)).toEqual(['1/2', '2/2']);
    const first = partials[0];
    expectSame(first.result.layers[0], sliced.layers[0]);
    expect(isSnapshot({ seq: 1, source: { kind: 'selection', label: 'x' }, warnings: [], result: first.result, headSummaries: first.headSummaries, progress: { done: 1, total: 2 } })).toBe(true);
    console.log(`512-token tiny llama run (${full.tokens.length} tokens): ${(payloadBytes(full) / 1e6).toFixed(1)} MB of matrices in the model process, ${(payloadBytes(sliced) / 1e6).toFixed(1)} MB sent to the host; host RSS ${((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(0)} MB more after the run`);
  });

  it('a later focus gets its slice from the kept result: another layer and head, the raw scores, the pipeline', async () => {
    const run = client.run(request(), undefined);
    await run.outcome;
    const full = resultOf(whole);
    const summaries = whole.ok ? whole.headSummaries : undefined;
    const focuses: Focus[] = [
      { layer: 1, head: 3, view: 'tokens', matrix: 'weights' },
      { layer: 0, head: 2, view: 'matrix', matrix: 'scores' },
      { layer: 1, head: 0, view: 'pipeline', matrix: 'weights' },
    ];
    for (const focus of focuses) expectSame(await client.slice(run.id, focus), slimResult(full, focus, summaries).layers);
    expect(await client.slice(run.id + 1000, DEFAULT_FOCUS)).toBeUndefined();
  });

  it('rows and rasters of a kept run are answered by the model process, as the compute process answers them', async () => {
    const run = client.run(request(), undefined);
    await run.outcome;
    const full = resultOf(whole);
    const row = await client.data(run.id, { row: { requestId: 1, seq: 1, layer: 1, head: 2, query: 300 } });
    expect(row).toEqual(answerRow(full, { requestId: 1, seq: 1, layer: 1, head: 2, query: 300 }));
    const rasterRequest = { requestId: 2, seq: 1, layer: 0, head: 1, matrix: 'weights' as const, rows: [0, 512] as const, cols: [0, 512] as const, outWidth: 100, outHeight: 100 };
    expect(await client.data(run.id, { raster: rasterRequest })).toEqual(answerRaster(full, rasterRequest));
    expect(await client.data(run.id + 1000, { row: { requestId: 3, seq: 1, layer: 0, head: 0, query: 0 } })).toBeUndefined();
  });

  it('the model process writes a kept run\'s matrix as CSV, as the webview writes one it holds', async () => {
    const run = client.run(request(), undefined);
    await run.outcome;
    const full = resultOf(whole);
    const file = path.join(dir, 'L1H2.csv');
    const ask = { seq: 1, layer: 1, head: 2, matrix: 'weights' as const, format: 'csv' as const, suggestedName: 'x', hiddenTokens: [], headName: 'L1H2', source: 'llama' };
    const written = await client.matrixFile(run.id, ask, file, 2 ** 30);
    const expected = matrixToCsv(full.layers[1].heads[2].weights, full.tokens, full.keyTokens);
    expect(written).toEqual({ bytes: Buffer.byteLength(expected) });
    expect(readFileSync(file, 'utf8')).toBe(expected);
    expect(await client.matrixFile(run.id + 1000, ask, file, 2 ** 30)).toBeUndefined();
  });

  it('a run started with another focus streams and returns that focus\'s slice', async () => {
    // A "what if" in the pipeline view: the focused head's scaled scores travel whole (without it they are asked for).
    const focus: Focus = { layer: 1, head: 1, view: 'pipeline', matrix: 'scaled', whole: true };
    const partials: PartialModelResult[] = [];
    const outcome = await client.run(request(focus), undefined, (p) => partials.push(p)).outcome;
    const full = resultOf(whole);
    expectSame(resultOf(outcome), slimResult(full, focus, whole.ok ? whole.headSummaries : undefined));
    expectSame(partials[1].result.layers[1].heads[1].scaled, full.layers[1].heads[1].scaled);
    expect(isWithheld(partials[0].result.layers[0].heads[1].weights)).toBe(true);
  });
});
