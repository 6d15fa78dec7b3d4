/**
 * Fuzzing the untrusted edges end to end:
 * - tensor files through runJob (parseTensorFile + evaluate, what the worker runs): problems, or finite numbers with
 *   unmasked rows summing to 1 (all-masked rows all zeros);
 * - validateMessage (the host's check of every webview message) with structured near-miss messages.
 * The parser-only fuzzing (no throw, locations inside the text) is in test/unit/tensorFile/fuzz.test.ts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { FromWebview } from '../../../src/shared/protocol';
import { validateMessage } from '../../../src/shared/validateMessage';
import { HOSTILE_STRINGS } from '../../fixtures/hostile';
import { expectSane, rowReport, runSafely } from './check';
import { SETTINGS } from '../../../src/shared/settings';

// ---------- tensor files ----------

/**
 * Mostly good numbers, sometimes the wrong thing where a number belongs. Huge finite values (≳ 1e19) are left out here:
 * and so are tiny temperatures (1e-300): both overflow float32 in scores/scaled, a known finding covered in
 * corpus.test.ts ("extreme but finite numbers …").
 */
const cell = fc.oneof(
  { weight: 12, arbitrary: fc.double({ min: -4, max: 4, noNaN: true, noDefaultInfinity: true }) },
  { weight: 2, arbitrary: fc.integer({ min: -3, max: 3 }) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('NaN', 'Infinity', '-Infinity', '1', null, true, 1e39, -1e39, 1e6, -1e6, 0, -0, 5e-324, [], {}) },
);
const matrix = (rows: fc.Arbitrary<number>, cols: fc.Arbitrary<number>) =>
  fc.tuple(rows, cols).chain(([r, c]) => fc.array(fc.array(cell, { minLength: c, maxLength: c }), { minLength: r, maxLength: r }));
/** A probability row of length c (or, rarely, an arbitrary row). */
const probRow = (c: number) => fc.oneof(
  { weight: 6, arbitrary: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: c, maxLength: c }).map((xs) => {
    const s = xs.reduce((a, b) => a + b, 0);
    return s > 0 ? xs.map((x) => x / s) : xs;
  }) },
  { weight: 1, arbitrary: fc.array(cell, { minLength: c, maxLength: c }) },
);
const token = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom(...HOSTILE_STRINGS));
const dim = fc.integer({ min: 1, max: 4 });
/** Usually the right size, sometimes one off: mismatched dims in every pairing. */
const near = (n: number) => fc.oneof({ weight: 5, arbitrary: fc.constant(n) }, { weight: 1, arbitrary: fc.constantFrom(Math.max(0, n - 1), n + 1) });

const options = fc.record({
  temperature: fc.oneof(fc.double({ min: 0.05, max: 20, noNaN: true }), fc.constantFrom<unknown>(0, -1, 'hot', 1e-6, 1e300)),
  scale: fc.oneof(fc.boolean(), fc.double({ min: 0.01, max: 4, noNaN: true }), fc.constantFrom<unknown>(0, -1)),
  mask: fc.oneof(
    fc.constantFrom<unknown>('none', 'causal', 'causl', 3),
    fc.record({ window: fc.integer({ min: -1, max: 6 }) }),
    fc.record({ window: fc.integer({ min: 0, max: 6 }), dilation: fc.integer({ min: 0, max: 4 }) }),
  ),
}, { requiredKeys: [] });

/** Plausible tensor files in every mode, with shapes that usually agree. */
const tensorFile = fc.record({ n: dim, m: dim, d: dim, k: dim, heads: fc.integer({ min: 0, max: 3 }), cross: fc.boolean() }).chain(({ n, m, d, k, heads, cross }) => {
  const keys = cross ? m : n;
  const tokens = fc.array(token, { minLength: n, maxLength: n });
  const keyTokens = cross ? fc.array(token, { minLength: m, maxLength: m }).map((t) => ({ key_tokens: t })) : fc.constant({});
  const head = fc.record({ wq: matrix(near(d), fc.constant(k)), wk: matrix(near(d), near(k)), wv: matrix(near(d), fc.constant(k)) });
  const ffn = fc.integer({ min: 1, max: 4 }).chain((f) => fc.record({ w1: matrix(near(d), fc.constant(f)), b1: fc.array(cell, { minLength: f, maxLength: f }), w2: matrix(near(f), fc.constant(d)), b2: fc.array(cell, { minLength: d, maxLength: d }) }));
  const embeddings = cross ? fc.record({ embeddings: matrix(near(n), fc.constant(d)), key_embeddings: matrix(near(m), near(d)) }) : fc.record({ embeddings: matrix(near(n), fc.constant(d)) });
  const modes = fc.oneof(
    embeddings,
    fc.tuple(embeddings, fc.array(head, { minLength: heads, maxLength: heads })).map(([e, h]) => ({ ...e, heads: h })),
    fc.record({ query: matrix(near(n), fc.constant(k)), key: matrix(near(keys), near(k)), value: matrix(near(keys), dim) }),
    fc.tuple(embeddings, fc.array(fc.record({ heads: fc.array(head, { minLength: heads, maxLength: heads }), ffn }, { requiredKeys: ['heads'] }), { minLength: 1, maxLength: 2 })).map(([e, layers]) => ({ ...e, layers })),
    fc.oneof(
      fc.array(probRow(keys), { minLength: n, maxLength: n }),
      fc.array(fc.array(fc.array(probRow(keys), { minLength: n, maxLength: n }), { minLength: 1, maxLength: 2 }), { minLength: 1, maxLength: 2 }),
    ).map((attention) => ({ attention })),
  );
  return fc.tuple(tokens, keyTokens, modes, fc.option(options, { nil: undefined })).map(([t, kt, mode, o]) => ({ tokens: t, ...kt, ...mode, ...(o ? { options: o } : {}) }));
});

function checkFile(text: string): void {
  const outcome = runSafely({ kind: 'file', text }, text.slice(0, 200));
  expectSane(outcome, text.slice(0, 300));
}

describe('fuzz: tensor files through runJob', () => {
  it('plausible files in every mode: problems, or finite numbers with rows summing to 1', () => {
    let accepted = 0;
    fc.assert(fc.property(tensorFile, fc.boolean(), (o, pretty) => {
      const text = JSON.stringify(o, null, pretty ? 2 : undefined);
      checkFile(text);
      if (runSafely({ kind: 'file', text }).ok) accepted++;
    }), { numRuns: 1500 });
    // The generator must reach evaluate often, or the property says little.
    expect(accepted).toBeGreaterThan(150);
  }, 60_000);

  it('the same files with one edit (cut, insert, delete): still never a throw or a NaN', () => {
    const edit = fc.record({ at: fc.nat(), len: fc.nat({ max: 8 }), insert: fc.constantFrom('', ',', ']', '[', '}', '{', '"', '-', 'e', '9', '\uFFFD', '\uFEFF', '//', '/*', ' null', 'NaN') });
    fc.assert(fc.property(tensorFile, edit, (o, { at, len, insert }) => {
      const text = JSON.stringify(o);
      const i = at % (text.length + 1);
      checkFile(text.slice(0, i) + insert + text.slice(i + len));
    }), { numRuns: 1500 });
  }, 60_000);

  it('masked computed attention: unmasked rows sum to 1, fully masked rows are all zeros', () => {
    const spec = fc.record({ n: fc.integer({ min: 1, max: 6 }), m: fc.integer({ min: 1, max: 6 }), w: fc.integer({ min: 1, max: 4 }), r: fc.integer({ min: 1, max: 3 }), kind: fc.constantFrom('causal', 'window', 'dilated') })
      .chain(({ n, m, w, r, kind }) => fc.record({
        q: fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2, maxLength: 2 }), { minLength: n, maxLength: n }),
        k: fc.array(fc.array(fc.double({ min: -3, max: 3, noNaN: true }), { minLength: 2, maxLength: 2 }), { minLength: m, maxLength: m }),
      }).map(({ q, k }) => ({
        tokens: q.map((_, i) => `q${i}`), key_tokens: k.map((_, j) => `k${j}`), query: q, key: k, value: k,
        options: { mask: kind === 'causal' ? 'causal' : kind === 'window' ? { window: w } : { window: w, dilation: r } },
      })));
    fc.assert(fc.property(spec, (o) => {
      const outcome = runSafely({ kind: 'file', text: JSON.stringify(o) });
      expectSane(outcome);
      if (!outcome.ok) throw new Error(outcome.message);
      const head = outcome.result.layers[0].heads[0];
      for (let i = 0; i < head.weights.rows; i++) {
        const row = head.weights.data.subarray(i * head.weights.cols, (i + 1) * head.weights.cols);
        const scaled = head.scaled!.data.subarray(i * head.weights.cols, (i + 1) * head.weights.cols);
        const visible = Array.from(scaled).filter((s) => s !== -Infinity).length;
        if (visible === 0) expect(Array.from(row).every((x) => x === 0)).toBe(true);
        else expect(Math.abs(row.reduce((a, b) => a + b, 0) - 1)).toBeLessThan(1e-4);
      }
      expect(rowReport(outcome.result).offRows).toEqual([]);
    }), { numRuns: 500 });
  }, 60_000);

  it('selections of arbitrary text with arbitrary small settings', () => {
    const settings = fc.record({
      tokenizer: fc.constantFrom('words' as const, 'gpt2' as const),
      dModel: fc.integer({ min: -2, max: 16 }), dK: fc.integer({ min: -1, max: 8 }), heads: fc.integer({ min: -1, max: 3 }), layers: fc.integer({ min: 0, max: 2 }),
      seed: fc.integer(), positionalEncoding: fc.boolean(), scale: fc.boolean(),
      temperature: fc.oneof(fc.double({ min: 0.01, max: 100, noNaN: true }), fc.constantFrom(0, -1, NaN, Infinity)),
      mask: fc.oneof(fc.constant({ kind: 'none' as const }), fc.constant({ kind: 'causal' as const }), fc.integer({ min: -1, max: 5 }).map((window) => ({ kind: 'window' as const, window })),
        fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 3 })).map(([window, dilation]) => ({ kind: 'dilated' as const, window, dilation }))),
    });
    const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), fc.array(fc.constantFrom(...HOSTILE_STRINGS, ' ', '\n'), { maxLength: 12 }).map((xs) => xs.join('')));
    fc.assert(fc.property(text, settings, (t, s) => {
      const outcome = runSafely({ kind: 'selection', text: t, settings: s, maxTokens: 64 }, JSON.stringify(t));
      expectSane(outcome, JSON.stringify({ t, s }));
      if (outcome.ok) outcome.tokenRanges?.forEach(([a, b], i) => { if (s.tokenizer === 'words') expect(outcome.result.tokens[i]).toBe(t.slice(a, b)); });
    }), { numRuns: 400 });
  }, 60_000);
});

// ---------- validateMessage ----------

const UI = { view: 'matrix', matrix: 'weights', layer: 0, head: 1, lockedToken: 3, threshold: 0.1, overlayHeads: [0, 2], hiddenTokens: [4] };
const VALID: readonly Record<string, unknown>[] = [
  { type: 'ready' },
  { type: 'tokenFocus', index: 2, layer: 0, head: 1 },
  { type: 'tokenFocus', index: null, layer: 0, head: 0 },
  { type: 'updateSettings', settings: { dModel: 64, dK: 16, heads: 4, layers: 1, seed: 42, tokenizer: 'gpt2', positionalEncoding: true, scale: false, temperature: 0.5, mask: { kind: 'dilated', window: 3, dilation: 2 } } },
  { type: 'updateSettings', settings: { mask: { kind: 'window', window: 4 } } },
  { type: 'setFollowSelection', follow: true },
  { type: 'uiState', ui: UI },
  { type: 'export', format: 'png', suggestedName: 'attention-head-1', content: 'iVBORw0KGgo=' },
];

/** Values one step outside what a field accepts, or of the wrong kind. */
const nearMissValue = fc.constantFrom<unknown>(
  undefined, null, -1, -0.5, 0.5, 1.5, 1e7, 10_000_000, 2 ** 31, -(2 ** 31) - 1, NaN, Infinity, -Infinity, '0', '1', '', 'true', true, false, [], {}, [0], ['a'],
  'ready', 'tokens', 'svg', 'none', 'causal', 'window', 'gpt2', 'evil', '__proto__', { kind: 'window' }, { kind: 'window', window: 0 }, { kind: 'dilated', window: 2 },
  Number.MAX_SAFE_INTEGER + 2, 1025, 513, 17, 13, 0, 1, 2, 1000, 1000.0001, 1_000_001,
);

/** A path to a field of a valid message, to replace with a near miss. */
function paths(o: unknown, prefix: string[] = []): string[][] {
  if (o === null || typeof o !== 'object') return [prefix];
  const out: string[][] = prefix.length > 0 ? [prefix] : [];
  for (const [k, v] of Object.entries(o)) out.push(...paths(v, [...prefix, k]));
  return out;
}

function setPath(o: unknown, path: readonly string[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  if (Array.isArray(o)) {
    // Arrays never get holes here (see the sparse-list test): an undefined item is removed.
    const copy = [...o];
    if (rest.length === 0 && value === undefined) copy.splice(Number(head), 1);
    else copy[Number(head)] = setPath(copy[Number(head)], rest, value);
    return copy;
  }
  const copy: Record<string, unknown> = { ...(o as Record<string, unknown>) };
  if (rest.length === 0 && value === undefined) delete copy[head];
  else copy[head] = setPath(copy[head], rest, value);
  return copy;
}

const nearMiss = fc.tuple(fc.constantFrom(...VALID), fc.nat(), nearMissValue, fc.boolean(), fc.constantFrom('extra', '__proto__', 'constructor', 'type'), nearMissValue)
  .map(([base, pick, value, addKey, key, extra]) => {
    const ps = paths(base);
    let msg = setPath(base, ps[pick % ps.length], value);
    if (addKey && msg && typeof msg === 'object') msg = { ...(msg as object), [key]: extra };
    return msg;
  });

const isIndex = (v: unknown) => Number.isInteger(v) && (v as number) >= 0 && (v as number) < 10_000_000;
const inRange = (v: unknown, min: number, max: number) => v === undefined || (Number.isInteger(v) && (v as number) >= min && (v as number) <= max);

/** What the host may rely on for a message validateMessage let through. */
function expectWellFormed(m: FromWebview): void {
  const keys = (o: object) => Object.keys(o).sort();
  switch (m.type) {
    case 'ready':
      expect(keys(m)).toEqual(['type']);
      return;
    case 'tokenFocus':
      expect(keys(m).filter((k) => k !== 'weights')).toEqual(['head', 'index', 'layer', 'type']);
      expect(m.index === null || isIndex(m.index)).toBe(true);
      expect(m.weights === undefined || m.weights.every((w) => Number.isFinite(w) && w >= 0)).toBe(true);
      expect(isIndex(m.layer) && isIndex(m.head)).toBe(true);
      return;
    case 'updateSettings': {
      const s = m.settings;
      expect(inRange(s.dModel, 2, 1024) && inRange(s.dK, 1, 512) && inRange(s.heads, 1, 16) && inRange(s.layers, 1, 12) && inRange(s.seed, -(2 ** 31), 2 ** 31 - 1)).toBe(true);
      if (s.temperature !== undefined) expect(s.temperature >= SETTINGS.temperature.minimum && s.temperature <= SETTINGS.temperature.maximum).toBe(true);
      if (s.tokenizer !== undefined) expect(['words', 'gpt2']).toContain(s.tokenizer);
      if (s.mask !== undefined) {
        expect(['none', 'causal', 'window', 'dilated']).toContain(s.mask.kind);
        if (s.mask.kind === 'window' || s.mask.kind === 'dilated') expect(inRange(s.mask.window, 1, SETTINGS.window.maximum) && s.mask.window !== undefined).toBe(true);
        if (s.mask.kind === 'dilated') expect(inRange(s.mask.dilation, 1, SETTINGS.dilation.maximum) && s.mask.dilation !== undefined).toBe(true);
      }
      for (const k of Object.keys(s)) expect(['dModel', 'dK', 'heads', 'layers', 'seed', 'tokenizer', 'positionalEncoding', 'scale', 'temperature', 'mask']).toContain(k);
      for (const k of ['positionalEncoding', 'scale'] as const) if (s[k] !== undefined) expect(typeof s[k]).toBe('boolean');
      return;
    }
    case 'setFollowSelection':
      expect(typeof m.follow).toBe('boolean');
      return;
    case 'uiState': {
      const u = m.ui;
      expect(keys(u)).toEqual(['head', 'hiddenTokens', 'layer', 'lockedToken', 'matrix', 'overlayHeads', 'threshold', 'view']);
      expect(['tokens', 'matrix', 'pipeline', 'grid']).toContain(u.view);
      expect(['scores', 'scaled', 'weights']).toContain(u.matrix);
      expect(isIndex(u.layer) && isIndex(u.head) && (u.lockedToken === null || isIndex(u.lockedToken))).toBe(true);
      expect(u.threshold >= 0 && u.threshold <= 1).toBe(true);
      expect(u.overlayHeads.every(isIndex) && u.hiddenTokens.every(isIndex)).toBe(true);
      return;
    }
    case 'export':
      expect(['png', 'svg', 'csv', 'json']).toContain(m.format);
      expect(typeof m.content).toBe('string');
      // A bare file name: no path separators, no leading dot, no control characters, not empty.
      expect(m.suggestedName).toMatch(/^[^./\\\p{Cc}][^/\\\p{Cc}]{0,119}$/u);
      return;
  }
}

describe('fuzz: validateMessage with near-miss messages', () => {
  it('every valid base message is accepted as is', () => {
    for (const m of VALID) expect(validateMessage(m)).toEqual(m);
  });

  it('near misses are rejected or come back well-formed, with no extra keys; never a throw', () => {
    let rejected = 0;
    fc.assert(fc.property(nearMiss, (raw) => {
      const m = validateMessage(raw);
      if (m === null) {
        rejected++;
        return;
      }
      expectWellFormed(m);
      // Validating what was let through changes nothing.
      expect(validateMessage(m)).toEqual(m);
    }), { numRuns: 5000 });
    expect(rejected).toBeGreaterThan(1000);
  }, 60_000);

  it('the returned message never shares objects with the untrusted input', () => {
    fc.assert(fc.property(fc.constantFrom(...VALID), (raw) => {
      const m = validateMessage(structuredClone(raw)) as unknown as Record<string, unknown> | null;
      if (m === null) return;
      const input = raw as Record<string, unknown>;
      for (const k of ['settings', 'ui'] as const) if (m[k] !== undefined) expect(m[k]).not.toBe(input[k]);
    }));
    const ui = { ...UI, overlayHeads: [0] };
    const out = validateMessage({ type: 'uiState', ui }) as unknown as { ui: { overlayHeads: number[] } };
    ui.overlayHeads.push(-1);
    expect(out.ui.overlayHeads).toEqual([0]);
  });

  // Regression (fixed bug in src/panel/validateMessage.ts isIndexList): Array.prototype.every skips holes, so a sparse list such as
  // overlayHeads [, 2] (structured clone keeps holes) passes, and the copy [...list] hands the host [undefined, 2] typed
  // as number[]. Check every index (a for loop), or reject arrays with holes.
  it('sparse index lists (holes) are rejected', () => {
    // eslint-disable-next-line no-sparse-arrays
    const sparse = [, 2];
    expect(validateMessage({ type: 'uiState', ui: { ...UI, overlayHeads: sparse } })).toBeNull();
    expect(validateMessage({ type: 'uiState', ui: { ...UI, hiddenTokens: new Array(3) } })).toBeNull();
  });

  it('export names: anything in, a bare safe name out', () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), fc.constantFrom('../../.ssh/id_rsa', '..', '.', '/etc/passwd', 'C:\\Windows\\x', '\u202Egpj.exe', 'a\u0000b', 'con', '')), (name) => {
      const m = validateMessage({ type: 'export', format: 'csv', suggestedName: name, content: 'a' });
      expect(m).not.toBeNull();
      expectWellFormed(m!);
    }), { numRuns: 2000 });
  }, 60_000);
});
