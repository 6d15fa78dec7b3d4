/** Real Hugging Face checkpoints: config, safetensors by offset, tokenizer, and each family's forward pass. */
export * from './types';
export { parseModelConfig } from './config';
export { estimateModelMemory, loadModel, loadModelFromTensors, logitsAt, runModel, topTokens } from './model';
export { SAFETENSORS_PREFIX, mergeShards, parseSafetensorsHeader, parseShardIndex, safetensorsEntries, safetensorsHeaderLength } from './safetensors';
