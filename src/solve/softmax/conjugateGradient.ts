/**
 * Conjugate gradient for symmetric positive-definite systems given only as a matrix-vector product.
 */

export interface CgOptions {
  /** Stop when ‖b − A x‖₂ ≤ tol · ‖b‖₂ (relative residual). Default 1e-10. */
  tol?: number;
  /** Iteration cap. Default 10·n. */
  maxIter?: number;
}

export interface CgResult {
  /** The approximate solution. */
  value: Float64Array;
  converged: boolean;
  iterations: number;
  /** Relative residual ‖b − A x‖₂ / ‖b‖₂, recomputed from scratch with one extra product at the end. */
  residual: number;
}

/**
 * The vector operations of one CG iteration, over vectors the implementation allocates (so that a
 * WebAssembly arena can run them with SIMD: see softmaxRegression.ts). {@link jsCgVectors} is the
 * plain JavaScript version.
 */
export interface CgVectors {
  /** A zero-filled work vector of length n the other operations accept. */
  alloc(n: number): Float64Array;
  /** Σ x_i y_i. */
  dot(x: Float64Array, y: Float64Array): number;
  /** x ← x + αp and r ← r − αq; returns ‖r‖² (after the update). */
  step(alpha: number, p: Float64Array, q: Float64Array, x: Float64Array, r: Float64Array): number;
  /** p ← r + βp. */
  xpby(r: Float64Array, beta: number, p: Float64Array): void;
  /** y ← y + αx. */
  axpy(alpha: number, x: Float64Array, y: Float64Array): void;
}

/** {@link CgVectors} in plain JavaScript over ordinary Float64Arrays. */
export const jsCgVectors: CgVectors = {
  alloc: (n) => new Float64Array(n),
  dot(x, y) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i] * y[i];
    return s;
  },
  step(alpha, p, q, x, r) {
    let rr = 0;
    for (let i = 0; i < x.length; i++) {
      x[i] += alpha * p[i];
      r[i] -= alpha * q[i];
      rr += r[i] * r[i];
    }
    return rr;
  },
  xpby(r, beta, p) {
    for (let i = 0; i < p.length; i++) p[i] = r[i] + beta * p[i];
  },
  axpy(alpha, x, y) {
    for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
  },
};

/**
 * Solves A x = b by conjugate gradient from x₀ = 0. `apply(v, out)` must write A v into out.
 * Never throws: a breakdown (non-positive curvature pᵀAp ≤ 0, NaN) stops with converged = false.
 * The returned `value` is a fresh array (never one of the work vectors of `vectors`).
 */
export function conjugateGradient(
  apply: (v: Float64Array, out: Float64Array) => void,
  b: ArrayLike<number>,
  options: CgOptions = {},
  vectors: CgVectors = jsCgVectors,
): CgResult {
  const n = b.length;
  const tol = options.tol ?? 1e-10;
  const maxIter = options.maxIter ?? 10 * n;
  const x = vectors.alloc(n), r = vectors.alloc(n), p = vectors.alloc(n), ap = vectors.alloc(n);
  for (let i = 0; i < n; i++) r[i] = p[i] = b[i];
  const bnorm = Math.sqrt(vectors.dot(r, r));
  if (bnorm === 0) return { value: new Float64Array(n), converged: true, iterations: 0, residual: 0 };
  let rr = bnorm * bnorm;
  let it = 0;
  let broke = false;
  while (it < maxIter && Math.sqrt(rr) > tol * bnorm) {
    apply(p, ap);
    const pap = vectors.dot(p, ap);
    if (!(pap > 0)) { broke = true; break; }
    const alpha = rr / pap;
    const rrNew = vectors.step(alpha, p, ap, x, r);
    const beta = rrNew / rr;
    rr = rrNew;
    vectors.xpby(r, beta, p);
    it++;
  }
  // True residual (the recursive one drifts).
  apply(x, ap);
  let res = 0;
  for (let i = 0; i < n; i++) res += (b[i] - ap[i]) ** 2;
  const residual = Math.sqrt(res) / bnorm;
  return { value: Float64Array.from(x), converged: !broke && residual <= tol * (1 + 1e-6) + 1e-15, iterations: it, residual };
}
