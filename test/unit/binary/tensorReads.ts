import type { TensorRead } from '../../../src/core/binary/common';

/** The one-sentence problem of a read that must fail. */
export function message(r: TensorRead): string {
  if (r.ok) throw new Error('expected a problem');
  return r.problem.message;
}

/** The values of a read that must succeed. */
export function values(r: TensorRead): number[] {
  if (!r.ok) throw new Error(r.problem.message);
  return [...r.tensor.data];
}
