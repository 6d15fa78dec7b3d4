import * as path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The layering rules of eslint.config.mjs, each broken on purpose: the lint must report it. (`npm run lint` keeps
 * the real tree clean; this keeps the rules themselves from silently going away.)
 */
const eslint = new ESLint({ cwd: path.join(__dirname, '../../..') });

async function restrictedImports(filePath: string, source: string, statement = `import * as m from '${source}';\nexport { m };\n`): Promise<string[]> {
  const [result] = await eslint.lintText(statement, { filePath });
  return result.messages.filter((m) => m.ruleId?.endsWith('no-restricted-imports')).map((m) => m.message);
}

describe('layering lint rules', () => {
  it.each([
    ['webview/components/attn-x.ts', '../../src/core/matrix', /only through src\/shared/],
    ['webview/render/x.ts', '../../src/protocol', /only through src\/shared/],
    ['webview/x.ts', '../src/compute/slice', /only through src\/shared/],
    ['webview/x.ts', 'vscode', /messages only/],
    ['src/compute/x.ts', '../panel/session', /may not import the panel/],
    ['src/core/kernels/x.ts', '../types', /import nothing else from the core/],
    ['src/core/kernels/x.ts', '../masks', /import nothing else from the core/],
    ['src/core/x.ts', 'node:fs', /no Node built-ins/],
    ['src/core/tensorFile/x.ts', 'node:path', /no Node built-ins/],
    ['src/core/x.ts', 'vscode', /pure/],
    ['src/core/x.ts', '../panel/session', /layers above/],
    ['src/core/x.ts', '../shared/protocol', /layers above/],
    ['src/shared/x.ts', '../panel/attentionPanel', /only the core/],
    ['src/shared/x.ts', 'node:worker_threads', /no Node built-ins/],
    ['src/panel/x.ts', '../core', /holds no core math/],
    ['src/sources/x.ts', '../core/tensorFile/limits', /holds no core math/],
    ['src/extension.ts', './core', /holds no core math/],
    ['src/panel/x.ts', '../compute/job', /holds no core math/],
  ])('%s may not import %s', async (file, source, message) => {
    const messages = await restrictedImports(file, source);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(message);
  });

  it.each([
    ['webview/components/attn-x.ts', '../../src/shared/core'],
    ['webview/x.ts', './render/colour-scale'],
    ['webview/dev/x.ts', '../../src/core'],
    ['src/compute/x.ts', '../shared/protocol'],
    ['src/compute/x.ts', '../core'],
    ['src/core/kernels/x.ts', './softmaxRow'],
    ['src/core/x.ts', './kernels'],
    ['src/shared/x.ts', '../core/masks'],
    ['src/panel/x.ts', '../compute/computeClient'],
    ['src/panel/x.ts', '../shared/core'],
  ])('%s may import %s', async (file, source) => {
    expect(await restrictedImports(file, source)).toEqual([]);
  });

  it('the extension host may import the core\'s types', async () => {
    expect(await restrictedImports('src/panel/x.ts', '../core', "import type { AttentionResult } from '../core';\nexport type { AttentionResult };\n")).toEqual([]);
  });
});
