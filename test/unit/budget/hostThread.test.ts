/**
 * Issue 12 row 10: tensor JSON was parsed on the extension host's thread for diagnostics and for the file source (49 MB
 * of newlines: 1.2 s and 1.26 GB there). Parsing now happens in worker threads (src/compute/worker.ts). This keeps it so:
 * no module that runs on the host's thread calls a parser or an evaluator. Since issue 14 no job runs inline at all
 * (test/unit/budget/inline.test.ts), and the host bundle holds no parser or evaluator (test/unit/lint/hostBundle.test.ts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = path.resolve(__dirname, '../../../src');
const HOST_FOLDERS = ['editor', 'sources', 'panel'];
const HOST_FILES = ['extension.ts', 'settings.ts'];
/** What grows with the input: parsing tensor files, reading binary ones, evaluating, running jobs. */
const HEAVY = /\b(parseTensorFile|parseBinaryAttention|readBinaryTensor|readNpz|readNpy|readSafetensors|buildTree|tokenStringRanges|parseTree|checkTensorText|runJob|evaluate|tryEvaluate)\s*\(/;

function hostModules(): string[] {
  const files = HOST_FILES.map((f) => path.join(SRC, f));
  for (const folder of HOST_FOLDERS) {
    for (const entry of readdirSync(path.join(SRC, folder), { recursive: true, encoding: 'utf8' })) {
      if (entry.endsWith('.ts')) files.push(path.join(SRC, folder, entry));
    }
  }
  return files;
}

describe('nothing that grows with the input runs on the extension host thread', () => {
  it.each(hostModules().map((f) => [path.relative(SRC, f), f]))('%s calls no parser or evaluator', (_name, file) => {
    const calls = readFileSync(file, 'utf8').split('\n').filter((line) => HEAVY.test(line) && !line.trim().startsWith('*') && !line.trim().startsWith('//'));
    expect(calls).toEqual([]);
  });
});
