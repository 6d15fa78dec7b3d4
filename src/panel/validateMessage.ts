import type { ComputeSettings, ExportFormat, FromWebview, UiState, ViewName, MatrixKind } from '../protocol';
import type { MaskSpec } from '../core/types';
import { INTEGER_RANGES, MAX_WINDOW, TEMPERATURE_RANGE } from '../settingRanges';

/** Messages from the webview are untrusted: everything is checked before use. Returns null when malformed. */
export function validateMessage(raw: unknown): FromWebview | null {
  if (!isObject(raw) || typeof raw.type !== 'string') return null;
  switch (raw.type) {
    case 'ready':
      return { type: 'ready' };
    case 'tokenFocus':
      if (!(raw.index === null || isIndex(raw.index)) || typeof raw.locked !== 'boolean' || !isIndex(raw.layer) || !isIndex(raw.head)) return null;
      return { type: 'tokenFocus', index: raw.index, locked: raw.locked, layer: raw.layer, head: raw.head };
    case 'updateSettings': {
      const settings = validateSettings(raw.settings);
      return settings ? { type: 'updateSettings', settings } : null;
    }
    case 'setFollowSelection':
      return typeof raw.follow === 'boolean' ? { type: 'setFollowSelection', follow: raw.follow } : null;
    case 'nextTokens':
      return isIndex(raw.position) ? { type: 'nextTokens', position: raw.position } : null;
    case 'uiState': {
      const ui = validateUi(raw.ui);
      return ui ? { type: 'uiState', ui } : null;
    }
    case 'export': {
      const formats: readonly ExportFormat[] = ['png', 'svg', 'csv', 'json'];
      if (!formats.includes(raw.format as ExportFormat) || typeof raw.suggestedName !== 'string' || typeof raw.content !== 'string') return null;
      if (raw.content.length > 512 * 1024 * 1024) return null;
      return { type: 'export', format: raw.format as ExportFormat, suggestedName: safeFileName(raw.suggestedName), content: raw.content };
    }
    default:
      return null;
  }
}

function validateSettings(raw: unknown): Partial<ComputeSettings> | null {
  if (!isObject(raw)) return null;
  const out: Record<string, unknown> = {};
  for (const [key, [min, max]] of Object.entries(INTEGER_RANGES) as [keyof ComputeSettings, readonly [number, number]][]) {
    if (raw[key] === undefined) continue;
    if (!Number.isInteger(raw[key]) || (raw[key] as number) < min || (raw[key] as number) > max) return null;
    out[key] = raw[key];
  }
  if (raw.tokenizer !== undefined) {
    if (raw.tokenizer !== 'words' && raw.tokenizer !== 'gpt2') return null;
    out.tokenizer = raw.tokenizer;
  }
  for (const key of ['positionalEncoding', 'scale'] as const) {
    if (raw[key] === undefined) continue;
    if (typeof raw[key] !== 'boolean') return null;
    out[key] = raw[key];
  }
  if (raw.temperature !== undefined) {
    if (typeof raw.temperature !== 'number' || !(raw.temperature >= TEMPERATURE_RANGE[0] && raw.temperature <= TEMPERATURE_RANGE[1])) return null;
    out.temperature = raw.temperature;
  }
  if (raw.mask !== undefined) {
    const mask = validateMask(raw.mask);
    if (!mask) return null;
    out.mask = mask;
  }
  return out as Partial<ComputeSettings>;
}

function validateMask(raw: unknown): MaskSpec | null {
  if (!isObject(raw)) return null;
  const okWidth = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_WINDOW;
  switch (raw.kind) {
    case 'none': return { kind: 'none' };
    case 'causal': return { kind: 'causal' };
    case 'window': return okWidth(raw.window) ? { kind: 'window', window: raw.window } : null;
    case 'dilated': return okWidth(raw.window) && okWidth(raw.dilation) ? { kind: 'dilated', window: raw.window, dilation: raw.dilation } : null;
    default: return null;
  }
}

function validateUi(raw: unknown): UiState | null {
  if (!isObject(raw)) return null;
  const views: readonly ViewName[] = ['tokens', 'matrix', 'pipeline', 'grid'];
  const kinds: readonly MatrixKind[] = ['scores', 'scaled', 'weights'];
  if (!views.includes(raw.view as ViewName) || !kinds.includes(raw.matrix as MatrixKind)) return null;
  if (!isIndex(raw.layer) || !isIndex(raw.head)) return null;
  if (!(raw.lockedToken === null || isIndex(raw.lockedToken))) return null;
  if (typeof raw.threshold !== 'number' || !(raw.threshold >= 0 && raw.threshold <= 1)) return null;
  if (!isIndexList(raw.overlayHeads) || !isIndexList(raw.hiddenTokens)) return null;
  return {
    view: raw.view as ViewName, matrix: raw.matrix as MatrixKind, layer: raw.layer, head: raw.head,
    lockedToken: raw.lockedToken, threshold: raw.threshold,
    overlayHeads: [...raw.overlayHeads], hiddenTokens: [...raw.hiddenTokens],
  };
}

function safeFileName(name: string): string {
  const cleaned = name.replace(/[^\p{L}\p{N}._ -]/gu, '_').replace(/^\.+/, '').slice(0, 120);
  return cleaned || 'attention';
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIndex(v: unknown): v is number {
  return Number.isInteger(v) && (v as number) >= 0 && (v as number) < 10_000_000;
}

function isIndexList(v: unknown): v is number[] {
  if (!Array.isArray(v) || v.length > 100_000) return false;
  // A for loop, not every(): every() skips the holes of a sparse array.
  for (let i = 0; i < v.length; i++) if (!isIndex(v[i])) return false;
  return true;
}
