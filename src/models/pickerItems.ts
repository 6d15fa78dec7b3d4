/** The entries of "Self-Attention: Choose Model…". Pure, so unit tests check them without VS Code. */
import type { CachedModel } from './hfCache';
import { displayPath, formatBytes } from './modelFolder';

export type PickerAction =
  | { readonly kind: 'random' }
  | { readonly kind: 'browse' }
  | { readonly kind: 'folder'; readonly folder: string };

export interface PickerItem {
  readonly label: string;
  readonly description?: string;
  readonly detail?: string;
  /** Marks a separator row (QuickPickItemKind.Separator). */
  readonly separator?: true;
  readonly picked?: boolean;
  readonly action?: PickerAction;
}

export const FAMILY_NAMES: Readonly<Record<string, string>> = {
  gpt2: 'GPT-2',
  llama: 'Llama',
  qwen2: 'Qwen2',
  gpt_neox: 'GPT-NeoX',
};

/** Cached models first (active one marked), then Browse… and the random teaching weights. */
export function pickerItems(models: readonly CachedModel[], active: string | undefined, hubDirs: readonly string[], home: string): PickerItem[] {
  const items: PickerItem[] = [{ label: 'Hugging Face cache', separator: true }];
  if (models.length === 0) {
    items.push({ label: '$(info) No models found', description: hubDirs.map((d) => displayPath(d, home)).join(', ') });
  }
  for (const m of models) {
    const family = m.modelType ? FAMILY_NAMES[m.modelType] ?? `${m.modelType} (not supported)` : 'no readable config.json';
    const size = m.weightBytes > 0 ? formatBytes(m.weightBytes) : 'no .safetensors weights';
    const isActive = active === m.folder;
    items.push({
      label: `${isActive ? '$(check) ' : ''}${m.id}`,
      description: [family, m.shape, size].filter(Boolean).join(' · '),
      detail: displayPath(m.folder, home),
      ...(isActive ? { picked: true } : {}),
      action: { kind: 'folder', folder: m.folder },
    });
  }
  items.push(
    { label: 'Other', separator: true },
    { label: '$(folder-opened) Browse…', description: 'any folder with config.json, *.safetensors and tokenizer.json', action: { kind: 'browse' } },
    {
      label: `${active === undefined ? '$(check) ' : ''}Random weights (teaching)`,
      description: 'seeded random weights: shows the mechanism, not learned meaning',
      action: { kind: 'random' },
    },
  );
  return items;
}
