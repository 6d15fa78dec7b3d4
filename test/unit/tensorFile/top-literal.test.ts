/**
 * parseTensorFile's own results beyond the problem list (messages-golden.test.ts has those): where the token strings
 * are in the text, for the editor sync, and the problems that come before any JSON is read. Expected values are
 * counted by hand from the text.
 */
import { describe, expect, it } from 'vitest';
import { parseTensorFile } from '../../../src/core/tensorFile';
import { MAX_TEXT_LENGTH } from '../../../src/core/tensorFile/limits';

describe('token string ranges', () => {
  it('each "tokens" literal, quotes included; the keys are the queries when there are no key_tokens', () => {
    //          0         1         2
    //          0123456789012345678901
    const text = '{"tokens": ["I", "am"], "embeddings": [[1], [2]]}';
    const r = parseTensorFile(text);
    expect(r.ok).toBe(true);
    expect(r.tokenRanges).toEqual({ queries: [[12, 15], [17, 21]], keys: [[12, 15], [17, 21]] });
    expect(text.slice(17, 21)).toBe('"am"');
  });

  it('"key_tokens" literals are the keys, escapes included in the range', () => {
    //          0         1         2         3         4
    //          0123456789012345678901234567890123456789012
    const text = '{"tokens": ["a"], "key_tokens": ["x\\"", "z"], "embeddings": [[1]], "key_embeddings": [[1], [1]]}';
    const r = parseTensorFile(text);
    expect(r.ok).toBe(true);
    expect(r.tokenRanges).toEqual({ queries: [[12, 15]], keys: [[33, 38], [40, 43]] });
    expect(text.slice(33, 38)).toBe('"x\\""');
  });

  it('exported weights have token ranges too', () => {
    //          0         1
    //          012345678901234567
    const text = '{"tokens": ["a"], "attention": [[1]]}';
    expect(parseTensorFile(text).tokenRanges).toEqual({ queries: [[12, 15]], keys: [[12, 15]] });
  });
});

describe('the spec of each kind of file', () => {
  const options = { scale: true, mask: { kind: 'none' }, temperature: 1 };

  it('exported weights keep key_tokens', () => {
    const r = parseTensorFile('{"tokens": ["a", "b"], "key_tokens": ["x"], "attention": [[1], [1]]}');
    expect(r.ok && r.spec).toEqual({
      kind: 'precomputed', tokens: ['a', 'b'], keyTokens: ['x'], options,
      provenance: { kind: 'model', description: 'Attention weights exported from a model.' }, attention: [[{ rows: 2, cols: 1, data: new Float32Array([1, 1]) }]],
    });
  });

  it('a sidecar keeps key_tokens, and its attention is empty: the weights are in the binary file', () => {
    const r = parseTensorFile('{"tokens": ["a"], "key_tokens": ["x", "y"], "attention_file": "w.npy"}');
    expect(r.ok && r.spec).toEqual({
      kind: 'precomputed', tokens: ['a'], keyTokens: ['x', 'y'], options,
      provenance: { kind: 'model', description: 'Attention weights exported from a model.' }, attention: [],
    });
  });

  it('a computed file keeps key_tokens', () => {
    const r = parseTensorFile('{"tokens": ["a"], "key_tokens": ["x", "y"], "embeddings": [[1]], "key_embeddings": [[2], [3]]}');
    expect(r.ok && r.spec.kind === 'compute' && r.spec.keyTokens).toEqual(['x', 'y']);
  });
});

describe('problems before any JSON is read', () => {
  it('a text one character over the limit: one error at the start of the file, with its size', () => {
    const r = parseTensorFile(' '.repeat(MAX_TEXT_LENGTH + 1));
    expect(r).toEqual({
      ok: false,
      problems: [{
        severity: 'error',
        message: 'The file is too large to read: 64.0 MB (67,108,865 characters), over the 64.0 MB limit for JSON attention files. Export fewer layers, heads or tokens (for example one layer at a time).',
        location: { offset: 0, length: 0, line: 0, column: 0, path: [] },
      }],
    });
  });

  it('something that is not text', () => {
    expect(parseTensorFile(42 as unknown as string)).toEqual({ ok: false, problems: [{ severity: 'error', message: 'The file could not be read as text.' }] });
  });
});

describe('the problem list past 100 problems', () => {
  it('250 duplicate keys: 100 listed, the file still fails, and one line counts the other 150', () => {
    const r = parseTensorFile(`{"tokens": ["a"], "embeddings": [[1]]${', "tokens": ["a"]'.repeat(250)}}`);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(101);
    expect(r.problems[100]).toEqual({ severity: 'error', message: '…and 150 more problems not listed (150 errors, 0 warnings).' });
  });

  it('100 errors, then one warning: the warning is counted on a closing line of its own severity', () => {
    const r = parseTensorFile(JSON.stringify({ tokens: Array(100).fill(1), embeddings: [[1]], attention_tensor: 'x' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(101);
    expect(r.problems[100]).toEqual({ severity: 'warning', message: '…and 1 more problem not listed (0 errors, 1 warning).' });
  });
});
