import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolveRows, gemmNT, mirrorLower, transpose } from '../../src/solve/softmax/kernels.js';
import { createArena, moduleBytes, WS_DOUBLES, type WasmArena } from '../../src/solve/softmax/wasmTiles.js';
import { createRng } from '../../src/solve/softmax/rng.js';
import { jsCgVectors } from '../../src/solve/softmax/conjugateGradient.js';
import { enableRelaxedSimd } from '../../src/node/wasmFeatures.js';

enableRelaxedSimd();
const VARIANTS = ['relaxed', 'simd'] as const;

/** An arena of the given WebAssembly variant (the test fails if this runtime cannot compile it). */
function arenaOfVariant(variant: (typeof VARIANTS)[number], doubles: number): WasmArena {
  const arena = createArena(doubles, { variant });
  expect(arena, `${variant} WebAssembly kernels compile`).not.toBeNull();
  expect(arena!.variant).toBe(variant);
  return arena!;
}

const rng = createRng(7);
const rand = (n: number) => Float64Array.from({ length: n }, () => rng.normal());

/** Naive triple loop: the reference for gemmNT. */
function naiveNT(m: number, n: number, k: number, alpha: number, a: Float64Array, b: Float64Array, beta: number, c0: Float64Array, lower: boolean): Float64Array {
  const c = Float64Array.from(c0);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    if (lower && j > i) continue;
    let s = 0;
    for (let p = 0; p < k; p++) s += a[i * k + p] * b[j * k + p];
    c[i * n + j] = beta * c0[i * n + j] + alpha * s;
  }
  return c;
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let e = 0;
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return e;
}

describe('gemmNT computes C ← βC + α A Bᵀ', () => {
  // Sizes straddle the register tile (4×4), the summation block (256) and the packed column block (512).
  const shapes: [number, number, number][] = [[1, 1, 1], [5, 3, 7], [9, 10, 33], [17, 6, 1030], [4, 2, 2], [13, 13, 5], [38, 38, 300], [35, 35, 2100], [7, 11, 3], [6, 517, 257], [519, 519, 260], [3, 4, 256], [8, 8, 512]];
  for (const [m, n, k] of shapes) {
    for (const lower of [false, true]) {
      if (lower && m !== n) continue;
      it(`matches the triple loop for m=${m}, n=${n}, k=${k}${lower ? ' (lower triangle only)' : ''} on plain arrays (scalar JS), relaxed and plain SIMD arenas and Float32Array`, () => {
        const a = rand(m * k), b = rand(n * k), c0 = rand(m * n);
        for (const [alpha, beta] of [[1, 0], [-0.5, 1], [2, 0.25]]) {
          const ref = naiveNT(m, n, k, alpha, a, b, beta, c0, lower);
          const c = Float64Array.from(c0);
          gemmNT(m, n, k, alpha, a, 0, k, b, 0, k, beta, c, 0, n, lower);
          expect(maxDiff(c, ref)).toBeLessThan(1e-12 * k);
          for (const variant of VARIANTS) {
            const arena = arenaOfVariant(variant, m * k + n * k + m * n + 16);
            const aa = arena.alloc(m * k), bb = arena.alloc(n * k), cc = arena.alloc(m * n);
            aa.set(a); bb.set(b); cc.set(c0);
            gemmNT(m, n, k, alpha, aa, 0, k, bb, 0, k, beta, cc, 0, n, lower);
            expect(maxDiff(cc, ref), variant).toBeLessThan(1e-12 * k);
          }
          const a32 = Float32Array.from(a), b32 = Float32Array.from(b), c32 = Float32Array.from(c0);
          const ref32 = naiveNT(m, n, k, alpha, Float64Array.from(a32), Float64Array.from(b32), beta, Float64Array.from(c32), lower);
          gemmNT(m, n, k, alpha, a32, 0, k, b32, 0, k, beta, c32, 0, n, lower);
          expect(maxDiff(c32, ref32)).toBeLessThan(1e-5 * Math.sqrt(k) * 4);
        }
      });
    }
  }
  it('respects offsets and leading dimensions (sub-blocks of larger matrices)', () => {
    const lda = 11, ldb = 9, ldc = 8;
    const a = rand(6 * lda), b = rand(5 * ldb), c = new Float64Array(7 * ldc).fill(3);
    gemmNT(4, 3, 5, 1, a, lda + 2, lda, b, ldb + 1, ldb, 0, c, ldc + 1, ldc);
    for (let i = 0; i < 7; i++) for (let j = 0; j < ldc; j++) {
      const inside = i >= 1 && i < 5 && j >= 1 && j < 4;
      let s = 3;
      if (inside) {
        s = 0;
        for (let p = 0; p < 5; p++) s += a[lda + 2 + (i - 1) * lda + p] * b[ldb + 1 + (j - 1) * ldb + p];
      }
      expect(c[i * ldc + j]).toBeCloseTo(s, 12);
    }
  });
  it('overwrites NaN in C when β = 0', () => {
    const c = new Float64Array(4).fill(NaN);
    gemmNT(2, 2, 3, 1, Float64Array.of(1, 2, 3, 4, 5, 6), 0, 3, Float64Array.of(1, 0, 0, 0, 1, 0), 0, 3, 0, c, 0, 2);
    expect(Array.from(c)).toEqual([1, 2, 4, 5]);
    for (const variant of VARIANTS) {
      // Full 4×4 tiles (vector stores) and edge tiles (scalar stores), β = 0 over NaN, in an arena.
      const m = 6, n = 5, k = 3;
      const arena = arenaOfVariant(variant, 64);
      const a = arena.alloc(m * k), b = arena.alloc(n * k), cc = arena.alloc(m * n).fill(NaN);
      a.set(rand(m * k)); b.set(rand(n * k));
      gemmNT(m, n, k, 1, a, 0, k, b, 0, k, 0, cc, 0, n);
      expect(cc.every(Number.isFinite)).toBe(true);
      // lower: entries above the diagonal are not written (they stay NaN).
      const cl = arena.alloc(m * m).fill(NaN), bl = arena.alloc(m * k);
      bl.set(rand(m * k));
      gemmNT(m, m, k, 1, a, 0, k, bl, 0, k, 0, cl, 0, m, true);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) expect(Number.isNaN(cl[i * m + j]), `(${i},${j})`).toBe(j > i);
    }
  });
  it('gives bitwise the same rows whatever the row range of one call (disjoint row blocks, as worker threads would split C)', () => {
    const m = 23, n = 530, k = 300;
    for (const variant of VARIANTS) {
      for (const lower of [false, true]) {
        const nn = lower ? m : n;
        const arena = arenaOfVariant(variant, m * k + nn * k + 2 * m * nn + 16);
        const a = arena.alloc(m * k), b = arena.alloc(nn * k), whole = arena.alloc(m * nn), parts = arena.alloc(m * nn);
        a.set(rand(m * k)); b.set(rand(nn * k));
        gemmNT(m, nn, k, 0.5, a, 0, k, b, 0, k, 0, whole, 0, nn, lower);
        for (const [i0, i1] of [[0, 5], [5, 6], [6, 19], [19, 23]]) {
          if (lower) {
            // Rows i0..i1 of a lower update: columns 0..i1, with the diagonal offset carried by the operands.
            gemmNT(i1 - i0, i1, k, 0.5, a, i0 * k, k, b, 0, k, 0, parts, i0 * nn, nn);
            for (let i = i0; i < i1; i++) for (let j = i + 1; j < nn; j++) parts[i * nn + j] = whole[i * nn + j];
          } else {
            gemmNT(i1 - i0, nn, k, 0.5, a, i0 * k, k, b, 0, k, 0, parts, i0 * nn, nn);
          }
        }
        expect(Array.from(parts)).toEqual(Array.from(whole));
      }
    }
  });
  it('builds a well-formed module for both variants and reserves a per-arena scratch', () => {
    for (const variant of VARIANTS) {
      const bytes = moduleBytes(variant);
      expect(Array.from(bytes.slice(0, 4))).toEqual([0, 0x61, 0x73, 0x6d]);
      const a1 = arenaOfVariant(variant, 8), a2 = arenaOfVariant(variant, 8);
      expect(a1.memory.buffer).not.toBe(a2.memory.buffer);
      // The scratch lies inside the arena's own memory, before any allocation.
      const v = a1.alloc(1);
      expect(v.byteOffset).toBeGreaterThanOrEqual(a1.ws + 8 * WS_DOUBLES);
    }
    // Only the relaxed variant uses f64x2.relaxed_madd (0xfd 0x87 0x02).
    const has = (b: Uint8Array) => b.some((x, i) => x === 0xfd && b[i + 1] === 0x87 && b[i + 2] === 0x02);
    expect(has(moduleBytes('relaxed'))).toBe(true);
    expect(has(moduleBytes('simd'))).toBe(false);
  });
});

describe('vector kernels (CG updates) in WebAssembly', () => {
  for (const variant of VARIANTS) {
    for (const n of [0, 1, 2, 3, 7, 1001]) {
      it(`dot, step, xpby and axpy match the JavaScript loops (${variant}, n = ${n})`, () => {
        const arena = arenaOfVariant(variant, 8 * n + 64);
        const k = arena.kernels;
        const mk = () => { const v = arena.alloc(n); v.set(rand(n)); return v; };
        const x = mk(), r = mk(), p = mk(), q = mk();
        const [xj, rj, pj, qj] = [x, r, p, q].map((v) => Float64Array.from(v));
        const close = (u: number, v: number) => expect(Math.abs(u - v)).toBeLessThanOrEqual(1e-13 * (1 + Math.abs(v)) * Math.max(1, n));
        close(k.dot(n, x.byteOffset, q.byteOffset), jsCgVectors.dot(xj, qj));
        close(k.cgStep(n, 0.3, p.byteOffset, q.byteOffset, x.byteOffset, r.byteOffset), jsCgVectors.step(0.3, pj, qj, xj, rj));
        expect(maxDiff(x, xj)).toBeLessThanOrEqual(1e-15 * 8);
        expect(maxDiff(r, rj)).toBeLessThanOrEqual(1e-15 * 8);
        k.xpby(n, r.byteOffset, -0.7, p.byteOffset); jsCgVectors.xpby(rj, -0.7, pj);
        expect(maxDiff(p, pj)).toBeLessThanOrEqual(1e-15 * 8);
        k.axpy(n, 1.5, p.byteOffset, q.byteOffset); jsCgVectors.axpy(1.5, pj, qj);
        expect(maxDiff(q, qj)).toBeLessThanOrEqual(1e-15 * 8);
        // Independent reference for dot: a sum in a different order (pairs from the end).
        let s = 0;
        for (let i = n - 1; i >= 0; i--) s += x[i] * q[i];
        close(k.dot(n, x.byteOffset, q.byteOffset), s);
      });
    }
  }
});

describe('cholesky and choleskySolveRows', () => {
  for (const n of [1, 3, 15, 16, 17, 63, 64, 65, 97, 130, 200, 300]) {
    it(`factor an SPD matrix of order ${n} so that L Lᵀ reproduces it and the solve inverts it (scalar JS, relaxed and plain SIMD)`, () => {
      const m = rand(n * (n + 2));
      const A = new Float64Array(n * n);
      // Reference Gram matrix by a naive loop (independent of the kernels under test).
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < n + 2; p++) s += m[i * (n + 2) + p] * m[j * (n + 2) + p];
        A[i * n + j] = s;
      }
      for (let i = 0; i < n; i++) A[i * n + i] += 0.1;
      for (const where of ['scalar', ...VARIANTS] as const) {
        const arena = where === 'scalar' ? null : arenaOfVariant(where, 2 * n * n + 4 * n + 16);
        const L = arena ? arena.alloc(n * n) : new Float64Array(n * n);
        L.set(A);
        expect(cholesky(n, L, 0, n)).toBe(true);
        checkFactor(n, A, L, arena);
      }
    });
  }
  it('reports a matrix that is not positive definite (in an arena too)', () => {
    for (const variant of VARIANTS) {
      const arena = arenaOfVariant(variant, 200 * 200 + 16);
      const n = 130;
      const L = arena.alloc(n * n);
      for (let i = 0; i < n; i++) L[i * n + i] = i === 120 ? -1 : 1;
      expect(cholesky(n, L, 0, n)).toBe(false);
      L.fill(0);
      for (let i = 0; i < n; i++) L[i * n + i] = i === 5 ? NaN : 1;
      expect(cholesky(n, L, 0, n)).toBe(false);
    }
  });
});

/** L Lᵀ = A (naive product), Lᵀ mirrored above the diagonal, and the row solve inverts A. */
function checkFactor(n: number, A: Float64Array, L: Float64Array, arena: WasmArena | null): void {
  {
      const Lo = Float64Array.from(L);
      let unmirrored = 0;
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
        if (L[i * n + j] !== L[j * n + i]) unmirrored++; // Lᵀ mirrored above the diagonal
        Lo[i * n + j] = 0;
      }
      expect(unmirrored).toBe(0);
      const LLt = new Float64Array(n * n);
      for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let p = 0; p <= j; p++) s += Lo[i * n + p] * Lo[j * n + p];
        LLt[i * n + j] = LLt[j * n + i] = s;
      }
      expect(maxDiff(LLt, A)).toBeLessThan(1e-11 * n);
      const nrhs = 5;
      const x = rand(nrhs * n);
      const bvec = arena ? arena.alloc(nrhs * n) : new Float64Array(nrhs * n);
      for (let r = 0; r < nrhs; r++) for (let i = 0; i < n; i++) {
        let s = 0;
        for (let p = 0; p < n; p++) s += A[i * n + p] * x[r * n + p];
        bvec[r * n + i] = s; // rows: A x_r
      }
      choleskySolveRows(n, L, 0, n, nrhs, bvec, 0, n);
      expect(maxDiff(bvec, x)).toBeLessThan(1e-7);
  }
}

describe('small kernels', () => {
  it('reports a 2×2 matrix that is not positive definite', () => {
    expect(cholesky(2, Float64Array.of(1, 2, 2, 1), 0, 2)).toBe(false);
  });
  it('transpose and mirrorLower move entries where stated', () => {
    const s = Float64Array.of(1, 2, 3, 4, 5, 6);
    const t = new Float64Array(6);
    transpose(2, 3, s, t);
    expect(Array.from(t)).toEqual([1, 4, 2, 5, 3, 6]);
    const m = Float64Array.of(1, 0, 2, 3);
    mirrorLower(2, m, 0, 2);
    expect(Array.from(m)).toEqual([1, 2, 2, 3]);
  });
});
