/** The pure attention core: the only entry point other folders import. No vscode, no DOM. */
export type * from './types';
export { DEFAULT_OPTIONS } from './types';
export * from './matrix';
export { countVisiblePairs, describeMask, isVisible, visibleKeyCount } from './masks';
export { attentionHead, resolveScale, softmaxRows, weightedSum } from './attention';
export { IDENTITY_HEAD_NAME, runLayer } from './layer';
export { evaluate, tryEvaluate } from './evaluate';
export { validateSpec } from './validate';
export { embedTokens, positionalEncoding, tokenEmbedding } from './embed';
export { fnv1a, mixSeed, mulberry32, uniformMatrix, xavierUniform } from './random';
export { displayToken, tokenize, tokenizeGpt2, tokenizeWords, type TokenizerName } from './tokenize';
export { buildSelectionSpec, DEFAULT_SELECTION_SETTINGS, FFN_MULTIPLIER, type SelectionSettings } from './selection';
export { parseTensorFile } from './tensorFile';
export { type AttentionReference, type TensorFileResult, ATTENTION_FILE_EXTENSIONS } from './tensorFile';
export * from './binary';
export { type HeadSummaries, type HeadSummary, THUMBNAIL_SIZE, summarizeHead, summarizeHeads } from './summaries';
export * from './model';
