import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate } from '../../../src/core/evaluate';
import { parseTensorFile } from '../../../src/core/tensorFile';
import type { AttentionSpec } from '../../../src/core/types';
import { get } from '../../../src/core/matrix';

const dir = join(__dirname, '../../../examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.attention.json')).sort();

function load(name: string): AttentionSpec {
  const r = parseTensorFile(readFileSync(join(dir, name), 'utf8'));
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  return r.spec;
}

describe('examples/', () => {
  it('has the nine documented examples', () => {
    expect(files).toEqual([
      'animal-it.attention.json', 'causal.attention.json', 'dilated.attention.json', 'embeddings-only.attention.json',
      'encoder-2-layers.attention.json', 'gpt2-induction.attention.json', 'how-are-you.attention.json',
      'i-am-good.attention.json', 'multi-head.attention.json',
    ]);
  });

  for (const f of files) {
    it(`${f} parses without warnings and evaluates to finite rows summing to 1`, () => {
      const r = parseTensorFile(readFileSync(join(dir, f), 'utf8'));
      expect(r.ok ? r.warnings : r.problems).toEqual([]);
      if (!r.ok) return;
      expect(r.spec.provenance.description.length).toBeGreaterThan(20);
      const result = evaluate(r.spec);
      expect(result.layers.length).toBeGreaterThan(0);
      for (const layer of result.layers) {
        for (const head of layer.heads) {
          const w = head.weights;
          expect(w.rows).toBe(r.spec.tokens.length);
          for (let i = 0; i < w.rows; i++) {
            let sum = 0;
            for (let j = 0; j < w.cols; j++) {
              const x = get(w, i, j);
              expect(Number.isFinite(x)).toBe(true);
              sum += x;
            }
            expect(Math.abs(sum - 1)).toBeLessThan(1e-3);
          }
        }
      }
    });
  }

  it('i-am-good: each word attends mostly to itself, as in the seed', () => {
    const w = evaluate(load('i-am-good.attention.json')).layers[0].heads[0].weights;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) if (j !== i) expect(get(w, i, i)).toBeGreaterThan(get(w, i, j));
    }
    expect(get(w, 0, 0)).toBeGreaterThan(0.8);
  });

  it('animal-it: raw dot products for "it" are 0.17, 0.77 and 1.22 (scale off)', () => {
    const spec = load('animal-it.attention.json');
    expect(spec.options.scale).toBe(false);
    const head = evaluate(spec).layers[0].heads[0];
    const it = spec.tokens.indexOf('it');
    expect(get(head.scores!, it, spec.tokens.indexOf('The'))).toBeCloseTo(0.17, 5);
    expect(get(head.scores!, it, spec.tokens.indexOf('animal'))).toBeCloseTo(0.77, 5);
    expect(get(head.scores!, it, spec.tokens.indexOf('tired'))).toBeCloseTo(1.22, 5);
  });

  it('how-are-you: "How" attends most to "you" and "doing"', () => {
    const w = evaluate(load('how-are-you.attention.json')).layers[0].heads[0].weights;
    const row = [0, 1, 2, 3, 4].map((j) => get(w, 0, j));
    const top2 = [...row.keys()].sort((a, b) => row[b] - row[a]).slice(0, 2).sort();
    expect(top2).toEqual([2, 3]);
  });

  it('embeddings-only: one layer without heads; "it" is closer to "xgboost" than to "problem"', () => {
    const spec = load('embeddings-only.attention.json');
    expect(spec.kind === 'compute' && spec.layers.length === 1 && spec.layers[0].heads.length === 0).toBe(true);
    const w = evaluate(spec).layers[0].heads[0].weights;
    const t = spec.tokens;
    expect(get(w, t.indexOf('it'), t.indexOf('xgboost'))).toBeGreaterThan(get(w, t.indexOf('it'), t.indexOf('problem')));
  });

  it('causal and dilated examples use their masks, and masked cells are 0', () => {
    const causal = load('causal.attention.json');
    expect(causal.options.mask).toEqual({ kind: 'causal' });
    const cw = evaluate(causal).layers[0].heads[0].weights;
    for (let i = 0; i < cw.rows; i++) for (let j = i + 1; j < cw.cols; j++) expect(get(cw, i, j)).toBe(0);
    const dilated = load('dilated.attention.json');
    expect(dilated.options.mask).toEqual({ kind: 'dilated', window: 4, dilation: 2 });
    expect(dilated.tokens.length).toBeGreaterThanOrEqual(12);
    expect(dilated.tokens.length).toBeLessThanOrEqual(16);
    const result = evaluate(dilated);
    expect(result.cost.computedPairs).toBe(40);
    expect(result.cost.fullPairs).toBe(169);
  });

  it('multi-head has 3 heads and W_O; encoder-2-layers has two layers with FFN', () => {
    const mh = load('multi-head.attention.json');
    expect(mh.kind === 'compute' && mh.layers[0].heads.length === 3 && mh.layers[0].wo !== undefined).toBe(true);
    const enc = load('encoder-2-layers.attention.json');
    expect(enc.kind === 'compute' && enc.layers.length === 2 && enc.layers.every((l) => l.ffn !== undefined)).toBe(true);
    const out = evaluate(enc).layers[1].output!;
    expect(out.rows).toBe(5);
    expect(Array.from(out.data).every(Number.isFinite)).toBe(true);
  });

  it('gpt2-induction: 12 heads of 37×37 from a model, with an induction head', () => {
    const spec = load('gpt2-induction.attention.json');
    expect(spec.kind).toBe('precomputed');
    if (spec.kind !== 'precomputed') return;
    expect(spec.provenance.kind).toBe('model');
    expect(spec.provenance.description).toContain('MIT');
    expect(spec.tokens[0]).toBe('<|endoftext|>');
    expect(spec.attention.length).toBe(1);
    expect(spec.attention[0].length).toBe(12);
    for (const m of spec.attention[0]) expect([m.rows, m.cols]).toEqual([37, 37]);

    // The prompt repeats with period p: find it from the tokens rather than assuming it.
    const t = spec.tokens;
    const repeats = (d: number): number => t.filter((x, q) => q >= d && t[q - d] === x).length;
    const p = [...Array(t.length).keys()].slice(1).reduce((best, d) => (repeats(d) > repeats(best) ? d : best), 1);
    expect(p).toBe(18);
    const offset = p - 1; // the token after the previous occurrence: key = query − p + 1
    const means = spec.attention[0].map((w) => {
      let s = 0;
      let c = 0;
      for (let q = p + 1; q < w.rows; q++) {
        s += get(w, q, q - offset);
        c++;
      }
      return s / c;
    });
    expect(Math.max(...means)).toBeGreaterThan(0.3);
    // And that offset beats its neighbours for the best head.
    const best = means.indexOf(Math.max(...means));
    const w = spec.attention[0][best];
    const meanAt = (d: number): number => {
      let s = 0;
      for (let q = p + 1; q < w.rows; q++) s += get(w, q, q - d);
      return s / (w.rows - p - 1);
    };
    expect(meanAt(offset)).toBeGreaterThan(meanAt(offset - 1));
    expect(meanAt(offset)).toBeGreaterThan(meanAt(offset + 1));
  });
});
