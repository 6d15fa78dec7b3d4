/** Reading heads and results: head labels, the induction probe, attention rollout, word-level aggregation. */
export * from './headLabels';
export { INDUCTION_PROBE_LENGTH, type InductionProbeOptions, inductionProbeIds, runInductionProbe } from './inductionProbe';
export { attentionRollout, residualAttention } from './rollout';
export { aggregateWeights, groupTokens, type TokenGroups, WORD_GROUPINGS, type WordGrouping } from './words';
