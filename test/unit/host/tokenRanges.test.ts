import { describe, expect, it } from 'vitest';
import { tokenAt } from '../../../src/sources/tokenAt';
import { parseTensorFile } from '../../../src/core';

/** Where the file's one parse found its token strings (undefined: the file does not read). */
function tokenStringRanges(text: string) {
  const parsed = parseTensorFile(text);
  return parsed.ok ? parsed.tokenRanges : undefined;
}

// Offsets counted by hand: each range covers the string literal with its quotes, [start, end).
const FILE = '{"tokens": ["I", "am", "good"], "attention": [[1, 0, 0], [0.5, 0.5, 0], [0.2, 0.3, 0.5]]}';
//            0         1         2         3
//            0123456789012345678901234567890

describe('parseTensorFile\'s tokenRanges: where each token string sits in a tensor file, for editor sync', () => {
  it('gives each token literal, quotes included', () => {
    const r = tokenStringRanges(FILE)!;
    expect(r.queries).toEqual([[12, 15], [17, 21], [23, 29]]);
    expect(r.queries.map(([s, e]) => FILE.slice(s, e))).toEqual(['"I"', '"am"', '"good"']);
    expect(r.keys).toEqual(r.queries); // no key_tokens: keys are the query tokens
  });

  it('reads key_tokens separately, across lines and escapes', () => {
    const text = '{\n  "key_tokens": ["x\\"y", "z"],\n  "tokens": ["a"],\n  "attention": [[[0.5, 0.5]]]\n}';
    const r = tokenStringRanges(text)!;
    expect(r.queries).toEqual([[46, 49]]);
    expect(r.keys).toEqual([[19, 25], [27, 30]]);
    expect(r.keys.map(([s, e]) => text.slice(s, e))).toEqual(['"x\\"y"', '"z"']);
  });

  it('is undefined when the file does not read (no tokens array)', () => {
    expect(tokenStringRanges('{"tokens": "I am"}')).toBeUndefined();
    expect(tokenStringRanges('{"attention": [[1]]}')).toBeUndefined();
    expect(tokenStringRanges('')).toBeUndefined();
  });
});

describe('the tensor-file cursor → token path (the parse\'s tokenRanges, then tokenAt)', () => {
  const ranges = tokenStringRanges(FILE)!.queries;
  const tokenUnderCursor = (offset: number): number | null => tokenAt(ranges, offset);

  it('a cursor anywhere on a token literal, from its opening quote to just after its closing one, picks that token', () => {
    for (let offset = 12; offset <= 15; offset++) expect(tokenUnderCursor(offset), `offset ${offset}`).toBe(0);
    for (let offset = 17; offset <= 21; offset++) expect(tokenUnderCursor(offset), `offset ${offset}`).toBe(1);
    for (let offset = 23; offset <= 29; offset++) expect(tokenUnderCursor(offset), `offset ${offset}`).toBe(2);
  });

  it('a cursor between tokens, on the key or in the numbers picks none', () => {
    for (const offset of [0, 3, 11, 16, 22, 30, 50, FILE.length]) expect(tokenUnderCursor(offset), `offset ${offset}`).toBeNull();
  });
});
