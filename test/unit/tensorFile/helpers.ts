import { expect } from 'vitest';
import { parseTensorFile } from '../../../src/core/tensorFile';
import type { AttentionSpec, ParseResult, Problem } from '../../../src/core/types';

export function ok(text: string): { spec: AttentionSpec; warnings: readonly Problem[] } {
  const r = parseTensorFile(text);
  if (!r.ok) throw new Error(`expected ok, got:\n${r.problems.map((p) => p.message).join('\n')}`);
  return r;
}

export function problems(text: string): readonly Problem[] {
  const r: ParseResult = parseTensorFile(text);
  if (r.ok) throw new Error('expected problems, but the file parsed');
  return r.problems;
}

/** The single error whose message matches, checking its location points at `snippet` in the text. */
export function expectError(text: string, message: RegExp | string, snippet?: string): Problem {
  const ps = problems(text);
  const p = ps.find((x) => (typeof message === 'string' ? x.message.includes(message) : message.test(x.message)));
  if (p === undefined) throw new Error(`no problem matching ${String(message)} in:\n${ps.map((x) => x.message).join('\n')}`);
  expect(p.severity).toBe('error');
  if (snippet !== undefined) {
    expect(p.location).toBeDefined();
    const loc = p.location!;
    expect(text.slice(loc.offset, loc.offset + loc.length)).toBe(snippet);
  }
  return p;
}

export const json = (o: unknown): string => JSON.stringify(o, null, 2);
