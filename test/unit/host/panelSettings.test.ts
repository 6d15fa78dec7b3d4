import { describe, expect, it } from 'vitest';
import { changePanelSettings, describePanelSettings, withPanelSettings } from '../../../src/panel/panelSettings';
import type { ComputeSettings } from '../../../src/shared/protocol';

const defaults: ComputeSettings = {
  tokenizer: 'words', dModel: 64, dK: 16, heads: 4, layers: 1, seed: 42, positionalEncoding: true,
  mask: { kind: 'none' }, temperature: 1, scale: true,
};

describe('panel settings', () => {
  it('computes with the user settings, overridden by the panel', () => {
    expect(withPanelSettings(defaults, {})).toEqual(defaults);
    expect(withPanelSettings(defaults, { heads: 2, mask: { kind: 'causal' } })).toEqual({ ...defaults, heads: 2, mask: { kind: 'causal' } });
  });

  it('keeps a change, merges the next one and leaves the defaults untouched', () => {
    const one = changePanelSettings({}, { heads: 2 }, defaults);
    const two = changePanelSettings(one, { mask: { kind: 'window', window: 3 } }, defaults);
    expect(one).toEqual({ heads: 2 });
    expect(two).toEqual({ heads: 2, mask: { kind: 'window', window: 3 } });
    expect(defaults.heads).toBe(4);
  });

  it('drops a change back to the user setting, so the panel follows that setting again', () => {
    const panel = changePanelSettings({ heads: 2, mask: { kind: 'causal' } }, { heads: 4, mask: { kind: 'none' } }, defaults);
    expect(panel).toEqual({});
    const later = { ...defaults, heads: 8 };
    expect(withPanelSettings(later, panel).heads).toBe(8);
  });

  it('describes the changes for the confirmation', () => {
    expect(describePanelSettings({ heads: 2, mask: { kind: 'dilated', window: 4, dilation: 2 }, scale: false }))
      .toBe('heads 2, mask: dilated window of 4, dilation 2, scale false');
  });
});
