// The vitest config StrykerJS runs (npm run test:mutation): the same projects, with room for instrumented code,
// which runs several times slower than the plain build.
import type { UserWorkspaceConfig } from 'vitest/config';
import base from './vitest.config';

const projects = (base.test?.projects ?? []) as UserWorkspaceConfig[];

export default {
  ...base,
  test: {
    ...base.test,
    projects: projects.map((p) => ({ ...p, test: { ...p.test, testTimeout: 180_000, hookTimeout: 180_000 } })),
  },
};
