/** "What if" runs: ablate a head, cut an edge, change a token. */
export * from './types';
export { checkInterventions } from './check';
export { ablateHead, cutHeadEdges, planInterventions, type LayerInterventions } from './apply';
export { checkEditId, editIds, editTextTokens, editTokens } from './tokenEdit';
