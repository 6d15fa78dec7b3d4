// The vitest config StrykerJS runs (npm run test:mutation): the same projects, with room for instrumented code,
// which runs several times slower than the plain build. MUTATION_TESTS (comma-separated globs, set by
// bench/mutation/run.mjs) narrows each project to the tests aimed at the module being mutated: on the shared
// 2-core machine a static mutant reruns every selected test, and the whole suite per mutant would take days.
import type { UserWorkspaceConfig } from 'vitest/config';
import base from './vitest.config';

const projects = (base.test?.projects ?? []) as UserWorkspaceConfig[];
const only = process.env.MUTATION_TESTS?.split(',').filter((g) => g !== '');
const folderOf: Record<string, string> = { unit: 'test/unit/', webview: 'test/webview/' };

function narrowed(p: UserWorkspaceConfig): UserWorkspaceConfig | undefined {
  const include = only === undefined ? p.test?.include : only.filter((g) => g.startsWith(folderOf[p.test?.name ?? ''] ?? '\0'));
  if (include !== undefined && include.length === 0) return undefined;
  return { ...p, test: { ...p.test, include, testTimeout: 180_000, hookTimeout: 180_000 } };
}

export default {
  ...base,
  test: { ...base.test, projects: projects.map(narrowed).filter((p) => p !== undefined) },
};
