import { runLayer } from './layer';
import { countVisiblePairs } from './masks';
import type { Matrix } from './matrix';
import { validateSpec } from './validate';
import type { AttentionResult, AttentionSpec, ComputeSpec, LayerResult, PrecomputedSpec, Problem } from './types';

function computeLayers(spec: ComputeSpec): LayerResult[] {
  const keyX = spec.keyEmbeddings ?? spec.embeddings ?? null;
  const cross = spec.keyEmbeddings !== undefined;
  const layers: LayerResult[] = [];
  let x: Matrix | null = spec.embeddings ?? null;
  for (const layer of spec.layers) {
    // Self-attention: keys come from the flowing input. Cross-attention: always from keyEmbeddings.
    const result = runLayer(layer, x, cross ? keyX : x, spec.options);
    layers.push(result);
    x = result.output;
  }
  return layers;
}

function precomputedLayers(spec: PrecomputedSpec): LayerResult[] {
  const scale = typeof spec.options.scale === 'number' ? spec.options.scale : 1;
  return spec.attention.map((heads, l) => ({
    input: null,
    heads: heads.map((weights, h) => ({
      name: spec.headNames?.[l]?.[h] ?? `head ${h + 1}`,
      q: null,
      k: null,
      v: null,
      scores: null,
      scaled: null,
      weights,
      output: null,
      scale,
    })),
    concat: null,
    attentionOutput: null,
    output: null,
  }));
}

/**
 * Runs the spec and keeps every intermediate. Assumes a valid spec (see `validateSpec`);
 * a shape mismatch throws as an internal assertion. Use `tryEvaluate` for unchecked input.
 */
export function evaluate(spec: AttentionSpec): AttentionResult {
  const keyTokens = spec.keyTokens ?? spec.tokens;
  const n = spec.tokens.length;
  const m = keyTokens.length;
  return {
    tokens: spec.tokens,
    keyTokens,
    layers: spec.kind === 'compute' ? computeLayers(spec) : precomputedLayers(spec),
    options: spec.options,
    cost: { computedPairs: countVisiblePairs(spec.options.mask, n, m), fullPairs: n * m },
    provenance: spec.provenance,
  };
}

/** Validates, then evaluates when there is no error. */
export function tryEvaluate(
  spec: AttentionSpec,
): { readonly ok: true; readonly result: AttentionResult; readonly warnings: readonly Problem[] } | { readonly ok: false; readonly problems: readonly Problem[] } {
  const problems = validateSpec(spec);
  if (problems.some((p) => p.severity === 'error')) return { ok: false, problems };
  return { ok: true, result: evaluate(spec), warnings: problems };
}
