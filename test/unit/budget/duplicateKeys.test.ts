/**
 * Issue 12 row 1: a file of 32,000 objects like {"a":0,"a":0} stalled the extension host for 11 s, because the
 * path of each duplicate key was found by walking the whole tree (quadratic). The path is now kept while parsing.
 * Linear time is asserted as a ratio to the same-sized file without duplicates, never in milliseconds.
 */
import { describe, expect, it } from 'vitest';
import { parseTensorFile } from '../../../src/core';
import { duplicateKeysFile } from '../../fixtures/budgetInputs';

/** The median of `runs` timings of fn. */
function medianTime(fn: () => void, runs: number): number {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b)[runs >> 1];
}

describe('duplicate keys (issue 12 row 1)', () => {
  it('reports each duplicate with its path', () => {
    const parsed = parseTensorFile(duplicateKeysFile(3));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    const dups = parsed.problems.filter((p) => p.message.startsWith('Duplicate key "a"'));
    expect(dups.map((p) => p.location?.path)).toEqual([['extra', 0, 'a'], ['extra', 1, 'a'], ['extra', 2, 'a']]);
    expect(dups[1].message).toMatch(/in extra\[1\]; it was already given at line 1, column \d+/);
  });

  it('keeps array indices right when an array switches from packed numbers to items', () => {
    const parsed = parseTensorFile('{"tokens": ["a"], "attention": [[1]], "x": [1, 2, {"b": 0, "b": 1}]}');
    expect(parsed.ok ? [] : parsed.problems[0].location?.path).toEqual(['x', 2, 'b']);
  });

  it('parses 32,000 duplicate-key objects in linear time: no slower than the same file without duplicates', () => {
    const duplicates = duplicateKeysFile(32_000);
    const distinct = duplicates.replaceAll('{"a":0,"a":0}', '{"a":0,"b":0}');
    expect(duplicates.length).toBeGreaterThan(430_000);
    expect(distinct.length).toBe(duplicates.length);
    medianTime(() => parseTensorFile(duplicates), 2); // warm up the JIT
    // Quadratic (a tree walk per duplicate) was ~100× slower here; linear stays within noise of the clean file.
    const ratio = medianTime(() => parseTensorFile(duplicates), 5) / medianTime(() => parseTensorFile(distinct), 5);
    expect(ratio).toBeLessThan(3);
  });
});
