// The project's harness for a real VS Code: code-server 4.100.3 (VS Code 1.100.3) from .cache/,
// a fresh profile per run, and Debian's Chromium driven by playwright-core.
import { spawn, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CACHE = path.join(ROOT, '.cache');
const CODE_SERVER = path.join(CACHE, 'code-server', 'node_modules', '.bin', 'code-server');
export const VSIX = path.join(ROOT, 'dist-vsix', 'self-attention-visualizer.vsix');
export const EXTENSION_ID = 'attention-lab.self-attention-visualizer';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic',
];

const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'telemetry.telemetryLevel': 'off',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'update.mode': 'none',
  'workbench.enableExperiments': false,
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'chat.disableAIFeatures': true,
  'window.confirmBeforeClose': 'never',
  'git.openRepositoryInParentFolders': 'never',
  'git.enabled': false,
};

export function run(cmd, args, opts = {}) {
  execFileSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
}

/** Builds the production bundle and packages the .vsix with vsce. */
export function packageExtension() {
  run('npm', ['run', '--silent', 'package']);
  return VSIX;
}

/** A fresh profile folder: user data, extensions, XDG dirs and settings. */
export function freshProfile(name, extraSettings = {}) {
  const dir = path.join(CACHE, 'profiles', name);
  fs.rmSync(dir, { recursive: true, force: true });
  for (const sub of ['user-data/User', 'extensions', 'xdg-config', 'xdg-data', 'xdg-cache', 'tmp']) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }
  fs.writeFileSync(path.join(dir, 'user-data/User/settings.json'), JSON.stringify({ ...USER_SETTINGS, ...extraSettings }, null, 2));
  return dir;
}

function profileEnv(profile, extraEnv = {}) {
  return {
    ...process.env,
    TMPDIR: path.join(profile, 'tmp'),
    XDG_CONFIG_HOME: path.join(profile, 'xdg-config'),
    XDG_DATA_HOME: path.join(profile, 'xdg-data'),
    XDG_CACHE_HOME: path.join(profile, 'xdg-cache'),
    ...extraEnv,
  };
}

function baseArgs(profile) {
  return ['--user-data-dir', path.join(profile, 'user-data'), '--extensions-dir', path.join(profile, 'extensions')];
}

export function installVsix(profile, vsix) {
  run(CODE_SERVER, [...baseArgs(profile), '--install-extension', vsix], { env: profileEnv(profile), stdio: ['ignore', 'inherit', 'inherit'] });
}

export async function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** Starts code-server on 127.0.0.1 and resolves once it answers. */
export async function startCodeServer({ profile, port, env = {}, logFile }) {
  const args = [
    ...baseArgs(profile), '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none',
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
  ];
  const out = fs.openSync(logFile ?? path.join(profile, 'code-server.log'), 'w');
  const child = spawn(CODE_SERVER, args, { env: profileEnv(profile, env), stdio: ['ignore', out, out], detached: true });
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 150));
    }
  }
  const stop = () => {
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      /* already gone */
    }
  };
  return { base, child, stop };
}

export function workbenchUrl(base, folder, payload) {
  let url = `${base}/?folder=${encodeURIComponent(folder)}`;
  if (payload) url += `&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return url;
}

/** Debian's Chromium with a fresh profile (launch() refuses --user-data-dir, so a persistent context). */
export async function launchChromium(options = {}) {
  const { chromium } = await import('playwright-core');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'sav-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1500, height: 900 },
    args: CHROMIUM_ARGS,
    ...options,
  });
  const close = async () => {
    await context.close().catch(() => {});
    fs.rmSync(profile, { recursive: true, force: true });
  };
  return { context, close };
}
