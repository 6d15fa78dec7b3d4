/** A real layer's family steps as the views draw them (the pipeline's norms, RoPE, shared K/V heads, MLP, residual). */
import type { ModelLayerSteps } from '../types';
import type { ModelConfig, ModelLayerResult } from './types';

export function layerSteps(config: ModelConfig, layer: ModelLayerResult): ModelLayerSteps {
  // Llama and Qwen2 share one layout: RMSNorm and a gated (SwiGLU) MLP; GPT-2 and GPT-NeoX use LayerNorm and act(x·W_in).
  const llamaLike = config.family === 'llama' || config.family === 'qwen2';
  return {
    family: config.family,
    norm: llamaLike ? 'RMSNorm' : 'LayerNorm',
    normEps: config.normEps,
    attentionNormed: layer.attentionNormed,
    rotary: config.rotaryDims > 0 ? { dims: config.rotaryDims, headDim: config.headDim, theta: config.ropeTheta } : null,
    kvHeadOf: layer.kvHeadOf,
    kvHeads: config.kvHeads,
    mlp: { activation: config.activation, gated: llamaLike, width: config.intermediate },
    parallelResidual: config.parallelResidual,
    residualMid: config.parallelResidual ? null : layer.residualMid,
    mlpNormed: layer.mlpNormed,
    mlpOutput: layer.mlpOutput,
  };
}
