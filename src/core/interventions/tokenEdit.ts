/** "Change a token": one replace, insert or delete on a token list; for a real model, on its ids (never the document). */
import type { Token } from '../types';
import { InterventionError, type TokenEdit } from './types';

const KINDS = ['replace-token', 'insert-token', 'delete-token'];

function editError(message: string): never {
  throw new InterventionError(message, -1);
}

/** Throws an `InterventionError` unless `edit` is a known kind at a position of a `length`-token list it can keep non-empty. */
function checkEdit(edit: TokenEdit<unknown>, length: number): void {
  if (typeof edit !== 'object' || edit === null || !KINDS.includes(edit.kind)) {
    editError(`A token edit has kind ${JSON.stringify((edit as { kind?: unknown } | null)?.kind)}; expected "replace-token", "insert-token" or "delete-token".`);
  }
  const last = edit.kind === 'insert-token' ? length : length - 1;
  if (!Number.isSafeInteger(edit.position) || edit.position < 0 || edit.position > last) {
    const where = last < 0 ? 'there are no tokens' : `positions are 0 to ${last}`;
    editError(`The ${edit.kind} edit names position ${edit.position}, but ${where}.`);
  }
  if (edit.kind === 'delete-token' && length === 1) editError('The delete-token edit would remove the only token; there must be at least one.');
}

/** A new list with the edit applied; throws an `InterventionError` for a position out of range or an empty result. */
export function editTokens<T>(items: readonly T[], edit: TokenEdit<T>): T[] {
  checkEdit(edit, items.length);
  const out = items.slice();
  if (edit.kind === 'delete-token') out.splice(edit.position, 1);
  else out.splice(edit.position, edit.kind === 'replace-token' ? 1 : 0, edit.token);
  return out;
}

/** Throws unless a replace or insert gives an id of the vocabulary (0 to vocabSize − 1). */
export function checkEditId(edit: TokenEdit<number>, vocabSize: number): void {
  if (edit.kind !== 'delete-token' && (!Number.isSafeInteger(edit.token) || edit.token < 0 || edit.token >= vocabSize)) {
    editError(`The ${edit.kind} edit gives token id ${edit.token}, outside the vocabulary (0 to ${vocabSize - 1}).`);
  }
}

/** A model's ids with one edit, the new id checked against the vocabulary. */
export function editIds(ids: readonly number[], edit: TokenEdit<number>, vocabSize: number): number[] {
  const out = editTokens(ids, edit);
  checkEditId(edit, vocabSize);
  return out;
}

/**
 * Edits tokens cut from a text, keeping every other token's range: a replacement takes the range of the token it
 * replaces, an insertion an empty range where it goes. `make` builds the new token from the edit's value.
 */
export function editTextTokens<V, T extends Token>(tokens: readonly T[], edit: TokenEdit<V>, make: (value: V, start: number, end: number) => T): T[] {
  checkEdit(edit, tokens.length);
  if (edit.kind === 'delete-token') return editTokens(tokens, edit);
  const at = tokens[edit.position] as T | undefined;
  const start = at?.start ?? tokens[tokens.length - 1]?.end ?? 0;
  const end = edit.kind === 'replace-token' && at ? at.end : start;
  return editTokens(tokens, { ...edit, token: make(edit.token, start, end) });
}
