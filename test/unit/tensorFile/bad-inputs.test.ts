import { describe, expect, it } from 'vitest';
import { parseTensorFile } from '../../../src/core/tensorFile';
import { MAX_TEXT_LENGTH } from '../../../src/core/tensorFile/limits';
import { expectError, json, ok, problems } from './helpers';

const X3 = [[1, 0], [0, 1], [1, 1]];
const base = { tokens: ['I', 'am', 'good'], embeddings: X3 };
const head = (d = 2, k = 2) => ({ wq: Array.from({ length: d }, () => Array(k).fill(0.5)), wk: Array.from({ length: d }, () => Array(k).fill(0.5)), wv: Array.from({ length: d }, () => Array(k).fill(0.5)) });

describe('syntax', () => {
  it('empty file and whitespace only', () => {
    for (const t of ['', '   \n\t ', '\uFEFF']) expect(problems(t)[0].message).toMatch(/The file is empty/);
  });
  it('only comments', () => {
    expect(problems('// nothing here\n/* still nothing */')[0].message).toMatch(/only comments/);
  });
  it('top-level array, number, string, null', () => {
    expect(expectError('[1, 2]', /top level.*array.*wrap them/, '[1, 2]').location?.path).toEqual([]);
    expectError('42', 'but it contains the number 42', '42');
    expectError('"hi"', 'contains the string "hi"', '"hi"');
    expectError('null', 'contains null', 'null');
  });
  it('truncated file', () => {
    const text = '{\n  "tokens": ["a", "b"],\n  "embeddings": [[1, 2], [3';
    const p = expectError(text, /Unexpected end of file: expected a comma or closing bracket/);
    expect(p.location).toMatchObject({ offset: text.length, line: 2, column: 27 });
    expectError('{"tokens": ["a"', /Unexpected end of file/);
    expectError('{"tokens": "a', /Unterminated string/);
    expectError('{"tokens"', /Unexpected end of file: expected ':'/);
  });
  it('missing comma, with 1-based line and column in the message and 0-based in the location', () => {
    const text = '{\n  "tokens": ["a"]\n  "embeddings": [[1]]\n}';
    const p = expectError(text, 'Expected a comma or closing brace \'}\', but found "embeddings"', '"');
    expect(p.message).toContain('(line 3, column 3)');
    expect(p.location).toMatchObject({ line: 2, column: 2 });
  });
  it('trailing commas are errors located at the comma', () => {
    const t1 = '{"tokens": ["a", "b",], "embeddings": [[1], [2]]}';
    const p1 = expectError(t1, /Trailing comma before '\]'/, ',');
    expect(p1.location?.offset).toBe(t1.indexOf(',]'));
    const t2 = '{"tokens": ["a"], "embeddings": [[1]],\n}';
    expect(expectError(t2, /Trailing comma before '\}'/, ',').location?.line).toBe(0);
  });
  it('comments are accepted (line and block)', () => {
    const text = `// GPT-free example\n{\n  /* the words */ "tokens": ["a", "b"], // two\n  "embeddings": [[1, 0], /* row 1 */ [0, 1]]\n}\n`;
    expect(ok(text).spec.tokens).toEqual(['a', 'b']);
    expectError('{"tokens": ["a"] /* unterminated', /Unterminated block comment/);
    expectError('{"tokens": / ["a"]}', /Unexpected character '\/'/);
  });
  it('a leading BOM is ignored and offsets stay in the original text', () => {
    const text = '\uFEFF{"tokens": ["a"], "embeddings": [["x"]]}';
    const p = expectError(text, 'embeddings[0][0] is the string "x"', '"x"');
    expect(p.location?.offset).toBe(text.indexOf('"x"'));
    expect(ok('\uFEFF' + json(base)).spec.tokens).toEqual(['I', 'am', 'good']);
  });
  it('duplicate keys are errors at the second key, at any depth', () => {
    const text = '{"tokens": ["a"], "embeddings": [[1]], "tokens": ["b"]}';
    const p = expectError(text, 'Duplicate key "tokens"', '"tokens"');
    expect(p.location?.offset).toBe(text.lastIndexOf('"tokens"'));
    expect(p.message).toContain('line 1, column 2');
    const nested = json({ ...base, heads: [head()] }).replace('"wk"', '"wq"');
    const q = expectError(nested, 'Duplicate key "wq" in heads[0]', '"wq"');
    expect(q.location?.path).toEqual(['heads', 0, 'wq']);
  });
  it('non-UTF-8 bytes decoded as U+FFFD: fine inside a token, an error outside strings', () => {
    const bytes = Buffer.from('{"tokens": ["caf\xe9", "ok"], "embeddings": [[1], [2]]}', 'latin1');
    const decoded = new TextDecoder('utf-8').decode(bytes);
    expect(decoded).toContain('\uFFFD');
    expect(ok(decoded).spec.tokens[0]).toBe('caf\uFFFD');
    expectError('{"tokens": ["a"]\uFFFD}', /Expected a comma or closing brace.*"\uFFFD"/, '\uFFFD');
  });
  it('other JSON mistakes get specific messages', () => {
    expectError("{'tokens': ['a']}", /single quotes/);
    expectError('{"tokens": ["a"], "embeddings": [[NaN]]}', /NaN is not valid JSON/, 'NaN');
    expectError('{"tokens": ["a"], "embeddings": [[-Infinity]]}', /-Infinity is not valid JSON/, '-Infinity');
    expectError('{"tokens": ["a"], "embeddings": [[01]]}', /leading zeros/);
    expectError('{"tokens": ["a"], "embeddings": [[.5]]}', /0\.5, not \.5/);
    expectError('{"tokens": ["a"], "embeddings": [[+1]]}', /cannot start with \+/);
    expectError('{"tokens": ["a"], "embeddings": [[1.]]}', /digit after the decimal point/);
    expectError('{"tokens": ["a"], "embeddings": [[1e]]}', /digit in the exponent/);
    expectError('{"tokens": ["a\\x"]}', /Invalid escape/);
    expectError('{"tokens": ["a\\u12"]}', /unicode escape/);
    expectError('{"tokens": ["a\tb"]}', /control characters/);
    expectError('{"tokens": ["a"]} extra', /end of the file after the top-level value/);
    expectError('{tokens: ["a"]}', /property name in double quotes/);
  });
});

describe('limits', () => {
  it('10,000-deep nesting is refused without recursion (no stack overflow)', () => {
    for (const text of ['['.repeat(10_000), '{"a":'.repeat(10_000), `{"tokens": ${'['.repeat(10_000)}${']'.repeat(10_000)}}`]) {
      const ps = problems(text);
      expect(ps[0].message).toMatch(/nest more than 64 levels deep/);
      expect(ps[0].location?.offset).toBeGreaterThan(0);
    }
  });
  it('brackets inside strings and comments do not count as nesting', () => {
    const deepString = '['.repeat(200);
    expect(ok(json({ tokens: [deepString], embeddings: [[1]] }) + `// ${'{'.repeat(200)}`).spec.tokens[0]).toBe(deepString);
  });
  it('a 200 MB string is refused by its length before parsing', () => {
    const big = ' '.repeat(200 * 1024 * 1024);
    const r = parseTensorFile(big);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems[0].message).toMatch(/200\.0 MB .* over the 64\.0 MB limit/);
  });
  it('just over the limit is refused, the limit itself is read', () => {
    expect(problems(' '.repeat(MAX_TEXT_LENGTH + 1))[0].message).toMatch(/too large/);
    const text = json(base);
    expect(ok(text + ' '.repeat(MAX_TEXT_LENGTH - text.length)).spec.tokens).toHaveLength(3);
  }, 30_000);
  it('caps the number of problems reported', () => {
    const bad = { tokens: ['a'], embeddings: [Array(500).fill('x')] };
    const ps = problems(json(bad));
    expect(ps.length).toBeLessThanOrEqual(101);
    expect(ps[ps.length - 1].message).toMatch(/more problems not listed/);
  });
  it('non-string input does not throw', () => {
    expect(parseTensorFile(undefined as unknown as string).ok).toBe(false);
  });
});

describe('types', () => {
  it('null and strings where numbers belong, located at the number', () => {
    const text = json({ ...base, embeddings: [[1, 0], [null, 1], [1, '0.5']] });
    const p = expectError(text, 'embeddings[1][0] is null, but a number is required', 'null');
    expect(p.location?.path).toEqual(['embeddings', 1, 0]);
    expectError(text, /embeddings\[2\]\[1\] is the string "0\.5", but a number is required: remove the quotes/, '"0.5"');
  });
  it('"NaN" and "Infinity" strings are non-finite numbers', () => {
    const text = json({ ...base, embeddings: [[1, 'NaN'], [0, '-Infinity'], [1, 'inf']] });
    expectError(text, 'embeddings[0][1] is the string "NaN", a non-finite number', '"NaN"');
    expectError(text, 'embeddings[1][1] is the string "-Infinity", a non-finite number', '"-Infinity"');
    expectError(text, 'embeddings[2][1] is the string "inf", a non-finite number', '"inf"');
  });
  it('1e999 overflows to Infinity: a non-finite error; 1e39 overflows float32', () => {
    const text = '{"tokens": ["a"], "embeddings": [[1e999, -1e999, 1e39]]}';
    expectError(text, 'embeddings[0][0] is 1e999, a non-finite number', '1e999');
    expectError(text, 'embeddings[0][1] is -1e999, a non-finite number', '-1e999');
    expectError(text, 'embeddings[0][2] is 1e39, too large', '1e39');
  });
  it('tokens must be a non-empty array of strings', () => {
    expectError(json({ tokens: [], embeddings: [[1]] }), 'tokens is empty: give at least one token', '[]');
    expectError(json({ tokens: 'I am good', embeddings: [[1]] }), 'tokens must be an array of strings');
    expectError(json({ tokens: ['a', 7], embeddings: [[1], [2]] }), /tokens\[1\] is the number 7.*not its id/, '7');
    expectError(json({ embeddings: [[1]] }), 'Missing "tokens"');
  });
  it('matrices: flat arrays, empty, zero-width, ragged', () => {
    expectError(json({ tokens: ['a'], embeddings: [1, 2] }), /flat list of numbers/);
    expectError(json({ tokens: ['a'], embeddings: [] }), 'embeddings has no rows', '[]');
    expectError(json({ tokens: ['a', 'b'], embeddings: [[], []] }), /embeddings has zero-width rows/, '[]');
    const ragged = json({ tokens: ['a', 'b', 'c', 'd'], embeddings: [[1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7, 8], [1, 2, 3, 4, 5, 6, 7]] });
    const p = expectError(ragged, 'embeddings row 3 has 7 numbers, but row 0 has 8', '[\n      1,\n      2,\n      3,\n      4,\n      5,\n      6,\n      7\n    ]');
    expect(p.location?.path).toEqual(['embeddings', 3]);
    expectError(json({ tokens: ['a'], embeddings: 'X' }), 'embeddings must be a matrix');
    expectError(json({ tokens: ['a', 'b'], embeddings: [[1], 2] }), 'embeddings row 1 is the number 2');
  });
  it('ragged rows, longer or shorter than row 0, are refused at the row: no number is dropped or padded', () => {
    // The example: the 5 of row 1 must not be silently dropped.
    const longer = expectError(json({ tokens: ['a', 'b', 'c'], embeddings: [[1, 2], [3, 4, 5], [6, 7]] }), 'embeddings row 1 has 3 numbers, but row 0 has 2.');
    expect(longer.location?.path).toEqual(['embeddings', 1]);
    const shorter = expectError(json({ tokens: ['a', 'b', 'c'], embeddings: [[1, 2], [3, 4], [6]] }), 'embeddings row 2 has 1 number, but row 0 has 2.');
    expect(shorter.location?.path).toEqual(['embeddings', 2]);
    // The same rule for given attention weights (one head, and inside a layer × head nest).
    const attention = expectError(json({ tokens: ['a', 'b'], attention: [[1, 0], [0.5, 0.25, 0.25]] }), 'attention row 1 has 3 numbers, but row 0 has 2.');
    expect(attention.location?.path).toEqual(['attention', 1]);
    const nested = expectError(json({ tokens: ['a', 'b'], attention: [[[[1, 0], [0.5, 0.5, 0]]]] }), 'attention[0][0] row 1 has 3 numbers, but row 0 has 2.');
    expect(nested.location?.path).toEqual(['attention', 0, 0, 1]);
  });
  it('vectors (biases) must be non-empty number arrays', () => {
    const layer = { heads: [], ffn: { w1: [[1], [1]], b1: [], w2: [[1, 1]], b2: [0, 0] } };
    expectError(json({ tokens: ['a'], embeddings: [[1, 1]], layers: [layer] }), 'layers[0].ffn.b1 is empty');
  });
  it('description, source and head names must be strings', () => {
    expectError(json({ ...base, description: 3 }), 'description must be a string');
    expectError(json({ ...base, heads: [{ name: 1, ...head() }] }), 'heads[0].name must be a string');
  });
});

describe('shapes that disagree', () => {
  it('embeddings rows vs tokens', () => {
    expectError(json({ tokens: ['I', 'am', 'good'], embeddings: [[1], [2], [3], [4]] }), 'embeddings has 4 rows, but there are 3 tokens');
  });
  it('the heads[1].wk example, with its exact location', () => {
    const rows8 = (k: number) => Array.from({ length: 8 }, () => Array(k).fill(0.1));
    const rows6 = Array.from({ length: 6 }, () => Array(4).fill(0.1));
    const spec = { tokens: ['a', 'b', 'c'], embeddings: Array.from({ length: 3 }, () => Array(8).fill(1)), heads: [{ wq: rows8(4), wk: rows8(4), wv: rows8(4) }, { wq: rows8(4), wk: rows6, wv: rows8(4) }] };
    const text = JSON.stringify(spec);
    const p = expectError(text, 'heads[1].wk has 6 rows, but embeddings have 8 columns (d_model = 8)');
    const start = text.indexOf('"wk"', text.indexOf('"wk"') + 1) + '"wk":'.length;
    const wkText = JSON.stringify(rows6);
    expect(p.location).toEqual({ offset: start, length: wkText.length, line: 0, column: start, path: ['heads', 1, 'wk'] });
    expect(text.slice(start, start + wkText.length)).toBe(wkText);
    // and on a multi-line file, line and column are 0-based
    const pretty = json(spec);
    const q = expectError(pretty, 'heads[1].wk has 6 rows');
    const before = pretty.slice(0, q.location!.offset);
    expect(q.location!.line).toBe(before.split('\n').length - 1);
    expect(q.location!.column).toBe(before.length - before.lastIndexOf('\n') - 1);
  });
  it('W_Q and W_V rows vs d_model, d_k between W_Q and W_K', () => {
    expectError(json({ ...base, heads: [{ ...head(), wq: [[1, 1], [1, 1], [1, 1]] }] }), 'heads[0].wq has 3 rows, but embeddings have 2 columns (d_model = 2)');
    expectError(json({ ...base, heads: [{ ...head(), wv: [[1, 1]] }] }), 'heads[0].wv has 1 row, but embeddings have 2 columns');
    expectError(json({ ...base, heads: [{ ...head(), wk: [[1, 1, 1], [1, 1, 1]] }] }), 'heads[0].wk has 3 columns, but heads[0].wq has 2 (W_Q and W_K must share d_k)');
  });
  it('direct Q, K, V: rows vs tokens, d_k between Q and K, V rows vs keys', () => {
    const Q = [[1, 0], [0, 1], [1, 1]];
    expectError(json({ tokens: ['a', 'b', 'c'], query: Q.slice(0, 2), key: Q, value: Q }), 'query has 2 rows, but there are 3 tokens');
    expectError(json({ tokens: ['a', 'b', 'c'], query: Q, key: [[1], [1], [1]], value: Q }), 'key has 1 column, but query has 2 (Q and K must share d_k)');
    expectError(json({ tokens: ['a', 'b', 'c'], query: Q, key: Q, value: Q.slice(0, 2) }), 'value has 2 rows, but key has 3: V needs one row per key');
    expectError(json({ tokens: ['a', 'b', 'c'], key_tokens: ['x', 'y'], query: Q, key: Q, value: Q }), 'key has 3 rows, but there are 2 key tokens');
    expectError(json({ tokens: ['a'], heads: [{ query: [[1]], key: [[1]] }] }), 'heads[0] has query and key but not value');
    expectError(json({ tokens: ['a'], heads: [{ wq: [[1]], query: [[1]], key: [[1]], value: [[1]] }] }), /heads\[0\] has both wq and query, key, value: a mix of modes/, '"query"');
    expectError(json({ tokens: ['a'], query: [[1]], value: [[1]] }), 'The single-head shorthand has query and value but not key');
  });
  it('W_O rows vs heads·d_v', () => {
    expectError(json({ ...base, heads: [head(), head()], wo: [[1, 1], [1, 1], [1, 1]] }), 'wo has 3 rows, but the 2 heads give 4 columns side by side (heads·d_v = 4)');
    expectError(json({ ...base, wo: [[1, 1]] }), 'wo has 1 row, but the layer has no heads, so its output Z has the width of its input (2)');
  });
  it('ffn shapes and the residual width', () => {
    const good = { w1: [[1, 1, 1], [1, 1, 1]], b1: [0, 0, 0], w2: [[1, 1], [1, 1], [1, 1]], b2: [0, 0] };
    expect(ok(json({ ...base, layers: [{ heads: [head()], ffn: good }] })).spec.kind).toBe('compute');
    const L = (ffn: object, extra: object = {}) => json({ ...base, layers: [{ heads: [head()], ffn, ...extra }] });
    expectError(L({ ...good, w1: [[1, 1, 1]] }), 'layers[0].ffn.w1 has 1 row, but embeddings have 2 columns (d_model = 2)');
    expectError(L({ ...good, b1: [0, 0] }), 'layers[0].ffn.b1 has 2 numbers, but layers[0].ffn.w1 has 3 columns (d_ff = 3)');
    expectError(L({ ...good, w2: [[1, 1], [1, 1]] }), 'layers[0].ffn.w2 has 2 rows, but layers[0].ffn.w1 has 3 columns (d_ff = 3)');
    expectError(L({ ...good, w2: [[1], [1], [1]] }), "layers[0].ffn.w2 has 1 column, but the layer's d_model is 2");
    expectError(L({ ...good, b2: [0] }), "layers[0].ffn.b2 has 1 number, but the layer's d_model is 2");
    expectError(L(good, { wo: [[1, 1, 1], [1, 1, 1]] }), /attention output of layers\[0\] has 3 columns, but its input has 2 .*give wo 2 columns/);
    expectError(L({ w1: good.w1, b1: good.b1, w2: good.w2 }), 'layers[0].ffn is missing "b2"');
    expectError(json({ tokens: ['a'], query: [[1]], key: [[1]], value: [[1]], ffn: { w1: [[1]], b1: [0], w2: [[1]], b2: [0] } }), 'ffn needs embeddings');
  });
  it('layer-to-layer d_model', () => {
    const l0 = { heads: [head()], wo: [[1, 1, 1], [1, 1, 1]] };
    expectError(json({ ...base, layers: [l0, { heads: [head()] }] }), 'layers[1].heads[0].wq has 2 rows, but layers[0] outputs 3 columns (d_model = 3)');
    expectError(json({ ...base, layers: [{ heads: [head()] }, { heads: [{ query: X3, key: X3, value: X3 }] }] }), /layers\[1\]\.heads\[0\] gives query, key and value directly, but only the first layer can/);
  });
  it('attention dims vs tokens and key_tokens; head counts per layer; axes', () => {
    const w = (n: number, m: number) => Array.from({ length: n }, () => Array.from({ length: m }, () => 1 / m));
    expectError(json({ tokens: ['a', 'b', 'c'], attention: w(2, 3) }), 'attention has 2 query rows, but there are 3 tokens');
    expectError(json({ tokens: ['a', 'b', 'c'], attention: [[w(3, 2)]] }), 'attention[0][0] has 2 key columns, but there are 3 tokens');
    expectError(json({ tokens: ['a', 'b'], key_tokens: ['x', 'y', 'z'], attention: [w(2, 2)] }), 'attention[0] has 2 key columns, but there are 3 key tokens');
    expectError(json({ tokens: ['a'], attention: [[w(1, 1), w(1, 1)], [w(1, 1)]] }), 'attention[1] has 1 head, but the first layer has 2');
    expectError(json({ tokens: ['a'], attention: [1] }), /attention has 1 axis, but attention weights need 2 to 5/);
    expectError(json({ tokens: ['a'], attention: [[[[[[1]]]]]] }), /more than 5 axes/);
    expectError(json({ tokens: ['a'], attention: [[[w(1, 1)], [w(1, 1)]]] }), /attention\[0\] is the batch axis and must have size 1, but it has 2/);
    expectError(json({ tokens: ['a'], attention: [[]] }), 'attention[0] is an empty array');
  });
  it('cross-attention needs key_embeddings with projections, and a single layer', () => {
    expectError(json({ ...base, key_tokens: ['x'], heads: [head()] }), 'key_tokens are given (cross-attention), so key_embeddings');
    expectError(json({ ...base, key_tokens: ['x'], key_embeddings: [[1, 1, 1]], heads: [head()] }), 'key_embeddings has 3 columns, but embeddings have 2 (d_model = 2)');
    expectError(json({ ...base, key_tokens: ['x'], key_embeddings: [[1, 1], [1, 1]], heads: [head()] }), 'key_embeddings has 2 rows, but there is 1 key token');
    expectError(json({ tokens: ['a'], key_embeddings: [[1]], query: [[1]], key: [[1]], value: [[1]] }), 'key_embeddings needs "embeddings" too');
    expectError(json({ ...base, key_tokens: ['x'], key_embeddings: [[1, 1]], layers: [{ heads: [head()] }, { heads: [head()] }] }), 'Cross-attention (key_tokens) works with a single layer');
  });
  it('projections without embeddings', () => {
    expectError(json({ tokens: ['a'], heads: [head(1, 1)] }), 'heads[0] has wq, wk and wv, which project the embeddings, but the file has no embeddings');
    expectError(json({ tokens: ['a'], layers: [{ heads: [] }] }), 'layers[0] has no heads, so it attends over the embeddings directly');
  });
});

describe('modes and options', () => {
  it('mixes of modes name both fields and point at the second', () => {
    const w = [[1]];
    const p = expectError(json({ tokens: ['a'], embeddings: w, attention: w }), /"embeddings" and "attention" are a mix of modes that cannot go together/, '"attention"');
    expect(p.location?.path).toEqual(['attention']);
    expectError(json({ tokens: ['a'], embeddings: w, heads: [], layers: [] }), /"heads" and "layers" are a mix of modes/, '"layers"');
    expectError(json({ tokens: ['a'], heads: [], query: w, key: w, value: w }), /"heads" and "query" are a mix of modes/);
    expectError(json({ tokens: ['a'], attention: w, wo: w }), /"attention" and "wo" are a mix of modes/);
  });
  it('nothing to show', () => {
    expectError(json({ tokens: ['a'] }), /Nothing to show/);
    expectError(json({ tokens: ['a'], atention: [[1]] }), /Nothing to show.*Did you mean "attention"\?/);
  });
  it('negative or zero temperature, window, dilation, scale', () => {
    const opt = (options: object) => json({ ...base, options });
    expectError(opt({ temperature: 0 }), 'options.temperature must be a number from 1e-6 to 1e6', '0');
    expectError(opt({ temperature: -1 }), 'options.temperature must be a number from 1e-6 to 1e6', '-1');
    expectError(opt({ temperature: 'hot' }), 'options.temperature must be a number from 1e-6 to 1e6');
    expectError(opt({ mask: { window: 0 } }), 'options.mask.window must be a whole number ≥ 1', '0');
    expectError(opt({ mask: { window: -2 } }), 'options.mask.window must be a whole number ≥ 1');
    expectError(opt({ mask: { window: 2.5 } }), 'options.mask.window must be a whole number ≥ 1');
    expectError(opt({ mask: { window: 3, dilation: 0 } }), 'options.mask.dilation must be a whole number ≥ 1');
    expectError(opt({ mask: { dilation: 2 } }), 'options.mask needs "window"');
    expectError(opt({ mask: 'causl' }), /options.mask must be .* Did you mean "causal"\?/, '"causl"');
    expectError(opt({ mask: 3 }), 'options.mask must be');
    expectError(opt({ scale: 0 }), 'options.scale must be true');
    expectError(opt({ scale: -2 }), 'options.scale must be true');
    expectError(opt({ scale: 'yes' }), 'options.scale must be true');
    expectError(json({ ...base, options: [] }), 'options must be an object');
  });
  it('negative attention weights are errors at the number; rows off 1 are warnings at the row', () => {
    const text = json({ tokens: ['a', 'b'], attention: [[1, 0], [1.2, -0.2]] });
    const p = expectError(text, 'attention[1][1] is -0.2, but attention weights must be finite and ≥ 0 (they come out of a softmax).', '-0.2');
    expect(p.location?.path).toEqual(['attention', 1, 1]);
    const warned = parseTensorFile(json({ tokens: ['a', 'b'], attention: [[0.5, 0.4], [0, 0]] }));
    expect(warned.ok).toBe(true);
    if (!warned.ok) return;
    expect(warned.warnings).toHaveLength(1); // the all-zero row is accepted silently
    expect(warned.warnings[0]).toMatchObject({ severity: 'warning', location: { path: ['attention', 0] } });
    expect(warned.warnings[0].message).toMatch(/attention\[0\] sums to 0\.9, not 1/);
  });
});
