// Mutation testing one group of modules at a time: node bench/mutation/run.mjs masks attention …
// (no argument: every group). Each group mutates its files against the tests aimed at them
// (bench/mutation/modules.mjs), incrementally, and writes bench/mutation/reports/<group>.json;
// bench/mutation/summary.mjs turns the reports into the score table.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { GROUPS } from './modules.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const names = process.argv.length > 2 ? process.argv.slice(2) : Object.keys(GROUPS);
mkdirSync(`${root}bench/mutation/reports`, { recursive: true });
mkdirSync(`${root}bench/mutation/incremental`, { recursive: true });

for (const name of names) {
  const group = GROUPS[name];
  if (group === undefined) throw new Error(`No mutation group "${name}"; groups: ${Object.keys(GROUPS).join(', ')}.`);
  const started = Date.now();
  const load = loadavg()[0];
  const run = spawnSync('npx', [
    'stryker', 'run',
    '--mutate', group.mutate.join(','),
    '--incrementalFile', `bench/mutation/incremental/${name}.json`,
  ], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, MUTATION_TESTS: group.tests.join(','), MUTATION_REPORT: `bench/mutation/reports/${name}.json` },
  });
  const minutes = (Date.now() - started) / 60_000;
  const line = { group: name, date: new Date().toISOString(), minutes: Math.round(minutes * 10) / 10, exit: run.status, cpus: cpus().length, loadAtStart: Math.round(load * 10) / 10 };
  appendFileSync(`${root}bench/mutation/runs.jsonl`, `${JSON.stringify(line)}\n`);
  if (run.status !== 0) process.exitCode = 1;
}
