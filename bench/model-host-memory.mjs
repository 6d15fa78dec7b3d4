// Real-model results off the host (issue 14): the extension host's memory while a model runs in the model process.
// A stand-in host (this script's child) runs a tiny Llama checkpoint (test/fixtures/models/llama, positions raised to
// 1,024) on 512 tokens five times through ModelClient, and prints its own RSS, the model process's RSS, and the bytes
// of matrices the host received against the whole result's. Usage: node bench/model-host-memory.mjs [--runs 5]
import { execFileSync, fork } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const runs = Number(process.argv.includes('--runs') ? process.argv[process.argv.indexOf('--runs') + 1] : 5);
const dir = mkdtempSync(path.join(tmpdir(), 'model-host-memory-'));

const HOST = `
const { readFileSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const { ModelClient } = require('./client.js');
const { payloadBytes } = require('./client.js');
const [folder, runs] = process.argv.slice(2);
const mb = (bytes) => Math.round(bytes / 1e6);
const rss = (pid) => mb(1024 * Number(/VmRSS:\\s+(\\d+)/.exec(readFileSync('/proc/' + pid + '/status', 'utf8'))[1]));
const children = () => execFileSync('ps', ['--ppid', String(process.pid), '-o', 'pid=,comm='], { encoding: 'utf8' }).split('\\n').filter((l) => / node$/.test(l.trim()) || /\\snode$/.test(l)).map((l) => Number(l.trim().split(/\\s+/)[0]));
(async () => {
  const client = new ModelClient(require('node:path').join(__dirname, 'modelProcess.js'));
  const text = Array.from({ length: 438 }, (_, i) => ['the', 'cat', 'sat', 'on', 'a', 'mat'][i % 6]).join(' ');
  const rows = [];
  global.gc?.();
  const before = rss(process.pid);
  for (let r = 0; r < Number(runs); r++) {
    const outcome = await client.run({ folder, text, maxTokens: 4096, budgetBytes: 2 ** 30, focus: { layer: 0, head: 0, view: 'tokens', matrix: 'weights' } }).outcome;
    if (!outcome.ok) throw new Error(outcome.message);
    global.gc?.();
    rows.push({ run: r + 1, tokens: outcome.result.tokens.length, receivedMb: +(payloadBytes(outcome.result) / 1e6).toFixed(1), hostRssMb: rss(process.pid), modelProcessRssMb: children().reduce((s, p) => s + rss(p), 0) });
  }
  process.send({ before, rows });
  client.dispose();
})();
`;

await esbuild.build({
  entryPoints: { modelProcess: path.join(root, 'src/compute/modelProcess.ts'), modelWorker: path.join(root, 'src/compute/modelWorker.ts') },
  bundle: true, platform: 'node', format: 'cjs', outdir: dir, logLevel: 'warning', mainFields: ['module', 'main'],
});
writeFileSync(path.join(dir, 'entry.ts'), `export { ModelClient } from ${JSON.stringify(path.join(root, 'src/compute/modelClient'))};\nexport { payloadBytes } from ${JSON.stringify(path.join(root, 'src/compute/slice'))};\n`);
await esbuild.build({ entryPoints: [path.join(dir, 'entry.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: path.join(dir, 'client.js'), logLevel: 'warning', mainFields: ['module', 'main'] });
writeFileSync(path.join(dir, 'host.cjs'), HOST);
const folder = path.join(dir, 'llama');
cpSync(path.join(root, 'test/fixtures/models/llama'), folder, { recursive: true });
const config = JSON.parse(readFileSync(path.join(folder, 'config.json'), 'utf8'));
writeFileSync(path.join(folder, 'config.json'), JSON.stringify({ ...config, max_position_embeddings: 1024 }));

const load = loadavg()[0];
const host = fork(path.join(dir, 'host.cjs'), [folder, String(runs)], { execArgv: ['--expose-gc'] });
const { before, rows } = await new Promise((resolve, reject) => {
  host.on('message', resolve);
  host.on('exit', (code) => reject(new Error(`the stand-in host exited with ${code}`)));
});
host.kill();
rmSync(dir, { recursive: true, force: true });
console.log(`${new Date().toISOString().slice(0, 16)} UTC, load average ${load.toFixed(1)}, Node ${process.version}, commit ${execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim()}`);
console.log(`host RSS before the first run: ${before} MB`);
console.log('| run | tokens | matrices received by the host (MB) | host RSS after (MB) | model process RSS (MB) |');
console.log('|---:|---:|---:|---:|---:|');
for (const r of rows) console.log(`| ${r.run} | ${r.tokens} | ${r.receivedMb} | ${r.hostRssMb} | ${r.modelProcessRssMb} |`);
