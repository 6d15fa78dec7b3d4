import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { loadModel, loadModelFromFolder, logitsAt, MODEL_FAMILIES, runModel, topTokens, type Model } from '../../../src/core';
import { setKernelMode } from '../../../src/core/kernels';
import { openModelFolder } from '../../../src/compute/modelFiles';
import { folderInput, golden, MODELS_DIR } from './fixtures';

/** Largest |a − b| over two equally long lists. */
function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

describe.each(MODEL_FAMILIES)('%s tiny checkpoint against the float64 numpy reference', (family) => {
  const g = golden(family);
  // Loaded inside each test, not here: code run while collecting counts as "static" for StrykerJS and would rerun every test per mutant.
  const model = (): Model => loadModel(folderInput(family));

  it.each(['always', 'off'] as const)('every layer and head within 1e-5 (kernels %s)', (mode) => {
    setKernelMode(mode);
    try {
      const result = runModel(model(), { text: g.text });
      expect(result.ids).toEqual(g.ids);
      expect(result.layers.length).toBe(g.weights.length);
      result.layers.forEach((layer, l) => {
        expect(layer.heads.length).toBe(g.weights[l].length);
        layer.heads.forEach((head, h) => {
          expect(head.name).toBe(`L${l}H${h}`);
          expect(maxDiff(head.weights.data, g.weights[l][h]), `L${l}H${h}`).toBeLessThan(1e-5);
        });
      });
      expect(maxDiff(result.logits, g.logits[g.logits.length - 1])).toBeLessThan(1e-4);
      expect(topTokens(result.logits, 5).map((t) => t.id)).toEqual(g.top5);
    } finally {
      setKernelMode('auto');
    }
  });

  it('read from disk by offset, each weight straight into the kernels\' memory: within 1e-5', async () => {
    const folder = await openModelFolder(join(MODELS_DIR, family));
    setKernelMode('always');
    try {
      const result = runModel(loadModelFromFolder(folder), { text: g.text });
      result.layers.forEach((layer, l) => layer.heads.forEach((head, h) => expect(maxDiff(head.weights.data, g.weights[l][h]), `L${l}H${h}`).toBeLessThan(1e-5)));
      expect(topTokens(result.logits, 5).map((t) => t.id)).toEqual(g.top5);
    } finally {
      setKernelMode('auto');
      folder.close();
    }
  });

  it('gives every position\'s logits on demand', () => {
    const m = model();
    const result = runModel(m, { ids: g.ids, prependBos: false });
    g.logits.forEach((row, position) => expect(maxDiff(logitsAt(m, result, position), row), `position ${position}`).toBeLessThan(1e-4));
  });

  it('keeps each token\'s character range in the text', () => {
    const result = runModel(model(), { text: g.text });
    const fromText = result.modelTokens.filter((t) => t.fromText);
    expect(fromText.map(({ id, start, end }) => ({ id, start, end }))).toEqual(g.tokens);
    if (g.prependBos) expect(result.modelTokens[0]).toMatchObject({ fromText: false, start: 0, end: 0 });
  });
});
