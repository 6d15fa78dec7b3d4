/**
 * A binary tensor read as attention, where the words depend on the case: the severity of each problem and warning,
 * the cell an invalid weight is quoted from, the array named in an archive's messages, and the sidecar's head names.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parseBinaryAttention, type Matrix } from '../../../src/core';
import { attentionFromTensor, checkAttentionWeights, tokensFromMetadata } from '../../../src/core/binary/attention';

const dir = path.join(__dirname, '../../fixtures/binary');
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(path.join(dir, name)));
const mat = (rows: number, cols: number, values: number[]): Matrix => ({ rows, cols, data: Float32Array.from(values) });

describe('attention read from a tensor: severities and indices', () => {
  it('a tensor that is not attention is an error', () => {
    expect(attentionFromTensor({ shape: [4], data: new Float32Array(4) }, 'x')).toEqual({
      ok: false,
      problem: { severity: 'error', message: 'x (4,) has 1 axis, but attention weights need 2 to 5: [query][key], [head][query][key], [layer][head][query][key], [layer][batch][head][query][key].' },
    });
  });

  it('an invalid weight past the first row is quoted from its own cell', () => {
    expect(checkAttentionWeights([[mat(2, 3, [0.5, 0.25, 0.25, 0.5, 0.5, -0.5])]], 'x')).toEqual([
      { severity: 'error', message: 'x[0][0][1][2] is -0.5, but attention weights must be finite and ≥ 0 (they come out of a softmax).' },
    ]);
  });

  it('metadata tokens must all be strings, not only some', () => {
    expect(tokensFromMetadata({ tokens: '["a", 1]' }, 'f').problem?.message)
      .toBe('f: metadata "tokens" must be a JSON list of strings, e.g. metadata={"tokens": json.dumps(tokens)}, but it is "[\\"a\\", 1]".');
  });
});

describe('parseBinaryAttention: warnings, labels and head names', () => {
  it('an archive of several arrays, read alone: two warnings, each a warning', () => {
    const r = parseBinaryAttention({ bytes: load('multi.npz'), fileName: 'm.npz' });
    expect(r.ok && r.warnings).toEqual([
      { severity: 'warning', message: 'm.npz holds 2 arrays; showing "other" (2, 2). Name another with "attention_tensor" in a sidecar *.attention.json.' },
      { severity: 'warning', message: 'm.npz carries no tokens, so positions 0…1 are shown. Add them with a sidecar *.attention.json ({ "tokens": [...], "attention_file": "m.npz" }).' },
    ]);
  });

  it('a weight in an archive is named by the file and the array', () => {
    const bytes = load('attn_f4.npy').slice();
    const dataStart = 10 + (bytes[8] | (bytes[9] << 8));
    new DataView(bytes.buffer).setFloat32(dataStart, -1, true);
    const r = parseBinaryAttention({ bytes: zipSync({ 'w.npy': bytes }), fileName: 'z.npz' });
    expect(!r.ok && r.problems).toEqual([
      { severity: 'error', message: 'z.npz, array "w"[0][0][0][0] is -1, but attention weights must be finite and ≥ 0 (they come out of a softmax).' },
    ]);
  });

  it('an empty head_names is refused where the sidecar writes it', () => {
    const sidecar = JSON.stringify({ tokens: ['a', 'b', 'c', 'd'], attention_file: 'attn_f4.npy', head_names: [] });
    const r = parseBinaryAttention({ bytes: load('attn_f4.npy'), fileName: 'attn_f4.npy', sidecarText: sidecar });
    expect(!r.ok && r.problems.map((p) => [p.severity, p.message, p.location?.path])).toEqual([['error', 'head_names is empty: give at least one head name.', ['head_names']]]);
  });
});
