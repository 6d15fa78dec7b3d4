/** "What if" runs: ablate a head, cut an edge, change a token. */
export * from './types';
export { checkInterventions } from './check';
export { editIds, editTokens } from './tokenEdit';
export { compareNextTokens, headChange, headChanges, type TokenShift, weightDifference } from './compare';
