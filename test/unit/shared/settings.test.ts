import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runJob } from '../../../src/compute/job';
import { DEFAULT_COMPUTE_SETTINGS, SETTINGS, settingsProblem, tokenLimit } from '../../../src/shared/settings';

interface DeclaredSetting { type: string; default: unknown; minimum?: number; maximum?: number; enum?: string[] }

const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../../package.json'), 'utf8')) as {
  contributes: { configuration: { properties: Record<string, DeclaredSetting> } };
};
const declared = Object.entries(manifest.contributes.configuration.properties)
  .filter(([key]) => key.startsWith('selfAttention.'))
  .map(([key, value]) => [key.slice('selfAttention.'.length), value] as const);

describe('the settings table', () => {
  it('has exactly the settings package.json declares', () => {
    expect(Object.keys(SETTINGS).sort()).toEqual(declared.map(([key]) => key).sort());
  });

  it.each(declared)('agrees with package.json on selfAttention.%s (type, default, minimum, maximum, enum)', (key, json) => {
    const row = SETTINGS[key as keyof typeof SETTINGS] as DeclaredSetting;
    expect({ type: row.type, default: row.default, minimum: row.minimum, maximum: row.maximum, enum: row.enum })
      .toEqual({ type: json.type, default: json.default, minimum: json.minimum, maximum: json.maximum, enum: json.enum });
  });

  it('gives the default computation settings', () => {
    expect(DEFAULT_COMPUTE_SETTINGS).toMatchObject({ tokenizer: 'words', dModel: 64, dK: 16, heads: 4, layers: 1, seed: 42, mask: { kind: 'none' }, temperature: 1 });
    expect(settingsProblem(DEFAULT_COMPUTE_SETTINGS)).toBeUndefined();
  });

  it('one window limit everywhere: the largest selection', () => {
    expect(SETTINGS.window.maximum).toBe(SETTINGS.maxTokens.maximum);
    expect(settingsProblem({ ...DEFAULT_COMPUTE_SETTINGS, mask: { kind: 'window', window: 100_000 } })).toBeUndefined();
    expect(settingsProblem({ ...DEFAULT_COMPUTE_SETTINGS, mask: { kind: 'window', window: 100_001 } })).toMatch(/selfAttention\.window is 100001; it must be a whole number from 1 to 100000/);
    expect(settingsProblem({ ...DEFAULT_COMPUTE_SETTINGS, mask: { kind: 'dilated', window: 2, dilation: 0 } })).toMatch(/selfAttention\.dilation/);
    expect(settingsProblem({ ...DEFAULT_COMPUTE_SETTINGS, temperature: 2e6 })).toMatch(/selfAttention\.temperature is 2000000; it must be from 0\.000001 to 1000000/);
  });
});

describe('tokenLimit (issue 12 row 4: maxTokens above its maximum was accepted)', () => {
  it('caps a limit above the declared maximum, raises one below the minimum', () => {
    expect(tokenLimit(200_000)).toBe(100_000);
    expect(tokenLimit(Number.MAX_SAFE_INTEGER)).toBe(100_000);
    expect(tokenLimit(0)).toBe(2);
    expect(tokenLimit(-5)).toBe(2);
    expect(tokenLimit(512)).toBe(512);
  });

  it('falls back to the default for what is not a whole number', () => {
    for (const bad of [NaN, Infinity, 2.5, '100', null, undefined]) expect(tokenLimit(bad)).toBe(SETTINGS.maxTokens.default);
  });

  it('a selection of 100,001 tokens is refused even when maxTokens says 200,000', () => {
    const outcome = runJob({ kind: 'selection', text: 'a '.repeat(100_001), settings: DEFAULT_COMPUTE_SETTINGS, maxTokens: 200_000 });
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) expect(outcome.message).toBe('The selection has 100,001 tokens, more than the limit of 100,000 (setting selfAttention.maxTokens). Select less text.');
  });
});
