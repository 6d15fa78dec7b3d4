// Every message the tensor-file reader writes, with its severity and exact location, for a corpus of small files that
// each break one rule (or pass with warnings). The expected text is messages.golden.txt beside this file: read it to
// review the wording; a change to any message, location or path shows there as a diff. Written for mutation testing
// (bench/mutation/README.md): the other tests match messages by fragments.
import { describe, expect, it } from 'vitest';
import { parseTensorFile } from '../../../src/core/tensorFile';

const X3 = [[1, 0], [0, 1], [1, 1]];
const TOKENS = ['I', 'am', 'good'];
const W = [[0.5, 0.5], [0.5, 0.5]];
const head = { wq: W, wk: W, wv: W };
const ffn = { w1: [[1, 0, 0], [0, 1, 0]], b1: [0, 0, 0], w2: [[1, 0], [0, 1], [0, 0]], b2: [0, 0] };
const file = (o: Record<string, unknown>): string => JSON.stringify(o);
const base = (o: Record<string, unknown> = {}): string => file({ tokens: TOKENS, embeddings: X3, ...o });
const attention = (a: unknown, o: Record<string, unknown> = {}): string => file({ tokens: ['a', 'b'], attention: a, ...o });
const I2 = [[1, 0], [0, 1]];

/** [name, file text]; each name is unique. */
const CASES: readonly (readonly [string, string])[] = [
  // Top level (index.ts).
  ['empty', ' \n '],
  ['only comments', '// x\n/* y */'],
  ['a top-level array', '[1]'],
  ['a top-level string', '"x"'],
  ['duplicate keys, top level and nested', '{"tokens": ["a"],\n "embeddings": [[1]], "tokens": ["b"], "options": {"scale": true, "scale": false}}'],
  ['missing tokens', file({ embeddings: X3 })],
  ['key_tokens not strings', base({ key_tokens: [1] })],
  ['attention_tensor without attention_file', base({ attention_tensor: 'attn' })],
  ['head_names in a computed file', base({ head_names: ['h'] })],
  ['key_embeddings without embeddings', file({ tokens: TOKENS, key_embeddings: X3, heads: [head] })],
  ['key_tokens without key_embeddings', base({ key_tokens: ['x', 'y'], heads: [head] })],
  ['cross-attention over two layers', base({ key_tokens: ['x', 'y'], key_embeddings: I2, layers: [{ heads: [head] }, { heads: [head] }] })],
  ['cross-attention by key_embeddings over two layers', base({ key_embeddings: I2, layers: [{ heads: [head] }, { heads: [head] }] })],
  ['a layer without heads and no embeddings', file({ tokens: TOKENS, wo: I2 })],
  ['a stacked layer without heads and no embeddings', file({ tokens: TOKENS, layers: [{ wo: I2 }] })],
  ['description, source and $schema not strings', base({ description: 1, source: [], $schema: 2 })],
  ['provenance with a source', base({ description: 'd', source: 's' })],
  ['provenance with a blank source', base({ source: ' ' })],
  ['unknown top-level fields', base({ ffn_w1: 1, tokns: 1, zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz: 1 })],
  ['a BOM', `\uFEFF${base({ options: { scale: 'x' } })}`],
  // Modes (modes.ts).
  ['attention with embeddings', file({ tokens: ['a'], embeddings: [[1]], attention: [[1]] })],
  ['heads before layers', file({ tokens: ['a'], heads: [], layers: [] })],
  ['attention_file with heads and query', file({ tokens: ['a'], attention_file: 'a.npy', query: [[1]], heads: [] })],
  ['attention with attention_file', file({ tokens: ['a'], attention_file: 'a.npy', attention: [[1]] })],
  ['heads with key and value', file({ tokens: ['a'], heads: [], key: [[1]], value: [[1]] })],
  ['layers with wo and ffn', file({ tokens: ['a'], layers: [], wo: [[1]], ffn: {} })],
  ['key_embeddings with attention', file({ tokens: ['a'], key_embeddings: [[1]], attention: [[1]] })],
  // Options (options.ts).
  ['options not an object', base({ options: [] })],
  ['options: unknown keys with hints', base({ options: { causal: true, window: 2, sclae: true, qqqqqqq: 1 } })],
  ['options: scale a string', base({ options: { scale: 'yes' } })],
  ['options: scale too small and too large', base({ options: { scale: 1e-7, temperature: 1e7 } })],
  ['options: scale and temperature at their limits', base({ options: { scale: 1e6, temperature: 1e-6 } })],
  ['options: scale and temperature at their other limits', base({ options: { scale: 1e-6, temperature: 1e6 } })],
  ['options: temperature a string', base({ options: { temperature: '2' } })],
  ['options: mask misspelt', base({ options: { mask: 'casual' } })],
  ['options: mask unknown word', base({ options: { mask: 'everything' } })],
  ['options: mask a number', base({ options: { mask: 3 } })],
  ['options: mask none and scale false', base({ options: { mask: 'none', scale: false, temperature: 0.5 } })],
  ['options: mask causal', base({ options: { mask: 'causal' } })],
  ['options: mask object without window', base({ options: { mask: { dilation: 2 } } })],
  ['options: mask window 0 and dilation 1.5', base({ options: { mask: { window: 0, dilation: 1.5 } } })],
  ['options: mask window a string', base({ options: { mask: { window: '2' } } })],
  ['options: mask window 2', base({ options: { mask: { window: 2 } } })],
  ['options: mask window 2, dilation 2, and a stray key', base({ options: { mask: { window: 2, dilation: 2, windw: 1 } } })],
  ['options on exported weights', attention(I2, { options: { scale: 2, temperature: 2, mask: 'causal' } })],
  ['options on exported weights, invalid', attention(I2, { options: { scale: 'x', temperature: -1 } })],
  // Numbers, vectors, matrices, strings (read.ts).
  ['not numbers', base({ embeddings: [[true, null], [{}, []], ['NaN', ' -inf '], ['1.5', '', ], ['x', 'Infinity']].map((r) => r.slice(0, 2)).concat([[1, 1]]) })],
  ['a long string where a number belongs', base({ embeddings: [['a'.repeat(50), 1], [1, 1], [1, 1]] })],
  ['too large and non-finite numbers', '{"tokens": ["a", "b"], "embeddings": [[1e10, -1e999], [1e999, 12345678901234567890123456789012345678901234567890]]}'],
  ['too large numbers in an item list', '{"tokens": ["a"], "embeddings": [[1e10, "x", -2e9]]}'],
  ['a large but allowed number', '{"tokens": ["a"], "embeddings": [[1e9, -1e9]]}'],
  ['a large but allowed number in an item list', '{"tokens": ["a"], "embeddings": [[1e9, -1e9, "x"]]}'],
  ['strings that are almost non-finite or blank', base({ embeddings: [['xinf', 'nanx'], [' ', '+Infinity'], [1, 1]] })],
  ['a string of exactly 40 characters where a number belongs', base({ embeddings: [['b'.repeat(40), 1], [1, 1], [1, 1]] })],
  ['options: mask window overflowing', base({ options: { mask: { window: Infinity } } }).replace('null', '1e999')],
  ['unknown fields: three letters too many, an inherited name, a tie between two names', base({ tokensabc: 1, toString: 1, heads: [{ ...head, wz: 1 }] })],
  ['matrix not an array', base({ embeddings: 'x' })],
  ['matrix with no rows', base({ embeddings: [] })],
  ['matrix flat', base({ embeddings: [1, 2] })],
  ['matrix row 0 not an array', base({ embeddings: [1, [2]] })],
  ['matrix zero-width rows', base({ embeddings: [[], []] })],
  ['matrix ragged rows', base({ embeddings: [[1, 2], [3], [4, 5, 6], 7] })],
  ['matrix row of one number against row 0 of two', base({ embeddings: [[1, 2], [3], [1, 1]] })],
  ['tokens not an array', file({ tokens: 'I am good', embeddings: X3 })],
  ['tokens empty', file({ tokens: [], embeddings: X3 })],
  ['tokens given as ids', file({ tokens: [1, 'b', null], embeddings: X3 })],
  ['a head name not a string', base({ heads: [{ ...head, name: 3 }] })],
  ['a misspelt head field', base({ heads: [{ ...head, wqq: 1, Name: 'x' }] })],
  // Layers and heads (layers.ts).
  ['nothing to show', file({ tokens: TOKENS })],
  ['nothing to show, a near miss', file({ tokens: TOKENS, embedings: X3 })],
  ['layers not an array', base({ layers: {} })],
  ['layers empty', base({ layers: [] })],
  ['a layer not an object, and an unknown layer field', base({ layers: [1, { heads: [head], woo: 1 }] })],
  ['heads not an array', base({ heads: {} })],
  ['a head not an object', base({ heads: [1] })],
  ['a head with both projections and Q, K, V', base({ heads: [{ wq: W, query: W, key: W }] })],
  ['a head with wq only', base({ heads: [{ wq: W }] })],
  ['a head with query and value only', base({ heads: [{ query: W, value: W }] })],
  ['an empty head', base({ heads: [{}] })],
  ['shorthand with key only', base({ key: W })],
  ['shorthand with both', base({ wq: W, query: W })],
  ['a head matrix null', '{"tokens": ["a"], "embeddings": [[1]], "heads": [{"wq": [[1]], "wk": null, "wv": [[1]]}]}'],
  ['shorthand with a null value', '{"tokens": ["a"], "query": [[1]], "key": [[1]], "value": null}'],
  ['ffn not an object', base({ heads: [head], ffn: [] })],
  ['ffn missing w1 and b2, with a stray field', base({ heads: [head], ffn: { b1: [0], w2: [[1]], x: 1 } })],
  ['ffn b1 not a vector', base({ heads: [head], ffn: { ...ffn, b1: 'x' } })],
  ['ffn b1 empty', base({ heads: [head], ffn: { ...ffn, b1: [] } })],
  ['ffn b2 with a string', base({ heads: [head], ffn: { ...ffn, b2: [0, '1'] } })],
  ['shorthand with query only, no embeddings', file({ tokens: TOKENS, query: W })],
  ['shorthand with key only, no embeddings', file({ tokens: TOKENS, key: W })],
  ['shorthand with value only, no embeddings', file({ tokens: TOKENS, value: W })],
  ['shorthand with a name, which only heads in "heads" have', file({ tokens: ['a'], query: [[1]], key: [[1]], value: [[1]], name: 3 })],
  ['a stacked layer written as the shorthand', base({ layers: [{ query: X3, key: X3, value: X3 }] })],
  ['a head with wq and wk and query', base({ heads: [{ wq: W, wk: W, query: W }] })],
  ['a named computed stack', base({ layers: [{ heads: [{ name: 'first', ...head }], wo: I2, ffn }, { heads: [head, head], wo: [[1, 0], [0, 1], [1, 0], [0, 1]] }] })],
  // Shapes (validate.ts).
  ['embeddings rows against tokens', file({ tokens: ['a'], embeddings: [[1], [2]] })],
  ['embeddings one row against three tokens', file({ tokens: TOKENS, embeddings: [[1, 2]] })],
  ['key_embeddings rows and width', base({ key_tokens: ['x'], key_embeddings: [[1], [2]], heads: [head] })],
  ['key_embeddings one row against two key tokens', base({ key_tokens: ['x', 'y'], key_embeddings: [[1, 2]], heads: [head] })],
  ['projections without embeddings', file({ tokens: TOKENS, heads: [head] })],
  ['wq rows, wk rows, wv rows, wk width', base({ heads: [{ wq: [[1]], wk: [[1, 2, 3]], wv: [[1]] }] })],
  ['one-row wq against d_model 2', base({ heads: [{ wq: [[1, 2]], wk: W, wv: W }] })],
  ['cross-attention key widths', base({ key_tokens: ['x', 'y'], key_embeddings: [[1, 2, 3], [4, 5, 6]], heads: [{ wq: W, wk: W, wv: W }] })],
  ['direct Q, K, V shapes', file({ tokens: TOKENS, query: [[1]], key: [[1, 2], [3, 4]], value: [[1]] })],
  ['direct Q, K, V with one token', file({ tokens: ['a'], query: [[1], [2]], key: [[1]], value: [[1], [2]] })],
  ['direct Q, K, V in a second layer', base({ layers: [{ heads: [head] }, { heads: [{ query: X3, key: X3, value: X3 }] }] })],
  ['wo rows against the heads', base({ heads: [head, head], wo: I2 })],
  ['wo rows against one head', base({ heads: [head], wo: [[1, 0]] })],
  ['wo rows with no heads', base({ wo: [[1, 0]] })],
  ['ffn without embeddings', file({ tokens: TOKENS, query: X3, key: X3, value: X3, ffn })],
  ['ffn after a wide attention output, no wo', base({ heads: [head, head], ffn })],
  ['ffn after a wide wo', base({ heads: [head], wo: [[1, 0, 0], [0, 1, 0]], ffn })],
  ['ffn shapes all wrong', base({ heads: [head], ffn: { w1: [[1]], b1: [0, 0], w2: [[1], [2], [3]], b2: [0] } })],
  ['ffn shapes, one of each', base({ heads: [head], ffn: { w1: [[1, 1], [1, 1]], b1: [0], w2: [[1, 2]], b2: [0, 0, 0] } })],
  ['a stack whose second layer is too wide', base({ layers: [{ heads: [head], wo: [[1], [1]] }, { heads: [head] }] })],
  ['a stack whose first layer has no shape', file({ tokens: TOKENS, layers: [{ heads: [head] }, { heads: [head] }] })],
  // Exported weights (layout.ts).
  ['attention not an array', attention({})],
  ['attention an empty array', attention([])],
  ['attention with an empty inner axis', attention([[]])],
  ['attention with one axis', attention([1, 2])],
  ['attention with six axes', attention([[[[[[1]]]]]])],
  ['attention 3 axes, two heads', attention([I2, [[0.25, 0.75], [1, 0]]])],
  ['attention 4 axes, a layer not an array', attention([[I2], 3])],
  ['attention 4 axes, layers of different head counts', attention([[I2, I2], [I2]])],
  ['attention 5 axes, batch of 2', attention([[[I2], [I2]]])],
  ['attention 5 axes, a batch item not an array', attention([[[I2]], [3]])],
  ['attention: a layer not an array, next to a layer with a row off 1', attention([[[[0.5, 0.4], [1, 0]]], 3])],
  ['attention: a batch of 2 and a batch item not an array, next to a row off 1', attention([[[[[0.5, 0.4], [1, 0]]]], [[I2], [I2]], [3]])],
  ['attention: layers of different head counts, with a row off 1', attention([[[[0.5, 0.4], [1, 0]], I2], [I2]])],
  ['attention: a ragged head next to a head with a row off 1', attention([[[0.5, 0.4], [1]], [[0.5, 0.4], [1, 0]]])],
  ['attention: two heads with too few query rows, and a row off 1', attention([[[0.5, 0.4]], [[1, 0]]])],
  ['attention: two heads with too few key columns, and a row off 1', attention([[[0.5], [1]], [[1], [1]]])],
  ['attention 5 axes', attention([[[I2, I2]]])],
  ['attention query rows', attention([[1, 0]])],
  ['attention one query row against one token', file({ tokens: ['a'], attention: [[1, 0], [0, 1]] })],
  ['attention key columns', attention([[1], [1]])],
  ['attention key columns against key tokens', attention(I2, { key_tokens: ['x'] })],
  ['attention key columns against one key token', attention([[0.5, 0.5], [0.5, 0.5]], { key_tokens: ['x'] })],
  ['attention negative and non-finite weights', attention([[-0.5, 1.5], [1, 0]].map((r) => r))],
  ['attention weights too large', '{"tokens": ["a", "b"], "attention": [[2e9, 0], [1, 0]]}'],
  ['attention rows off 1', attention([[0.5, 0.4], [0, 0]])],
  ['attention many bad cells', attention(Array.from({ length: 2 }, () => Array(30).fill(-1)), { tokens: ['a', 'b'], key_tokens: Array(30).fill('k') })],
  ['attention 25 rows off 1', file({ tokens: Array(25).fill('t'), key_tokens: ['k'], attention: Array.from({ length: 25 }, () => [0.5]) })],
  ['attention 21 rows off 1', file({ tokens: Array(21).fill('t'), key_tokens: ['k'], attention: Array.from({ length: 21 }, () => [0.5]) })],
  ['attention 20 rows off 1', file({ tokens: Array(20).fill('t'), key_tokens: ['k'], attention: Array.from({ length: 20 }, () => [0.5]) })],
  ['attention 22 bad cells', file({ tokens: ['a'], key_tokens: Array(22).fill('k'), attention: [Array(22).fill(-1)] })],
  ['attention a null value', '{"tokens": ["a"], "attention": null}'],
  // Sidecar files and head names (reference.ts).
  ['attention_file not a string', file({ tokens: ['a'], attention_file: 3 })],
  ['attention_file empty', file({ tokens: ['a'], attention_file: ' ' })],
  ['attention_file absolute', file({ tokens: ['a'], attention_file: '/tmp/a.npy' })],
  ['attention_file a URL', file({ tokens: ['a'], attention_file: 'https://example.com/a.npz' })],
  ['attention_file a Windows drive', file({ tokens: ['a'], attention_file: 'C:\\a.npz' })],
  ['attention_file of another type', file({ tokens: ['a'], attention_file: 'a.pt' })],
  ['attention_file with backslashes and a tensor', file({ tokens: ['a'], attention_file: 'sub\\A.NPZ', attention_tensor: 'attn', description: 'd', source: 's' })],
  ['attention_file .npy with a tensor', file({ tokens: ['a'], attention_file: 'a.npy', attention_tensor: 'attn' })],
  ['attention_file .npy with a tensor not a string', file({ tokens: ['a'], attention_file: 'a.npy', attention_tensor: 1 })],
  ['attention_file with a colon inside a relative path', file({ tokens: ['a'], attention_file: 'data/run:1.npz' })],
  ['attention_file with a tensor not a string', file({ tokens: ['a'], attention_file: 'a.safetensors', attention_tensor: 1 })],
  ['attention_file with flat head names', file({ tokens: ['a'], key_tokens: ['b'], attention_file: 'a.npz', head_names: ['x', 'y'] })],
  ['attention_file with nested head names', file({ tokens: ['a'], attention_file: 'a.npz', head_names: [['x'], ['y', 'z']] })],
  ['attention_file with nested head names, one bad', file({ tokens: ['a'], attention_file: 'a.npz', head_names: [['x'], [1]] })],
  ['attention_file with head names not an array', file({ tokens: ['a'], attention_file: 'a.npz', head_names: 'x' })],
  ['attention_file with empty head names', file({ tokens: ['a'], attention_file: 'a.npz', head_names: [] })],
  ['head names, flat, right count', attention([I2, I2], { head_names: ['x', 'y'] })],
  ['head names, flat, for two layers', attention([[I2, I2], [I2, I2]], { head_names: ['x', 'y'] })],
  ['head names, flat, wrong count', attention([I2, I2], { head_names: ['x'] })],
  ['head names, one name, wrong count', attention([I2], { head_names: ['x', 'y'] })],
  ['head names, nested, wrong layer count', attention([[I2], [I2]], { head_names: [['x']] })],
  ['head names, nested, one layer against two', attention([I2], { head_names: [['x'], ['y']] })],
  ['head names, nested, wrong head count', attention([[I2], [I2]], { head_names: [['x'], ['y', 'z']] })],
  ['head names, nested, a bad item', attention([[I2], [I2]], { head_names: [['x'], [2]] })],
  ['head names, not an array', attention([I2], { head_names: {} })],
  ['head names, empty', attention([I2], { head_names: [] })],
  ['head names on bad attention', attention([[-1, 2], [1, 0]], { head_names: ['x'] })],
  // JSON syntax (jsonScanner.ts, jsonParser.ts): the first error stops the parse.
  ['syntax: a stray word after the value', '{"tokens": ["a"]} x'],
  ['syntax: a second value', '{}\n{}'],
  ['syntax: a missing colon', '{"tokens" ["a"]}'],
  ['syntax: end after a property name', '{"tokens"'],
  ['syntax: end after a comma in an object', '{"tokens": ["a"],'],
  ['syntax: end inside an array', '{"tokens": ["a"'],
  ['syntax: end after a colon', '{"tokens":'],
  ['syntax: end after an opening brace', '{'],
  ['syntax: a single-quoted key', "{'tokens': 1}"],
  ['syntax: a bare key', '{tokens: 1}'],
  ['syntax: a number as a key', '{1: 2}'],
  ['syntax: a missing comma in an array', '{"tokens": ["a" "b"]}'],
  ['syntax: a missing comma in an array, before a word', '{"tokens": [1 true]}'],
  ['syntax: a missing comma in an object, before a long string', '{"a": 1 "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb": 2}'],
  ['syntax: a missing comma in an object, before a string over two lines', '{"a": 1 "b\nc": 2}'],
  ['syntax: a missing comma in an object, before a symbol', '{"a": 1 @}'],
  ['syntax: trailing comma in an object', '{"a": 1, }'],
  ['syntax: trailing comma in an array', '{"a": [1, 2 , ]}'],
  ['syntax: a comma where a value belongs', '{"a": [,]}'],
  ['syntax: a value missing before ]', '{"a": ]}'],
  ['syntax: a value missing before }', '{"a": }'],
  ['syntax: a single-quoted string', "{\"a\": 'x'}"],
  ['syntax: +1', '{"a": [+1]}'],
  ['syntax: .5', '{"a": [.5]}'],
  ['syntax: NaN', '{"a": [NaN]}'],
  ['syntax: Infinity', '{"a": Infinity}'],
  ['syntax: -Infinity', '{"a": [1, -Infinity]}'],
  ['syntax: inf', '{"a": inf}'],
  ['syntax: -inf', '{"a": -inf}'],
  ['syntax: nan', '{"a": nan}'],
  ['syntax: information is a word, not inf', '{"a": information}'],
  ['syntax: True', '{"a": True}'],
  ['syntax: a symbol where a value belongs', '{"a": #}'],
  ['syntax: a minus alone', '{"a": [-]}'],
  ['syntax: a minus before a letter', '{"a": -x}'],
  ['syntax: leading zeros', '{"a": [007]}'],
  ['syntax: negative leading zeros', '{"a": -01}'],
  ['syntax: a decimal point without digits', '{"a": 1.}'],
  ['syntax: a decimal point before e', '{"a": 1.e5}'],
  ['syntax: an exponent without digits', '{"a": 1e}'],
  ['syntax: an exponent sign without digits', '{"a": 1e+}'],
  ['syntax: a letter after a number', '{"a": 12abc}'],
  ['syntax: an underscore after a number', '{"a": 1_000}'],
  ['syntax: a capital letter after an exponent', '{"a": 1e5Z}'],
  ['syntax: an unterminated string', '{"a": "abc'],
  ['syntax: a string over a line break', '{"a": "ab\ncd"}'],
  ['syntax: a string over a carriage return', '{"a": "ab\rcd"}'],
  ['syntax: a tab in a string', '{"a": "a\tb"}'],
  ['syntax: a bad escape', '{"a": "\\x"}'],
  ['syntax: a backslash at the end', '{"a": "\\'],
  ['syntax: a short unicode escape', '{"a": "\\u12"}'],
  ['syntax: a non-hex unicode escape', '{"a": "\\u12G4"}'],
  ['syntax: an unterminated block comment', '{"a": 1 /* x'],
  ['syntax: a lone slash', '{"a": 1 / 2}'],
  ['syntax: comments everywhere', '/*a*/{//b\n"tokens"/**/:/**/["a"]//c\r,"embeddings":[[1]]/*d*/}//e'],
  ['syntax: 65 nested arrays', `{"a": ${'['.repeat(65)}${']'.repeat(65)}}`],
  ['syntax: 64 nested arrays', `{"a": ${'['.repeat(63)}${']'.repeat(63)}}`],
  ['syntax: 65 nested objects', `${'{"a":'.repeat(64)}{}${'}'.repeat(64)}`],
  ['strings: every escape', '{"tokens": ["\\"\\\\\\/\\b\\f\\n\\r\\t", "\\u00e9\\u00C9x", "plain"], "embeddings": [[1], [2], [3]]}'],
  ['numbers: short and long decimals, exponents', '{"tokens": ["a"], "embeddings": [[0, -0, 0.5, -0.25, 1.5e2, 2E-2, 1e+2, 0.000001, 0.1234567890123456789, 123456789.123456789, 1.0000000000000002, 1e-30, 0.00000000000000000000000001, 12.5e-1, 100e-2, 3]]}'],
  ['duplicates in a big object, the first occurrence named', `{${Array.from({ length: 20 }, (_, i) => `"k${i}": ${i}`).join(', ')}, "k3": 0, "k19": 0, "k3": 1, "tokens": ["a"], "embeddings": [[1]]}`],
  ['duplicates inside arrays', '{"tokens": ["a"], "embeddings": [[1]], "layers": [{"heads": [{"wq": [[1]], "wq": [[1]]}]}]}'],
  // The problem list (problems.ts): 100 listed, then one line for the rest.
  ['101 problems: one more error', file({ tokens: Array(101).fill(1), embeddings: [[1]] })],
  ['102 problems: two more errors', file({ tokens: Array(102).fill(1), embeddings: [[1]] })],
  ['100 errors and a warning', file({ tokens: Array(100).fill(1), embeddings: [[1]], zzzzzzz: 1 })],
  ['100 errors and two warnings', file({ tokens: Array(100).fill(1), embeddings: [[1]], zzzzzzz: 1, yyyyyyy: 2 })],
  ['99 errors and a warning', file({ tokens: Array(99).fill(1), embeddings: [[1]], zzzzzzz: 1 })],
  ['100 warnings, one more error', file({ ...Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`x${i}xxxxx`, 1])), tokens: [1] })],
  ['100 warnings and two more', file({ ...Object.fromEntries(Array.from({ length: 102 }, (_, i) => [`x${i}xxxxx`, 1])), tokens: ['a'], embeddings: [[1]] })],
  ['150 duplicate keys', `{"tokens": ["a"], "embeddings": [[1]]${', "tokens": ["a"]'.repeat(150)}}`],
  ['a syntax error on line 3', '{\n  "tokens": ["a"],\n  "embeddings": [[1]] x\n}'],
];

/** One problem per line: severity, offset+length, 0-based line:column, the JSON path, then the message. */
function render(name: string, text: string): string {
  const r = parseTensorFile(text);
  const cut = text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
  const shown = cut.replace(/\r/g, '␍');
  const lines = [`## ${name}`, shown];
  const problems = r.ok ? r.warnings : r.problems;
  if (r.ok) lines.push(`ok ${r.spec.kind}: ${JSON.stringify({ tokens: r.spec.tokens, provenance: r.spec.provenance, options: r.spec.options, headNames: 'headNames' in r.spec ? r.spec.headNames : undefined, reference: r.reference && { ...r.reference } })}`);
  // Long lists: the first three and the last two are enough to pin the wording, the count and the closing line.
  const listed = problems.length > 8 ? [...problems.slice(0, 3), ...problems.slice(-2)] : problems;
  if (listed.length < problems.length) lines.push(`(${problems.length} problems; the first 3 and the last 2)`);
  if (r.ok && r.spec.kind === 'compute') lines.push(`head names ${JSON.stringify(r.spec.layers.map((l) => l.heads.map((h) => h.name ?? null)))}`);
  if (r.ok && r.spec.kind === 'compute' && r.spec.embeddings !== undefined) lines.push(`embeddings ${Array.from(r.spec.embeddings.data).join(' ')}`);
  for (const p of listed) {
    const l = p.location;
    const where = l === undefined ? '(nowhere)' : `${l.offset}+${l.length} ${l.line}:${l.column} ${JSON.stringify(l.path)}`;
    lines.push(`${p.severity} ${where} ${p.message}`);
  }
  return lines.join('\n');
}

describe('tensor-file messages', () => {
  it('the cases have unique names', () => {
    expect(new Set(CASES.map(([name]) => name)).size).toBe(CASES.length);
  });

  it('every problem of every case, word for word and located, as in messages.golden.txt', async () => {
    await expect(`${CASES.map(([name, text]) => render(name, text)).join('\n\n')}\n`).toMatchFileSnapshot('./messages.golden.txt');
  });

  // Cases written while going through the mutation survivors of the checks (bench/mutation/survivors/tensorFile*.md).
  // They live inside the test's body so that a change to them is a change to this test, which makes Stryker's
  // incremental mode retest the mutants they reach (a change outside every test's body goes unnoticed).
  it('every problem of the cases for modes, options, shapes and the top level, as in messages-checks.golden.txt', async () => {
    const cases: readonly (readonly [string, string])[] = [
      // Modes (modes.ts): every pair of fields from different modes.
      ['every mode-defining field at once', file({ tokens: ['a'], attention: [[1]], attention_file: 'a.npy', embeddings: [[1]], key_embeddings: [[1]], heads: [], query: [[1]], key: [[1]], value: [[1]], wo: [[1]], ffn: {}, layers: [] })],
      // Options (options.ts).
      ['options: mask misspelt as "non"', base({ options: { mask: 'non' } })],
      ['options: mask window 1 and dilation 1, the smallest allowed', base({ options: { mask: { window: 1, dilation: 1 } } })],
      // Shapes (validate.ts).
      ['projections without embeddings, then a direct head, and wo', file({ tokens: TOKENS, heads: [head, { query: X3, key: X3, value: X3 }], wo: X3 })],
      ['query, key and value given directly, with wo as wide as value', file({ tokens: TOKENS, query: X3, key: X3, value: X3, wo: I2 })],
      ['a stack: the first layer\'s ffn after a wide attention output, the second layer sized by d_model', base({ layers: [{ heads: [head, head], ffn }, { heads: [head] }] })],
      // The top level (index.ts): cross-attention, and what follows a bad key_tokens or a mix of modes.
      ['key_tokens with a bad item, beside attention three keys wide', attention([[0.5, 0.5, 0], [0, 0.5, 0.5]], { key_tokens: [1, 'y', 'z'] })],
      ['attention_tensor beside attention and attention_file', file({ tokens: ['a'], attention: [[1]], attention_file: 'a.npz', attention_tensor: 'attn' })],
      ['key_tokens without key_embeddings over two layers', base({ key_tokens: ['x', 'y'], layers: [{ heads: [head] }, { heads: [head] }] })],
      ['key_tokens with query, key and value given directly, no key_embeddings', base({ key_tokens: ['x', 'y'], heads: [{ query: X3, key: I2, value: I2 }] })],
      ['key_tokens with no heads and no key_embeddings', base({ key_tokens: ['x', 'y'] })],
      ['key_tokens with a projection head and a direct head, no key_embeddings', base({ key_tokens: ['x', 'y'], heads: [head, { query: X3, key: I2, value: I2 }] })],
      ['key_tokens and projections without embeddings', file({ tokens: TOKENS, key_tokens: ['x', 'y'], heads: [head] })],
      // JSON syntax and the tree (jsonScanner.ts, jsonParser.ts, json.ts).
      ['too large numbers written with a point, a capital E and a plus sign', '{"tokens": ["a"], "embeddings": [[1.5E+10, -2.5e+10]]}'],
      ['a syntax error after CRLF line breaks', '{\r\n  "tokens": ["a"],\r\n  "embeddings": [[1]] x\r\n}'],
      ['a duplicate key under keys that need quotes in a path', '{"tokens": ["a"], "embeddings": [[1]], "x-y": {"1a": {"b": 1, "b": 2}}}'],
      ['a key given three times, before and after the object reaches 16 keys', `{"a": 0, "a": 1, ${Array.from({ length: 15 }, (_, i) => `"k${i}": ${i}`).join(', ')}, "a": 2, "tokens": ["a"], "embeddings": [[1]]}`],
      ['syntax: a missing colon after a long property name', `{"${'p'.repeat(45)}" 1}`],
      ['syntax: a missing comma before a string of 39 characters', `{"a": 1 "${'q'.repeat(39)}": 2}`],
      ['syntax: a symbol then a word where a comma belongs', '{"a": 1 @b}'],
      ['syntax: a symbol then a word where a value belongs', '{"a": #x}'],
      ['syntax: nanny is a word, not nan', '{"a": nanny}'],
    ];
    expect(new Set([...CASES, ...cases].map(([name]) => name)).size).toBe(CASES.length + cases.length);
    await expect(`${cases.map(([name, text]) => render(name, text)).join('\n\n')}\n`).toMatchFileSnapshot('./messages-checks.golden.txt');
  });
});
