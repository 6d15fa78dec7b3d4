import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseTensorFile, TOP_LEVEL_FIELDS } from '../../../src/core/tensorFile';
import { tryEvaluate } from '../../../src/core/evaluate';
import type { ParseResult } from '../../../src/core/types';

/** parseTensorFile's contract: no throw, a well-formed result, every location inside the text. */
function check(text: string): ParseResult {
  const r = parseTensorFile(text);
  expect(typeof r.ok).toBe('boolean');
  const list = r.ok ? r.warnings : r.problems;
  if (!r.ok) expect(r.problems.length).toBeGreaterThan(0);
  for (const p of list) {
    expect(p.message).not.toMatch(/^Internal error/);
    expect(['error', 'warning']).toContain(p.severity);
    if (p.location === undefined) continue;
    const { offset, length, line, column } = p.location;
    expect(offset).toBeGreaterThanOrEqual(0);
    expect(length).toBeGreaterThanOrEqual(0);
    expect(offset + length).toBeLessThanOrEqual(text.length);
    expect(line).toBeGreaterThanOrEqual(0);
    expect(column).toBeGreaterThanOrEqual(0);
    expect(column).toBeLessThanOrEqual(offset);
  }
  if (r.ok) {
    expect(r.warnings.every((w) => w.severity === 'warning')).toBe(true);
    // Whatever the parser accepts, the core's own validation accepts and evaluates.
    const e = tryEvaluate(r.spec);
    expect(e.ok ? [] : e.problems.filter((p) => p.severity === 'error').map((p) => p.message)).toEqual([]);
  }
  return r;
}

const matrix = fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 4 });
const plausibleValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), matrix, fc.array(fc.string(), { maxLength: 4 }), fc.constantFrom('NaN', 'causal', null, -1, 0, 1e308));
const plausibleObject = fc.dictionary(fc.constantFrom(...TOP_LEVEL_FIELDS, 'wq', 'name', 'window'), plausibleValue, { maxKeys: 8 });

describe('fuzz: parseTensorFile never throws', () => {
  it('arbitrary strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => void check(s)), { numRuns: 2000 });
  });
  it('strings made of JSON punctuation', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '"tokens"', '"attention"', '1', '-', '.', 'e', '0', ' ', '\n', '//', '/*', '*/', 'null', 'true', '\\', 'NaN', '\uFEFF', '\uFFFD');
    fc.assert(fc.property(fc.array(piece, { maxLength: 60 }), (ps) => void check(ps.join(''))), { numRuns: 3000 });
  });
  it('arbitrary JSON values (fc.json)', () => {
    fc.assert(fc.property(fc.json({ maxDepth: 5 }), (s) => void check(s)), { numRuns: 1000 });
  });
  it('plausible attention objects built from known field names', () => {
    fc.assert(
      fc.property(plausibleObject, fc.boolean(), (o, pretty) => void check(JSON.stringify(o, null, pretty ? 2 : undefined))),
      { numRuns: 2000 },
    );
  });
  it('plausible objects with tokens and a matching field', () => {
    const arb = fc.record({
      tokens: fc.array(fc.string(), { minLength: 1, maxLength: 4 }),
      key: fc.constantFrom('embeddings', 'attention', 'query', 'heads', 'layers'),
      value: fc.oneof(matrix, fc.array(matrix, { maxLength: 3 }), fc.array(fc.record({ wq: matrix, wk: matrix, wv: matrix }), { maxLength: 2 })),
      options: fc.option(fc.record({ scale: fc.oneof(fc.boolean(), fc.double()), mask: fc.oneof(fc.constantFrom('none', 'causal'), fc.record({ window: fc.integer({ min: -2, max: 5 }) })), temperature: fc.double() }, { requiredKeys: [] })),
    });
    fc.assert(
      fc.property(arb, ({ tokens, key, value, options }) => {
        const o: Record<string, unknown> = { tokens, [key]: value };
        if (options !== null) o.options = options;
        check(JSON.stringify(o));
      }),
      { numRuns: 2000 },
    );
  });
  it('random edits of the example files', () => {
    const dir = join(__dirname, '../../../examples');
    const texts = ['i-am-good', 'multi-head', 'encoder-2-layers', 'dilated'].map((n) => readFileSync(join(dir, `${n}.attention.json`), 'utf8'));
    const edit = fc.record({ at: fc.nat(), del: fc.nat({ max: 5 }), ins: fc.constantFrom('', ',', ']', '[', '}', '"', '-', '1e999', 'null', '"x"', '[]', ' // c\n') });
    fc.assert(
      fc.property(fc.nat({ max: texts.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 3 }), (which, edits) => {
        let t = texts[which];
        for (const e of edits) {
          const at = e.at % (t.length + 1);
          t = t.slice(0, at) + e.ins + t.slice(at + e.del);
        }
        check(t);
      }),
      { numRuns: 1500 },
    );
  });
});

describe('fuzz: well-formed compute files of random shapes', () => {
  it('parse without problems and evaluate', () => {
    const dims = fc.record({
      n: fc.integer({ min: 1, max: 5 }),
      d: fc.integer({ min: 1, max: 4 }),
      dk: fc.integer({ min: 1, max: 3 }),
      dv: fc.integer({ min: 1, max: 3 }),
      heads: fc.integer({ min: 0, max: 3 }),
      layers: fc.integer({ min: 1, max: 3 }),
      wo: fc.boolean(),
      ffn: fc.boolean(),
      dff: fc.integer({ min: 1, max: 4 }),
      mask: fc.constantFrom<unknown>('none', 'causal', { window: 2 }, { window: 2, dilation: 2 }),
    });
    fc.assert(
      fc.property(dims, ({ n, d, dk, dv, heads, layers, wo, ffn, dff, mask }) => {
        const m = (r: number, c: number) => Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => Math.round(Math.sin(i * 7 + j * 3 + r) * 100) / 100));
        const layer = () => {
          const hs = Array.from({ length: heads }, () => ({ wq: m(d, dk), wk: m(d, dk), wv: m(d, dv) }));
          const width = heads === 0 ? d : heads * dv;
          const l: Record<string, unknown> = { heads: hs };
          if (wo || ffn || layers > 1) l.wo = m(width, d); // keep d_model from layer to layer (and for the residual)
          if (ffn) l.ffn = { w1: m(d, dff), b1: Array(dff).fill(0.1), w2: m(dff, d), b2: Array(d).fill(0) };
          return l;
        };
        const text = JSON.stringify({ tokens: Array.from({ length: n }, (_, i) => `t${i}`), embeddings: m(n, d), layers: Array.from({ length: layers }, layer), options: { mask } });
        const r = check(text);
        expect(r.ok ? r.warnings : r.problems.map((p) => p.message)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });
});
