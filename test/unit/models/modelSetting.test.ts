import { describe, expect, it } from 'vitest';
import { resolveModelSetting } from '../../../src/models/modelSetting';
import { pickerItems } from '../../../src/models/pickerItems';

const HOME = '/home/u';

describe('resolveModelSetting', () => {
  it('defaults to random weights', () => {
    expect(resolveModelSetting(undefined, true, HOME)).toEqual({ kind: 'random' });
    expect(resolveModelSetting({ globalValue: 'random' }, false, HOME)).toEqual({ kind: 'random' });
  });

  it('takes the user value anywhere and expands ~', () => {
    expect(resolveModelSetting({ globalValue: '~/models/gpt2' }, false, HOME)).toEqual({ kind: 'folder', folder: '/home/u/models/gpt2' });
  });

  it('lets a workspace value win in a trusted workspace', () => {
    expect(resolveModelSetting({ globalValue: '/a', workspaceValue: '/b', workspaceFolderValue: '/c' }, true, HOME)).toEqual({ kind: 'folder', folder: '/c' });
  });

  it('ignores a workspace value in an untrusted workspace and says so', () => {
    const choice = resolveModelSetting({ workspaceValue: '/evil' }, false, HOME);
    expect(choice.kind).toBe('random');
    expect(choice.kind === 'random' && choice.notice).toMatch(/not trusted, so its selfAttention\.model setting is ignored/);
    const user = resolveModelSetting({ globalValue: '/mine', workspaceValue: '/evil' }, false, HOME);
    expect(user).toMatchObject({ kind: 'folder', folder: '/mine' });
    expect(user.kind === 'folder' && user.notice).toBeTruthy();
  });

  it('refuses relative paths and non-strings with a message naming the setting', () => {
    expect(resolveModelSetting({ globalValue: 'models/gpt2' }, true, HOME)).toMatchObject({ kind: 'invalid', message: expect.stringMatching(/selfAttention\.model .*absolute path/) });
    expect(resolveModelSetting({ globalValue: 42 }, true, HOME)).toMatchObject({ kind: 'invalid' });
  });
});

describe('pickerItems', () => {
  const models = [
    { id: 'gpt2', folder: '/home/u/.cache/huggingface/hub/models--gpt2/snapshots/r', revision: 'r', modelType: 'gpt2', shape: '12 layers × 768', weightBytes: 548_000_000 },
    { id: 'x/bert', folder: '/hub/models--x--bert/snapshots/r', revision: 'r', modelType: 'bert', weightBytes: 0 },
  ];

  it('lists cache models with family, shape and size, then Browse… and Random', () => {
    const items = pickerItems(models, undefined, ['/hub'], HOME);
    expect(items.filter((i) => !i.separator).map((i) => [i.label, i.description])).toEqual([
      ['gpt2', 'GPT-2 · 12 layers × 768 · 548 MB'],
      ['x/bert', 'bert (not supported) · no .safetensors weights'],
      ['$(folder-opened) Browse…', expect.any(String)],
      ['$(check) Random weights (teaching)', expect.any(String)],
    ]);
    expect(items[1].detail).toBe('~/.cache/huggingface/hub/models--gpt2/snapshots/r');
    expect(items[1].action).toEqual({ kind: 'folder', folder: models[0].folder });
  });

  it('marks the active model, and says where it looked when the cache is empty', () => {
    const items = pickerItems(models, models[0].folder, [], HOME);
    expect(items[1]).toMatchObject({ label: '$(check) gpt2', picked: true });
    expect(items.at(-1)?.label).toBe('Random weights (teaching)');
    expect(pickerItems([], undefined, ['/hub'], HOME)[1]).toMatchObject({ label: '$(info) No models found', description: '/hub' });
  });
});
