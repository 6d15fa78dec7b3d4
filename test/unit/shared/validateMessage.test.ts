import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { validateMessage, validateRestoredState } from '../../../src/shared/validateMessage';

const ui = { view: 'matrix', matrix: 'weights', layer: 0, head: 1, lockedToken: 3, threshold: 0.1, overlayHeads: [0], hiddenTokens: [] };

describe('validateMessage', () => {
  it('accepts each well-formed message', () => {
    expect(validateMessage({ type: 'ready' })).toEqual({ type: 'ready' });
    expect(validateMessage({ type: 'tokenFocus', index: 2, layer: 0, head: 1 })).toEqual({ type: 'tokenFocus', index: 2, layer: 0, head: 1 });
    expect(validateMessage({ type: 'tokenFocus', index: null, layer: 0, head: 0 })).toMatchObject({ index: null });
    expect(validateMessage({ type: 'tokenFocus', index: 1, layer: 0, head: 0, weights: [0.25, 0, 0.75] })).toEqual({ type: 'tokenFocus', index: 1, layer: 0, head: 0, weights: [0.25, 0, 0.75] });
    for (const weights of [[0.5, -0.1], [NaN], [Infinity], ['0.5'], {}, 'x', [0.5, , 0.5]]) { // eslint-disable-line no-sparse-arrays
      expect(validateMessage({ type: 'tokenFocus', index: 1, layer: 0, head: 0, weights })).toBeNull();
    }
    expect(validateMessage({ type: 'updateSettings', settings: { heads: 2, mask: { kind: 'window', window: 3 } } }))
      .toEqual({ type: 'updateSettings', settings: { heads: 2, mask: { kind: 'window', window: 3 } } });
    expect(validateMessage({ type: 'saveSettingsAsDefault', settings: { heads: 99 } })).toEqual({ type: 'saveSettingsAsDefault' });
    expect(validateMessage({ type: 'setFollowSelection', follow: false })).toEqual({ type: 'setFollowSelection', follow: false });
    expect(validateMessage({ type: 'uiState', ui })).toEqual({ type: 'uiState', ui });
    expect(validateMessage({ type: 'export', format: 'csv', suggestedName: 'weights', content: 'a,b' })).toMatchObject({ format: 'csv' });
  });

  it.each([
    null, 42, 'ready', [], {}, { type: 'nope' }, { type: 'tokenFocus', index: -1, layer: 0, head: 0 },
    { type: 'tokenFocus', index: 1.5, layer: 0, head: 0 }, { type: 'tokenFocus', index: 1, layer: -1, head: 0 },
    { type: 'updateSettings', settings: { heads: 0 } }, { type: 'updateSettings', settings: { temperature: -1 } },
    { type: 'updateSettings', settings: { temperature: Infinity } }, { type: 'updateSettings', settings: { tokenizer: 'evil' } },
    { type: 'updateSettings', settings: { mask: { kind: 'window', window: 0 } } }, { type: 'updateSettings', settings: { dModel: '64' } },
    { type: 'uiState', ui: { ...ui, view: 'x' } }, { type: 'uiState', ui: { ...ui, hiddenTokens: ['a'] } },
    { type: 'export', format: 'exe', suggestedName: 'a', content: '' }, { type: 'export', format: 'png', suggestedName: 1, content: '' },
  ])('rejects malformed %j', (raw) => {
    expect(validateMessage(raw)).toBeNull();
  });

  it('sanitises export file names', () => {
    const message = validateMessage({ type: 'export', format: 'svg', suggestedName: '../../etc/passwd', content: '<svg/>' });
    expect(message).toMatchObject({ suggestedName: '_.._etc_passwd' });
  });

  it('never throws, whatever arrives', () => {
    fc.assert(fc.property(fc.anything(), (raw) => {
      validateMessage(raw);
      validateMessage({ type: 'updateSettings', settings: raw });
      validateMessage({ type: 'uiState', ui: raw });
    }));
  });

  it('checks a restored panel\'s saved state like a message: a malformed part is dropped', () => {
    expect(validateRestoredState({ source: { kind: 'file', uri: 'file:///w/a.attention.json' }, settings: { heads: 2 }, ui }))
      .toEqual({ source: { kind: 'file', uri: 'file:///w/a.attention.json' }, settings: { heads: 2 } });
    expect(validateRestoredState({ source: { kind: 'selection', uri: 'file:///w/a.txt', start: 3, end: 9 } }).source)
      .toEqual({ kind: 'selection', uri: 'file:///w/a.txt', start: 3, end: 9 });
    for (const source of [undefined, 'file:///etc/passwd', { kind: 'file' }, { kind: 'file', uri: 7 }, { kind: 'selection', uri: 'file:///a', start: 5, end: 2 },
      { kind: 'selection', uri: 'file:///a', start: -1, end: 2 }, { kind: 'exec', uri: 'file:///a' }, { kind: 'file', uri: 'x'.repeat(5000) }]) {
      expect(validateRestoredState({ source }).source).toBeUndefined();
    }
    expect(validateRestoredState({ settings: { heads: 1e9 } }).settings).toEqual({});
    expect(validateRestoredState(null)).toEqual({ settings: {} });
    fc.assert(fc.property(fc.anything(), (raw) => {
      validateRestoredState(raw);
      validateRestoredState({ source: raw, settings: raw });
    }));
  });
});
