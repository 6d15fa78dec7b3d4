import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseBinaryAttention, parseTensorFile, type ParseResult, type PrecomputedSpec } from '../../../src/core';
import { runJob } from '../../../src/compute/job';
import { resolveReferencePath } from '../../../src/sources/binaryFiles';

const dir = path.join(__dirname, '../../fixtures/binary');
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(dir, name)));
const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as { shape: number[]; data: number[]; tokens: string[] };

function spec(r: ParseResult): PrecomputedSpec {
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
  if (r.spec.kind !== 'precomputed') throw new Error('not precomputed');
  return r.spec;
}
function problems(r: ParseResult): string {
  if (r.ok) throw new Error('expected problems');
  return r.problems.map((p) => p.message).join('\n');
}
const sidecar = (fields: Record<string, unknown>): string => JSON.stringify({ tokens: expected.tokens, ...fields }, null, 2);

describe('sidecar *.attention.json with attention_file', () => {
  it('parses as a reference: precomputed spec without weights, no errors', () => {
    const r = parseTensorFile(sidecar({ attention_file: 'attn.npz', attention_tensor: 'attention', head_names: ['a', 'b', 'c'], options: { mask: 'causal' } }));
    expect(r.ok).toBe(true);
    expect(r.reference?.file).toBe('attn.npz');
    expect(r.reference?.tensor).toBe('attention');
    expect(r.reference?.headNames).toEqual(['a', 'b', 'c']);
    expect(r.reference?.location.path).toEqual(['attention_file']);
    expect(spec(r).attention).toEqual([]);
    expect(spec(r).options.mask).toEqual({ kind: 'causal' });
  });

  it('reports bad references where they are written', () => {
    const bad = (v: unknown) => problems(parseTensorFile(sidecar({ attention_file: v })));
    expect(bad('attn.csv')).toMatch(/must name a .npy, .npz or .safetensors file/);
    expect(bad('/etc/attn.npy')).toMatch(/relative/);
    expect(bad('file:///x.npy')).toMatch(/relative/);
    expect(bad(3)).toMatch(/must be a string/);
    expect(problems(parseTensorFile(sidecar({ attention_file: 'a.npy', attention: [[[1]]] })))).toMatch(/mix of modes/);
    expect(problems(parseTensorFile(sidecar({ attention_file: 'a.npy', embeddings: [[1]] })))).toMatch(/mix of modes/);
    const w = parseTensorFile(sidecar({ attention_file: 'a.npy', attention_tensor: 'x' }));
    expect(w.ok && w.warnings.map((p) => p.message).join()).toMatch(/no effect/);
  });

  it('the file job refuses a sidecar it cannot read alone, with a hint', () => {
    const out = runJob({ kind: 'file', text: sidecar({ attention_file: 'a.npy' }) });
    expect(out.ok).toBe(false);
    expect(!out.ok && out.message).toMatch(/Visualize Attention File/);
  });
});

describe('parseBinaryAttention', () => {
  it.each([
    ['attn_f4.npy', undefined],
    ['attn_v3.npy', undefined],
    ['multi.npz', 'attention'],
    ['compressed.npz', undefined],
    ['attn_f32.safetensors', undefined],
  ])('reads %s through a sidecar, tokens from the sidecar', (file, tensor) => {
    const sidecarText = sidecar({ attention_file: file, ...(tensor ? { attention_tensor: tensor } : {}), head_names: ['x', 'y', 'z'] });
    const parsed = parseBinaryAttention({ bytes: load(file), fileName: file, sidecarText });
    const s = spec(parsed);
    expect(s.tokens).toEqual(expected.tokens);
    // The sidecar's one parse also says where its token strings are, for the editor sync.
    expect(parsed.ok && parsed.tokenRanges?.queries.map(([from, to]) => JSON.parse(sidecarText.slice(from, to)))).toEqual(expected.tokens);
    expect(s.attention.length).toBe(2);
    expect(s.attention[1].length).toBe(3);
    expect(s.headNames).toEqual([['x', 'y', 'z'], ['x', 'y', 'z']]);
    expect([...s.attention[1][2].data]).toEqual(expected.data.slice(5 * 16, 6 * 16).map(Math.fround));
  });

  it('takes tokens from safetensors metadata when opened directly', () => {
    const r = parseBinaryAttention({ bytes: load('attn_bf16.safetensors'), fileName: '/w/attn_bf16.safetensors' });
    expect(spec(r).tokens).toEqual(expected.tokens);
    expect(spec(r).provenance.description).toMatch(/Source: fixture/);
  });

  it('shows positions with a warning when there are no tokens', () => {
    for (const file of ['attn_f4.npy', 'no_tokens.safetensors']) {
      const r = parseBinaryAttention({ bytes: load(file), fileName: file });
      expect(spec(r).tokens).toEqual(['0', '1', '2', '3']);
      expect(r.ok && r.warnings.map((w) => w.message).join()).toMatch(/carries no tokens, so positions 0…3 are shown/);
    }
  });

  it('accepts every layout', () => {
    const shapes: Record<string, [number, number]> = { 'attn_qk.npy': [1, 1], 'attn_hqk.npy': [1, 3], 'attn_f4.npy': [2, 3], 'attn_l1hqk.npy': [2, 3] };
    for (const [file, [layers, heads]] of Object.entries(shapes)) {
      const s = spec(parseBinaryAttention({ bytes: load(file), fileName: file }));
      expect([s.attention.length, s.attention[0].length], file).toEqual([layers, heads]);
      expect(s.attention[0][0].rows).toBe(4);
    }
    expect(problems(parseBinaryAttention({ bytes: load('attn_batch2.npy'), fileName: 'attn_batch2.npy' }))).toBe('attn_batch2.npy (2, 2, 3, 4, 4) has 5 axes, read as [layer][batch][head][query][key], so axis 1 is the batch axis and must have size 1, but it has 2. Export one sequence at a time: attn[:, 0] (or attn[:, i] for sequence i).');
  });

  it('explains token-count mismatches, bad names and bad weights', () => {
    const text = JSON.stringify({ tokens: ['a', 'b'], attention_file: 'attn_f4.npy' });
    const r = parseBinaryAttention({ bytes: load('attn_f4.npy'), fileName: 'attn_f4.npy', sidecarText: text });
    expect(problems(r)).toBe('attn_f4.npy (2, 3, 4, 4), read as [layer][head][query][key], has 4 query rows, but there are 2 tokens.');
    expect(!r.ok && r.problems[0].location?.path).toEqual(['attention_file']);
    expect(problems(parseBinaryAttention({ bytes: load('attn_f4.npy'), fileName: 'attn_f4.npy', sidecarText: sidecar({ attention_file: 'attn_f4.npy', head_names: ['a'] }) })))
      .toMatch(/head_names has 1 name, but attn_f4.npy has 3 heads per layer/);
    expect(problems(parseBinaryAttention({ bytes: load('negative.npy'), fileName: 'negative.npy' }))).toMatch(/must be finite and ≥ 0/);
    expect(problems(parseBinaryAttention({ bytes: load('multi.npz'), fileName: 'm.npz', sidecarText: sidecar({ attention_file: 'm.npz', attention_tensor: 'zzz' }) }))).toMatch(/no array named "zzz"/);
    const bad = load('attn_f32.safetensors').slice(0, 200);
    expect(problems(parseBinaryAttention({ bytes: bad, fileName: 'a.safetensors' }))).toMatch(/truncated/);
  });

  it('warns about the other arrays of an archive', () => {
    const r = parseBinaryAttention({ bytes: load('two.safetensors'), fileName: 'two.safetensors', sidecarText: sidecar({ attention_file: 'two.safetensors', attention_tensor: 'b_attention' }) });
    expect(r.ok && r.warnings.map((w) => w.message).join()).toMatch(/holds 2 arrays; showing "b_attention"/);
  });

  it('runs as a binary job', () => {
    const bytes = load('attn_f32.safetensors').slice();
    const request = { kind: 'binary', bytes, fileName: 'attn_f32.safetensors' } as const;
    const out = runJob(request);
    expect(out.ok).toBe(true);
    if (out.ok) {
      expect(out.result.layers.length).toBe(2);
      expect(out.result.provenance.kind).toBe('model');
      expect(out.headSummaries).toBeUndefined(); // small: sent whole
    }
    expect(runJob({ kind: 'error', message: 'gone' })).toMatchObject({ ok: false, message: 'gone' });
  });
});

describe('resolveReferencePath', () => {
  it('resolves inside the folder or the workspace, refuses escapes', () => {
    expect(resolveReferencePath('/ws/data/a.attention.json', 'a.npz', '/ws')).toEqual({ ok: true, path: '/ws/data/a.npz' });
    expect(resolveReferencePath('/ws/data/a.attention.json', 'sub\\a.npz', '/ws')).toEqual({ ok: true, path: '/ws/data/sub/a.npz' });
    expect(resolveReferencePath('/ws/data/a.attention.json', '../big/a.npz', '/ws')).toEqual({ ok: true, path: '/ws/big/a.npz' });
    const out = resolveReferencePath('/ws/data/a.attention.json', '../../etc/a.npy', '/ws');
    expect(out.ok).toBe(false);
    expect(!out.ok && out.message).toMatch(/points outside the workspace folder/);
    expect(resolveReferencePath('/ws/data/a.attention.json', '../a.npy').ok).toBe(false);
    expect(resolveReferencePath('/ws-other/a.attention.json', '../ws/a.npy', '/ws-other').ok).toBe(false);
    expect(resolveReferencePath('/ws/a.attention.json', '/etc/a.npy', '/ws').ok).toBe(false);
  });
});

describe('examples/gpt2-induction-binary.safetensors', () => {
  it('is the 37-token GPT-2 example, with its tokens and description in the metadata', () => {
    const root = path.join(__dirname, '../../..');
    const json = JSON.parse(readFileSync(path.join(root, 'examples/gpt2-induction.attention.json'), 'utf8')) as { tokens: string[]; attention: number[][][][] };
    const bytes = new Uint8Array(readFileSync(path.join(root, 'examples/gpt2-induction-binary.safetensors')));
    expect(bytes.length).toBeLessThan(100 * 1024);
    const s = spec(parseBinaryAttention({ bytes, fileName: 'gpt2-induction-binary.safetensors' }));
    expect(s.tokens).toEqual(json.tokens);
    expect(s.attention[0].length).toBe(12);
    expect(s.provenance.description).toMatch(/induction heads.*Source: CircuitsVis/s);
    expect(s.attention[0][5].data[36 * 37 + 20]).toBe(Math.fround(json.attention[0][5][36][20]));
  });
});
