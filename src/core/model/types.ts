/**
 * The public face of real checkpoints: what `loadModel` takes and `runModel` returns. Pure types, shared by the
 * worker (which feeds files) and the views (which draw results).
 */
import type { Intervention, TokenEdit } from '../interventions/types';
import type { Matrix } from '../matrix';
import type { AttentionResult, LayerResult, Token } from '../types';

/** The `model_type` values whose exact Hugging Face layout and math are implemented. */
export const MODEL_FAMILIES = ['gpt2', 'llama', 'qwen2', 'gpt_neox'] as const;
export type ModelFamily = (typeof MODEL_FAMILIES)[number];

export type WeightDType = 'F32' | 'F16' | 'BF16';

/** One tensor as a safetensors header declares it: `begin`/`end` are absolute byte offsets in its file. */
export interface TensorInfo {
  readonly dtype: WeightDType;
  readonly shape: readonly number[];
  /** Which weights file holds it (as named in the index, e.g. "model-00001-of-00002.safetensors"). */
  readonly file: string;
  readonly begin: number;
  readonly end: number;
}

/**
 * Where a model's tensors come from. A worker implements `read` with one positioned file read per tensor, so a
 * forward pass holds one layer's weights at a time, never a whole multi-GB file.
 */
export interface TensorSource {
  /** Every tensor, by name (from the safetensors headers). */
  readonly tensors: ReadonlyMap<string, TensorInfo>;
  /** The raw bytes of one tensor (`end - begin` bytes, little-endian `dtype`). */
  read(name: string): Uint8Array;
}

/** The normalized hyper-parameters of any supported family. */
export interface ModelConfig {
  readonly family: ModelFamily;
  readonly layers: number;
  readonly heads: number;
  /** Key/value heads (grouped-query attention); equals `heads` without GQA. */
  readonly kvHeads: number;
  readonly hidden: number;
  readonly headDim: number;
  readonly intermediate: number;
  readonly vocabSize: number;
  readonly maxPositions: number;
  readonly normEps: number;
  /** Dims of each q/k head that RoPE rotates (0 for learned positions). */
  readonly rotaryDims: number;
  readonly ropeTheta: number;
  readonly activation: 'gelu_new' | 'gelu' | 'silu' | 'relu';
  readonly tiedEmbeddings: boolean;
  readonly parallelResidual: boolean;
  readonly bosTokenId: number | null;
  /** The family's BOS convention without a tokenizer (a tokenizer.json's post-processor decides when present). */
  readonly prependBosByDefault: boolean;
}

/** What ran, for the honesty banner. */
export interface ModelDescription {
  readonly family: ModelFamily;
  /** "GPT-2", "Llama", "Qwen2", "GPT-NeoX". */
  readonly familyName: string;
  /** Every stored parameter (tied embeddings once). */
  readonly parameters: number;
  /** "124M", "1.1B". */
  readonly parameterLabel: string;
  /** The weights' stored dtype(s), e.g. "BF16". */
  readonly dtype: string;
  readonly hasTokenizer: boolean;
}

export interface LoadModelInput {
  /** config.json's text. */
  readonly config: string;
  /** model.safetensors, or every shard in the index's order (then `index` is required). */
  readonly weights: Uint8Array | readonly Uint8Array[];
  /** model.safetensors.index.json's text, for sharded checkpoints. */
  readonly index?: string;
  /** Shard file names, parallel to `weights` (defaults: the index's names in order, or "model.safetensors"). */
  readonly weightFiles?: readonly string[];
  /** tokenizer.json's text; without it the model runs on token ids only. */
  readonly tokenizer?: string;
}

export interface RunModelInput {
  readonly ids?: readonly number[];
  readonly text?: string;
  /** Prepend the BOS token (default: `Model.prependsBos`). */
  readonly prependBos?: boolean;
  /**
   * 'all' (default) keeps every head's scores and scaled scores too; 'weights' drops those two (null), a third of what
   * a long run keeps (GPT-2 small at 1,024 tokens: 1.2 GB less), for inputs the memory budget cannot otherwise hold.
   */
  readonly keep?: 'all' | 'weights';
  /**
   * Ablate heads, cut edges (0-based; positions count the BOS token when one is prepended). Checked against this
   * run's layers, heads and tokens: a bad one throws an `InterventionError` naming it. Every layer downstream of
   * the first touched one is recomputed; the layers before it are bit for bit those of a run without.
   */
  readonly interventions?: readonly Intervention[];
  /**
   * Change one token id before the run (positions count BOS): the ids are edited, never the text; a replaced token
   * keeps its character range, an inserted one gets an empty range where it goes. Both are marked `fromText: false`.
   */
  readonly tokenEdit?: TokenEdit<number>;
  /** Called after each layer, so a view can show layers as they finish. */
  readonly onLayer?: (layer: ModelLayerResult, index: number) => void;
  /** Checked between layers; when it returns true the run throws a `ModelCancelled`. */
  readonly isCancelled?: () => boolean;
}

/** A layer of a real model: the evaluate shape plus the family's own steps. */
export interface ModelLayerResult extends LayerResult {
  /** The residual stream entering the layer (same as `input`). */
  readonly residualIn: Matrix;
  /** LayerNorm/RMSNorm of the residual, what Q, K and V are projected from. */
  readonly attentionNormed: Matrix;
  /** Residual after the attention add (sequential families) — for parallel-residual families, the input. */
  readonly residualMid: Matrix;
  /** The MLP's output before its residual add. */
  readonly mlpOutput: Matrix;
  /** Query head h reads key/value head `kvHeadOf[h]` (grouped-query attention when heads share one). */
  readonly kvHeadOf: readonly number[];
}

/** A token with its id and its UTF-16 range in the input text (`start === end` for added tokens such as BOS). */
export interface ModelToken extends Token {
  readonly id: number;
  /** False for tokens not cut from the text (BOS, or ids given directly). */
  readonly fromText: boolean;
}

export interface ModelResult extends AttentionResult {
  readonly layers: readonly ModelLayerResult[];
  readonly ids: readonly number[];
  readonly modelTokens: readonly ModelToken[];
  /** Next-token logits after the last position (vocab_size entries). */
  readonly logits: Float32Array;
  /** The final norm's output, positions × hidden: `logitsAt` turns any row into logits. */
  readonly finalHidden: Matrix;
  readonly description: ModelDescription;
}

/** A loaded model: hyper-parameters, tensor source and (optionally) tokenizer. Opaque beyond these fields. */
export interface Model {
  readonly config: ModelConfig;
  readonly description: ModelDescription;
  readonly source: TensorSource;
  /** tokenizer.json's vocabulary, when one was given. */
  readonly tokenizer: ModelTokenizer | null;
  /** Whether runs prepend BOS unless told otherwise: what the tokenizer's post-processor does, else the family's convention. */
  readonly prependsBos: boolean;
}

/** The tokenizer as the core uses it. */
export interface ModelTokenizer {
  /** Ids and UTF-16 ranges of `text` (no special tokens added). */
  encode(text: string): ModelToken[];
  /** The vocabulary entry of one id as stored ("Ġcat", "▁cat"). */
  tokenText(id: number): string | undefined;
  /** The text of some ids, as the tokenizer's decoder gives it (" cat"), e.g. for the next-token list. */
  decode(ids: readonly number[]): string;
  readonly vocabSize: number;
  /** Whether tokenizer.json's post-processor starts every sequence with a special token (Llama's <s>), or null when it says nothing. */
  readonly addsBos: boolean | null;
}

/** Thrown for bad checkpoints, with one sentence naming the file and the problem. */
export class ModelError extends Error {
  constructor(message: string, readonly file?: string) {
    super(message);
    this.name = 'ModelError';
  }
}

/** Thrown when `isCancelled` says so between layers. */
export class ModelCancelled extends Error {
  constructor() {
    super('The model run was cancelled.');
    this.name = 'ModelCancelled';
  }
}

/** Bytes a model and one run would hold, so the host can refuse what exceeds its budget. */
export interface ModelMemoryEstimate {
  /** The largest layer's weights as float32, plus embeddings and LM head (read once per run). */
  readonly weightBytes: number;
  /** The matrices kept per run: per head q, k, v, scores, scaled, weights, z; per layer the residual steps. */
  readonly keptBytes: number;
  readonly totalBytes: number;
}
