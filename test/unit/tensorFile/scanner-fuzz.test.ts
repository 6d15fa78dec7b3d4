// The scanner and tree against JSON.parse and Number() (the parse-never-throws fuzz is fuzz.test.ts): a file of its own
// so that mutation testing of the scanner (bench/mutation, group tensorFileJson) runs these without the slower fuzz.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type JsonValue, arrayItem, arraySize } from '../../../src/core/tensorFile/json';
import { buildTree } from '../../../src/core/tensorFile/jsonParser';

function toPlain(v: JsonValue): unknown {
  if (v.kind === 'object') return Object.fromEntries(v.props.map((p) => [p.key, p.value === undefined ? undefined : toPlain(p.value)]));
  if (v.kind === 'array') return Array.from({ length: arraySize(v) }, (_, i) => toPlain(arrayItem(v, i)));
  return v.value;
}

describe('fuzz: the scanner agrees with JSON.parse on comment-free text', () => {
  it('valid JSON parses to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 6 }), fc.boolean(), (v, pretty) => {
        const text = JSON.stringify(v, null, pretty ? 2 : undefined);
        const t = buildTree(text);
        expect(t.syntaxError).toBeUndefined();
        if (t.duplicates.length === 0) expect(toPlain(t.root!)).toEqual(JSON.parse(text));
      }),
      { numRuns: 1500 },
    );
  });
  it('accepts exactly what JSON.parse accepts', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '"a"', '1', '-', '.', 'e', 'E', '+', '0', '9', ' ', '\t', '\n', 'null', 'true', 'false', '\\', '\\u00', 'x', '\u2028', '\u00a0');
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (ps) => {
        const text = ps.join('');
        if (text.trim() === '') return; // an empty file is "no content" here, a JSON.parse error
        let jsonOk = true;
        try {
          JSON.parse(text);
        } catch {
          jsonOk = false;
        }
        const t = buildTree(text);
        expect(t.syntaxError === undefined).toBe(jsonOk);
        if (jsonOk && t.duplicates.length === 0) expect(toPlain(t.root!)).toEqual(JSON.parse(text));
      }),
      { numRuns: 5000 },
    );
  });
  it('numbers convert exactly like Number()', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: -400, max: 400 }), (x, e) => {
        for (const lit of [JSON.stringify(x), `${Math.trunc(x % 1e6)}e${e}`, `${x.toFixed(6)}`]) {
          const t = buildTree(`[${lit}]`);
          expect(t.syntaxError).toBeUndefined();
          const got = (toPlain(t.root!) as number[])[0];
          expect([lit, got]).toEqual([lit, Number(lit)]);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
