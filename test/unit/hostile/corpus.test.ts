/**
 * Hostile input through the real compute path: runJob (what the worker thread runs) for files and selections.
 * Each input gives ok:false with a clear message (with its line and column where one applies) or ok:true with
 * finite numbers and rows that sum to 1: never a throw, a hang or a NaN.
 * The parser's own message-by-message checks live in test/unit/tensorFile/bad-inputs.test.ts; this builds on them.
 */
import { describe, expect, it } from 'vitest';
import type { ComputeSettings } from '../../../src/shared/protocol';
import { DEFAULT_COMPUTE_SETTINGS } from '../../../src/shared/settings';
import { tokenize, type Matrix } from '../../../src/core';
import { HOSTILE_LINE, HOSTILE_SELECTION, HOSTILE_STRINGS, MALFORMED_JSON, VALID_FILE, WRONG_SHAPES } from '../../fixtures/hostile';
import { expectSane, rowReport, runSafely } from './check';

const SETTINGS: ComputeSettings = DEFAULT_COMPUTE_SETTINGS;
/** The default of setting selfAttention.maxTokens. */
const MAX_TOKENS = 4096;
const file = (text: string) => runSafely({ kind: 'file', text }, 'file');
const selection = (text: string, settings: Partial<ComputeSettings> = {}, maxTokens = MAX_TOKENS) =>
  runSafely({ kind: 'selection', text, settings: { ...SETTINGS, ...settings }, maxTokens }, 'selection');

function failure(outcome: ReturnType<typeof file>): string {
  if (outcome.ok) throw new Error('expected ok:false, but the input was accepted');
  return outcome.message;
}

/** A flat (not rope) copy of an ASCII string, so measuring heap growth does not count V8 flattening the test's own string. */
function flat(ascii: string): string {
  return Buffer.from(ascii, 'latin1').toString('latin1');
}

/** Runs fn, asserting it takes under `ms` and returning its value and the heap growth it caused while it ran. */
function timed<T>(fn: () => T, ms = 1000): { value: T; elapsed: number; heapDelta: number } {
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const value = fn();
  const elapsed = performance.now() - t0;
  const heapDelta = process.memoryUsage().heapUsed - heap0;
  expect(elapsed).toBeLessThan(ms);
  return { value, elapsed, heapDelta };
}

describe('malformed and odd JSON files', () => {
  it('the valid base file computes', () => {
    const o = file(VALID_FILE);
    expectSane(o);
    expect(o.ok && o.result.tokens).toEqual(['I', 'am', 'good']);
  });

  it.each(MALFORMED_JSON.map((c) => [c.name, c] as const))('%s: a clear message, with its location', (_name, c) => {
    const o = file(c.text);
    expectSane(o, c.name);
    const message = failure(o);
    expect(message).toMatch(c.message);
    if (c.where) expect(message).toContain(`line ${c.where.split(', ')[0].slice(5)}, column ${c.where.split('column ')[1]}`);
    // Whatever the problem, the message says where it is (1-based, as editors show it).
    expect(message).toMatch(/line \d+, column \d+/);
  });

  it('a location appears once in the message, not repeated', () => {
    const message = failure(file('{\n  "tokens": ["a", "b"],\n  "embeddings": [[1, 2], [3'));
    expect(message.match(/line 3, column 28/g)).toHaveLength(1);
  });

  // BUG (src/compute/job.ts runFile): the banner message is describe(problems[0]), and problems come in file order with
  // warnings included, so a harmless warning before the error ("Unknown field … it is ignored") is shown instead of the
  // error that stopped the file. Marked as failing until fixed.
  it('the message names the error that stopped the file, not a warning before it', () => {
    const message = failure(file('{"tokens": ["a"], "embedings": [[1]], "embeddings": [["x"]]}'));
    expect(message).toMatch(/embeddings\[0\]\[0\] is the string "x"/);
  });

  it('semantic problems carry their location too', () => {
    const text = '{\n  "tokens": ["a", "b"],\n  "embeddings": [[1, 2], [3, "4"]]\n}';
    const message = failure(file(text));
    expect(message).toMatch(/embeddings\[1\]\[1\] is the string "4"/);
    expect(message).toContain('(line 3, column 30)');
  });

  it('non-UTF-8 bytes decoded with TextDecoder (U+FFFD): fine inside tokens, located outside strings', () => {
    const bytes = Buffer.from('{"tokens": ["caf\xe9", "na\xefve"], "embeddings": [[1, 0], [0, 1]]}', 'latin1');
    const text = new TextDecoder('utf-8').decode(bytes);
    const o = file(text);
    expectSane(o);
    expect(o.ok && o.result.tokens).toEqual(['caf\uFFFD', 'na\uFFFDve']);
    const outside = new TextDecoder('utf-8').decode(Buffer.from('{"tokens": ["a"], \xff\xfe "embeddings": [[1]]}', 'latin1'));
    expect(failure(file(outside))).toMatch(/line 1, column 19/);
    // Invalid UTF-16 (a lone surrogate) inside a token is kept as is.
    const lone = file('{"tokens": ["\uD800", "\uDC00x"], "embeddings": [[1], [2]]}');
    expectSane(lone);
    expect(lone.ok && lone.result.tokens).toEqual(['\uD800', '\uDC00x']);
  });

  it('comments and a BOM are accepted', () => {
    const o = file(`\uFEFF// header\n${VALID_FILE.replace('"tokens"', '/* words */ "tokens"')}`);
    expectSane(o);
    expect(o.ok).toBe(true);
  });
});

describe('wrong types and shapes', () => {
  it.each(WRONG_SHAPES.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const o = file(JSON.stringify(c.value, null, 2));
    expectSane(o, c.name);
    const message = failure(o);
    expect(message).toMatch(c.message);
    expect(message).toMatch(/\(line \d+, column \d+\)$/);
  });

  it('prototype keys never reach Object.prototype', () => {
    expectSane(file(JSON.stringify(JSON.parse('{"tokens": ["a"], "embeddings": [[1]], "__proto__": {"polluted": 1}, "constructor": {"prototype": {"polluted": 1}}}'))));
    file('{"tokens": ["a"], "embeddings": [[1]], "__proto__": {"polluted": true}, "options": {"__proto__": {"polluted": true}}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('tokens that look like markup or code stay exact strings in a file', () => {
    const tokens = HOSTILE_STRINGS.filter((t) => !/[\uD800-\uDFFF]/.test(t) || /[\uD800-\uDBFF][\uDC00-\uDFFF]/.test(t));
    const n = tokens.length;
    const o = file(JSON.stringify({ tokens, embeddings: tokens.map((_, i) => [Math.sin(i), Math.cos(i)]) }));
    expectSane(o);
    expect(o.ok && o.result.tokens).toEqual(tokens);
    expect(n).toBeGreaterThan(10);
  });

  const extremes = [3e38, -3e38, 1e20, 1e-45];
  const extremeFiles = extremes.flatMap((big): object[] => [
    { tokens: ['a', 'b', 'c'], embeddings: [[big, 0], [0, big], [big, big]] },
    { tokens: ['a', 'b'], query: [[big], [-big]], key: [[big], [1]], value: [[1], [2]], options: { temperature: 1e-30 } },
  ]).concat([{ tokens: ['a', 'b'], embeddings: [[-4, 0], [0, 1]], options: { temperature: 1e-300 } }]).map((o) => JSON.stringify(o));
  /** An encoder layer (add & norm, FFN) over huge embeddings. */
  const extremeEncoder = JSON.stringify({ tokens: ['a', 'b'], embeddings: [[3e38, 1], [1, 3e38]], layers: [{ heads: [], ffn: { w1: [[1], [1]], b1: [0], w2: [[1, 1]], b2: [0, 0] } }] });

  function nanIn(text: string): string[] {
    const o = file(text);
    if (!o.ok) return []; // refusing is fine too
    const found: string[] = [];
    o.result.layers.forEach((layer, l) => {
      const named: [string, Matrix | null | undefined][] = [['input', layer.input], ['output', layer.output], ['attentionOutput', layer.attentionOutput],
        ...Object.entries(layer.encoder ?? {}), ...layer.heads.flatMap((h, i) => (['q', 'k', 'v', 'scores', 'scaled', 'weights', 'output'] as const).map((k) => [`heads[${i}].${k}`, h[k]] as [string, Matrix | null]))];
      for (const [name, m] of named) if (m?.data.some(Number.isNaN)) found.push(`layers[${l}].${name}`);
    });
    return found;
  }

  it('extreme but finite numbers never give NaN in attention, and the weights stay finite with rows summing to 1', () => {
    for (const text of extremeFiles) {
      expect(nanIn(text), text).toEqual([]);
      const o = file(text);
      if (!o.ok) continue;
      for (const layer of o.result.layers) for (const h of layer.heads) expect(h.weights.data.every(Number.isFinite), text).toBe(true);
      expect(rowReport(o.result).offRows, text).toEqual([]);
    }
  });

  // BUG (src/core layer.ts, add & norm): an accepted file with huge embeddings (3e38, a valid float32) and an FFN gives NaN
  // in the encoder outputs (∞ − ∞ in LayerNorm). The panel then shows NaN. Marked as failing until fixed.
  it('an encoder layer over huge but finite embeddings gives no NaN', () => {
    expect(nanIn(extremeEncoder)).toEqual([]);
  });

  // FINDING (src/core): the parser accepts any float32 (≤ 3.4e38) and any temperature > 0, but Q·Kᵀ of values ≳ 1e19,
  // or scores ÷ a temperature like 1e-300, overflow float32, so scores/scaled hold ±Infinity that the pipeline view prints. The weights stay finite (softmax copes).
  // Either refuse such inputs with a message or keep the intermediates finite. Marked as failing until decided.
  it('extreme but finite numbers keep every intermediate finite, or are refused', () => {
    for (const text of extremeFiles) expectSane(file(text), text);
  });

  it('exported weights that are all zeros or off 1 are kept, and warned about', () => {
    const o = file(JSON.stringify({ tokens: ['a', 'b'], attention: [[0, 0], [0.3, 0.3]] }));
    expectSane(o);
    expect(o.ok && o.warnings.some((w) => /sums to 0\.6/.test(w.message))).toBe(true);
  });
});

describe('sheer size: a clear limit message in under a second, memory bounded', () => {
  it('10,000-deep nesting, as arrays and objects', () => {
    for (const text of ['['.repeat(10_000), `{"tokens": ["a"], "embeddings": ${'['.repeat(10_000)}1${']'.repeat(10_000)}}`, '{"a":'.repeat(10_000)]) {
      const { value } = timed(() => file(text));
      expectSane(value);
      expect(failure(value)).toMatch(/nest more than 64 levels deep.*line 1, column \d+/);
    }
  }, 30_000);

  it('a 200 MB file is refused by its size', () => {
    const big = flat(`{"tokens": [${'"a",'.repeat(50 * 1024 * 1024)}"b"]}`);
    expect(big.length).toBeGreaterThan(200 * 1024 * 1024);
    const { value, heapDelta } = timed(() => file(big));
    expect(failure(value)).toMatch(/too large to read: 200\.0 MB .* over the 64\.0 MB limit/);
    expect(heapDelta).toBeLessThan(16 * 1024 * 1024);
  }, 30_000);

  it('a 200 MB selection is refused by its length, without tokenizing', () => {
    const big = flat('word '.repeat(40 * 1024 * 1024));
    const { value, heapDelta } = timed(() => selection(big));
    expect(failure(value)).toMatch(/209,715,200 characters, far more than the limit of 4,096 tokens \(setting selfAttention\.maxTokens\)/);
    expect(heapDelta).toBeLessThan(16 * 1024 * 1024);
    const blank = flat(' '.repeat(1024 * 1024));
    expect(failure(timed(() => selection(blank)).value)).toMatch(/The selection is empty/);
  }, 30_000);

  it('a 1 MB selection with default settings', () => {
    const text = flat('The animal didn\'t cross the street because it was too tired. '.repeat(18_000).slice(0, 1024 * 1024));
    const { value, heapDelta } = timed(() => selection(text));
    expect(failure(value)).toMatch(/1,048,576 characters, far more than the limit of 4,096 tokens/);
    expect(heapDelta).toBeLessThan(16 * 1024 * 1024);
  }, 30_000);

  it('just under the character limit but over the token limit: counted, then refused', () => {
    const text = 'a '.repeat(5000);
    const { value, heapDelta } = timed(() => selection(text));
    expect(failure(value)).toMatch(/5,000 tokens, more than the limit of 4,096/);
    expect(heapDelta).toBeLessThan(32 * 1024 * 1024);
  });

  it('a selection at the token limit computes in bounded time with finite numbers', () => {
    const text = Array.from({ length: 512 }, (_, i) => `w${i % 97}`).join(' ');
    const { value } = timed(() => selection(text, { heads: 1 }), 5000);
    expectSane(value);
    expect(value.ok && value.result.tokens).toHaveLength(512);
  });
});

describe('odd tokens in a selection come back as the exact text', () => {
  for (const tokenizer of ['words', 'gpt2'] as const) {
    it(`${tokenizer} tokenizer: tokens are slices of the text, numbers are finite`, () => {
      for (const text of [HOSTILE_SELECTION, HOSTILE_LINE, ...HOSTILE_STRINGS.filter((s) => s.trim() !== '')]) {
        const o = selection(text, { tokenizer });
        expectSane(o, JSON.stringify(text));
        if (!o.ok) throw new Error(`${JSON.stringify(text)}: ${o.message}`);
        const expected = tokenize(text, tokenizer);
        expect(o.result.tokens).toEqual(expected.map((t) => t.text));
        expect(o.tokenRanges).toEqual(expected.map((t) => [t.start, t.end]));
        if (tokenizer === 'words') {
          // No escaping or mangling: each token is exactly the text it covers, and together they are all of it but whitespace.
          o.tokenRanges!.forEach(([s, e], i) => expect(o.result.tokens[i]).toBe(text.slice(s, e)));
          expect(o.result.tokens.join('')).toBe(text.replace(/\s+/g, ''));
        } else {
          for (const [s, e] of o.tokenRanges!) expect(0 <= s && s <= e && e <= text.length).toBe(true);
        }
      }
    });
  }

  it('markup survives as literal pieces', () => {
    const o = selection(HOSTILE_LINE);
    if (!o.ok) throw new Error(o.message);
    for (const piece of ['<', 'img', 'onerror', '"', 'script', '>', 'javascript', ':', 'alert', '(', '\u202E', 'evil', '\u202C', 'zero', '\u200B', 'width', '👩', '\u200D', 'é']) {
      expect(o.result.tokens, piece).toContain(piece);
    }
  });

  it('whitespace-only and empty selections are refused clearly', () => {
    for (const text of ['', ' ', '\n\t\r\n', '\u00A0\u2003']) expect(failure(selection(text))).toMatch(/The selection is empty/);
  });
});

describe('odd settings in a selection', () => {
  // Settings can come from a workspace's .vscode/settings.json, untrusted included: outside the ranges
  // package.json declares, they are refused with a message naming the setting, never clamped silently.
  it.each([
    ['zero temperature', { temperature: 0 }, /selfAttention\.temperature is 0; it must be from 0.000001 to 1000000/],
    ['negative temperature', { temperature: -1 }, /selfAttention\.temperature is -1/],
    ['NaN temperature', { temperature: NaN }, /selfAttention\.temperature is NaN/],
    ['infinite temperature', { temperature: Infinity }, /selfAttention\.temperature is Infinity/],
    ['tiny temperature', { temperature: 1e-30 }, /selfAttention\.temperature is 1e-30/],
    ['huge temperature', { temperature: 1e30 }, /selfAttention\.temperature is 1e\+30/],
    ['zero window', { mask: { kind: 'window', window: 0 } }, /selfAttention\.window is 0; it must be a whole number from 1/],
    ['negative window', { mask: { kind: 'window', window: -4 } }, /selfAttention\.window is -4/],
    ['huge window', { mask: { kind: 'dilated', window: 1e9, dilation: 2 } }, /selfAttention\.window is 1000000000/],
    ['zero dilation', { mask: { kind: 'dilated', window: 2, dilation: 0 } }, /selfAttention\.dilation is 0/],
    ['dModel 0', { dModel: 0 }, /selfAttention\.dModel is 0; it must be a whole number from 2 to 1024/],
    ['dK NaN', { dK: NaN }, /selfAttention\.dK is NaN/],
    ['negative heads', { heads: -3 }, /selfAttention\.heads is -3/],
    ['a billion layers', { layers: 1e9 }, /selfAttention\.layers is 1000000000/],
    ['infinite seed', { seed: Infinity }, /selfAttention\.seed is Infinity/],
  ] as const)('%s: refused with a clear message', (_name, settings, message) => {
    const { value } = timed(() => selection('the cat sat on the mat', settings as Partial<ComputeSettings>));
    expect(failure(value)).toMatch(message);
  });

  it.each([
    ['causal', { mask: { kind: 'causal' } }],
    ['window 1', { mask: { kind: 'window', window: 1 } }],
    ['largest window and dilation', { mask: { kind: 'dilated', window: 1e5, dilation: 1e5 } }],
    ['smallest and largest temperature', { temperature: 1e-6 }],
    ['no scale, no positions', { scale: false, positionalEncoding: false }],
  ] as const)('%s: computes, finite', (_name, settings) => {
    const o = selection('the cat sat on the mat', settings as Partial<ComputeSettings>);
    expectSane(o);
    expect(o.ok).toBe(true);
  });

  it('a token limit below the declared minimum counts as the minimum (2)', () => {
    expect(failure(selection('a b c', {}, 0))).toMatch(/limit of 2 \(setting selfAttention.maxTokens\)/);
    expect(selection('a b', {}, 0).ok).toBe(true);
  });

  // BUG (src/compute/job.ts + src/settings.ts): settings are read from configuration without clamping to the ranges
  // package.json declares (dModel ≤ 1024, dK ≤ 512, heads ≤ 16, layers ≤ 12), and a workspace's .vscode/settings.json can
  // set them (untrusted workspaces included). dModel 1e9 makes runJob throw a RangeError; heads 1e5 or layers 1e9 make it
  // run for minutes, inline on the extension host for selections under 4,000 characters. Marked as failing until fixed.
  it('settings far outside their declared ranges give a clear message, not a throw', () => {
    const { value } = timed(() => {
      try {
        return selection('the cat sat', { dModel: 1e9 });
      } catch (error) {
        return { ok: false as const, message: `threw: ${String(error)}`, problems: [] };
      }
    });
    expect(failure(value)).toMatch(/dModel/);
  });

  it('a NaN token limit still limits', () => {
    // BUG (src/compute/job.ts): maxTokens NaN (e.g. a string in settings.json) disables both limit checks, so any
    // selection is computed however large. (Small model settings keep this test fast while the bug is there.)
    expect(failure(selection('a '.repeat(5000), { heads: 1, dModel: 2, dK: 1 }, NaN))).toMatch(/limit/);
  });
});
