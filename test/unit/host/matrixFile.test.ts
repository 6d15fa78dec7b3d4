/**
 * CSV and JSON of a matrix a large result's snapshot withholds, written by the process that holds the result: the same
 * text the webview writes for a matrix it holds (src/shared/matrixExport.ts), checked literally on a small file and
 * through the real compute worker on a 300-token selection.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useComputeWorker } from './computeWorker';
import { runJob, type ComputeRequest } from '../../../src/compute/job';
import { matrixFileText } from '../../../src/compute/matrixFile';
import { DEFAULT_FOCUS } from '../../../src/compute/slice';
import type { AttentionResult } from '../../../src/core';
import { hideTokens } from '../../../src/shared/hiddenTokens';
import { matrixToCsv, matrixToJson } from '../../../src/shared/matrixExport';
import type { MatrixFileRequest } from '../../../src/shared/protocol';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';

const worker = useComputeWorker('matrix-file-');
const dir = mkdtempSync(path.join(tmpdir(), 'matrix-file-out-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const GB = 1024 ** 3;
const ask = (o: Partial<MatrixFileRequest> = {}): MatrixFileRequest => ({
  seq: 1, layer: 0, head: 0, matrix: 'weights', format: 'csv', suggestedName: 'x', hiddenTokens: [], headName: 'L0H0', source: 'a.json', ...o,
});

function resultOf(request: ComputeRequest): AttentionResult {
  const outcome = runJob(request);
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.result;
}

describe('a withheld matrix written where it is held', () => {
  const file = resultOf({ kind: 'file', text: JSON.stringify({ tokens: ['=a', 'b'], attention: [[1, 0], [0.25, 0.75]] }) });

  it('writes the weights as the panel shows them, formula characters defused, hidden keys renormalised', () => {
    expect(matrixFileText(file, ask(), GB)).toEqual({ text: '"","\'=a","b"\r\n"\'=a",1,0\r\n"b",0.25,0.75\r\n' });
    // Key 1 hidden: row 1 renormalised over key 0 alone; row 0 keeps its 1.
    expect(matrixFileText(file, ask({ hiddenTokens: [1] }), GB)).toEqual({ text: '"","\'=a","b"\r\n"\'=a",1,0\r\n"b",1,0\r\n' });
  });

  it('JSON carries the metadata the webview gives, and a file without scores writes its weights', () => {
    const made = matrixFileText(file, ask({ format: 'json', matrix: 'scores', head: 0, headName: 'mine', source: 's.json' }), GB);
    expect(JSON.parse((made as { text: string }).text)).toEqual({
      kind: 'weights', layer: 0, head: 0, headName: 'mine', source: 's.json', hiddenTokens: [],
      queryTokens: ['=a', 'b'], keyTokens: ['=a', 'b'], rows: 2, cols: 2, values: [[1, 0], [0.25, 0.75]],
    });
  });

  it('refuses a head the result lacks in one sentence', () => {
    expect(matrixFileText(file, ask({ head: 3 }), GB)).toEqual({ problem: 'Layer 0, head 3 is not in this result.' });
  });

  it('the compute worker writes the focused head\'s scaled scores and weights of a 300-token selection, equal to the webview\'s text', async () => {
    const request: ComputeRequest = {
      kind: 'selection', text: Array.from({ length: 300 }, (_, i) => `w${i % 23}`).join(' '), maxTokens: 4096,
      settings: { ...DEFAULT_COMPUTE_SETTINGS, heads: 2, layers: 2, seed: 3 },
    };
    const outcome = await worker.client().compute(request, undefined, DEFAULT_FOCUS);
    expect(outcome.ok && outcome.result.layers[1].heads[1].weights.rows).toBe(0); // withheld from the host
    const whole = resultOf(request);
    const head = whole.layers[1].heads[1];

    const csvPath = path.join(dir, 'weights.csv');
    const written = await worker.client().matrixFile(ask({ layer: 1, head: 1, hiddenTokens: [0, 5] }), csvPath, GB);
    const expectedCsv = matrixToCsv(hideTokens(head.weights, [0, 5]), whole.tokens, whole.keyTokens);
    expect(written).toEqual({ bytes: Buffer.byteLength(expectedCsv) });
    expect(readFileSync(csvPath, 'utf8')).toBe(expectedCsv);
    expect(expectedCsv.split('\r\n')).toHaveLength(302); // header, 300 rows, the final newline

    const jsonPath = path.join(dir, 'scaled.json');
    await worker.client().matrixFile(ask({ layer: 1, head: 1, matrix: 'scaled', format: 'json', headName: 'L1H1', source: 'sel' }), jsonPath, GB);
    expect(readFileSync(jsonPath, 'utf8')).toBe(matrixToJson(head.scaled!, whole.tokens, whole.keyTokens, {
      kind: 'scaled', layer: 1, head: 1, headName: 'L1H1', source: 'sel', hiddenTokens: [],
    }));

    // 300 × 300 cells at 32 bytes each while the text is built: 2.7 MB, over a 1 MB budget; nothing is written.
    expect(await worker.client().matrixFile(ask(), path.join(dir, 'over.csv'), 1024 * 1024)).toEqual({
      problem: 'A CSV of the 300 × 300 matrix needs about 2.7 MB to write, over the memory budget of 1.0 MB: select fewer tokens, or raise selfAttention.memoryBudgetMB.',
    });
    expect(() => readFileSync(path.join(dir, 'over.csv'))).toThrow(/ENOENT/);
  });

  it('an unwritable path gets one sentence, and nothing is thrown', async () => {
    const outcome = await worker.client().matrixFile(ask(), path.join(dir, 'no-such-folder', 'x.csv'), GB);
    expect(outcome).toMatchObject({ problem: expect.stringMatching(/^Could not write .*x\.csv: ENOENT: no such file or directory.*\.$/) });
  });
});
