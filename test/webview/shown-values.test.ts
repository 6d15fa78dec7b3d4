/**
 * What the user sees and exports, against numbers worked out by hand (numpy-checked), never recomputed with the
 * components' own helpers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { parseTensorFile } from '../../src/core/tensorFile';
import { evaluate } from '../../src/core';
import { withheldMatrix, type ExportPayload, type MatrixFileRequest, type MatrixKind } from '../../src/shared/protocol';
import { cleanup, fileSnapshot, mountApp, settle, tokenView } from './app-fixtures';

afterEach(cleanup);

/**
 * Three tokens, Q and K given, scaled by 1/√2, causal:
 *   scores = Q·Kᵀ = [[1, 0, 1], [0, 2, 1], [1, 2, 2]]
 *   scaled = scores / √2, −∞ above the diagonal
 *   weights: row 0 [1, 0, 0]; row 1 softmax(0, √2) = [0.19557032, 0.80442968, 0];
 *            row 2 softmax(1/√2, √2, √2) = [0.19777581, 0.40111209, 0.40111209]
 * Row 2's largest weight is on key 1 ("cat"); column 2's largest is on row 2 itself ("sat").
 */
const FILE = {
  tokens: ['the', 'cat', 'sat'],
  query: [[1, 0], [0, 1], [1, 1]],
  key: [[1, 0], [0, 2], [1, 1]],
  value: [[1, 0], [0, 1], [1, 1]],
  options: { mask: 'causal', scale: true },
};
const R = Math.SQRT1_2;
const EXPECTED: Record<MatrixKind, (number | null)[][]> = {
  scores: [[1, 0, 1], [0, 2, 1], [1, 2, 2]],
  scaled: [[R, null, null], [0, 2 * R, null], [R, 2 * R, 2 * R]],
  weights: [[1, 0, 0], [0.19557032, 0.80442968, 0], [0.19777581, 0.40111209, 0.40111209]],
};

function snapshot() {
  const parsed = parseTensorFile(JSON.stringify(FILE));
  if (!parsed.ok) throw new Error(parsed.problems.map((p) => p.message).join('\n'));
  return fileSnapshot(evaluate(parsed.spec), 'three.attention.json');
}

async function exportOf(app: Awaited<ReturnType<typeof mountApp>>, format: 'csv' | 'json'): Promise<string> {
  const payload = (await app.exportCurrent(format)) as ExportPayload | null;
  expect(payload).not.toBeNull();
  return payload!.content;
}

function expectRowsClose(actual: (number | null)[][], expected: (number | null)[][]): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((row, i) =>
    row.forEach((x, j) => {
      const e = expected[i][j];
      if (e === null) expect(x, `(${i}, ${j})`).toBeNull();
      else expect(Math.abs((x as number) - e), `(${i}, ${j}): ${x} vs ${e}`).toBeLessThan(1e-6);
    }),
  );
}

describe('CSV and JSON exports hold the matrix the view shows', () => {
  for (const kind of ['scores', 'scaled', 'weights'] as const) {
    it(`${kind}`, async () => {
      const app = await mountApp(snapshot());
      app.setUi({ view: 'matrix', matrix: kind });
      await settle(app);
      const json = JSON.parse(await exportOf(app, 'json'));
      expect(json.kind).toBe(kind);
      expect(json.queryTokens).toEqual(['the', 'cat', 'sat']);
      expectRowsClose(json.values, EXPECTED[kind]);

      const lines = (await exportOf(app, 'csv')).trimEnd().split('\r\n');
      expect(lines[0]).toBe('"","the","cat","sat"');
      const csvValues = lines.slice(1).map((line) => line.split(',').slice(1).map((c) => (c === '-inf' ? null : Number(c))));
      expectRowsClose(csvValues, EXPECTED[kind]);
      expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['"the"', '"cat"', '"sat"']);
    });
  }
});

describe('CSV and JSON of a withheld matrix', () => {
  it('ask the host to have the process that holds it write the file, with what the view shows', async () => {
    const shown = snapshot();
    const head = shown.result.layers[0].heads[0];
    const large = { ...shown, seq: 7, result: { ...shown.result, layers: [{ ...shown.result.layers[0], heads: [{ ...head, weights: withheldMatrix(3, 3, 'on-request'), scores: null, scaled: withheldMatrix(3, 3, 'on-request') }] }] } };
    const app = await mountApp(large);
    app.setUi({ view: 'matrix', matrix: 'scaled', hiddenTokens: [2] });
    await settle(app);
    const asked: MatrixFileRequest[] = [];
    const exported: unknown[] = [];
    app.addEventListener('export-matrix-request', (e) => asked.push((e as CustomEvent<MatrixFileRequest>).detail));
    app.addEventListener('export-request', (e) => exported.push(e));
    expect(await app.exportCurrent('csv')).toBeNull();
    app.setUi({ matrix: 'weights' });
    await settle(app);
    expect(await app.exportCurrent('json')).toBeNull();
    expect(asked).toEqual([
      { seq: 7, layer: 0, head: 0, matrix: 'scaled', format: 'csv', suggestedName: 'three-matrix-L0H0-scaled.csv', hiddenTokens: [2], headName: 'head 1', source: 'three.attention.json' },
      { seq: 7, layer: 0, head: 0, matrix: 'weights', format: 'json', suggestedName: 'three-matrix-L0H0-weights.json', hiddenTokens: [2], headName: 'head 1', source: 'three.attention.json' },
    ]);
    expect(exported).toEqual([]);
    const note = app.shadowRoot!.querySelector<HTMLElement>('.export-note')!;
    expect(note.textContent).toBe('The 3 × 3 matrix is written to the file you choose by the process that holds it, not by this panel.');
    const box = note.getBoundingClientRect();
    expect(app.shadowRoot!.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2)).toBe(note);
  });
});

describe('the token view says what each token attends to most', () => {
  it('reads the token’s own row of weights', async () => {
    const app = await mountApp(snapshot());
    const tv = tokenView(app);
    expect(tv.query(0).getAttribute('aria-label')).toBe('Token 1: the, attends most to the (token 1, 1.00)');
    expect(tv.query(1).getAttribute('aria-label')).toBe('Token 2: cat, attends most to cat (token 2, 0.80)');
    // Row 2 peaks at "cat" (0.40, first of a tie); column 2 would have said "sat".
    expect(tv.query(2).getAttribute('aria-label')).toBe('Token 3: sat, attends most to cat (token 2, 0.40)');
  });
});
