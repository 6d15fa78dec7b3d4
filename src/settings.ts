import * as vscode from 'vscode';
import type { MaskSpec } from './core/types';
import type { ComputeSettings, TokenizerName } from './protocol';

const SECTION = 'selfAttention';

export function readSettings(): ComputeSettings {
  const c = vscode.workspace.getConfiguration(SECTION);
  const window = Math.max(1, c.get<number>('window', 4));
  const maskName = c.get<string>('mask', 'none');
  const mask: MaskSpec =
    maskName === 'causal' ? { kind: 'causal' }
      : maskName === 'window' ? { kind: 'window', window }
        : maskName === 'dilated' ? { kind: 'dilated', window, dilation: Math.max(1, c.get<number>('dilation', 2)) }
          : { kind: 'none' };
  return {
    tokenizer: c.get<TokenizerName>('tokenizer', 'words') === 'gpt2' ? 'gpt2' : 'words',
    dModel: c.get<number>('dModel', 64),
    dK: c.get<number>('dK', 16),
    heads: c.get<number>('heads', 4),
    layers: c.get<number>('layers', 1),
    seed: c.get<number>('seed', 42),
    positionalEncoding: c.get<boolean>('positionalEncoding', true),
    mask,
    temperature: c.get<number>('temperature', 1),
    scale: c.get<boolean>('scale', true),
  };
}

export function maxTokens(): number {
  return vscode.workspace.getConfiguration(SECTION).get<number>('maxTokens', 4096);
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
    if (changes.mask.kind === 'window' || changes.mask.kind === 'dilated') updates.push(['window', changes.mask.window]);
    if (changes.mask.kind === 'dilated') updates.push(['dilation', changes.mask.dilation]);
  }
  for (const [key, value] of updates) await c.update(key, value, target);
}

export function affectsSettings(e: vscode.ConfigurationChangeEvent): boolean {
  return e.affectsConfiguration(SECTION);
}
