/**
 * Which model a selection runs through, from the selfAttention.model setting and where its value came
 * from. Pure: the host passes WorkspaceConfiguration.inspect() and workspace.isTrusted.
 */
import * as path from 'node:path';
import { SETTINGS } from '../shared/settings';

export const RANDOM_MODEL = SETTINGS.model.default;

/** The parts of vscode's inspect() result this needs. */
export interface InspectedSetting {
  readonly globalValue?: unknown;
  readonly workspaceValue?: unknown;
  readonly workspaceFolderValue?: unknown;
}

export type ModelChoice =
  | { readonly kind: 'random'; readonly notice?: string }
  | { readonly kind: 'folder'; readonly folder: string; readonly notice?: string }
  /** The setting holds something unusable: say so, and run nothing. */
  | { readonly kind: 'invalid'; readonly message: string };

/**
 * A model folder lies outside the workspace by nature, so in an untrusted workspace only the user's
 * own (global) value counts; a workspace value is ignored and the notice says so.
 */
export function resolveModelSetting(inspected: InspectedSetting | undefined, trusted: boolean, home: string): ModelChoice {
  const fromWorkspace = inspected?.workspaceFolderValue ?? inspected?.workspaceValue;
  const ignored = !trusted && fromWorkspace !== undefined && fromWorkspace !== RANDOM_MODEL;
  const value = trusted ? (fromWorkspace ?? inspected?.globalValue) : inspected?.globalValue;
  const notice = ignored
    ? 'This workspace is not trusted, so its selfAttention.model setting is ignored; choose a model with "Self-Attention: Choose Model…" or in your user settings.'
    : undefined;
  const withNotice = notice ? { notice } : {};
  if (value === undefined || value === RANDOM_MODEL || value === '') return { kind: 'random', ...withNotice };
  if (typeof value !== 'string') return { kind: 'invalid', message: `The setting selfAttention.model must be "random" or a folder path, not ${JSON.stringify(value)}.` };
  const expanded = value === '~' || value.startsWith('~/') ? path.join(home, value.slice(1)) : value;
  if (!path.isAbsolute(expanded)) {
    return { kind: 'invalid', message: `The setting selfAttention.model is "${value}"; it must be "random" or the absolute path of a model folder.` };
  }
  return { kind: 'folder', folder: path.normalize(expanded), ...withNotice };
}
