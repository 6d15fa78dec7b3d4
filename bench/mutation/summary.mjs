// The mutation score per file and per group from bench/mutation/incremental/*.json (written by run.mjs), as a
// markdown table, and every surviving mutant with the verdict given for it in bench/mutation/survivors/<group>.md:
//   node bench/mutation/summary.mjs [--survivors] [--unexplained] [--group <name>]
// A verdict line reads `- <file>:<line>:<column> <Mutator> — <verdict>: <why>`; it covers every survivor of that
// mutator at that place. Verdicts: equivalent (no test can tell it apart), static (detected when planted by hand, but
// recorded as survived: see README), open (killable, no test yet).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// The incremental files are the committed record (reports/ is regenerated, not committed); same schema.
const dir = fileURLToPath(new URL('incremental/', import.meta.url));
const verdictDir = fileURLToPath(new URL('survivors/', import.meta.url));
const DETECTED = new Set(['Killed', 'Timeout']);
const UNDETECTED = new Set(['Survived', 'NoCoverage']);
const VERDICTS = ['equivalent', 'static', 'open'];
const args = process.argv.slice(2);
const showSurvivors = args.includes('--survivors');
const onlyUnexplained = args.includes('--unexplained');
const onlyGroup = args.includes('--group') ? args[args.indexOf('--group') + 1] : undefined;

/** `file:line:col Mutator` → { verdict, why } from one group's verdict file. */
function readVerdicts(group) {
  const path = `${verdictDir}${group}.md`;
  const verdicts = new Map();
  if (!existsSync(path)) return verdicts;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    const m = /^- `?(\S+:\d+:\d+) (\w+)`? — (\w+): (.+)$/.exec(line);
    if (m === null) continue;
    if (!VERDICTS.includes(m[3])) throw new Error(`${path}: unknown verdict "${m[3]}" (${VERDICTS.join(', ')}) in: ${line}`);
    verdicts.set(`${m[1]} ${m[2]}`, { verdict: m[3], why: m[4] });
  }
  return verdicts;
}

const score = (c) => (c.detected + c.undetected === 0 ? 'n/a' : `${((100 * c.detected) / (c.detected + c.undetected)).toFixed(1)}%`);
const rows = [];
const survivors = [];
const total = { detected: 0, undetected: 0 };
const byVerdict = { equivalent: 0, static: 0, open: 0, unexplained: 0 };
for (const name of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
  const group = name.replace(/\.json$/, '');
  if (onlyGroup !== undefined && group !== onlyGroup) continue;
  const report = JSON.parse(readFileSync(dir + name, 'utf8'));
  const verdicts = readVerdicts(group);
  for (const [file, { mutants }] of Object.entries(report.files)) {
    const c = { detected: 0, undetected: 0 };
    for (const m of mutants) {
      if (DETECTED.has(m.status)) c.detected++;
      else if (UNDETECTED.has(m.status)) {
        c.undetected++;
        const place = `${file}:${m.location.start.line}:${m.location.start.column} ${m.mutatorName}`;
        const given = verdicts.get(place);
        byVerdict[given?.verdict ?? 'unexplained']++;
        if (onlyUnexplained && given !== undefined) continue;
        const what = `${m.status} → ${JSON.stringify(m.replacement ?? '').slice(0, 70)}`;
        survivors.push(`- ${place} — ${given === undefined ? `UNEXPLAINED (${what})` : `${given.verdict}: ${given.why}`}`);
      }
    }
    total.detected += c.detected;
    total.undetected += c.undetected;
    rows.push(`| ${group} | \`${file}\` | ${c.detected + c.undetected} | ${c.detected} | ${c.undetected} | ${score(c)} |`);
  }
}
console.log('| Group | File | Mutants | Killed (incl. timeouts) | Survived (incl. no coverage) | Score |');
console.log('|---|---|---:|---:|---:|---:|');
for (const r of rows) console.log(r);
console.log(`| **all run** | | ${total.detected + total.undetected} | ${total.detected} | ${total.undetected} | **${score(total)}** |`);
const counted = { detected: total.detected + byVerdict.static, undetected: total.undetected - byVerdict.equivalent - byVerdict.static };
console.log(`\nSurvivors: ${total.undetected} — equivalent ${byVerdict.equivalent}, static ${byVerdict.static}, open ${byVerdict.open}, unexplained ${byVerdict.unexplained}.`);
console.log(`Score with equivalent mutants left out and static ones counted as detected: ${score(counted)}.`);
if (showSurvivors || onlyUnexplained) {
  console.log('');
  for (const s of survivors) console.log(s);
}
