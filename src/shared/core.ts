/**
 * The view-safe face of the core: the types the webview draws and the small pure helpers it and the extension host
 * need (masks, head statistics, token display, memory sizes). It reaches into the core module by module, so neither
 * the webview bundle nor the host bundle pulls in the tokenizers, the parsers or the WebAssembly kernels.
 */
export type { Matrix } from '../core/matrix';
export type {
  AttentionCost, AttentionOptions, AttentionResult, HeadResult, LayerResult, MaskSpec, ModelLayerSteps, Problem, Provenance, SourceLocation,
} from '../core/types';
export { ropeAngles } from '../core/model/rope';
export {
  MASK_KINDS, type MaskKind, contiguousSpan, countVisiblePairs, describeMask, hiddenPairs, isVisible, maskDilation, maskOf, maskWindow,
} from '../core/masks';
export { blockFor, poolBlockMax, type IndexRange, type PoolScale, type PooledBlocks } from '../core/pooling';
export { cachedHeadStats, downsampleMax, finiteMax, finiteRange, maxAbsFinite, type HeadStats } from '../core/stats';
export type { HeadSummaries, HeadSummary } from '../core/summaries';
export { displayToken } from '../core/tokenize/display';
export { TOKENIZERS, type TokenizerName } from '../core/tokenize/names';
export { describeIntervention, INTERVENTION_KINDS, type Intervention, type TokenEdit } from '../core/interventions/types';
export { aggregateWeights, groupTokens, WORD_GROUPINGS, type TokenGroups, type WordGrouping } from '../core/analysis/words';
export { budgetBytes, formatMemory } from '../core/memory';
export { formatBytes } from '../core/binary/common';
export { MAX_TEXT_LENGTH } from '../core/tensorFile/limits';
export {
  HEAD_LABEL_KINDS, HEAD_LABELS, headLabels, LABEL_THRESHOLD, scoreHead, type HeadLabel, type HeadLabelKind, type HeadScores,
} from '../core/analysis/headLabels';
