// AssemblyScript source of the WebAssembly SIMD kernels (compiled by scripts/build-wasm.mjs into
// generated/kernelsWasm.ts). Not TypeScript: the .as extension keeps tsc and eslint away from it.
//
// Conventions: pointers are byte offsets into this module's memory, which the JS side (index.ts) owns
// and grows; matrices are row-major float32; nothing here allocates.

// ───────────────────────────── multiply–add ─────────────────────────────

/**
 * a·b + c in four lanes. Built twice (scripts/build-wasm.mjs): with relaxed SIMD this is one fused multiply–add
 * where the CPU has FMA (one rounding instead of two, so results may differ from the other build by a float32
 * ulp per step); without it, a multiply then an add.
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

// ───────────────────────────── A·Bᵀ (Q·Kᵀ) ─────────────────────────────

/** Keys per tile: 128 rows of K at d = 64 are 32 KB, which stays in L1 while every query row passes over it. */
const TILE_J: i32 = 128;

/** [Σa, Σb, Σc, Σd]: four horizontal sums in one vector (a transpose by shuffles, then adds). */
@inline function hsum4(a: v128, b: v128, c: v128, d: v128): v128 {
  const ab = f32x4.add(v128.shuffle<f32>(a, b, 0, 4, 1, 5), v128.shuffle<f32>(a, b, 2, 6, 3, 7));
  const cd = f32x4.add(v128.shuffle<f32>(c, d, 0, 4, 1, 5), v128.shuffle<f32>(c, d, 2, 6, 3, 7));
  return f32x4.add(v128.shuffle<f32>(ab, cd, 0, 1, 4, 5), v128.shuffle<f32>(ab, cd, 2, 3, 6, 7));
}

@inline function hsum(a: v128): f32 {
  return (f32x4.extract_lane(a, 0) + f32x4.extract_lane(a, 1)) + (f32x4.extract_lane(a, 2) + f32x4.extract_lane(a, 3));
}

/** Dot product of d floats at a and b. */
function dot(a: usize, b: usize, d: i32): f32 {
  const d4 = d & ~3;
  let acc = f32x4.splat(0);
  let k = 0;
  for (; k < d4; k += 4) {
    const off = <usize>k << 2;
    acc = madd(v128.load(a + off), v128.load(b + off), acc);
  }
  let s = hsum(acc);
  for (; k < d; k++) s += load<f32>(a + (<usize>k << 2)) * load<f32>(b + (<usize>k << 2));
  return s;
}

/** Σ over the scalar tail k ∈ [d4, d) of a·b (0 when d is a multiple of 4). */
@inline function tail(a: usize, b: usize, d4: i32, d: i32): f32 {
  let s: f32 = 0;
  for (let k = d4; k < d; k++) s += load<f32>(a + (<usize>k << 2)) * load<f32>(b + (<usize>k << 2));
  return s;
}

/**
 * out[i·ldo + j] = Σ_k a[i·d + k] · b[j·d + k] for i < n, j < m.
 * Register block: 2 rows of A × 4 rows of B, eight f32x4 accumulators along the contiguous k axis.
 */
export function qkt(a: usize, b: usize, out: usize, n: i32, m: i32, d: i32, ldo: i32): void {
  const d4 = d & ~3;
  const row = <usize>d << 2;
  const orow = <usize>ldo << 2;
  const kEnd = <usize>d4 << 2;
  for (let j0 = 0; j0 < m; j0 += TILE_J) {
    const j1 = min(j0 + TILE_J, m);
    const j1q = j0 + ((j1 - j0) & ~3);
    let i = 0;
    for (; i + 1 < n; i += 2) {
      const a0 = a + <usize>i * row;
      const a1 = a0 + row;
      const o0 = out + <usize>i * orow;
      const o1 = o0 + orow;
      for (let j = j0; j < j1q; j += 4) {
        const b0 = b + <usize>j * row;
        const b1 = b0 + row;
        const b2 = b1 + row;
        const b3 = b2 + row;
        let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
        let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
        for (let k: usize = 0; k < kEnd; k += 16) {
          const x0 = v128.load(a0 + k);
          const x1 = v128.load(a1 + k);
          let y = v128.load(b0 + k);
          c00 = madd(x0, y, c00);
          c10 = madd(x1, y, c10);
          y = v128.load(b1 + k);
          c01 = madd(x0, y, c01);
          c11 = madd(x1, y, c11);
          y = v128.load(b2 + k);
          c02 = madd(x0, y, c02);
          c12 = madd(x1, y, c12);
          y = v128.load(b3 + k);
          c03 = madd(x0, y, c03);
          c13 = madd(x1, y, c13);
        }
        let r0 = hsum4(c00, c01, c02, c03);
        let r1 = hsum4(c10, c11, c12, c13);
        if (d4 < d) {
          r0 = f32x4.add(r0, f32x4(tail(a0, b0, d4, d), tail(a0, b1, d4, d), tail(a0, b2, d4, d), tail(a0, b3, d4, d)));
          r1 = f32x4.add(r1, f32x4(tail(a1, b0, d4, d), tail(a1, b1, d4, d), tail(a1, b2, d4, d), tail(a1, b3, d4, d)));
        }
        v128.store(o0 + (<usize>j << 2), r0);
        v128.store(o1 + (<usize>j << 2), r1);
      }
      for (let j = j1q; j < j1; j++) {
        const bj = b + <usize>j * row;
        store<f32>(o0 + (<usize>j << 2), dot(a0, bj, d));
        store<f32>(o1 + (<usize>j << 2), dot(a1, bj, d));
      }
    }
    if (i < n) {
      const ai = a + <usize>i * row;
      const oi = out + <usize>i * orow;
      for (let j = j0; j < j1; j++) store<f32>(oi + (<usize>j << 2), dot(ai, b + <usize>j * row, d));
    }
  }
}

// ───────────────────────────── A·B (weights·V, X·W) ─────────────────────────────

const TILE_K: i32 = 256;
const BLOCK_I: i32 = 64;

/**
 * out[i·ldo + c] += Σ_{k ∈ [k0, k1)} a[i·lda + k] · b[k·ldb + c] for i < n, c < m.
 * Accumulates into out (zero it first for a plain product). Register block: 2 rows × 16 columns
 * (eight f32x4 accumulators), a broadcast of A times four vectors of a row of B.
 */
export function gemm(a: usize, lda: i32, b: usize, ldb: i32, out: usize, ldo: i32, n: i32, m: i32, k0: i32, k1: i32): void {
  const arow = <usize>lda << 2;
  const brow = <usize>ldb << 2;
  const orow = <usize>ldo << 2;
  const m16 = m & ~15;
  const m4 = m & ~3;
  for (let ib = 0; ib < n; ib += BLOCK_I) {
    const ie = min(ib + BLOCK_I, n);
    for (let kt = k0; kt < k1; kt += TILE_K) {
      const ke = min(kt + TILE_K, k1);
      // 16-column strips
      for (let c = 0; c < m16; c += 16) {
        const cb = <usize>c << 2;
        let i = ib;
        for (; i + 1 < ie; i += 2) {
          const o0 = out + <usize>i * orow + cb;
          const o1 = o0 + orow;
          let s00 = v128.load(o0), s01 = v128.load(o0, 16), s02 = v128.load(o0, 32), s03 = v128.load(o0, 48);
          let s10 = v128.load(o1), s11 = v128.load(o1, 16), s12 = v128.load(o1, 32), s13 = v128.load(o1, 48);
          let pa = a + <usize>i * arow + (<usize>kt << 2);
          let pb = b + <usize>kt * brow + cb;
          for (let k = kt; k < ke; k++) {
            const x0 = v128.load32_splat(pa);
            const x1 = v128.load32_splat(pa + arow);
            let y = v128.load(pb);
            s00 = madd(x0, y, s00);
            s10 = madd(x1, y, s10);
            y = v128.load(pb, 16);
            s01 = madd(x0, y, s01);
            s11 = madd(x1, y, s11);
            y = v128.load(pb, 32);
            s02 = madd(x0, y, s02);
            s12 = madd(x1, y, s12);
            y = v128.load(pb, 48);
            s03 = madd(x0, y, s03);
            s13 = madd(x1, y, s13);
            pa += 4;
            pb += brow;
          }
          v128.store(o0, s00); v128.store(o0, s01, 16); v128.store(o0, s02, 32); v128.store(o0, s03, 48);
          v128.store(o1, s10); v128.store(o1, s11, 16); v128.store(o1, s12, 32); v128.store(o1, s13, 48);
        }
        if (i < ie) {
          const o0 = out + <usize>i * orow + cb;
          let s00 = v128.load(o0), s01 = v128.load(o0, 16), s02 = v128.load(o0, 32), s03 = v128.load(o0, 48);
          let pa = a + <usize>i * arow + (<usize>kt << 2);
          let pb = b + <usize>kt * brow + cb;
          for (let k = kt; k < ke; k++) {
            const x0 = v128.load32_splat(pa);
            s00 = madd(x0, v128.load(pb), s00);
            s01 = madd(x0, v128.load(pb, 16), s01);
            s02 = madd(x0, v128.load(pb, 32), s02);
            s03 = madd(x0, v128.load(pb, 48), s03);
            pa += 4;
            pb += brow;
          }
          v128.store(o0, s00); v128.store(o0, s01, 16); v128.store(o0, s02, 32); v128.store(o0, s03, 48);
        }
      }
      // 4-column strips
      for (let c = m16; c < m4; c += 4) {
        const cb = <usize>c << 2;
        for (let i = ib; i < ie; i++) {
          const o0 = out + <usize>i * orow + cb;
          let s0 = v128.load(o0);
          let pa = a + <usize>i * arow + (<usize>kt << 2);
          let pb = b + <usize>kt * brow + cb;
          for (let k = kt; k < ke; k++) {
            s0 = madd(v128.load32_splat(pa), v128.load(pb), s0);
            pa += 4;
            pb += brow;
          }
          v128.store(o0, s0);
        }
      }
      // single columns
      for (let c = m4; c < m; c++) {
        const cb = <usize>c << 2;
        for (let i = ib; i < ie; i++) {
          const o0 = out + <usize>i * orow + cb;
          let s = load<f32>(o0);
          let pa = a + <usize>i * arow + (<usize>kt << 2);
          let pb = b + <usize>kt * brow + cb;
          for (let k = kt; k < ke; k++) {
            s += load<f32>(pa) * load<f32>(pb);
            pa += 4;
            pb += brow;
          }
          store<f32>(o0, s);
        }
      }
    }
  }
}

// ───────────────────────────── scale + mask + softmax ─────────────────────────────

/**
 * e^x for x ≤ 0 in four lanes (Cephes-style: x = n·ln2 + r, degree-6 polynomial for e^r, 2^n by exponent bits).
 * Below −87.3 the result is exactly 0 (as float32 rounding of the true value nearly is); NaN stays NaN.
 * Rounding to n uses the 1.5·2²³ trick (cheaper than nearest + trunc_sat, which V8 expands on x64);
 * pmax(x, lowest) keeps a NaN x (f32x4.max would too, but costs several instructions).
 */
@inline function vexp(x: v128): v128 {
  const lowest = f32x4.splat(-87.33654);
  const magic = f32x4.splat(12582912.0);
  const under = f32x4.lt(x, lowest);
  const xc = f32x4.pmax(x, lowest);
  const t = f32x4.add(f32x4.mul(xc, f32x4.splat(1.44269504088896341)), magic);
  const fx = f32x4.sub(t, magic);
  let r = f32x4.sub(xc, f32x4.mul(fx, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(fx, f32x4.splat(-2.12194440e-4)));
  let p = f32x4.splat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  // t's low mantissa bits hold n + 0x400000; exponent field of 2^n is n + 127.
  const pow2 = i32x4.shl(i32x4.add(i32x4.sub(t, magic), i32x4.splat(127)), 23);
  return v128.andnot(f32x4.mul(p, pow2), under);
}

@inline function fill(p: usize, from: i32, to: i32, value: f32): void {
  for (let j = from; j < to; j++) store<f32>(p + (<usize>j << 2), value);
}

/**
 * For `rows` rows of `m` cells (row r is query i0 + r): scaled = scores·factor where the mask lets (i, j) through,
 * −∞ elsewhere; weights = row softmax of scaled (subtract the row max; masked cells exactly 0; a row with nothing
 * visible, or whose max is −∞, all 0). mask kind: 0 none, 1 causal, 2 window, 3 dilated (same rules as masks.ts).
 * Rows the fast path cannot settle exactly like the reference (a +∞ max, or NaN anywhere in the visible cells) are
 * listed at `bad` (i32 row indices, relative to the block); the return value is how many. The caller redoes them.
 */
export function softmax(
  scores: usize, scaled: usize, weights: usize, rows: i32, m: i32, factor: f32,
  i0: i32, kind: i32, window: i32, dilation: i32, bad: usize,
): i32 {
  const NEG_INF: f32 = -Infinity;
  const vf = f32x4.splat(factor);
  let nBad = 0;
  for (let r = 0; r < rows; r++) {
    const i = i0 + r;
    const off = <usize>r * (<usize>m << 2);
    const s = scores + off;
    const x = scaled + off;
    const w = weights + off;
    if (kind == 3) {
      // Dilated: keys i, i−dil, … (window of them). Few cells per row: scalar.
      fill(x, 0, m, NEG_INF);
      fill(w, 0, m, 0);
      let mx: f32 = NEG_INF;
      for (let t = 0; t < window; t++) {
        const j = i - t * dilation;
        if (j < 0) break;
        if (j >= m) continue;
        const v = load<f32>(s + (<usize>j << 2)) * factor;
        store<f32>(x + (<usize>j << 2), v);
        if (v > mx) mx = v;
      }
      if (mx == NEG_INF) continue;
      let sum: f32 = 0;
      for (let t = 0; t < window; t++) {
        const j = i - t * dilation;
        if (j < 0) break;
        if (j >= m) continue;
        const e = Mathf.exp(load<f32>(x + (<usize>j << 2)) - mx);
        store<f32>(w + (<usize>j << 2), e);
        sum += e;
      }
      if (!(sum >= 1 && sum < Infinity)) {
        store<i32>(bad + (<usize>nBad << 2), r);
        nBad++;
        continue;
      }
      const inv: f32 = 1 / sum;
      for (let t = 0; t < window; t++) {
        const j = i - t * dilation;
        if (j < 0) break;
        if (j >= m) continue;
        store<f32>(w + (<usize>j << 2), load<f32>(w + (<usize>j << 2)) * inv);
      }
      continue;
    }
    let lo = 0;
    let hi = m;
    if (kind == 1) hi = min(i + 1, m);
    else if (kind == 2) {
      hi = min(i + 1, m);
      lo = min(m, max(0, i - window + 1));
    }
    if (hi < lo) hi = lo;
    fill(x, 0, lo, NEG_INF);
    fill(x, hi, m, NEG_INF);
    fill(w, 0, lo, 0);
    fill(w, hi, m, 0);
    if (hi == lo) continue;
    // Pass 1: scale, store, running max. pmax ignores NaN like the reference's `x > max`.
    let vmax = f32x4.splat(NEG_INF);
    let j = lo;
    for (; j + 4 <= hi; j += 4) {
      const p = <usize>j << 2;
      const v = f32x4.mul(v128.load(s + p), vf);
      v128.store(x + p, v);
      vmax = f32x4.pmax(vmax, v);
    }
    let mx: f32 = max<f32>(max<f32>(f32x4.extract_lane(vmax, 0), f32x4.extract_lane(vmax, 1)), max<f32>(f32x4.extract_lane(vmax, 2), f32x4.extract_lane(vmax, 3)));
    for (; j < hi; j++) {
      const p = <usize>j << 2;
      const v = load<f32>(s + p) * factor;
      store<f32>(x + p, v);
      if (v > mx) mx = v;
    }
    if (mx == NEG_INF) {
      fill(w, lo, hi, 0);
      continue;
    }
    if (mx == Infinity) {
      store<i32>(bad + (<usize>nBad << 2), r);
      nBad++;
      continue;
    }
    // Pass 2: e = exp(x − max), running sum.
    const vm = f32x4.splat(mx);
    let vsum = f32x4.splat(0);
    j = lo;
    for (; j + 4 <= hi; j += 4) {
      const p = <usize>j << 2;
      const e = vexp(f32x4.sub(v128.load(x + p), vm));
      v128.store(w + p, e);
      vsum = f32x4.add(vsum, e);
    }
    let sum = hsum(vsum);
    for (; j < hi; j++) {
      const p = <usize>j << 2;
      const e = Mathf.exp(load<f32>(x + p) - mx);
      store<f32>(w + p, e);
      sum += e;
    }
    if (!(sum >= 1 && sum < Infinity)) {
      store<i32>(bad + (<usize>nBad << 2), r);
      nBad++;
      continue;
    }
    // Pass 3: normalise.
    const inv: f32 = 1 / sum;
    const vi = f32x4.splat(inv);
    j = lo;
    for (; j + 4 <= hi; j += 4) {
      const p = <usize>j << 2;
      v128.store(w + p, f32x4.mul(v128.load(w + p), vi));
    }
    for (; j < hi; j++) {
      const p = <usize>j << 2;
      store<f32>(w + p, load<f32>(w + p) * inv);
    }
  }
  return nBad;
}

/** First free byte after static data: the JS side places its buffers from here. */
export function heapBase(): usize {
  return (__heap_base + 15) & ~15;
}
