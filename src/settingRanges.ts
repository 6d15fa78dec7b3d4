import type { ComputeSettings } from './protocol';

type NumericSetting = 'dModel' | 'dK' | 'heads' | 'layers' | 'seed';

/** The ranges package.json declares for the integer settings. Values from anywhere are checked against them. */
export const INTEGER_RANGES: Readonly<Record<NumericSetting, readonly [number, number]>> = {
  dModel: [2, 1024],
  dK: [1, 512],
  heads: [1, 16],
  layers: [1, 12],
  seed: [-2147483648, 2147483647],
};

export const TEMPERATURE_RANGE = [1e-6, 1e6] as const;
export const MAX_WINDOW = 1_000_000;
export const DEFAULT_MAX_TOKENS = 4096;

/** The first setting outside its range, as a message naming it, or undefined when all are fine. */
export function settingsProblem(s: ComputeSettings): string | undefined {
  for (const [key, [min, max]] of Object.entries(INTEGER_RANGES) as [NumericSetting, readonly [number, number]][]) {
    if (!Number.isInteger(s[key]) || s[key] < min || s[key] > max) {
      return `The setting selfAttention.${key} is ${String(s[key])}; it must be a whole number from ${min} to ${max}.`;
    }
  }
  const [tMin, tMax] = TEMPERATURE_RANGE;
  if (!(s.temperature >= tMin && s.temperature <= tMax)) {
    return `The setting selfAttention.temperature is ${String(s.temperature)}; it must be from ${tMin} to ${tMax}.`;
  }
  if (s.mask.kind === 'window' || s.mask.kind === 'dilated') {
    if (!Number.isInteger(s.mask.window) || s.mask.window < 1 || s.mask.window > MAX_WINDOW) {
      return `The setting selfAttention.window is ${String(s.mask.window)}; it must be a whole number from 1 to ${MAX_WINDOW}.`;
    }
  }
  if (s.mask.kind === 'dilated' && (!Number.isInteger(s.mask.dilation) || s.mask.dilation < 1 || s.mask.dilation > MAX_WINDOW)) {
    return `The setting selfAttention.dilation is ${String(s.mask.dilation)}; it must be a whole number from 1 to ${MAX_WINDOW}.`;
  }
  return undefined;
}

/** A usable token limit: a bad value (NaN, a string, below 1) falls back to the default rather than disabling the limit. */
export function tokenLimit(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : DEFAULT_MAX_TOKENS;
}
