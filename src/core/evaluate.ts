import { checkInterventions } from './interventions/check';
import { planInterventions, type LayerInterventions } from './interventions/apply';
import { InterventionError, type Intervention, type InterventionShape } from './interventions/types';
import { resolveScale } from './attention';
import { IDENTITY_HEAD_NAME, runLayer } from './layer';
import { countVisiblePairs } from './masks';
import type { Matrix } from './matrix';
import { validateSpec } from './validate';
import type { AttentionResult, AttentionSpec, ComputeSpec, HeadResult, LayerResult, PrecomputedSpec, Problem } from './types';

/** How to run a spec: the interventions of a "what if" run (none by default). */
export interface EvaluateOptions {
  readonly interventions?: readonly Intervention[];
}

type Plan = (layer: number) => LayerInterventions | null;

function computeLayers(spec: ComputeSpec, plan: Plan): LayerResult[] {
  const keyX = spec.keyEmbeddings ?? spec.embeddings ?? null;
  const cross = spec.keyEmbeddings !== undefined;
  const layers: LayerResult[] = [];
  let x: Matrix | null = spec.embeddings ?? null;
  spec.layers.forEach((layer, l) => {
    // Self-attention: keys come from the flowing input. Cross-attention: always from keyEmbeddings.
    const result = runLayer(layer, x, cross ? keyX : x, spec.options, plan(l));
    layers.push(result);
    x = result.output;
  });
  return layers;
}

function precomputedLayers(spec: PrecomputedSpec, plan: Plan): LayerResult[] {
  const scale = typeof spec.options.scale === 'number' ? spec.options.scale : 1;
  return spec.attention.map((heads, l) => ({
    input: null,
    heads: heads.map((weights, h) => {
      const head = { name: spec.headNames?.[l]?.[h] ?? `head ${h + 1}`, q: null, k: null, v: null, scores: null, scaled: null, weights, output: null, scale };
      return plan(l)?.apply(h, head) ?? head;
    }),
    concat: null,
    attentionOutput: null,
    output: null,
  }));
}

/** What interventions on this spec are checked against. */
function specInterventionShape(spec: AttentionSpec): InterventionShape {
  const heads = spec.kind === 'compute' ? spec.layers.map((l) => Math.max(1, l.heads.length)) : spec.attention.map((l) => l.length);
  const keys = (spec.keyTokens ?? spec.tokens).length;
  return { heads, queries: spec.tokens.length, keys, mask: spec.options.mask, weightsOnly: spec.kind === 'precomputed' };
}

/**
 * Runs the spec and keeps every intermediate. Assumes a valid spec (see `validateSpec`);
 * a shape mismatch throws as an internal assertion. Use `tryEvaluate` for unchecked input.
 * Interventions are checked (an `InterventionError` names the first bad one) and change every layer downstream;
 * for weights-only specs a cut edge renormalises its row and nothing else moves.
 */
export function evaluate(spec: AttentionSpec, run: EvaluateOptions = {}): AttentionResult {
  const keyTokens = spec.keyTokens ?? spec.tokens;
  const n = spec.tokens.length;
  const m = keyTokens.length;
  const interventions = run.interventions ?? [];
  checkInterventions(interventions, specInterventionShape(spec));
  const plan = planInterventions(interventions);
  return {
    tokens: spec.tokens,
    keyTokens,
    layers: spec.kind === 'compute' ? computeLayers(spec, plan) : precomputedLayers(spec, plan),
    options: spec.options,
    cost: { computedPairs: countVisiblePairs(spec.options.mask, n, m), fullPairs: n * m },
    provenance: spec.provenance,
    ...(interventions.length > 0 ? { interventions } : {}),
  };
}

const NO_MATRIX: Matrix = Object.freeze({ rows: 0, cols: 0, data: new Float32Array(0) });

/**
 * What `evaluate(spec)` will give, before any matrix is computed: the tokens, options, cost and provenance, and every
 * layer's heads by name with 0 × 0 weights. The panel draws the tokens from it while the computation runs.
 */
export function resultFrame(spec: AttentionSpec): AttentionResult {
  const keyTokens = spec.keyTokens ?? spec.tokens;
  const head = (name: string, scale: number): HeadResult => ({ name, q: null, k: null, v: null, scores: null, scaled: null, weights: NO_MATRIX, output: null, scale });
  const frameLayer = (heads: HeadResult[]): LayerResult => ({ input: null, heads, concat: null, attentionOutput: null, output: null });
  const scale = (dK: number) => resolveScale(spec.options.scale, dK);
  const layers = spec.kind === 'compute'
    ? spec.layers.map((layer) => frameLayer(layer.heads.length === 0
      ? [head(IDENTITY_HEAD_NAME, scale(spec.embeddings?.cols ?? 0))]
      : layer.heads.map((h, i) => head(h.name ?? `head ${i + 1}`, scale('wq' in h ? h.wq.cols : h.query.cols)))))
    : spec.attention.map((heads, l) => frameLayer(heads.map((_, h) => head(spec.headNames?.[l]?.[h] ?? `head ${h + 1}`, typeof spec.options.scale === 'number' ? spec.options.scale : 1))));
  return {
    tokens: spec.tokens,
    keyTokens,
    layers,
    options: spec.options,
    cost: { computedPairs: countVisiblePairs(spec.options.mask, spec.tokens.length, keyTokens.length), fullPairs: spec.tokens.length * keyTokens.length },
    provenance: spec.provenance,
  };
}

/** Validates, then evaluates when there is no error. */
export function tryEvaluate(
  spec: AttentionSpec,
  run: EvaluateOptions = {},
): { readonly ok: true; readonly result: AttentionResult; readonly warnings: readonly Problem[] } | { readonly ok: false; readonly problems: readonly Problem[] } {
  const problems = validateSpec(spec);
  if (problems.some((p) => p.severity === 'error')) return { ok: false, problems };
  try {
    return { ok: true, result: evaluate(spec, run), warnings: problems };
  } catch (error) {
    if (error instanceof InterventionError) return { ok: false, problems: [{ severity: 'error', message: error.message }] };
    throw error;
  }
}
