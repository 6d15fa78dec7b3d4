import { embedTokens } from './embed';
import { editTextTokens } from './interventions/tokenEdit';
import type { TokenEdit } from './interventions/types';
import { zeros, type Matrix } from './matrix';
import { mixSeed, mulberry32, xavierUniform } from './random';
import { tokenize, type TokenizerName } from './tokenize';
import type { ComputeSpec, FeedForwardSpec, HeadSpec, LayerSpec, MaskSpec, Token } from './types';

/** What the selection flow lets the user change. Defaults and ranges: src/shared/settings.ts. */
export interface SelectionSettings {
  readonly tokenizer: TokenizerName;
  readonly dModel: number;
  /** d_k, also used as d_v. */
  readonly dK: number;
  readonly heads: number;
  readonly layers: number;
  readonly seed: number;
  readonly positionalEncoding: boolean;
  readonly mask: MaskSpec;
  readonly temperature: number;
  readonly scale: boolean;
}

/** Width of the feed-forward hidden layer, as in the original Transformer. */
export const FFN_MULTIPLIER = 4;

const WO = 0x10000;
const FFN = 0x10001;

function wholeAtLeast(value: number, min: number): number {
  return Number.isFinite(value) ? Math.max(min, Math.floor(value)) : min;
}

/** Each matrix draws from its own stream, so adding a head or layer leaves the others unchanged. */
function weights(seed: number, layer: number, slot: number, part: number, rows: number, cols: number): Matrix {
  return xavierUniform(rows, cols, mulberry32(mixSeed(seed, layer, slot, part)));
}

function randomLayer(seed: number, layer: number, dModel: number, dK: number, heads: number): LayerSpec {
  const headSpecs: HeadSpec[] = [];
  for (let h = 0; h < heads; h++) {
    headSpecs.push({
      name: `head ${h + 1}`,
      wq: weights(seed, layer, h, 0, dModel, dK),
      wk: weights(seed, layer, h, 1, dModel, dK),
      wv: weights(seed, layer, h, 2, dModel, dK),
    });
  }
  const dFf = FFN_MULTIPLIER * dModel;
  const ffn: FeedForwardSpec = {
    w1: weights(seed, layer, FFN, 0, dModel, dFf),
    b1: zeros(1, dFf).data,
    w2: weights(seed, layer, FFN, 1, dFf, dModel),
    b2: zeros(1, dModel).data,
  };
  return { heads: headSpecs, wo: weights(seed, layer, WO, 0, heads * dK, dModel), ffn };
}

/**
 * The spec for a piece of editor text: tokens, deterministic embeddings (plus positional
 * encoding), and `layers` full encoder layers with seeded Xavier-uniform weights
 * (biases 0). The same text and settings give bit-identical numbers everywhere.
 * `tokenEdit` changes one token of the list, not the text: a replaced token keeps its range, an inserted one gets an
 * empty range where it goes.
 */
export function buildSelectionSpec(
  text: string,
  settings: SelectionSettings,
  tokenEdit?: TokenEdit<string>,
  /** The text already cut by `settings.tokenizer` (the caller counted the tokens): it is not tokenized again. */
  cut: Token[] = tokenize(text, settings.tokenizer),
): { spec: ComputeSpec; tokens: Token[] } {
  const dModel = wholeAtLeast(settings.dModel, 1);
  const dK = wholeAtLeast(settings.dK, 1);
  const heads = wholeAtLeast(settings.heads, 1);
  const seed = wholeAtLeast(settings.seed, 0) >>> 0;
  const tokens = tokenEdit ? editTextTokens(cut, tokenEdit, (value, start, end) => ({ text: value, start, end })) : cut;
  const strings = tokens.map((t) => t.text);
  const layers: LayerSpec[] = [];
  for (let l = 0; l < wholeAtLeast(settings.layers, 1); l++) layers.push(randomLayer(seed, l, dModel, dK, heads));
  const spec: ComputeSpec = {
    kind: 'compute',
    tokens: strings,
    embeddings: embedTokens(strings, dModel, settings.positionalEncoding),
    layers,
    options: { scale: settings.scale, mask: settings.mask, temperature: settings.temperature },
    provenance: {
      kind: 'random',
      description: `Weights are random (seed ${seed}), not learned: the pattern shows how attention works, not what a trained model would find meaningful.`,
    },
  };
  return { spec, tokens };
}
