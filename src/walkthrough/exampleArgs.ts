/**
 * The arguments of `selfAttention.openExample`, which the walkthrough's buttons pass as JSON in a
 * command link. Anyone can run a command with any arguments, so everything is checked here.
 * Pure: no `vscode`, so unit tests run it directly.
 */
import { isOneOf, MATRIX_KINDS, VIEWS } from '../shared/enums';
import type { UiState } from '../shared/protocol';
import { isIndex, isObject } from '../shared/uiState';

/** A file name directly inside `examples/`: no folders, no "..", no scheme. */
const EXAMPLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)+$/;

/** Examples that are plain text: their sentence is selected and visualized with the seeded random model. */
const TEXT_EXAMPLE = /\.(txt|md)$/i;

export interface ExampleRequest {
  /** File name inside the extension's `examples/` folder. */
  readonly example: string;
  /** A text example: its sentence is selected, and the panel follows the selection. */
  readonly isText: boolean;
  /** Only open the example in the editor (with a text example's sentence selected); no panel. */
  readonly editorOnly: boolean;
  /** View, matrix, layer, head and locked token the panel opens with. */
  readonly ui: Partial<UiState>;
}

export type ParsedExampleArgs = { readonly ok: true; readonly request: ExampleRequest } | { readonly ok: false; readonly message: string };

/** `{ example, view?, matrix?, layer?, head?, token?, editorOnly? }` → a request, or a one-sentence reason. */
export function parseExampleArgs(raw: unknown): ParsedExampleArgs {
  const fail = (message: string): ParsedExampleArgs => ({ ok: false, message });
  if (!isObject(raw)) {
    return fail('selfAttention.openExample needs an object such as { "example": "animal-it.attention.json" }.');
  }
  const args = raw;
  const example = args.example;
  if (typeof example !== 'string' || !EXAMPLE_NAME.test(example)) {
    return fail(`selfAttention.openExample: "example" must be the name of a file in the extension's examples folder, but it is ${JSON.stringify(example) ?? 'missing'}.`);
  }
  const ui: { -readonly [K in keyof UiState]?: UiState[K] } = {};
  if (args.view !== undefined) {
    if (!isOneOf(VIEWS, args.view)) return fail(`selfAttention.openExample: "view" must be one of ${VIEWS.join(', ')}.`);
    ui.view = args.view;
  }
  if (args.matrix !== undefined) {
    if (!isOneOf(MATRIX_KINDS, args.matrix)) return fail(`selfAttention.openExample: "matrix" must be one of ${MATRIX_KINDS.join(', ')}.`);
    ui.matrix = args.matrix;
  }
  for (const [key, field] of [['layer', 'layer'], ['head', 'head'], ['token', 'lockedToken']] as const) {
    if (args[key] === undefined) continue;
    if (!isIndex(args[key])) return fail(`selfAttention.openExample: "${key}" must be a whole number from 0 (the first), but it is ${JSON.stringify(args[key])}.`);
    ui[field] = args[key];
  }
  if (args.editorOnly !== undefined && typeof args.editorOnly !== 'boolean') {
    return fail('selfAttention.openExample: "editorOnly" must be true or false.');
  }
  return { ok: true, request: { example, isText: TEXT_EXAMPLE.test(example), editorOnly: args.editorOnly === true, ui } };
}
