import { shape, type Matrix } from './matrix';
import type { AttentionOptions, AttentionSpec, ComputeSpec, LayerSpec, PrecomputedSpec, Problem } from './types';
import { plural } from './plural';

type Report = (severity: Problem['severity'], message: string) => void;

/** Where a layer's input comes from, for messages: its name and d_model (null when there is none). */
interface Source {
  readonly name: string;
  readonly cols: number | null;
}

function describe(s: Source): string {
  return `${s.name} ${s.name.endsWith('s') ? 'have' : 'has'} ${s.cols} columns (d_model = ${s.cols})`;
}

function checkFinite(m: Matrix, name: string, report: Report): void {
  for (let p = 0; p < m.data.length; p++) {
    if (!Number.isFinite(m.data[p])) {
      report('error', `${name} holds ${m.data[p]} at row ${Math.floor(p / m.cols)}, column ${p % m.cols}; every number must be finite`);
      return;
    }
  }
}

function checkOptions(o: AttentionOptions, n: number, m: number, report: Report): void {
  if (!(o.temperature > 0) || !Number.isFinite(o.temperature)) report('error', `options.temperature must be a positive number, got ${o.temperature}`);
  if (typeof o.scale === 'number' && (!(o.scale > 0) || !Number.isFinite(o.scale))) report('error', `options.scale must be a positive number, got ${o.scale}`);
  const mask = o.mask;
  if ((mask.kind === 'window' || mask.kind === 'dilated') && !(Number.isInteger(mask.window) && mask.window >= 1)) {
    report('error', `mask.window must be a whole number ≥ 1, got ${mask.window}`);
  }
  if (mask.kind === 'dilated' && !(Number.isInteger(mask.dilation) && mask.dilation >= 1)) {
    report('error', `mask.dilation must be a whole number ≥ 1, got ${mask.dilation}`);
  }
  if (mask.kind !== 'none' && n !== m) {
    report('warning', `A ${mask.kind} mask on cross-attention (${n} queries, ${m} keys) uses the rule "key j ≤ query i"`);
  }
}

function checkRows(m: Matrix, name: string, expected: number, of: string, report: Report): void {
  if (m.rows !== expected) report('error', `${name} has ${m.rows} rows, but there are ${expected} ${of}`);
}

/** Checks one layer; returns the number of columns of its output (a best guess when it has errors). */
function checkLayer(layer: LayerSpec, at: string, input: Source, keys: Source, spec: ComputeSpec, report: Report): number | null {
  const n = spec.tokens.length;
  const m = (spec.keyTokens ?? spec.tokens).length;
  const dVs: number[] = [];
  if (layer.heads.length === 0) {
    if (input.cols === null) report('error', `${at} has no heads, so Q = K = V = its input, but there is no input (no embeddings)`);
    else if (keys.cols !== input.cols) report('error', `${at} has no heads, so queries and keys must have the same width, but ${describe(input)} and ${describe(keys)}`);
    dVs.push(keys.cols ?? 0);
  }
  layer.heads.forEach((head, h) => {
    const name = `${at}.heads[${h}]`;
    if ('query' in head) {
      checkRows(head.query, `${name}.query`, n, 'query tokens', report);
      checkRows(head.key, `${name}.key`, m, 'key tokens', report);
      checkRows(head.value, `${name}.value`, m, 'key tokens', report);
      if (head.query.cols !== head.key.cols) report('error', `${name}.query is ${shape(head.query)} and ${name}.key is ${shape(head.key)}; they need the same number of columns (d_k)`);
      [head.query, head.key, head.value].forEach((x, i) => checkFinite(x, `${name}.${['query', 'key', 'value'][i]}`, report));
      dVs.push(head.value.cols);
      return;
    }
    const projections: [string, Matrix, Source][] = [['wq', head.wq, input], ['wk', head.wk, keys], ['wv', head.wv, keys]];
    for (const [w, mat, src] of projections) {
      if (src.cols === null) report('error', `${name}.${w} projects the input, but there is no input (no embeddings)`);
      else if (mat.rows !== src.cols) report('error', `${name}.${w} has ${mat.rows} rows, but ${describe(src)}`);
      checkFinite(mat, `${name}.${w}`, report);
    }
    if (head.wq.cols !== head.wk.cols) report('error', `${name}.wq is ${shape(head.wq)} and ${name}.wk is ${shape(head.wk)}; they need the same number of columns (d_k)`);
    dVs.push(head.wv.cols);
  });
  const concatCols = dVs.reduce((a, b) => a + b, 0);
  let out = concatCols;
  if (layer.wo) {
    if (layer.wo.rows !== concatCols) report('error', `${at}.wo has ${plural(layer.wo.rows, 'row')}, but the ${dVs.length === 1 ? 'head\'s output has' : `${dVs.length} heads' outputs side by side have`} ${plural(concatCols, 'column')} (${dVs.join(' + ')})`);
    checkFinite(layer.wo, `${at}.wo`, report);
    out = layer.wo.cols;
  }
  const ffn = layer.ffn;
  if (!ffn) return out;
  if (input.cols === null) report('error', `${at} has a feed-forward block, whose residual connection needs the layer input, but there is no input (no embeddings)`);
  else if (input.cols !== out) report('error', `${at} adds its input (${input.cols} columns) to the attention output (${out} columns) for the residual connection; they must match (give a wo of ${out}×${input.cols}?)`);
  if (ffn.w1.rows !== out) report('error', `${at}.ffn.w1 has ${ffn.w1.rows} rows, but the attention output has ${out} columns`);
  if (ffn.b1.length !== ffn.w1.cols) report('error', `${at}.ffn.b1 has ${ffn.b1.length} entries, but ${at}.ffn.w1 has ${ffn.w1.cols} columns (d_ff)`);
  if (ffn.w2.rows !== ffn.w1.cols) report('error', `${at}.ffn.w2 has ${ffn.w2.rows} rows, but ${at}.ffn.w1 has ${ffn.w1.cols} columns (d_ff)`);
  if (ffn.w2.cols !== out) report('error', `${at}.ffn.w2 has ${ffn.w2.cols} columns, but the attention output has ${out} columns`);
  if (ffn.b2.length !== ffn.w2.cols) report('error', `${at}.ffn.b2 has ${ffn.b2.length} entries, but ${at}.ffn.w2 has ${ffn.w2.cols} columns`);
  checkFinite(ffn.w1, `${at}.ffn.w1`, report);
  checkFinite(ffn.w2, `${at}.ffn.w2`, report);
  checkFinite({ rows: 1, cols: ffn.b1.length, data: ffn.b1 }, `${at}.ffn.b1`, report);
  checkFinite({ rows: 1, cols: ffn.b2.length, data: ffn.b2 }, `${at}.ffn.b2`, report);
  return out;
}

function checkCompute(spec: ComputeSpec, report: Report): void {
  const n = spec.tokens.length;
  const m = (spec.keyTokens ?? spec.tokens).length;
  const x = spec.embeddings;
  if (x) {
    checkRows(x, 'embeddings', n, 'tokens', report);
    checkFinite(x, 'embeddings', report);
  }
  if (spec.keyEmbeddings) {
    checkRows(spec.keyEmbeddings, 'keyEmbeddings', m, 'key tokens', report);
    checkFinite(spec.keyEmbeddings, 'keyEmbeddings', report);
  } else if (x && m !== n) {
    report('error', `There are ${m} key tokens but ${n} query tokens; cross-attention needs keyEmbeddings with ${m} rows`);
  }
  if (spec.layers.length === 0) report('error', 'The spec has no layers');
  let input: Source = { name: 'embeddings', cols: x?.cols ?? null };
  const crossKeys: Source | null = spec.keyEmbeddings ? { name: 'keyEmbeddings', cols: spec.keyEmbeddings.cols } : null;
  spec.layers.forEach((layer, l) => {
    const out = checkLayer(layer, `layers[${l}]`, input, crossKeys ?? input, spec, report);
    input = { name: `the output of layers[${l}]`, cols: out };
  });
}

function checkPrecomputed(spec: PrecomputedSpec, report: Report): void {
  const n = spec.tokens.length;
  const m = (spec.keyTokens ?? spec.tokens).length;
  if (spec.attention.length === 0) report('error', 'The spec has no attention layers');
  spec.attention.forEach((heads, l) => {
    if (heads.length === 0) report('error', `attention[${l}] has no heads`);
    heads.forEach((w, h) => {
      const name = `attention[${l}][${h}]`;
      if (w.rows !== n || w.cols !== m) report('error', `${name} is ${shape(w)}, but there are ${n} query tokens and ${m} key tokens`);
      checkFinite(w, name, report);
      const negative = w.data.findIndex((v) => v < 0);
      if (negative >= 0) report('error', `${name} holds a negative weight (${w.data[negative]}) at row ${Math.floor(negative / w.cols)}, column ${negative % w.cols}`);
    });
  });
}

/** Shape and value checks for a spec built in code. Messages name the shapes involved. */
export function validateSpec(spec: AttentionSpec): Problem[] {
  const problems: Problem[] = [];
  const report: Report = (severity, message) => problems.push({ severity, message });
  checkOptions(spec.options, spec.tokens.length, (spec.keyTokens ?? spec.tokens).length, report);
  if (spec.kind === 'compute') checkCompute(spec, report);
  else checkPrecomputed(spec, report);
  return problems;
}
