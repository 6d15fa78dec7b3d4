// Saves PNG screenshots of every view (dark theme) to docs/images/, using the dev page.
// Usage: node scripts/screenshots.mjs  (starts its own dev server on PORT, default 5199)
import { chromium } from 'playwright-core';
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const port = Number(process.env.PORT ?? 5199);
const outDir = join(root, 'docs/images');
const args = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
];

const SHOTS = [
  { name: 'tokens', query: 'view=tokens&lock=4' },
  { name: 'tokens-overlay', query: 'view=tokens&overlay=1,2,3' },
  { name: 'matrix', query: 'view=matrix&matrix=weights' },
  { name: 'pipeline', query: 'view=pipeline' },
  { name: 'heads', query: 'view=grid' },
  { name: 'file-example', query: 'view=tokens&lock=5&example=gpt2-induction.attention.json' },
];

function startServer() {
  const child = spawn(process.execPath, [join(root, 'scripts/dev-page.mjs')], {
    env: { ...process.env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolveStart, reject) => {
    child.on('error', reject);
    child.stdout.on('data', (d) => { if (String(d).includes('http://')) resolveStart(child); });
    setTimeout(() => reject(new Error('dev server did not start')), 15000);
  });
}

const server = await startServer();
const profile = await mkdtemp(join(tmpdir(), 'attn-shots-'));
let context;
try {
  await mkdir(outDir, { recursive: true });
  context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args, headless: true,
    viewport: { width: 1200, height: 860 }, deviceScaleFactor: 1, colorScheme: 'dark',
  });
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (e) => console.error('page error:', e.message));
  for (const shot of SHOTS) {
    const example = process.env.EXAMPLE ? `&example=${encodeURIComponent(process.env.EXAMPLE)}` : '';
    await page.goto(`http://127.0.0.1:${port}/?theme=dark&${shot.query}${example}`);
    await page.evaluate(() => sessionStorage.clear());
    await page.reload();
    await page.waitForFunction(() => {
      const app = document.querySelector('attn-app');
      return Boolean(app && app.snapshot && !app.busy);
    }, null, { timeout: 20000 });
    await page.waitForTimeout(400);
    const file = join(outDir, `${shot.name}.png`);
    await page.locator('attn-app').screenshot({ path: file });
    console.log('saved', file);
  }
} finally {
  await context?.close();
  server.kill();
  await rm(profile, { recursive: true, force: true });
}
