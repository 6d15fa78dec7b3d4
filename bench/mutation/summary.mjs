// The mutation score per file and per group from bench/mutation/incremental/*.json (written by run.mjs), as a
// markdown table, and the surviving mutants: node bench/mutation/summary.mjs [--survivors]
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The incremental files are the committed record (reports/ is regenerated, not committed); same schema.
const dir = fileURLToPath(new URL('incremental/', import.meta.url));
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const showSurvivors = process.argv.includes('--survivors');

const score = (c) => (c.detected + c.undetected === 0 ? 'n/a' : `${((100 * c.detected) / (c.detected + c.undetected)).toFixed(1)}%`);
const rows = [];
const survivors = [];
const total = { detected: 0, undetected: 0 };
for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const report = JSON.parse(readFileSync(dir + name, 'utf8'));
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const c = { detected: 0, undetected: 0 };
    for (const m of mutants) {
      if (DETECTED.has(m.status)) c.detected++;
      else if (UNDETECTED.has(m.status)) {
        c.undetected++;
        survivors.push(`${file}:${m.location.start.line}:${m.location.start.column} ${m.status} ${m.mutatorName} → ${JSON.stringify(m.replacement ?? '').slice(0, 70)}`);
      }
    }
    total.detected += c.detected;
    total.undetected += c.undetected;
    rows.push(`| ${name.replace(/\.json$/, '')} | \`${file}\` | ${c.detected + c.undetected} | ${c.detected} | ${c.undetected} | ${score(c)} |`);
  }
}
console.log('| Group | File | Mutants | Killed (incl. timeouts) | Survived (incl. no coverage) | Score |');
console.log('|---|---|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
console.log(`| **all run** | | ${total.detected + total.undetected} | ${total.detected} | ${total.undetected} | **${score(total)}** |`);
if (showSurvivors) {
  console.log('\nSurvivors:');
  for (const s of survivors) console.log(`- ${s}`);
}
