/**
 * Issue 12 rows 7 and 8: an .npz member whose directory says 4 KB but whose stream inflates to gigabytes was inflated
 * to the end (57 s) and accepted, because fflate truncated into the given buffer; a 1 MiB .npz inflated to 1 GiB; a
 * 97 MB safetensors header with 7 M entries took 30 s and 3.9 GB. The hostile files are built here, small.
 */
import { Inflate, inflateSync } from 'fflate';
import { describe, expect, it, vi } from 'vitest';
import { runJob } from '../../../src/compute/job';
import { readNpz, readSafetensors, type TensorRead } from '../../../src/core';
import { inflateExactly } from '../../../src/core/binary/npz';
import { MAX_HEADER_BYTES, MAX_HEADER_ENTRIES } from '../../../src/core/binary/safetensors';
import { deflateBomb, npyHeader, zipOfOne } from '../../fixtures/budgetInputs';

const MB = 1024 * 1024;

function message(r: TensorRead): string {
  if (r.ok) throw new Error('expected the file to be refused');
  return r.problem.message;
}

/** A 2×2 attention .npy (rows sum to 1), then `zeros` zero bytes the directory does not declare. */
function bombNpz(zeros: number): Uint8Array {
  const header = npyHeader([2, 2]);
  const values = new Uint8Array(new Float32Array([0.5, 0.5, 0.25, 0.75]).buffer);
  const prefix = new Uint8Array(header.length + values.length);
  prefix.set(header);
  prefix.set(values, header.length);
  return zipOfOne('attention.npy', deflateBomb(prefix, zeros), prefix.length);
}

describe('.npz members inflate with a hard cap at their declared size', () => {
  it('the hand-written deflate stream is what it says (checked with fflate)', () => {
    const prefix = new Uint8Array([1, 2, 200, 255]);
    const out = inflateSync(deflateBomb(prefix, 10_000));
    expect(out.length).toBe(10_004);
    expect([...out.subarray(0, 4)]).toEqual([1, 2, 200, 255]);
    expect(out.subarray(4).every((b) => b === 0)).toBe(true);
  });

  it('an honest member still reads', () => {
    const r = readNpz(bombNpz(0));
    expect(r.ok && [...r.tensor.data]).toEqual([0.5, 0.5, 0.25, 0.75]);
  });

  it('a member that inflates past its declared size is refused, not truncated and accepted', () => {
    expect(message(readNpz(bombNpz(4096)))).toMatch(/array "attention\.npy", decompresses to more than the 144 bytes its directory declares \(the file is damaged or hostile\)\.$/);
  });

  it('a member that inflates to less than declared is refused', () => {
    const data = deflateBomb(new Uint8Array([1, 2, 3]), 0);
    expect(inflateExactly(data, 10)).toMatch(/^decompressed to 3 bytes, not the 10 bytes its directory declares/);
  });

  it('a zip bomb is refused quickly: of 6.8 MB of compressed data hiding 1 GiB, only the first 16 KB step is inflated', () => {
    const bomb = bombNpz(1024 * MB);
    expect(bomb.length).toBeLessThan(7 * MB);
    const push = vi.spyOn(Inflate.prototype, 'push');
    try {
      expect(message(readNpz(bomb))).toMatch(/decompresses to more than/);
      // Counting work, not milliseconds: inflating to the end would push all 413 steps (and write 1 GiB).
      const pushed = push.mock.calls.reduce((sum, [chunk]) => sum + chunk.length, 0);
      expect(push.mock.calls.length).toBe(1);
      expect(pushed).toBe(16 * 1024);
    } finally {
      push.mockRestore();
    }
  });

  it('a member declaring more than the memory budget is not inflated at all', () => {
    const declared = 512 * MB;
    const npz = zipOfOne('attention.npy', new Uint8Array(declared / 1000), declared);
    const outcome = runJob({ kind: 'binary', bytes: npz, fileName: 'big.npz' }, 64 * MB);
    expect(outcome.ok ? '' : outcome.message).toMatch(/array "attention\.npy", is 512\.0 MB uncompressed, over the memory budget of 64\.0 MB \(setting selfAttention\.memoryBudgetMB\); export fewer layers, heads or tokens\.$/);
  });
});

describe('safetensors headers are capped', () => {
  function safetensors(header: string, declaredLength = header.length): Uint8Array {
    const bytes = new Uint8Array(8 + header.length);
    new DataView(bytes.buffer).setUint32(0, declaredLength, true);
    bytes.set(new TextEncoder().encode(header), 8);
    return bytes;
  }

  it(`a header over ${MAX_HEADER_BYTES / MB} MB is refused before it is read`, () => {
    expect(message(readSafetensors(safetensors('{}', 97 * MB)))).toMatch(/its header claims to be 97\.0 MB long, over the 16\.0 MB limit for attention files/);
  });

  it(`a header of more than ${MAX_HEADER_ENTRIES.toLocaleString('en-US')} entries is refused`, () => {
    const entries = Array.from({ length: MAX_HEADER_ENTRIES + 1 }, (_, i) => `"t${i}":{}`).join(',');
    expect(message(readSafetensors(safetensors(`{${entries}}`)))).toMatch(/its header lists 100,001 entries, over the limit of 100,000 \(an attention export needs a few\)\.$/);
  });
});
