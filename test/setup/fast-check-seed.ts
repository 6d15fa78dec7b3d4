/**
 * Every property test replays the same inputs: fast-check runs from one seed, printed in its failure
 * message ("seed: …"). Another seed: FC_SEED=123 npx vitest run …
 */
import fc from 'fast-check';
import { inject } from 'vitest';

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: inject('fcSeed') });

declare module 'vitest' {
  export interface ProvidedContext {
    /** Set by vitest.config.ts from FC_SEED. */
    fcSeed: number;
  }
}
