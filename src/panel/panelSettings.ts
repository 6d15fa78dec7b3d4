/**
 * A panel's own computation settings: the user's settings with the changes made in that panel's controls.
 * Changes stay with the panel (and are restored with it); only "Save as default" writes the user's settings.
 * Pure: no vscode.
 */
import { describeMask, type MaskSpec } from '../shared/core';
import type { ComputeSettings } from '../shared/protocol';

/** The settings a panel changed, over the user's settings. */
export type PanelSettings = Partial<ComputeSettings>;

/** The settings a panel computes with. */
export function withPanelSettings(defaults: ComputeSettings, panel: PanelSettings): ComputeSettings {
  return { ...defaults, ...panel };
}

function same(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Applies a change from the controls. A value equal to the user's setting is no longer a change of this
 * panel, so the panel follows that setting again when it changes.
 */
export function changePanelSettings(panel: PanelSettings, change: PanelSettings, defaults: ComputeSettings): PanelSettings {
  const next: Record<string, unknown> = { ...panel, ...change };
  for (const key of Object.keys(next) as (keyof ComputeSettings)[]) {
    if (next[key] === undefined || same(next[key], defaults[key])) delete next[key];
  }
  return next as PanelSettings;
}

/** "heads 2, mask causal": the panel's changes, for the confirmation. */
export function describePanelSettings(panel: PanelSettings): string {
  return Object.entries(panel)
    .map(([key, value]) => (key === 'mask' ? `mask: ${describeMask(value as MaskSpec)}` : `${key} ${String(value)}`))
    .join(', ');
}
