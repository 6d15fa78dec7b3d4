/** The top-level fields that choose what a file is (weights, an input, one layer, a stack), and which cannot mix. */
import { type JsonObject, getProp } from './json';
import type { Reporter } from './problems';

/** What each mode-defining field means, for "a mix of modes" messages. */
const MODE_ROLE: Record<string, string> = {
  attention: 'gives weights exported from a model, so nothing is computed',
  attention_file: 'points to weights exported from a model in a binary file (.npy, .npz, .safetensors)',
  embeddings: 'is the input X to compute attention from',
  key_embeddings: 'is the key-side input X to compute attention from',
  heads: 'gives the heads of a single layer',
  query: 'is the single-head shorthand (query, key, value)',
  key: 'is the single-head shorthand (query, key, value)',
  value: 'is the single-head shorthand (query, key, value)',
  wo: 'belongs to a single top-level layer',
  ffn: 'belongs to a single top-level layer',
  layers: 'describes a stack of layers, each with its own heads, wo and ffn',
};

/** Pairs of top-level fields that cannot appear together. */
const CONFLICTS: readonly (readonly [string, readonly string[]])[] = [
  ['attention', ['embeddings', 'key_embeddings', 'heads', 'query', 'key', 'value', 'wo', 'ffn', 'layers', 'attention_file']],
  ['attention_file', ['embeddings', 'key_embeddings', 'heads', 'query', 'key', 'value', 'wo', 'ffn', 'layers']],
  ['layers', ['heads', 'query', 'key', 'value', 'wo', 'ffn']],
  ['heads', ['query', 'key', 'value']],
];

/** Reports each pair of fields from different modes; false when there was one. */
export function checkConflicts(rep: Reporter, root: JsonObject): boolean {
  let ok = true;
  for (const [a, others] of CONFLICTS) {
    const pa = getProp(root, a);
    if (pa === undefined) continue;
    for (const b of others) {
      const pb = getProp(root, b);
      if (pb === undefined) continue;
      const [first, second] = pa.keyOffset < pb.keyOffset ? [pa, pb] : [pb, pa];
      rep.error(
        `"${first.key}" and "${second.key}" are a mix of modes that cannot go together: "${first.key}" ${MODE_ROLE[first.key]}, while "${second.key}" ${MODE_ROLE[second.key]}. Keep one.`,
        second.keyOffset,
        second.keyLength,
        [second.key],
      );
      ok = false;
    }
  }
  return ok;
}
