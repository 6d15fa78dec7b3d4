import { describe, expect, it } from 'vitest';
import { parseExampleArgs } from '../../../src/walkthrough/exampleArgs';

describe('parseExampleArgs', () => {
  it('turns a walkthrough button into an example and the UI state the panel opens with', () => {
    expect(parseExampleArgs({ example: 'animal-it.attention.json', view: 'tokens', token: 5 })).toEqual({
      ok: true, request: { example: 'animal-it.attention.json', isText: false, editorOnly: false, ui: { view: 'tokens', lockedToken: 5 } },
    });
    expect(parseExampleArgs({ example: 'encoder-2-layers.attention.json', view: 'matrix', matrix: 'scaled', layer: 1, head: 0 })).toEqual({
      ok: true,
      request: { example: 'encoder-2-layers.attention.json', isText: false, editorOnly: false, ui: { view: 'matrix', matrix: 'scaled', layer: 1, head: 0 } },
    });
  });

  it('marks text examples, and editor-only opening', () => {
    expect(parseExampleArgs({ example: 'animal-it.txt', editorOnly: true })).toMatchObject({ ok: true, request: { isText: true, editorOnly: true, ui: {} } });
  });

  it('refuses names that leave the examples folder or are not file names', () => {
    for (const example of ['../package.json', '/etc/passwd', 'sub/x.json', 'file:///x.json', '.hidden.json', 'no-extension', '', 3, undefined]) {
      const r = parseExampleArgs({ example });
      expect(r.ok, String(example)).toBe(false);
      if (!r.ok) expect(r.message).toMatch(/"example" must be the name of a file in the extension's examples folder/);
    }
  });

  it('refuses anything but an object, and says what it needs', () => {
    for (const raw of [undefined, null, 'animal-it.attention.json', ['animal-it.attention.json']]) {
      expect(parseExampleArgs(raw)).toEqual({ ok: false, message: expect.stringContaining('{ "example": "animal-it.attention.json" }') });
    }
  });

  it('names the first bad field in one sentence', () => {
    const base = { example: 'dilated.attention.json' };
    expect(parseExampleArgs({ ...base, view: 'heatmap' })).toEqual({ ok: false, message: 'selfAttention.openExample: "view" must be one of tokens, matrix, pipeline, grid.' });
    expect(parseExampleArgs({ ...base, matrix: 'probs' })).toMatchObject({ ok: false, message: expect.stringContaining('"matrix" must be one of scores, scaled, weights') });
    for (const key of ['token', 'head', 'layer']) {
      for (const bad of [-1, 1.5, '2', 1e9, Number.NaN]) {
        expect(parseExampleArgs({ ...base, [key]: bad })).toMatchObject({ ok: false, message: expect.stringContaining(`"${key}" must be a whole number`) });
      }
    }
    expect(parseExampleArgs({ ...base, editorOnly: 'yes' })).toMatchObject({ ok: false, message: expect.stringContaining('"editorOnly" must be true or false') });
  });
});
