// Render benchmark: <attn-matrix> (bundled from webview/) in real headless Chromium, synthetic N×N results.
// First paint = setting `result` → updateComplete → next requestAnimationFrame. Hover = pointermove over a cell →
// updateComplete (overlay + tooltip drawn), median of many. Prints a Markdown table; `--json FILE` writes numbers.
// Usage: node bench/render.mjs [--quick] [--json out.json]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { chromium } from 'playwright-core';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const jsonOut = args.includes('--json') ? args[args.indexOf('--json') + 1] : undefined;
const TARGETS = { paint: { 1024: 30, 4096: 150 }, hover: 16 };

const work = mkdtempSync(path.join(tmpdir(), 'attn-render-'));
let context;
try {
  const built = await esbuild.build({
    entryPoints: [path.join(root, 'bench/render-page.ts')],
    bundle: true, format: 'esm', platform: 'browser', target: 'es2022', write: false, logLevel: 'warning',
    minify: true, // as shipped by `npm run package`
  });
  const script = built.outputFiles[0].text.replace(/<\/script/gi, '<\\/script');
  const page = path.join(work, 'index.html');
  writeFileSync(page, `<!doctype html><html><head><meta charset="utf-8"><style>
    body { margin: 0; font-family: sans-serif; background: #1f1f1f; color: #ccc; }
    #host { width: 1100px; padding: 8px; }
  </style></head><body><div id="host"></div><script type="module">${script}</script></body></html>`);

  context = await chromium.launchPersistentContext(path.join(work, 'profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
    viewport: { width: 1200, height: 900 },
    deviceScaleFactor: 1,
  });
  const tab = context.pages()[0] ?? (await context.newPage());
  await tab.goto(pathToFileURL(page).href);
  await tab.waitForFunction(() => typeof window.runBench === 'function');
  const version = context.browser()?.version() ?? (await tab.evaluate(() => navigator.userAgent));

  if (args.includes('--profile')) {
    for (const n of [1024, 4096]) console.log(n, await tab.evaluate((n) => window.profileSteps(n), n));
  }
  const rows = [];
  for (const n of quick ? [256, 1024] : [256, 1024, 2048, 4096]) {
    const paints = n >= 4096 ? 5 : n >= 2048 ? 7 : 11;
    const r = await tab.evaluate(([n, paints]) => window.runBench(n, paints, 60), [n, paints]);
    rows.push(r);
    console.error(`N=${n}: first paint ${r.firstPaintMs.toFixed(1)} ms (drawn ${r.paintDrawnMs.toFixed(1)}), hover ${r.hoverDrawnMs.toFixed(2)} ms`);
  }
  const paintTarget = (n) => TARGETS.paint[n];
  const verdict = (ok) => (ok ? 'met' : 'missed');
  const table = [
    '| N | first paint, median (ms) | drawn by updateComplete, median (ms) | fastest paint / drawn (ms) | paint target | hover, median (ms) | hover p95 (ms) | hover → next frame (ms) | hover target ≤ 16 ms |',
    '|---:|---:|---:|---:|:---:|---:|---:|---:|:---:|',
    ...rows.map((r) => `| ${r.n} | ${r.firstPaintMs.toFixed(1)} | ${r.paintDrawnMs.toFixed(1)} | ${r.firstPaintMinMs.toFixed(1)} / ${r.paintDrawnMinMs.toFixed(1)} | ${paintTarget(r.n) ? `≤ ${paintTarget(r.n)}: ${verdict(r.firstPaintMs <= paintTarget(r.n))}` : '–'} | ${r.hoverDrawnMs.toFixed(2)} | ${r.hoverP95Ms.toFixed(2)} | ${r.hoverFrameMs.toFixed(1)} | ${verdict(r.hoverDrawnMs <= TARGETS.hover)} |`),
  ].join('\n');
  console.log(`Chromium ${version}, headless, --disable-gpu (software raster), viewport 1200×900, DPR 1`);
  console.log(table);
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ browser: version, rows, table }, null, 2));
} finally {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
}
