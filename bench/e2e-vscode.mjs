// End to end in the real VS Code (code-server): right-click → Visualize Self-Attention → fully drawn panel,
// for 200-, 2,000- and 4,096-token selections; the extension host's peak memory; and whether the host and the
// editor stay responsive with the 4,096-token matrix open. Prints a table and writes its section of bench/RESULTS.md.
// Usage: node bench/e2e-vscode.mjs [--json FILE]
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  ROOT, CACHE, freePort, freshProfile, installVsix, launchChromium, packageExtension, startCodeServer, workbenchUrl,
} from '../scripts/harness.mjs';

const SIZES = [200, 2000, 4096];
const WORDS = 'the cat sat on a mat while dogs ran past some old red barns near quiet green hills and rivers'.split(' ');

function workspace() {
  const dir = path.join(CACHE, 'workspaces', 'bench');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  for (const n of SIZES) {
    const words = Array.from({ length: n }, (_, i) => WORDS[(i * 7 + (i >> 3)) % WORDS.length]);
    const lines = [];
    for (let i = 0; i < n; i += 12) lines.push(words.slice(i, i + 12).join(' '));
    fs.writeFileSync(path.join(dir, `tokens-${n}.txt`), lines.join('\n') + '\n');
  }
  return dir;
}

/** The extension host's pid: code-server's node child started with --type=extensionHost. */
function extensionHostPid(serverPid) {
  const out = execFileSync('ps', ['-eo', 'pid,ppid,args'], { encoding: 'utf8' });
  const rows = out.split('\n').slice(1).map((l) => l.trim().split(/\s+/)).filter((r) => r.length > 2);
  const descendants = new Set([String(serverPid)]);
  for (let changed = true; changed;) {
    changed = false;
    for (const [pid, ppid] of rows) if (descendants.has(ppid) && !descendants.has(pid)) { descendants.add(pid); changed = true; }
  }
  const host = rows.find(([pid, , ...args]) => descendants.has(pid) && args.join(' ').includes('extensionHost'));
  return host ? Number(host[0]) : undefined;
}

function memory(pid) {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN) / 1024;
  return { rssMb: kb('VmRSS'), peakMb: kb('VmHWM') };
}

async function visualizeFile(page, count) {
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: `tokens-${count}.txt` }).first();
  await row.click();
  const editor = page.locator('.editor-group-container', { has: page.locator('.tab.active', { hasText: `tokens-${count}.txt` }) })
    .first().locator('.editor-instance .monaco-editor').first();
  const firstLine = editor.locator('.view-line').first();
  await firstLine.waitFor();
  const item = page.getByRole('menuitem', { name: 'Visualize Self-Attention' });
  for (let attempt = 0; ; attempt++) {
    await firstLine.click();
    await page.keyboard.press('Control+a');
    await editor.locator('.selected-text').first().waitFor();
    await firstLine.click({ button: 'right', position: { x: 10, y: 5 } });
    if (await item.waitFor({ timeout: 2000 }).then(() => true, () => false)) break;
    if (attempt > 30) throw new Error('menu item never appeared');
    await page.keyboard.press('Escape');
  }
  const view = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  // Hover focuses the menu item; Enter runs it (a synthetic click on a just-opened menu is sometimes ignored).
  await item.hover();
  const t0 = Date.now();
  await page.keyboard.press('Enter');
  await view.locator('attn-app').getByText(new RegExp(`${String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',?')} tokens`)).first().waitFor({ timeout: 120_000 });
  // The token view keeps only the rows on screen in the DOM (virtualised above 200 tokens): wait for the first.
  await view.locator('attn-token-view .tok[data-col="q"][data-index="0"]').waitFor({ timeout: 120_000 });
  await view.locator('attn-token-view').evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  return { ms: Date.now() - t0, view };
}

async function main() {
  const jsonOut = process.argv.includes('--json') ? process.argv[process.argv.indexOf('--json') + 1] : undefined;
  const vsix = packageExtension();
  const profile = freshProfile('bench', { 'editor.wordWrap': 'off', '[plaintext]': { 'editor.wordWrap': 'off' } });
  installVsix(profile, vsix);
  const folder = workspace();
  const server = await startCodeServer({ profile, port: await freePort() });
  const { context, close } = await launchChromium();
  const rows = [];
  let responsiveness;
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(workbenchUrl(server.base, folder));
    await page.locator('.explorer-folders-view .monaco-list-row', { hasText: 'tokens-200.txt' }).first().waitFor({ timeout: 90_000 });
    let hostPid;
    for (const n of SIZES) {
      const { ms, view } = await visualizeFile(page, n);
      hostPid ??= extensionHostPid(server.child.pid);
      const mem = hostPid ? memory(hostPid) : { rssMb: NaN, peakMb: NaN };
      rows.push({ tokens: n, ms, hostRssMb: mem.rssMb, hostPeakMb: mem.peakMb });
      console.log(`${n} tokens: right-click → drawn panel ${ms} ms; extension host RSS ${mem.rssMb.toFixed(0)} MB, peak ${mem.peakMb.toFixed(0)} MB`);
      if (n === 4096) {
        await view.getByRole('tab', { name: /Matrix/ }).click();
        await view.locator('attn-matrix canvas.base').waitFor();
        const editor = page.locator('.editor-group-container', { has: page.locator('.tab.active', { hasText: 'tokens-4096.txt' }) })
          .first().locator('.editor-instance .monaco-editor').first();
        const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
        // Typing in the editor with the big matrix open.
        await editor.locator('.view-line').first().click();
        await page.keyboard.press('End');
        const typed = [];
        for (let k = 0; k < 10; k++) {
          const t = Date.now();
          await page.keyboard.type('x');
          await editor.locator('.view-line', { hasText: `${'x'.repeat(k + 1)}` }).first().waitFor();
          typed.push(Date.now() - t);
        }
        responsiveness = { typingMedianMs: median(typed), typingMaxMs: Math.max(...typed) };
        console.log(`with the 4,096-token matrix open: typing → rendered median ${responsiveness.typingMedianMs} ms, max ${responsiveness.typingMaxMs} ms`);
      }
    }
  } catch (error) {
    await context.pages()[0]?.screenshot({ path: path.join(ROOT, 'test-results', 'bench-e2e-failure.png') });
    throw error;
  } finally {
    await close();
    server.stop();
  }
  const result = { date: new Date().toISOString(), rows, responsiveness };
  if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(result, null, 2));
  writeSection(result);
}

function writeSection({ date, rows, responsiveness }) {
  const BEGIN = '<!-- bench/e2e-vscode.mjs: begin -->';
  const END = '<!-- bench/e2e-vscode.mjs: end -->';
  const target = (n) => (n <= 200 ? 500 : 2000);
  const lines = [
    BEGIN,
    '## End to end in the real VS Code',
    '',
    `${date.slice(0, 10)}, code-server 4.100.3 (VS Code 1.100.3) + headless Chromium on this machine (\`node bench/e2e-vscode.mjs\`).`,
    'Time from clicking **Visualize Self-Attention** in the editor context menu to the panel showing every token (default settings: 4 heads, d_model 64, 1 layer).',
    '',
    '| tokens | right-click → drawn panel | target | extension host RSS | host peak RSS |',
    '|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.tokens.toLocaleString('en')} | ${r.ms} ms | ${r.tokens <= 2000 ? `≤ ${target(r.tokens)} ms ${r.ms <= target(r.tokens) ? '✅' : '❌'}` : '—'} | ${r.hostRssMb.toFixed(0)} MB | ${r.hostPeakMb.toFixed(0)} MB |`),
    '',
    responsiveness
      ? `With the 4,096-token matrix open, typing in the editor renders in ${responsiveness.typingMedianMs} ms (median of 10, max ${responsiveness.typingMaxMs} ms).`
      : '',
    '',
    'Where the time goes (the extension logs it: Output → Self-Attention): the computation in the worker thread (about 0.1 s',
    'at 200 tokens, 1 s at 2,000 and 3 s at 4,096: four heads, each keeping scores, scaled scores and weights), then the',
    'snapshot\'s journey to the webview, then the webview drawing it. The journey dominates at scale: code-server carries',
    'webview messages from the extension host through its server to the browser at about 12 MB/s here (16.5 MB at 2,000',
    'tokens takes 1.4–1.8 s; 68 MB at 4,096 takes 5–7 s). Desktop VS Code passes the same ArrayBuffers over local IPC.',
    'What we did about it: large results send only what the views on screen draw (the focused head\'s weights, its raw or',
    'scaled scores only in the matrix view that shows them, layer-wide matrices only in the pipeline view, other heads as',
    '64×64 thumbnails with their statistics); the worker starts when the panel opens; the extension activates after',
    'start-up instead of on the first click. The first click still pays for creating the webview (about 0.8–1 s in',
    'code-server). Targets: **missed** at both sizes, by about 3× at 200 tokens and 1.8× at 2,000. Next steps: keep the',
    'full result in the worker and send the webview a downsampled raster for N above its pixel width (a 4,096² float32',
    'matrix is 64 MB for a ~600 px canvas), and quantise display-only data to 16 bits.',
    '',
    'Host memory: the extension host keeps the whole result (every head\'s three N×N matrices) so that focusing another',
    'head needs no recomputation; at 4,096 tokens that is about 0.8 GB of the peak above. Keeping it in the worker instead',
    'is the next step for memory.',
    END,
  ];
  const file = path.join(ROOT, 'bench', 'RESULTS.md');
  const old = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '# Benchmark results\n';
  const section = lines.join('\n');
  const next = old.includes(BEGIN) ? old.replace(new RegExp(`${BEGIN}[\\s\\S]*?${END}`), section) : `${old.trimEnd()}\n\n${section}\n`;
  fs.writeFileSync(file, next);
  console.log(`wrote the end-to-end section of ${path.relative(ROOT, file)}`);
}

await main();
