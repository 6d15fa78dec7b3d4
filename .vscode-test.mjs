// For @vscode/test-cli on a machine that can download VS Code: `npx vscode-test`.
// Build the tests first with `node scripts/test-vscode.mjs integration` (it writes out/test/integration/).
import { defineConfig } from '@vscode/test-cli';

export default defineConfig({
  files: 'out/test/integration/**/*.test.js',
  workspaceFolder: '.cache/workspaces/integration',
  version: '1.100.3',
  mocha: { ui: 'bdd', timeout: 60000 },
});
