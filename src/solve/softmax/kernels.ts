/**
 * Dense kernels for the softmax fast path, over row-major Float64Array or Float32Array storage.
 *
 * Every routine works on caller-owned buffers with explicit offsets and leading dimensions
 * (BLAS style) and allocates nothing. One matrix-product shape does all the heavy lifting:
 * {@link gemmNT}, C ← βC + α A Bᵀ with both operands stored with the summation index
 * contiguous (rows of A and rows of B are dot-producted). Data matrices are therefore kept
 * in both orientations (X, N×D, and Xᵀ, D×N) by the model, so that forward passes, gradients,
 * Fisher-vector products, K-FAC factors, the Cholesky block-column update and the blocked triangular
 * solves are all NT products.
 *
 * When A, B and C all live in one WebAssembly arena (wasmTiles.ts; float64 models), gemmNT is ONE
 * call into the arena's packed WebAssembly GEMM (f64x2 4×4 outer-product micro-kernel, relaxed-SIMD
 * fused multiply-add where available), and the Cholesky diagonal blocks and triangular strips run in
 * the same module. Otherwise (plain arrays, Float32Array) everything runs in scalar JavaScript: 4×4
 * micro-tiles with 16 accumulators, blocked over the summation index so that the active panels stay
 * in the L1/L2 caches.
 */

import { arenaOf, type WasmArena } from './wasmTiles.js';

/** Float storage accepted by the kernels. Arithmetic is always done in double precision. */
export type Floats = Float64Array | Float32Array;

/**
 * Splits large products over threads (set by a ParallelRunner (parallel.ts) around a multi-threaded
 * model's calls, null otherwise): returns true when it did the work. It clears itself while it runs, so the
 * products it issues (and nested calls) run here, serially.
 */
export interface RowSplitter {
  gemm(m: number, n: number, k: number, alpha: number, a: Floats, aOff: number, lda: number, b: Floats, bOff: number, ldb: number,
    beta: number, c: Floats, cOff: number, ldc: number, lower: boolean): boolean;
  /** Triangular solve on the rows of B: `upper` false is {@link solveRowsLowerT}, true {@link solveRowsLower}. */
  trsm(upper: boolean, n: number, l: Floats, lOff: number, ld: number, nrhs: number, b: Floats, bOff: number, ldb: number): boolean;
}
let splitter: RowSplitter | null = null;
/** Installs `s` (or none); returns the previous one. */
export function setRowSplitter(s: RowSplitter | null): RowSplitter | null {
  const prev = splitter;
  splitter = s;
  return prev;
}

/** The arena holding every given array when all are Float64Arrays in one WebAssembly memory, else undefined. */
function wasmOf(x: Floats, y: Floats = x, z: Floats = x): WasmArena | undefined {
  if (!(x instanceof Float64Array) || !(y instanceof Float64Array) || !(z instanceof Float64Array)) return undefined;
  return x.buffer === y.buffer && x.buffer === z.buffer ? arenaOf(x.buffer) : undefined;
}

/** Summation-index block length of {@link gemmNT} (keeps a 4-row panel of A in L1, B's panel in L2). */
const KB = 128;

/**
 * C[i,j] ← β C[i,j] + α Σ_k A[i,k] B[j,k] for 0 ≤ i < m, 0 ≤ j < n (j ≤ i only when `lower`).
 *
 * Storage: A[i,k] = a[aOff + i*lda + k], B[j,k] = b[bOff + j*ldb + k], C[i,j] = c[cOff + i*ldc + j].
 * With `lower`, entries above the diagonal of C are neither read nor written (SYRK-style update).
 * β = 0 overwrites C without reading it (NaN in C does not propagate).
 */
export function gemmNT(
  m: number, n: number, k: number, alpha: number,
  a: Floats, aOff: number, lda: number,
  b: Floats, bOff: number, ldb: number,
  beta: number, c: Floats, cOff: number, ldc: number,
  lower = false,
): void {
  if (splitter !== null && splitter.gemm(m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, lower)) return;
  if (k > 0) {
    const arena = wasmOf(c, a, b);
    if (arena) {
      arena.kernels.gemm(m, n, k, alpha, a.byteOffset + 8 * aOff, 8 * lda, b.byteOffset + 8 * bOff, 8 * ldb,
        beta, c.byteOffset + 8 * cOff, 8 * ldc, lower ? 1 : 0, arena.ws);
      return;
    }
  }
  if (k === 0) {
    for (let i = 0; i < m; i++) {
      const jn = lower ? Math.min(n, i + 1) : n;
      for (let j = 0; j < jn; j++) c[cOff + i * ldc + j] = beta === 0 ? 0 : beta * c[cOff + i * ldc + j];
    }
    return;
  }
  for (let k0 = 0; k0 < k; k0 += KB) {
    const kl = Math.min(KB, k - k0);
    const bt = k0 === 0 ? beta : 1;
    for (let i0 = 0; i0 < m; i0 += 4) {
      const mi = Math.min(4, m - i0);
      const jEnd = lower ? Math.min(n, i0 + 4) : n;
      for (let j0 = 0; j0 < jEnd; j0 += 4) {
        const nj = Math.min(4, jEnd - j0);
        const ao = aOff + i0 * lda + k0;
        const bo = bOff + j0 * ldb + k0;
        const co = cOff + i0 * ldc + j0;
        if (mi === 4 && nj === 4) {
          tile44(kl, alpha, a, ao, lda, b, bo, ldb, bt, c, co, ldc, lower ? i0 - j0 : 4);
        } else {
          tileEdge(mi, nj, kl, alpha, a, ao, lda, b, bo, ldb, bt, c, co, ldc, lower ? i0 - j0 : 4);
        }
      }
    }
  }
}

/**
 * 4×4 micro-tile. `diag` = i0 − j0 when the tile may cross the diagonal of a lower update
 * (entry (r, s) is stored only when s ≤ r + diag); 4 or more means store everything.
 */
function tile44(
  kl: number, alpha: number,
  a: Floats, ao: number, lda: number, b: Floats, bo: number, ldb: number,
  beta: number, c: Floats, co: number, ldc: number, diag: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  const a1 = ao + lda, a2 = a1 + lda, a3 = a2 + lda;
  const b1 = bo + ldb, b2 = b1 + ldb, b3 = b2 + ldb;
  for (let p = 0; p < kl; p++) {
    const x0 = a[ao + p], x1 = a[a1 + p], x2 = a[a2 + p], x3 = a[a3 + p];
    const y0 = b[bo + p], y1 = b[b1 + p], y2 = b[b2 + p], y3 = b[b3 + p];
    c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
    c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
    c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
    c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
  }
  if (diag >= 3) {
    store4(c, co, beta, alpha, c00, c01, c02, c03);
    store4(c, co + ldc, beta, alpha, c10, c11, c12, c13);
    store4(c, co + 2 * ldc, beta, alpha, c20, c21, c22, c23);
    store4(c, co + 3 * ldc, beta, alpha, c30, c31, c32, c33);
    return;
  }
  const acc = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < 4; r++) {
    for (let s = 0; s < 4; s++) {
      if (s > r + diag) continue;
      const idx = co + r * ldc + s;
      c[idx] = (beta === 0 ? 0 : beta * c[idx]) + alpha * acc[r * 4 + s];
    }
  }
}

function store4(c: Floats, o: number, beta: number, alpha: number, v0: number, v1: number, v2: number, v3: number): void {
  if (beta === 0) {
    c[o] = alpha * v0; c[o + 1] = alpha * v1; c[o + 2] = alpha * v2; c[o + 3] = alpha * v3;
  } else if (beta === 1) {
    c[o] += alpha * v0; c[o + 1] += alpha * v1; c[o + 2] += alpha * v2; c[o + 3] += alpha * v3;
  } else {
    c[o] = beta * c[o] + alpha * v0; c[o + 1] = beta * c[o + 1] + alpha * v1;
    c[o + 2] = beta * c[o + 2] + alpha * v2; c[o + 3] = beta * c[o + 3] + alpha * v3;
  }
}

/** Partial tile (mi, nj ≤ 4) at the right or bottom edge: plain dot products. */
function tileEdge(
  mi: number, nj: number, kl: number, alpha: number,
  a: Floats, ao: number, lda: number, b: Floats, bo: number, ldb: number,
  beta: number, c: Floats, co: number, ldc: number, diag: number,
): void {
  for (let r = 0; r < mi; r++) {
    const ar = ao + r * lda;
    for (let s = 0; s < nj; s++) {
      if (s > r + diag) continue;
      const bs = bo + s * ldb;
      let acc0 = 0, acc1 = 0;
      let p = 0;
      for (; p + 1 < kl; p += 2) {
        acc0 += a[ar + p] * b[bs + p];
        acc1 += a[ar + p + 1] * b[bs + p + 1];
      }
      if (p < kl) acc0 += a[ar + p] * b[bs + p];
      const idx = co + r * ldc + s;
      c[idx] = (beta === 0 ? 0 : beta * c[idx]) + alpha * (acc0 + acc1);
    }
  }
}

/** Copies the lower triangle of the n×n matrix (leading dimension ld) onto its upper triangle. */
export function mirrorLower(n: number, a: Floats, off: number, ld: number): void {
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) a[off + j * ld + i] = a[off + i * ld + j];
}

/** out (cols×rows) ← transpose of src (rows×cols), both dense row-major. Blocked for cache. */
export function transpose(rows: number, cols: number, src: Floats, out: Floats): void {
  const B = 32;
  for (let i0 = 0; i0 < rows; i0 += B) {
    const i1 = Math.min(rows, i0 + B);
    for (let j0 = 0; j0 < cols; j0 += B) {
      const j1 = Math.min(cols, j0 + B);
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) out[j * rows + i] = src[i * cols + j];
    }
  }
}


/** Cholesky block size (columns factored per panel before the trailing NT update). */
const NB = 96;
/** Inner block size of the triangular solves (columns solved by scalar substitution between NT updates). */
const TB = 32;

/**
 * In-place lower Cholesky factorisation A = L Lᵀ of the symmetric positive-definite n×n matrix
 * stored row-major with leading dimension `ld` (only the lower triangle is read). On success L
 * overwrites the lower triangle and Lᵀ is mirrored into the strict upper triangle (the layout
 * {@link choleskySolveRows} needs). Left-looking and blocked: the block-column update and the
 * panel solve are {@link gemmNT} calls. Returns false (leaving a partial factor) when a pivot is not
 * positive and finite, i.e. the matrix is not numerically positive definite.
 */
export function cholesky(n: number, a: Floats, off: number, ld: number): boolean {
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    // Left-looking update of the block column: A[k0:, k0:k1] −= L[k0:, :k0] L[k0:k1, :k0]ᵀ. The dot
    // products run over all previous columns (long, SIMD-friendly); the strict upper part of the
    // diagonal block is written too and is overwritten by the final mirror.
    if (k0 > 0) gemmNT(n - k0, k1 - k0, k0, -1, a, off + k0 * ld, ld, a, off + k0 * ld, ld, 1, a, off + k0 * ld + k0, ld);
    // Unblocked factorisation of the diagonal block (row-oriented, dot products over contiguous rows).
    const ar = wasmOf(a);
    if (ar) {
      if (!ar.kernels.potrfDiag(k1 - k0, a.byteOffset + 8 * (off + k0 * ld + k0), 8 * ld)) return false;
    } else for (let i = k0; i < k1; i++) {
      const ri = off + i * ld;
      for (let j = k0; j <= i; j++) {
        const rj = off + j * ld;
        let s = a[ri + j];
        for (let l = k0; l < j; l++) s -= a[ri + l] * a[rj + l];
        if (j === i) {
          if (!(s > 0) || !Number.isFinite(s)) return false;
          a[ri + i] = Math.sqrt(s);
        } else a[ri + j] = s / a[rj + j];
      }
    }
    // Panel below the diagonal block: L21 = A21 L11^{-T}.
    if (k1 < n) solveRowsLowerT(k1 - k0, a, off + k0 * ld + k0, ld, n - k1, a, off + k1 * ld + k0, ld);
  }
  mirrorLower(n, a, off, ld);
  return true;
}

/**
 * B ← B L^{-T} for the lower-triangular n×n L (only its lower triangle is read) and the nrhs×n
 * row-major B, i.e. each row b of B becomes L^{-1} b (forward substitution). Blocked: all but
 * TB-wide diagonal strips go through {@link gemmNT}.
 */
export function solveRowsLowerT(n: number, l: Floats, lOff: number, ld: number, nrhs: number, b: Floats, bOff: number, ldb: number): void {
  if (splitter !== null && splitter.trsm(false, n, l, lOff, ld, nrhs, b, bOff, ldb)) return;
  for (let k0 = 0; k0 < n; k0 += TB) {
    const k1 = Math.min(n, k0 + TB);
    if (k0 > 0) gemmNT(nrhs, k1 - k0, k0, -1, b, bOff, ldb, l, lOff + k0 * ld, ld, 1, b, bOff + k0, ldb);
    const ar = wasmOf(l, b);
    if (ar) ar.kernels.trsmLT(k1 - k0, l.byteOffset + 8 * (lOff + k0 * ld + k0), 8 * ld, nrhs, b.byteOffset + 8 * (bOff + k0), 8 * ldb);
    else for (let r = 0; r < nrhs; r++) {
      const o = bOff + r * ldb;
      for (let j = k0; j < k1; j++) {
        const rj = lOff + j * ld;
        let s = b[o + j];
        for (let q = k0; q < j; q++) s -= b[o + q] * l[rj + q];
        b[o + j] = s / l[rj + j];
      }
    }
  }
}

/**
 * B ← B L^{-1} for the lower-triangular n×n L whose transpose is mirrored in the strict upper
 * triangle (as {@link cholesky} leaves it), i.e. each row y of B becomes L^{-T} y (back substitution).
 */
export function solveRowsLower(n: number, l: Floats, lOff: number, ld: number, nrhs: number, b: Floats, bOff: number, ldb: number): void {
  if (splitter !== null && splitter.trsm(true, n, l, lOff, ld, nrhs, b, bOff, ldb)) return;
  const top = Math.ceil(n / TB) * TB;
  for (let k0 = top - TB; k0 >= 0; k0 -= TB) {
    const k1 = Math.min(n, k0 + TB);
    // Σ_{i ≥ k1} X[r,i] L[i,j] = Σ_i X[r,i] Lᵀ[j,i]: rows of the mirrored upper triangle.
    if (k1 < n) gemmNT(nrhs, k1 - k0, n - k1, -1, b, bOff + k1, ldb, l, lOff + k0 * ld + k1, ld, 1, b, bOff + k0, ldb);
    const ar = wasmOf(l, b);
    if (ar) ar.kernels.trsmL(k1 - k0, l.byteOffset + 8 * (lOff + k0 * ld + k0), 8 * ld, nrhs, b.byteOffset + 8 * (bOff + k0), 8 * ldb);
    else for (let r = 0; r < nrhs; r++) {
      const o = bOff + r * ldb;
      for (let j = k1 - 1; j >= k0; j--) {
        const rj = lOff + j * ld;
        let s = b[o + j];
        for (let q = j + 1; q < k1; q++) s -= b[o + q] * l[rj + q];
        b[o + j] = s / l[rj + j];
      }
    }
  }
}

/**
 * Solves L Lᵀ X = B in place for `nrhs` right-hand sides stored as ROWS of b (b[r*ldb + i] is entry i
 * of right-hand side r), given the factor from {@link cholesky} (L below the diagonal, Lᵀ mirrored
 * above it). Both substitutions are blocked NT products, so every inner loop is contiguous.
 */
export function choleskySolveRows(n: number, l: Floats, lOff: number, ld: number, nrhs: number, b: Floats, bOff: number, ldb: number): void {
  solveRowsLowerT(n, l, lOff, ld, nrhs, b, bOff, ldb);
  solveRowsLower(n, l, lOff, ld, nrhs, b, bOff, ldb);
}

/** Dot product of two length-n vectors. */
export function dot(n: number, x: Floats, xo: number, y: Floats, yo: number): number {
  let s0 = 0, s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += x[xo + i] * y[yo + i];
    s1 += x[xo + i + 1] * y[yo + i + 1];
  }
  if (i < n) s0 += x[xo + i] * y[yo + i];
  return s0 + s1;
}

/** Fraction of the N rows of the row-major N×C probabilities P whose largest entry is at the label. */
export function argmaxAccuracy(P: Floats, labels: ArrayLike<number>, N: number, C: number): number {
  let ok = 0;
  for (let n = 0; n < N; n++) {
    let best = 0;
    for (let c = 1; c < C; c++) if (P[n * C + c] > P[n * C + best]) best = c;
    if (best === labels[n]) ok++;
  }
  return ok / N;
}
