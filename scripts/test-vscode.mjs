// Runs the layers that need a real VS Code (code-server 4.100.3):
//   1. integration tests (mocha inside the extension host, via the workbench `payload` query);
//   2. end-to-end tests (mocha + playwright-core acting as a person on the packaged .vsix).
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, CACHE, freePort, freshProfile, installVsix, launchChromium, packageExtension, startCodeServer, workbenchUrl,
} from './harness.mjs';

const only = process.argv[2]; // 'integration' | 'e2e' | undefined for both
const OUT = path.join(ROOT, 'out', 'test');

async function buildTests(kind) {
  const dir = path.join(ROOT, 'test', kind);
  const entryPoints = fs.readdirSync(dir).filter((f) => f.endsWith('.ts')).map((f) => path.join(dir, f));
  await esbuild.build({
    entryPoints, outdir: path.join(OUT, kind), bundle: true, platform: 'node', format: 'cjs', target: 'node20',
    external: ['vscode', 'mocha', 'playwright-core'], mainFields: ['module', 'main'], sourcemap: 'inline', logLevel: 'warning',
  });
}

function workspaceCopy(name) {
  const dir = path.join(CACHE, 'workspaces', name);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.cpSync(path.join(ROOT, 'examples'), dir, { recursive: true });
  fs.cpSync(path.join(ROOT, 'test', 'fixtures', 'workspace'), dir, { recursive: true });
  return dir;
}

/**
 * A Hugging Face cache holding the tiny GPT-2 checkpoint in the Hub layout (blobs + snapshot symlinks +
 * refs/main), for the model picker end to end; the same layout test/fixtures/hfCache.ts builds for unit tests.
 */
function tinyHubCache() {
  const hub = path.join(CACHE, 'hf-hub');
  fs.rmSync(hub, { recursive: true, force: true });
  for (const family of ['gpt2', 'llama']) {
    const entry = path.join(hub, `models--tiny--${family}`);
    const snapshot = path.join(entry, 'snapshots', 'e2e0revision');
    for (const dir of ['blobs', 'refs', path.join('snapshots', 'e2e0revision')]) fs.mkdirSync(path.join(entry, dir), { recursive: true });
    const fixture = path.join(ROOT, 'test', 'fixtures', 'models', family);
    fs.readdirSync(fixture).forEach((file, i) => {
      const blob = path.join(entry, 'blobs', `blob${i}`);
      fs.copyFileSync(path.join(fixture, file), blob);
      fs.symlinkSync(path.relative(snapshot, blob), path.join(snapshot, file));
    });
    fs.writeFileSync(path.join(entry, 'refs', 'main'), 'e2e0revision');
  }
  return hub;
}

async function integration() {
  await buildTests('integration');
  const profile = freshProfile('integration');
  const folder = workspaceCopy('integration');
  const server = await startCodeServer({ profile, port: await freePort(), env: { SAV_TEST_WORKSPACE: folder } });
  const authority = new URL(server.base).host;
  const remote = (p) => `vscode-remote://${authority}${p}`;
  const url = workbenchUrl(server.base, folder, [
    ['extensionDevelopmentPath', remote(ROOT)],
    ['extensionTestsPath', remote(path.join(OUT, 'integration', 'index.js'))],
  ]);
  const { context, close } = await launchChromium();
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    let finish;
    const done = new Promise((resolve) => (finish = resolve));
    await page.exposeFunction('codeAutomationLog', (type, args) => (console[type] ?? console.log)(...(Array.isArray(args) ? args : [args])));
    await page.exposeFunction('codeAutomationExit', (code) => finish(code));
    const timer = setTimeout(() => finish(124), Number(process.env.SAV_INTEGRATION_TIMEOUT_MS || 600_000));
    // The tests report through codeAutomationExit (or the timer fires): only wait for the navigation to start, since a
    // loaded machine can take longer than goto's 30 s default to fire 'load' for the whole workbench.
    await page.goto(url, { waitUntil: 'commit', timeout: 120_000 });
    const code = await done;
    clearTimeout(timer);
    console.log(`integration tests: exit code ${code}`);
    return code;
  } finally {
    await close();
    server.stop();
  }
}

async function e2e() {
  await buildTests('e2e');
  const profile = freshProfile('e2e');
  installVsix(profile, path.join(ROOT, 'dist-vsix', 'self-attention-visualizer.vsix'));
  const folder = workspaceCopy('e2e');
  const hub = tinyHubCache();
  const server = await startCodeServer({ profile, port: await freePort(), env: { HF_HUB_CACHE: hub } });
  try {
    const files = fs.readdirSync(path.join(OUT, 'e2e')).filter((f) => f.endsWith('.test.js')).map((f) => path.join(OUT, 'e2e', f));
    // SAV_E2E_GREP runs only the tests whose titles match (mocha --grep), for working on one suite.
    const grep = process.env.SAV_E2E_GREP ? ['--grep', process.env.SAV_E2E_GREP] : [];
    const result = spawnSync('npx', ['mocha', '--timeout', '180000', '--reporter', 'spec', ...grep, ...files], {
      stdio: 'inherit', cwd: ROOT,
      env: {
        ...process.env, SAV_BASE: server.base, SAV_WORKSPACE: folder, SAV_SHOTS: path.join(ROOT, 'test-results'),
        SAV_USER_SETTINGS: path.join(profile, 'user-data', 'User', 'settings.json'), SAV_HF_HUB: hub,
      },
    });
    return result.status ?? 1;
  } finally {
    server.stop();
  }
}

packageExtension();
fs.mkdirSync(path.join(ROOT, 'test-results'), { recursive: true });
let failed = 0;
if (only !== 'e2e') failed += (await integration()) === 0 ? 0 : 1;
if (only !== 'integration') failed += (await e2e()) === 0 ? 0 : 1;
process.exit(failed ? 1 : 0);
