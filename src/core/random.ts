import { zeros, type Matrix } from './matrix';

/**
 * Deterministic randomness: only 32-bit integer ops and exact divisions,
 * so the same seed gives bit-identical numbers on every machine.
 */

/** FNV-1a, 32 bits, over UTF-16 code units. */
export function fnv1a(text: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/** Mixes integers into one 32-bit seed. */
export function mixSeed(...parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const p of parts) {
    h = Math.imul(h ^ (p >>> 0), 0x01000193) >>> 0;
    h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  }
  return h;
}

/** mulberry32: returns a generator of uniform numbers in [0, 1), each a multiple of 2⁻³². */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Uniform entries in [-limit, limit). */
export function uniformMatrix(rows: number, cols: number, limit: number, random: () => number): Matrix {
  const m = zeros(rows, cols);
  for (let p = 0; p < m.data.length; p++) m.data[p] = (random() * 2 - 1) * limit;
  return m;
}

/** Glorot/Xavier uniform initialisation: limit √(6 / (fan_in + fan_out)). */
export function xavierUniform(rows: number, cols: number, random: () => number): Matrix {
  return uniformMatrix(rows, cols, Math.sqrt(6 / (rows + cols)), random);
}
