/** Real Hugging Face checkpoints: config, safetensors by offset, tokenizer, and each family's forward pass. */
export * from './types';
export { parseModelConfig } from './config';
export { layerSteps } from './steps';
export { estimateModelMemory, loadModel, loadModelFromFolder, loadModelFromTensors, logitsAt, runModel, tokenFrame, topTokens } from './model';
export { type ModelFolder, memoryFolder } from './folder';
export { parseSafetensorsHeader, parseShardIndex, safetensorsHeaderLength } from './safetensors';
