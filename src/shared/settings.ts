/**
 * THE settings table: every `selfAttention.*` setting with its type, default and range. package.json declares the
 * same (settings.test.ts compares them); the host's reader, the worker's checks, the message validation and the
 * panel's fields all read from here. A new setting goes here and in package.json.
 */
import { MASK_KINDS, maskDilation, maskWindow, TOKENIZERS, type MaskSpec } from './core';
import { BOS_MODES } from './enums';
import type { ComputeSettings } from './protocol';

interface IntegerSetting { readonly type: 'integer'; readonly default: number; readonly minimum: number; readonly maximum: number }
interface NumberSetting { readonly type: 'number'; readonly default: number; readonly minimum: number; readonly maximum: number }
interface BooleanSetting { readonly type: 'boolean'; readonly default: boolean }
interface EnumSetting<T extends string> { readonly type: 'string'; readonly default: T; readonly enum: readonly T[] }
interface StringSetting { readonly type: 'string'; readonly default: string }

const INT32: Pick<IntegerSetting, 'minimum' | 'maximum'> = { minimum: -2147483648, maximum: 2147483647 };

/** Longest selection, in tokens; also the widest useful mask window (a wider one sees what causal sees). */
const MAX_TOKENS = 100_000;

export const SETTINGS = {
  tokenizer: { type: 'string', default: 'words', enum: TOKENIZERS } satisfies EnumSetting<(typeof TOKENIZERS)[number]>,
  dModel: { type: 'integer', default: 64, minimum: 2, maximum: 1024 } satisfies IntegerSetting,
  dK: { type: 'integer', default: 16, minimum: 1, maximum: 512 } satisfies IntegerSetting,
  heads: { type: 'integer', default: 4, minimum: 1, maximum: 16 } satisfies IntegerSetting,
  layers: { type: 'integer', default: 1, minimum: 1, maximum: 12 } satisfies IntegerSetting,
  seed: { type: 'integer', default: 42, ...INT32 } satisfies IntegerSetting,
  positionalEncoding: { type: 'boolean', default: true } satisfies BooleanSetting,
  mask: { type: 'string', default: 'none', enum: MASK_KINDS } satisfies EnumSetting<(typeof MASK_KINDS)[number]>,
  window: { type: 'integer', default: 4, minimum: 1, maximum: MAX_TOKENS } satisfies IntegerSetting,
  dilation: { type: 'integer', default: 2, minimum: 1, maximum: MAX_TOKENS } satisfies IntegerSetting,
  temperature: { type: 'number', default: 1, minimum: 1e-6, maximum: 1e6 } satisfies NumberSetting,
  scale: { type: 'boolean', default: true } satisfies BooleanSetting,
  maxTokens: { type: 'integer', default: 4096, minimum: 2, maximum: MAX_TOKENS } satisfies IntegerSetting,
  /** Further capped at a quarter of the machine's memory (src/compute/memoryBudget.ts). */
  memoryBudgetMB: { type: 'integer', default: 1024, minimum: 16, maximum: 1_048_576 } satisfies IntegerSetting,
  /** "random" or the path of a model folder; restricted in untrusted workspaces (src/models/modelSetting.ts). */
  model: { type: 'string', default: 'random' } satisfies StringSetting,
  prependBos: { type: 'string', default: 'auto', enum: BOS_MODES } satisfies EnumSetting<(typeof BOS_MODES)[number]>,
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type IntegerSettingKey = { [K in SettingKey]: (typeof SETTINGS)[K]['type'] extends 'integer' ? K : never }[SettingKey];

/** The integer settings that are fields of ComputeSettings (window and dilation live inside the mask). */
export const INTEGER_COMPUTE_SETTINGS = ['dModel', 'dK', 'heads', 'layers', 'seed'] as const satisfies readonly (IntegerSettingKey & keyof ComputeSettings)[];

/** The computation settings when nothing is configured. */
export const DEFAULT_COMPUTE_SETTINGS: ComputeSettings = {
  tokenizer: SETTINGS.tokenizer.default,
  dModel: SETTINGS.dModel.default,
  dK: SETTINGS.dK.default,
  heads: SETTINGS.heads.default,
  layers: SETTINGS.layers.default,
  seed: SETTINGS.seed.default,
  positionalEncoding: SETTINGS.positionalEncoding.default,
  mask: { kind: SETTINGS.mask.default },
  temperature: SETTINGS.temperature.default,
  scale: SETTINGS.scale.default,
};

/** Whether `value` is a whole number within the integer setting's range. */
export function isIntegerSetting(key: IntegerSettingKey, value: unknown): value is number {
  const { minimum, maximum } = SETTINGS[key];
  return Number.isInteger(value) && (value as number) >= minimum && (value as number) <= maximum;
}

export function isTemperature(value: unknown): value is number {
  return typeof value === 'number' && value >= SETTINGS.temperature.minimum && value <= SETTINGS.temperature.maximum;
}

function integerProblem(key: IntegerSettingKey, value: unknown): string | undefined {
  if (isIntegerSetting(key, value)) return undefined;
  const { minimum, maximum } = SETTINGS[key];
  return `The setting selfAttention.${key} is ${String(value)}; it must be a whole number from ${minimum} to ${maximum}.`;
}

/** The first setting outside its range, as a message naming it, or undefined when all are fine. */
export function settingsProblem(s: ComputeSettings): string | undefined {
  for (const key of INTEGER_COMPUTE_SETTINGS) {
    const problem = integerProblem(key, s[key]);
    if (problem) return problem;
  }
  if (!isTemperature(s.temperature)) {
    const { minimum, maximum } = SETTINGS.temperature;
    return `The setting selfAttention.temperature is ${String(s.temperature)}; it must be from ${minimum} to ${maximum}.`;
  }
  return maskProblem(s.mask);
}

/** Why the mask's window or dilation is out of range, or undefined. */
export function maskProblem(mask: MaskSpec): string | undefined {
  const window = maskWindow(mask);
  const dilation = maskDilation(mask);
  return (window !== undefined ? integerProblem('window', window) : undefined)
    ?? (dilation !== undefined ? integerProblem('dilation', dilation) : undefined);
}

/** A usable memory budget in MB: not a whole number gives the default; outside the range, its nearest end. */
/** The memory budget in bytes when none is given: the setting's default. */
export const DEFAULT_BUDGET_BYTES = SETTINGS.memoryBudgetMB.default * 1024 * 1024;

export function memoryBudgetMB(value: unknown): number {
  const { default: fallback, minimum, maximum } = SETTINGS.memoryBudgetMB;
  if (typeof value !== 'number' || !Number.isInteger(value)) return fallback;
  return Math.min(maximum, Math.max(minimum, value));
}

/**
 * A usable token limit. A value that is not a whole number falls back to the default rather than disabling the
 * limit; a whole number outside the declared range is brought to its nearest end.
 */
export function tokenLimit(value: unknown): number {
  const { default: fallback, minimum, maximum } = SETTINGS.maxTokens;
  if (typeof value !== 'number' || !Number.isInteger(value)) return fallback;
  return Math.min(maximum, Math.max(minimum, value));
}
