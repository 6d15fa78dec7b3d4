import * as vscode from 'vscode';
import { maskDilation, maskOf, maskWindow } from './shared/core';
import { isOneOf } from './shared/enums';
import type { ComputeSettings } from './shared/protocol';
import { SETTINGS, type IntegerSettingKey } from './shared/settings';

const SECTION = 'selfAttention';

/** Reads the computation settings; ranges are checked where they are used (settingsProblem, in the worker). */
export function readSettings(): ComputeSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const num = (key: IntegerSettingKey | 'temperature') => c.get<number>(key, SETTINGS[key].default);
  const bool = (key: 'positionalEncoding' | 'scale') => c.get<boolean>(key, SETTINGS[key].default);
  const tokenizer = c.get<string>('tokenizer', SETTINGS.tokenizer.default);
  const mask = c.get<string>('mask', SETTINGS.mask.default);
  return {
    tokenizer: isOneOf(SETTINGS.tokenizer.enum, tokenizer) ? tokenizer : SETTINGS.tokenizer.default,
    dModel: num('dModel'),
    dK: num('dK'),
    heads: num('heads'),
    layers: num('layers'),
    seed: num('seed'),
    positionalEncoding: bool('positionalEncoding'),
    mask: maskOf(isOneOf(SETTINGS.mask.enum, mask) ? mask : SETTINGS.mask.default, Math.max(1, num('window')), Math.max(1, num('dilation'))),
    temperature: num('temperature'),
    scale: bool('scale'),
  };
}

export function maxTokens(): number {
  return vscode.workspace.getConfiguration(SECTION).get<number>('maxTokens', SETTINGS.maxTokens.default);
}

/** Writes a panel's settings to the user's settings ("Save as default", after the user confirmed it). */
export async function writeSettings(changes: Partial<ComputeSettings>): Promise<void> {
  const c = vscode.workspace.getConfiguration(SECTION);
  const target = vscode.ConfigurationTarget.Global;
  const updates: [string, unknown][] = [];
  for (const [key, value] of Object.entries(changes)) {
    if (key !== 'mask') updates.push([key, value]);
  }
  if (changes.mask) {
    updates.push(['mask', changes.mask.kind]);
    const window = maskWindow(changes.mask);
    const dilation = maskDilation(changes.mask);
    if (window !== undefined) updates.push(['window', window]);
    if (dilation !== undefined) updates.push(['dilation', dilation]);
  }
  for (const [key, value] of updates) await c.update(key, value, target);
}
