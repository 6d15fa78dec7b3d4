/**
 * Checks interventions before a run, so a bad one (from a stale panel state or a hand-written request) fails with one
 * sentence naming it, never deep in the forward pass.
 */
import { describeMask, isVisible, visibleKeyCount } from '../masks';
import { describeIntervention, InterventionError, INTERVENTION_KINDS, type Intervention, type InterventionShape } from './types';

function range(count: number): string {
  return count === 1 ? 'only 0' : `0 to ${count - 1}`;
}

function whole(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

function fail(index: number, item: Intervention, problem: string): never {
  throw new InterventionError(`Intervention ${index} (${describeIntervention(item)}) ${problem}.`, index);
}

function checkOne(item: Intervention, index: number, shape: InterventionShape): void {
  if (typeof item !== 'object' || item === null || !(INTERVENTION_KINDS as readonly unknown[]).includes(item.kind)) {
    const kind = typeof item === 'object' && item !== null ? JSON.stringify((item as { kind?: unknown }).kind) : String(item);
    throw new InterventionError(`Intervention ${index} has kind ${kind}; expected "ablate-head" or "cut-edge".`, index);
  }
  const layers = shape.heads.length;
  if (!whole(item.layer) || item.layer < 0 || item.layer >= layers) fail(index, item, `names layer ${item.layer}, but the layers are ${range(layers)}`);
  const heads = shape.heads[item.layer];
  if (!whole(item.head) || item.head < 0 || item.head >= heads) fail(index, item, `names head ${item.head}, but layer ${item.layer}'s heads are ${range(heads)}`);
  if (item.kind === 'ablate-head') {
    if (shape.weightsOnly) fail(index, item, 'needs computed heads: this source gives attention weights only, so there is no Z to zero');
    return;
  }
  if (!whole(item.query) || item.query < 0 || item.query >= shape.queries) fail(index, item, `names query ${item.query}, but the queries are ${range(shape.queries)}`);
  if (!whole(item.key) || item.key < 0 || item.key >= shape.keys) fail(index, item, `names key ${item.key}, but the keys are ${range(shape.keys)}`);
  if (!isVisible(shape.mask, item.query, item.key)) fail(index, item, `cuts an edge the mask (${describeMask(shape.mask)}) already hides: key ${item.key} is not visible to query ${item.query}`);
}

/**
 * Throws an `InterventionError` for the first intervention that does not fit `shape`: an unknown kind, a layer, head,
 * query or key out of range, an edge the mask hides, or cuts that leave a query no key at all.
 */
export function checkInterventions(list: readonly Intervention[], shape: InterventionShape): void {
  if (!Array.isArray(list)) throw new InterventionError('Interventions must be a list.', -1);
  list.forEach((item, index) => checkOne(item, index, shape));
  // Distinct cut keys per (layer, head, query): a row with every visible key cut would have nothing to attend to.
  const cutKeys = new Map<string, Set<number>>();
  list.forEach((item, index) => {
    if (item.kind !== 'cut-edge') return;
    const row = `${item.layer}/${item.head}/${item.query}`;
    const keys = cutKeys.get(row) ?? new Set<number>();
    keys.add(item.key);
    cutKeys.set(row, keys);
    if (keys.size === visibleKeyCount(shape.mask, item.query, shape.keys)) {
      throw new InterventionError(
        `Intervention ${index} (${describeIntervention(item)}) cuts the last key query ${item.query} of L${item.layer}H${item.head} can see; its row would have nothing to attend to.`,
        index,
      );
    }
  });
}
