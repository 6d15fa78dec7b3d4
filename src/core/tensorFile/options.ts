/** "options": scale, mask and temperature, checked against the ranges the core accepts. */
import { type AttentionOptions, type MaskSpec, DEFAULT_OPTIONS } from '../types';
import { type JsonObject, formatPath } from './json';
import { MAX_FACTOR, MIN_FACTOR } from './limits';
import type { Reporter } from './problems';
import { describe, expectObject, field, readNumber, suggest, warnUnknownKeys } from './read';

const OPTION_FIELDS = ['scale', 'mask', 'temperature'];
const MASK_FIELDS = ['window', 'dilation'];

export function readOptions(rep: Reporter, root: JsonObject, precomputed: boolean): AttentionOptions | undefined {
  const f = field(root, 'options', []);
  if (f === undefined) return DEFAULT_OPTIONS;
  const o = expectObject(rep, f.node, f.path, 'an object { "scale"?, "mask"?, "temperature"? }');
  if (o === undefined) return undefined;
  warnUnknownKeys(rep, o, f.path, OPTION_FIELDS, { causal: 'Write "mask": "causal".', window: 'Write "mask": { "window": w }.' });
  const before = rep.errorCount;
  let scale: boolean | number = DEFAULT_OPTIONS.scale;
  let mask: MaskSpec = DEFAULT_OPTIONS.mask;
  let temperature = DEFAULT_OPTIONS.temperature;

  const sf = field(o, 'scale', f.path);
  if (sf !== undefined) {
    if (sf.node.kind === 'boolean') scale = sf.node.value as boolean;
    else if (sf.node.kind === 'number' && inFactorRange(sf.node.value as number)) scale = sf.node.value as number;
    else rep.errorAt(sf.node, sf.path, `options.scale must be true (divide by √d_k), false (no scaling) or a number from 1e-6 to 1e6 to multiply the scores by, but it is ${describe(sf.node)}.`);
    if (precomputed) rep.warnAt(sf.node, sf.path, 'options.scale has no effect: the attention weights are given, nothing is computed.');
  }
  const tf = field(o, 'temperature', f.path);
  if (tf !== undefined) {
    if (tf.node.kind === 'number' && inFactorRange(tf.node.value as number)) temperature = tf.node.value as number;
    else rep.errorAt(tf.node, tf.path, `options.temperature must be a number from 1e-6 to 1e6 (scores are divided by it), but it is ${describe(tf.node)}.`);
    if (precomputed) rep.warnAt(tf.node, tf.path, 'options.temperature has no effect: the attention weights are given, nothing is computed.');
  }
  const mf = field(o, 'mask', f.path);
  if (mf !== undefined) {
    const shapes = '"none", "causal", { "window": w } or { "window": w, "dilation": r }';
    if (mf.node.kind === 'string') {
      const v = mf.node.value as string;
      if (v === 'none') mask = { kind: 'none' };
      else if (v === 'causal') mask = { kind: 'causal' };
      else {
        const near = suggest(v, ['none', 'causal']);
        rep.errorAt(mf.node, mf.path, `options.mask must be ${shapes}, but it is ${describe(mf.node)}.${near !== undefined ? ` Did you mean "${near}"?` : ''}`);
      }
    } else if (mf.node.kind === 'object') {
      const mo = mf.node;
      warnUnknownKeys(rep, mo, mf.path, MASK_FIELDS);
      const positiveInt = (k: string, meaning: string): number | undefined => {
        const x = field(mo, k, mf.path);
        if (x === undefined) return undefined;
        const v = readNumber(rep, x.node, x.path);
        if (v === undefined) return undefined;
        if (!Number.isInteger(v) || v < 1) {
          rep.errorAt(x.node, x.path, `${formatPath(x.path)} must be a whole number ≥ 1 (${meaning}), but it is ${v}.`);
          return undefined;
        }
        return v;
      };
      const wf = field(mo, 'window', mf.path);
      const window = positiveInt('window', 'how many keys each query sees');
      const dilation = positiveInt('dilation', 'the gap between the keys a query sees');
      if (wf === undefined) rep.errorAt(mo, mf.path, `options.mask needs "window": ${shapes}.`);
      else if (window !== undefined && field(mo, 'dilation', mf.path) === undefined) mask = { kind: 'window', window };
      else if (window !== undefined && dilation !== undefined) mask = { kind: 'dilated', window, dilation };
    } else {
      rep.errorAt(mf.node, mf.path, `options.mask must be ${shapes}, but it is ${describe(mf.node)}.`);
    }
  }
  if (rep.errorCount !== before) return undefined;
  return { scale, mask, temperature };
}

function inFactorRange(x: number): boolean {
  return Number.isFinite(x) && x >= MIN_FACTOR && x <= MAX_FACTOR;
}
