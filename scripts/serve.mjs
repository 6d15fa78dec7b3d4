// `npm start`: the extension, packaged as a .vsix, in a real VS Code serving examples/ on 127.0.0.1.
import path from 'node:path';
import { ROOT, freshProfile, installVsix, packageExtension, startCodeServer, workbenchUrl } from './harness.mjs';

const port = Number(process.env.PORT || 8080);
const vsix = packageExtension();
const profile = freshProfile('main');
installVsix(profile, vsix);
const { base, child, stop } = await startCodeServer({ profile, port });
const url = workbenchUrl(base, path.join(ROOT, 'examples'));
console.log(`\nSelf-Attention Visualizer is running in VS Code at:\n\n  ${url}\n\nOpen it in a browser. Select text, right-click, "Visualize Self-Attention". Ctrl+C stops the server.`);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => { stop(); process.exit(0); });
child.on('exit', (code) => {
  console.log(`code-server exited (${code}); see ${path.join(profile, 'code-server.log')}`);
  process.exit(code ?? 1);
});
