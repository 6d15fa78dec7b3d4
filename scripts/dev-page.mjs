// Standalone dev page: bundles the webview and the dev host with esbuild (in memory, rebuilt on
// every request) and serves the repository read-only on http://127.0.0.1:5173/.
import * as esbuild from 'esbuild';
import { createServer } from 'node:http';
import { readFile, readdir, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('..', import.meta.url)));
const port = Number(process.env.PORT ?? 5173);
const host = '127.0.0.1';

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8', '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml',
  '.png': 'image/png', '.md': 'text/markdown; charset=utf-8', '.txt': 'text/plain; charset=utf-8',
};

const BUNDLES = { '/__dev/webview.js': 'webview/main.ts', '/__dev/dev-host.js': 'webview/dev/dev-host.ts' };

async function bundle(entry) {
  const out = await esbuild.build({
    entryPoints: [join(root, entry)], bundle: true, write: false, format: 'esm', platform: 'browser',
    target: 'es2022', sourcemap: 'inline', logLevel: 'silent',
  });
  return out.outputFiles[0].text;
}

function send(res, status, type, body) {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(body);
}

const server = createServer(async (req, res) => {
  try {
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'read-only');
    const url = new URL(req.url ?? '/', `http://${host}:${port}`);
    const path = decodeURIComponent(url.pathname);
    if (path === '/' || path === '/index.html') {
      return send(res, 200, TYPES['.html'], await readFile(join(root, 'webview/dev/index.html')));
    }
    if (path in BUNDLES) return send(res, 200, TYPES['.js'], await bundle(BUNDLES[path]));
    if (path === '/__examples') {
      const names = (await readdir(join(root, 'examples')).catch(() => [])).filter((n) => n.endsWith('.json')).sort();
      return send(res, 200, TYPES['.json'], JSON.stringify(names));
    }
    const file = resolve(root, '.' + normalize(path));
    if (file !== root && !file.startsWith(root + sep)) return send(res, 403, 'text/plain', 'forbidden');
    if (file.split(sep).some((p) => p.startsWith('.') && p !== '.')) return send(res, 403, 'text/plain', 'forbidden');
    const s = await stat(file).catch(() => null);
    if (!s || !s.isFile()) return send(res, 404, 'text/plain', 'not found');
    return send(res, 200, TYPES[extname(file)] ?? 'application/octet-stream', await readFile(file));
  } catch (e) {
    const message = e && typeof e === 'object' && 'errors' in e ? e.errors.map((x) => x.text).join('\n') : String(e);
    return send(res, 500, 'text/plain; charset=utf-8', message);
  }
});

server.listen(port, host, () => {
  console.log(`Self-Attention Visualizer dev page: http://${host}:${port}/`);
});
