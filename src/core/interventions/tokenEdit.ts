/** "Change a token": one replace, insert or delete on a token list; for a real model, on its ids (never the document). */
import { InterventionError, type TokenEdit } from './types';

const KINDS = ['replace-token', 'insert-token', 'delete-token'];

function editError(message: string): never {
  throw new InterventionError(message, -1);
}

/** A new list with the edit applied; throws an `InterventionError` for a position out of range or an empty result. */
export function editTokens<T>(items: readonly T[], edit: TokenEdit<T>): T[] {
  if (typeof edit !== 'object' || edit === null || !KINDS.includes(edit.kind)) {
    editError(`A token edit has kind ${JSON.stringify((edit as { kind?: unknown } | null)?.kind)}; expected "replace-token", "insert-token" or "delete-token".`);
  }
  const last = edit.kind === 'insert-token' ? items.length : items.length - 1;
  if (!Number.isSafeInteger(edit.position) || edit.position < 0 || edit.position > last) {
    const where = last < 0 ? 'there are no tokens' : `positions are 0 to ${last}`;
    editError(`The ${edit.kind} edit names position ${edit.position}, but ${where}.`);
  }
  const out = items.slice();
  switch (edit.kind) {
    case 'replace-token':
      out[edit.position] = edit.token;
      break;
    case 'insert-token':
      out.splice(edit.position, 0, edit.token);
      break;
    case 'delete-token':
      if (items.length === 1) editError('The delete-token edit would remove the only token; there must be at least one.');
      out.splice(edit.position, 1);
  }
  return out;
}

/** A model's ids with one edit, the new id checked against the vocabulary (0 to vocabSize − 1). */
export function editIds(ids: readonly number[], edit: TokenEdit<number>, vocabSize: number): number[] {
  const out = editTokens(ids, edit);
  if (edit.kind !== 'delete-token' && (!Number.isSafeInteger(edit.token) || edit.token < 0 || edit.token >= vocabSize)) {
    editError(`The ${edit.kind} edit gives token id ${edit.token}, outside the vocabulary (0 to ${vocabSize - 1}).`);
  }
  return out;
}
