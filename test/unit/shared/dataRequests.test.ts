/**
 * The webview asks for what it draws (issue 14): withheld matrices are explicit, rasters and rows are asked for and
 * checked both ways, pooling is a block max, and stale answers are dropped.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluate, type Matrix } from '../../../src/core';
import { poolBlockMax } from '../../../src/core/pooling';
import { answerRaster, answerRow } from '../../../src/compute/raster';
import { isWithheld, withheldMatrix, type RasterAnswer, type Snapshot } from '../../../src/shared/protocol';
import { isRasterAnswer, isRowAnswer, isSnapshot, validateMessage } from '../../../src/shared/validateMessage';
import { WithheldData, withheldExportNote, type DataRequest } from '../../../webview/withheld-data';
import { applyMessage, type AppTarget } from '../../../webview/host';

const raster = { requestId: 3, seq: 2, layer: 0, head: 1, matrix: 'weights' as const, rows: [0, 100] as const, cols: [20, 300] as const, outWidth: 140, outHeight: 50 };
const row = { requestId: 4, seq: 2, layer: 1, head: 0, query: 17 };

describe('raster and row requests from the webview', () => {
  it('accepts well-formed requests', () => {
    expect(validateMessage({ type: 'raster', request: raster })).toEqual({ type: 'raster', request: raster });
    expect(validateMessage({ type: 'row', request: row })).toEqual({ type: 'row', request: row });
  });

  it.each([
    { ...raster, matrix: 'evil' }, { ...raster, rows: [100, 0] }, { ...raster, cols: [0] }, { ...raster, outWidth: 0 },
    { ...raster, outHeight: 100_000 }, { ...raster, requestId: -1 }, { ...raster, seq: 1.5 }, { ...raster, layer: '0' },
  ])('refuses a malformed raster request %#', (request) => {
    expect(validateMessage({ type: 'raster', request })).toBeNull();
  });

  it('refuses a malformed row request', () => {
    for (const request of [{ ...row, query: -1 }, { ...row, query: undefined }, { ...row, head: NaN }, null]) {
      expect(validateMessage({ type: 'row', request })).toBeNull();
    }
  });

  const matrixFile = { seq: 2, layer: 1, head: 0, matrix: 'scaled' as const, format: 'csv' as const, suggestedName: 'a-b', hiddenTokens: [3], headName: 'L1H0', source: 'a.txt' };

  it('accepts a matrix file request, its suggested name made safe', () => {
    expect(validateMessage({ type: 'exportMatrix', request: matrixFile })).toEqual({ type: 'exportMatrix', request: matrixFile });
    expect(validateMessage({ type: 'exportMatrix', request: { ...matrixFile, suggestedName: '../../etc/passwd' } }))
      .toEqual({ type: 'exportMatrix', request: { ...matrixFile, suggestedName: '_.._etc_passwd' } });
  });

  it.each([
    { ...matrixFile, format: 'png' }, { ...matrixFile, matrix: 'evil' }, { ...matrixFile, hiddenTokens: [-1] }, { ...matrixFile, hiddenTokens: 'all' },
    { ...matrixFile, headName: 'x'.repeat(1001) }, { ...matrixFile, source: 7 }, { ...matrixFile, seq: -1 }, { ...matrixFile, suggestedName: undefined }, null,
  ])('refuses a malformed matrix file request %#', (request) => {
    expect(validateMessage({ type: 'exportMatrix', request })).toBeNull();
  });
});

/** A small computed result: 12 tokens, causal, one layer of two heads. */
function result() {
  const det = (rows: number, cols: number, seed: number): Matrix => ({ rows, cols, data: Float32Array.from({ length: rows * cols }, (_, k) => Math.sin(k * seed + 1)) });
  return evaluate({
    kind: 'compute', tokens: Array.from({ length: 12 }, (_, i) => `t${i}`), options: { scale: true, mask: { kind: 'causal' }, temperature: 1 },
    provenance: { kind: 'random', description: 'test' }, embeddings: det(12, 6, 3),
    layers: [{ heads: [0, 1].map((h) => ({ wq: det(6, 4, 5 + h), wk: det(6, 4, 7 + h), wv: det(6, 4, 11 + h) })) }],
  });
}

describe('withheld matrices in a snapshot', () => {
  it('are named after a structured clone (as they cross), with their true shape', () => {
    const m = structuredClone(withheldMatrix(300, 200, 'on-request'));
    expect(isWithheld(m)).toBe(true);
    expect(m).toMatchObject({ rows: 0, cols: 0, withheld: { kind: 'withheld', rows: 300, cols: 200, reason: 'on-request' } });
    expect(isWithheld({ rows: 0, cols: 0, data: new Float32Array(0) })).toBe(false);
  });

  it('a snapshot with an on-request head passes the webview\'s check; a wrong shape or reason does not', () => {
    const r = result();
    const head = r.layers[0].heads[0];
    const snapshot = (weights: Matrix): Snapshot => ({
      seq: 1, source: { kind: 'selection', ref: { kind: 'selection', uri: 'file:///a', start: 0, end: 1 }, label: 'a' }, warnings: [],
      result: { ...r, layers: [{ ...r.layers[0], heads: [{ ...head, weights }, r.layers[0].heads[1]] }] },
    });
    expect(isSnapshot(structuredClone(snapshot(withheldMatrix(12, 12, 'on-request'))))).toBe(true);
    expect(isSnapshot(snapshot(withheldMatrix(12, 11, 'on-request')))).toBe(false);
    expect(isSnapshot(snapshot({ ...withheldMatrix(12, 12, 'on-request'), withheld: { kind: 'withheld', rows: 12, cols: 12, reason: 'evil' } } as Matrix))).toBe(false);
    // 'summarized' needs the head's summary to stand in.
    expect(isSnapshot(snapshot(withheldMatrix(12, 12, 'summarized')))).toBe(false);
  });
});

describe('answers from a held result', () => {
  it('a raster: the asked part pooled, the domain of the whole matrix; the webview accepts it, and no malformed one', () => {
    const r = result();
    const answer = answerRaster(r, { ...raster, layer: 0, head: 1, rows: [2, 12], cols: [0, 12], outWidth: 4, outHeight: 4 }) as RasterAnswer;
    expect([answer.block, answer.height, answer.width]).toEqual([3, 4, 4]);
    // Row block 0 is rows 2–4, column block 3 is keys 9–11: all above the diagonal, so masked.
    expect(answer.values[3]).toBe(-Infinity);
    const w = r.layers[0].heads[1].weights.data;
    expect(answer.values[0]).toBe(Math.max(...[2, 3, 4].flatMap((i) => [0, 1, 2].map((j) => w[i * 12 + j]))));
    expect(isRasterAnswer(structuredClone(answer))).toBe(true);
    expect(isRasterAnswer({ ...answer, values: new Float32Array(3) })).toBe(false);
    expect(isRasterAnswer({ ...answer, domain: { min: 1, max: 1 } })).toBe(false);
    expect(isRasterAnswer({ requestId: 1, seq: 1, problem: 'why' })).toBe(true);
  });

  it('a row: the weights, scores and scaled scores of one query', () => {
    const r = result();
    const answer = answerRow(r, { ...row, layer: 0, head: 1, query: 5 });
    if ('problem' in answer) throw new Error(answer.problem);
    const head = r.layers[0].heads[1];
    expect(Array.from(answer.weights)).toEqual(Array.from(head.weights.data.subarray(60, 72)));
    expect(Array.from(answer.scores!)).toEqual(Array.from(head.scores!.data.subarray(60, 72)));
    expect(isRowAnswer(answer)).toBe(true);
    expect(isRowAnswer({ ...answer, scaled: new Float32Array(2) })).toBe(false);
    expect(answerRow(r, { ...row, layer: 0, head: 7 })).toEqual({ requestId: 4, seq: 2, problem: 'Layer 0, head 7 is not in this result.' });
  });
});

/** Block maxima written out plainly: the largest value over the block's visible cells (signed: largest |value|). */
function plainBlockMax(m: Matrix, block: number, [r0, r1]: [number, number], [c0, c1]: [number, number], signed: boolean): number[] {
  const out: number[] = [];
  for (let i = r0; i < r1; i += block) {
    for (let j = c0; j < c1; j += block) {
      let best = -Infinity;
      let value = -Infinity;
      for (let a = i; a < Math.min(i + block, r1); a++) {
        for (let b = j; b < Math.min(j + block, c1); b++) {
          const v = m.data[a * m.cols + b];
          if (v !== v || v === -Infinity || (signed && v === Infinity)) continue;
          if ((signed ? Math.abs(v) : v) > best) {
            best = signed ? Math.abs(v) : v;
            value = v;
          }
        }
      }
      out.push(value);
    }
  }
  return out;
}

describe('poolBlockMax', () => {
  it('is the block max of any part of any matrix, −∞ and NaN cells counting as masked', () => {
    const cell = fc.oneof(fc.float({ noNaN: true, noDefaultInfinity: true, min: -100, max: 100 }), fc.constant(-Infinity), fc.constant(Number.NaN));
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.array(cell, { minLength: 81, maxLength: 81 }), fc.nat(), fc.nat(),
      (rows, cols, block, signed, cells, a, b) => {
        const m: Matrix = { rows, cols, data: Float32Array.from(cells.slice(0, rows * cols)) };
        const r0 = a % rows;
        const c0 = b % cols;
        const pooled = poolBlockMax(m, signed ? 'diverging' : 'sequential', block, null, undefined, [r0, rows], [c0, cols]);
        expect(Array.from(pooled.values)).toEqual(plainBlockMax(m, block, [r0, rows], [c0, cols], signed).map((v) => Math.fround(v)));
      },
    ));
  });
});

describe('WithheldData (the webview\'s store)', () => {
  function store() {
    const sent: DataRequest[] = [];
    const data = new WithheldData((r) => sent.push(r), () => undefined);
    data.showing(5);
    return { sent, data };
  }

  it('asks for a row once, keeps its answer, and forgets everything for a new snapshot', () => {
    const { sent, data } = store();
    expect(data.row(0, 1, 9)).toBeUndefined();
    expect(data.row(0, 1, 9)).toBeUndefined();
    expect(sent).toEqual([{ type: 'row', request: { requestId: 1, seq: 5, layer: 0, head: 1, query: 9 } }]);
    const answer = { requestId: 1, seq: 5, layer: 0, head: 1, query: 9, weights: new Float32Array([1]), scores: null, scaled: null };
    expect(data.receiveRow({ ...answer, seq: 4 })).toBe(false);
    expect(data.receiveRow(answer)).toBe(true);
    expect(data.row(0, 1, 9)).toBe(answer);
    data.showing(6);
    expect(data.row(0, 1, 9)).toBeUndefined();
    expect(sent.at(-1)).toMatchObject({ request: { seq: 6, query: 9 } });
  });

  it('takes only the answer to the newest raster request', () => {
    const { sent, data } = store();
    const wanted = { layer: 0, head: 0, matrix: 'weights' as const, rows: [0, 10] as const, cols: [0, 10] as const, outWidth: 5, outHeight: 5 };
    data.askRaster(wanted);
    data.askRaster({ ...wanted, outWidth: 10, outHeight: 10 });
    const [older, newer] = sent.map((s) => s.request.requestId);
    const answer = (requestId: number): RasterAnswer => ({
      requestId, seq: 5, layer: 0, head: 0, matrix: 'weights', rows: [0, 10], cols: [0, 10], block: 1, width: 10, height: 10, values: new Float32Array(100), domain: { min: 0, max: 1 },
    });
    expect(data.receiveRaster(answer(older))).toBe(false);
    expect(data.raster(0, 0, 'weights')).toBeNull();
    expect(data.receiveRaster(answer(newer))).toBe(true);
    expect(data.raster(0, 0, 'weights')?.requestId).toBe(newer);
    expect(data.raster(0, 1, 'weights')).toBeNull();
  });
});

describe('the webview\'s host end', () => {
  it('hands checked answers to the app\'s store and ignores malformed or stale ones', () => {
    const sent: DataRequest[] = [];
    const data = new WithheldData((r) => sent.push(r), () => undefined);
    data.showing(5);
    const app = Object.assign(new EventTarget(), { data }) as unknown as AppTarget;
    data.row(0, 0, 2);
    const answer = { requestId: 1, seq: 5, layer: 0, head: 0, query: 2, weights: new Float32Array([0.5, 0.5]), scores: null, scaled: null };
    expect(applyMessage(app, { type: 'row', answer: { ...answer, weights: [0.5, 0.5] } })).toBe(false);
    expect(applyMessage(app, { type: 'row', answer: { ...answer, seq: 4 } })).toBe(false);
    expect(applyMessage(app, { type: 'row', answer })).toBe(true);
    expect(data.row(0, 0, 2)).toBe(answer);
    expect(applyMessage(app, { type: 'raster', answer: { requestId: 9, seq: 5, problem: 'gone' } })).toBe(false); // never asked
  });

  it('says in one sentence who writes a withheld matrix\'s CSV or JSON', () => {
    expect(withheldExportNote(withheldMatrix(2000, 1999, 'on-request'))).toBe(
      'The 2000 × 1999 matrix is written to the file you choose by the process that holds it, not by this panel.',
    );
  });
});
