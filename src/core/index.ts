/**
 * The pure attention core (no vscode, no DOM, no node:*). The host and the worker import it through this file;
 * the webview sees only the view-safe part that src/shared/core.ts re-exports.
 */
export type * from './types';
export { DEFAULT_OPTIONS } from './types';
export * from './matrix';
export {
  MASK_KINDS, type MaskKind, contiguousSpan, countVisiblePairs, describeMask, isVisible, maskDilation, maskOf, maskWindow,
  visibleKeyCount, visibleKeyRange,
} from './masks';
export { attentionHead, resolveScale, softmaxRows, weightedSum } from './attention';
export { IDENTITY_HEAD_NAME, runLayer } from './layer';
export { evaluate, type EvaluateOptions, resultFrame, tryEvaluate } from './evaluate';
export { validateSpec } from './validate';
export { embedTokens, positionalEncoding, tokenEmbedding } from './embed';
export { fnv1a, mixSeed, mulberry32, uniformMatrix, xavierUniform } from './random';
export { displayToken, TOKENIZERS, tokenize, tokenizeGpt2, tokenizeWords, type TokenizerName } from './tokenize';
export { buildSelectionSpec, FFN_MULTIPLIER, type SelectionSettings } from './selection';
export { parseTensorFile } from './tensorFile';
export { type AttentionReference, type TensorFileResult, type TokenStringRanges, ATTENTION_FILE_EXTENSIONS } from './tensorFile';
export * from './binary';
export { type HeadSummaries, type HeadSummary, THUMBNAIL_SIZE, summarizeHead, summarizeHeads } from './summaries';
export {
  budgetBytes, budgetProblem, estimateJobBytes, formatMemory, type JobSize, MAX_ROLLOUT_OPS, rolloutProblem, selectionJobSize, specJobSize,
  tokensWithin, TRIVIAL_JOB_BYTES,
} from './budget';
export { firstOverflow, largestInput, overflowProblem } from './overflow';
export * from './model';
export * from './interventions';
export * from './analysis';
