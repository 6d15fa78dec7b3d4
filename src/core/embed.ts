import { zeros, type Matrix } from './matrix';
import { fnv1a, mulberry32 } from './random';

/** Weight of the exact-spelling component relative to the shared character-trigram one. */
const SPELLING_WEIGHT = 0.35;

function normalize(v: Float64Array, length = 1): Float64Array {
  let sq = 0;
  for (const x of v) sq += x * x;
  const f = sq > 0 ? length / Math.sqrt(sq) : 0;
  for (let c = 0; c < v.length; c++) v[c] *= f;
  return v;
}

/** Unit vector: the sum of one pseudo-random vector per key, each seeded by the key's hash. */
function hashedVector(keys: readonly string[], dModel: number): Float64Array {
  const v = new Float64Array(dModel);
  for (const key of keys) {
    const random = mulberry32(fnv1a(key));
    for (let c = 0; c < dModel; c++) v[c] += random() * 2 - 1;
  }
  return normalize(v);
}

/** Lower-cased character trigrams, with start and end markers: "Cat" → \u0002ca, cat, at\u0003. */
function trigrams(token: string): string[] {
  const padded = `\u0002${token.toLowerCase()}\u0003`;
  const out: string[] = [];
  for (let i = 0; i + 3 <= padded.length; i++) out.push(`3:${padded.slice(i, i + 3)}`);
  return out;
}

/**
 * A deterministic stand-in for a learned embedding, of length √d_model.
 * Mostly the sum of hashed vectors of the token's character trigrams, so tokens that share
 * spelling point the same way ("Apple" ≈ "apple"); plus a smaller vector hashed from the
 * exact string, so they still differ a little.
 */
export function tokenEmbedding(token: string, dModel: number): Float64Array {
  const shared = hashedVector(trigrams(token), dModel);
  const spelling = hashedVector([`s:${token}`], dModel);
  for (let c = 0; c < dModel; c++) shared[c] += SPELLING_WEIGHT * spelling[c];
  return normalize(shared, Math.sqrt(dModel));
}

/** Sinusoidal positional encoding (Vaswani et al.): sin on even columns, cos on odd ones. */
export function positionalEncoding(position: number, dModel: number): Float64Array {
  const pe = new Float64Array(dModel);
  for (let c = 0; c < dModel; c++) {
    const angle = position / Math.pow(10000, (2 * Math.floor(c / 2)) / dModel);
    pe[c] = c % 2 === 0 ? Math.sin(angle) : Math.cos(angle);
  }
  return pe;
}

/**
 * X: one row per token. With `positional`, the sinusoidal encoding of the token's index is
 * added, so repeated words get different rows. (sin/cos are the only engine-approximated
 * functions here; their float32-rounded results agree across engines in practice.)
 */
export function embedTokens(tokens: readonly string[], dModel: number, positional: boolean): Matrix {
  const x = zeros(tokens.length, dModel);
  const cache = new Map<string, Float64Array>();
  tokens.forEach((token, i) => {
    let e = cache.get(token);
    if (!e) cache.set(token, (e = tokenEmbedding(token, dModel)));
    const pe = positional ? positionalEncoding(i, dModel) : null;
    for (let c = 0; c < dModel; c++) x.data[i * dModel + c] = e[c] + (pe ? pe[c] : 0);
  });
  return x;
}
