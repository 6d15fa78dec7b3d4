import type { Intervention } from './interventions/types';
import type { Matrix } from './matrix';

/** Which query–key pairs are allowed. Key j is visible to query i when the mask allows (i, j). */
export type MaskSpec =
  | { readonly kind: 'none' }
  | { readonly kind: 'causal' }
  /** Causal sliding window: query i sees keys i-window+1 … i. */
  | { readonly kind: 'window'; readonly window: number }
  /** Dilated causal window: keys i, i-r, i-2r, … (window keys in all). */
  | { readonly kind: 'dilated'; readonly window: number; readonly dilation: number };

export interface AttentionOptions {
  /** true: 1/√d_k; false: 1; a number: that factor. */
  readonly scale: boolean | number;
  readonly mask: MaskSpec;
  /** Softmax temperature, > 0. Scores are divided by it. */
  readonly temperature: number;
}

export const DEFAULT_OPTIONS: AttentionOptions = { scale: true, mask: { kind: 'none' }, temperature: 1 };

/** One head: either projections of X (wq, wk, wv) or Q, K, V given directly. */
export type HeadSpec =
  | { readonly name?: string; readonly wq: Matrix; readonly wk: Matrix; readonly wv: Matrix }
  | { readonly name?: string; readonly query: Matrix; readonly key: Matrix; readonly value: Matrix };

export interface FeedForwardSpec {
  readonly w1: Matrix; // d_model × d_ff
  readonly b1: Float32Array; // d_ff
  readonly w2: Matrix; // d_ff × d_model
  readonly b2: Float32Array; // d_model
}

export interface LayerSpec {
  /** Empty means Q = K = V = the layer input (no projections, as in seed 000). */
  readonly heads: readonly HeadSpec[];
  /** Output projection after concatenating heads: (heads·d_v) × d_out. */
  readonly wo?: Matrix;
  /** When present, the layer is a full encoder layer: attention → add & norm → FFN → add & norm. */
  readonly ffn?: FeedForwardSpec;
}

/** Where the numbers came from, so the views can say honestly what a pattern means. */
export interface Provenance {
  readonly kind: 'random' | 'file' | 'model';
  /** One plain sentence for the honesty banner. */
  readonly description: string;
}

export interface SpecBase {
  /** Query tokens (and key tokens unless keyTokens is given). */
  readonly tokens: readonly string[];
  readonly keyTokens?: readonly string[];
  readonly options: AttentionOptions;
  readonly provenance: Provenance;
}

/** Compute everything from embeddings and/or weights. */
export interface ComputeSpec extends SpecBase {
  readonly kind: 'compute';
  /** X: tokens × d_model. Optional only when every head gives Q, K, V directly. */
  readonly embeddings?: Matrix;
  /** Key-side embeddings for cross-attention; defaults to embeddings. */
  readonly keyEmbeddings?: Matrix;
  readonly layers: readonly LayerSpec[];
}

/** Attention weights exported from a model: nothing is computed. */
export interface PrecomputedSpec extends SpecBase {
  readonly kind: 'precomputed';
  /** weights[layer][head]: queries × keys. */
  readonly attention: readonly (readonly Matrix[])[];
  readonly headNames?: readonly (readonly string[])[];
}

export type AttentionSpec = ComputeSpec | PrecomputedSpec;

/** Every intermediate of one head. Null where a precomputed file does not provide it. */
export interface HeadResult {
  readonly name: string;
  readonly q: Matrix | null; // n × d_k
  readonly k: Matrix | null; // m × d_k
  readonly v: Matrix | null; // m × d_v
  /** Q·Kᵀ, raw. */
  readonly scores: Matrix | null;
  /** scores × scale ÷ temperature, masked cells −∞. */
  readonly scaled: Matrix | null;
  /** Row-wise softmax of scaled; masked cells exactly 0. */
  readonly weights: Matrix;
  /** Z = weights·V. */
  readonly output: Matrix | null;
  /** The factor applied to scores before temperature (1/√d_k by default). */
  readonly scale: number;
  /** W_Q, W_K and W_V, when the head projected X (d_model × d_k, d_model × d_k, d_model × d_v). */
  readonly projections?: { readonly wq: Matrix; readonly wk: Matrix; readonly wv: Matrix };
}

export interface LayerResult {
  /** X flowing into this layer. */
  readonly input: Matrix | null;
  readonly heads: readonly HeadResult[];
  /** Heads' Z side by side: n × (heads·d_v). */
  readonly concat: Matrix | null;
  /** concat·W_O, or concat when there is no W_O. */
  readonly attentionOutput: Matrix | null;
  /** Present for encoder layers. */
  readonly encoder?: {
    readonly addNorm1: Matrix; // LayerNorm(X + attentionOutput)
    readonly ffnHidden: Matrix; // ReLU(addNorm1·W1 + b1)
    readonly ffnOutput: Matrix; // ffnHidden·W2 + b2
    readonly addNorm2: Matrix; // LayerNorm(addNorm1 + ffnOutput) — the layer's output
  };
  /** What the next layer receives. */
  readonly output: Matrix | null;
}

export interface AttentionCost {
  /** Query–key pairs the mask lets through. */
  readonly computedPairs: number;
  /** n·m, what full attention computes. */
  readonly fullPairs: number;
}

export interface AttentionResult {
  readonly tokens: readonly string[];
  readonly keyTokens: readonly string[];
  readonly layers: readonly LayerResult[];
  readonly options: AttentionOptions;
  readonly cost: AttentionCost;
  readonly provenance: Provenance;
  /** The interventions this run applied (absent when none: then every number is the original's, bit for bit). */
  readonly interventions?: readonly Intervention[];
}

/** A place in a tensor file. Offsets are into the original text; line and column are 0-based. */
export interface SourceLocation {
  readonly offset: number;
  readonly length: number;
  readonly line: number;
  readonly column: number;
  /** JSON path such as ["heads", 1, "wk"]. */
  readonly path: readonly (string | number)[];
}

export interface Problem {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly location?: SourceLocation;
}

export type ParseResult =
  | { readonly ok: true; readonly spec: AttentionSpec; readonly warnings: readonly Problem[] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** A token cut from a text: `start`/`end` are UTF-16 offsets into that text, end exclusive. */
export interface Token {
  readonly text: string;
  readonly start: number;
  readonly end: number;
}
