/**
 * Outer-product Fishers F = (1/R) Σ_r g_r g_rᵀ over R per-example gradient rows
 * g_r = (p_{n(r)} − e_{y(r)}) ⊗ x̃_{n(r)} (flattened θ order):
 *  - empirical: one row per example at its given label (R = N);
 *  - sampled: S rows per example with labels drawn from the model, y ~ p(y|x_n) — a Monte-Carlo
 *    estimate of the true Fisher that converges to {@link ExactFisher} as S → ∞.
 * The damped inverse is exact through the Woodbury identity,
 * (λI + JᵀJ/R)^{-1} g = (g − Jᵀ (λR I + J Jᵀ)^{-1} J g) / λ, where (J Jᵀ)_rs = (e_r·e_s)(x̃_n(r)·x̃_n(s)),
 * so it needs λ > 0 and one R×R Cholesky factorisation (cached per λ). Above {@link WOODBURY_MAX_ROWS}
 * rows (where R² doubles and R³/6 operations stop being cheap) the solve is conjugate gradient on
 * F̂·v products instead, to a relative residual of 1e-12.
 */

/** Largest number of gradient rows solved through Woodbury (an R×R Cholesky factorisation). */
export const WOODBURY_MAX_ROWS = 2048;
import { conjugateGradient, type CgResult } from './conjugateGradient.js';
import { cholesky, choleskySolveRows } from './kernels.js';
import type { CurvatureApprox, FisherMode } from './curvatureApprox.js';
import { createRng } from './rng.js';
import type { SoftmaxRegression } from './softmaxRegression.js';

export class OuterProductFisher implements CurvatureApprox {
  readonly dim: number;
  /** Number of gradient rows R. */
  readonly rows: number;
  /** e_r = p_{n(r)} − onehot(y(r)), R×C row-major. */
  private readonly E: Float64Array;
  /** The factor for one damping; `lent`: it lives in the model's shared square buffer (valid while this Fisher owns it). */
  private cached: { damping: number; L: Float64Array | null; lent: boolean } | null = null;
  /** CG statistics of the last multiplyInverse call when R > WOODBURY_MAX_ROWS (null otherwise). */
  lastSolve: CgResult | null = null;

  /**
   * @param exampleOf example index n(r) of each row; @param labelOf its label y(r).
   * Uses the model's probabilities at its current θ.
   */
  constructor(
    readonly model: SoftmaxRegression,
    readonly mode: FisherMode,
    readonly exampleOf: Int32Array,
    labelOf: Int32Array,
  ) {
    const { C, P } = model;
    this.dim = model.dim;
    this.rows = exampleOf.length;
    this.E = new Float64Array(this.rows * C);
    for (let r = 0; r < this.rows; r++) {
      const n = exampleOf[r];
      for (let c = 0; c < C; c++) this.E[r * C + c] = P[n * C + c];
      this.E[r * C + labelOf[r]] -= 1;
    }
  }

  /** u_r = g_r · v for every row. */
  private project(v: ArrayLike<number>): Float64Array {
    const { C, Dp, Xa } = this.model;
    const u = new Float64Array(this.rows);
    const xv = new Float64Array(C);
    for (let r = 0; r < this.rows; r++) {
      const xo = this.exampleOf[r] * Dp;
      for (let c = 0; c < C; c++) {
        let s = 0;
        for (let j = 0; j < Dp; j++) s += v[c * Dp + j] * Xa[xo + j];
        xv[c] = s;
      }
      let s = 0;
      for (let c = 0; c < C; c++) s += this.E[r * C + c] * xv[c];
      u[r] = s;
    }
    return u;
  }

  /** out ← scale · Σ_r w_r g_r. */
  private combine(w: Float64Array, scale: number, out: Float64Array): void {
    const { C, Dp, Xa } = this.model;
    out.fill(0);
    for (let r = 0; r < this.rows; r++) {
      const xo = this.exampleOf[r] * Dp;
      for (let c = 0; c < C; c++) {
        const f = scale * w[r] * this.E[r * C + c];
        if (f === 0) continue;
        for (let j = 0; j < Dp; j++) out[c * Dp + j] += f * Xa[xo + j];
      }
    }
  }

  multiply(v: ArrayLike<number>, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    const u = this.project(v);
    this.combine(u, 1 / this.rows, out);
    return out;
  }

  private factor(damping: number): Float64Array | null {
    const c = this.cached;
    if (c && c.damping === damping && (!c.L || !c.lent || this.model.squareOwnedBy(this))) return c.L;
    const R = this.rows;
    const { C, N } = this.model;
    let L: Float64Array | null = null;
    let lent = false;
    if (damping > 0) {
      const K = this.model.inputGram();
      // In the model's SIMD memory when it has room (then the factorisation is split over its threads).
      const scratch = this.model.squareScratch(R, this);
      lent = scratch !== null;
      L = scratch ?? new Float64Array(R * R);
      for (let r = 0; r < R; r++) {
        const nr = this.exampleOf[r];
        for (let s = 0; s <= r; s++) {
          let ee = 0;
          for (let c = 0; c < C; c++) ee += this.E[r * C + c] * this.E[s * C + c];
          L[r * R + s] = ee * K[nr * N + this.exampleOf[s]];
        }
        L[r * R + r] += damping * R;
      }
      const LL = L;
      if (!this.model.parallel(() => cholesky(R, LL, 0, R))) L = null;
    }
    this.cached = { damping, L, lent };
    return L;
  }

  multiplyInverse(v: ArrayLike<number>, damping: number, out: Float64Array = new Float64Array(this.dim)): Float64Array {
    if (this.rows > WOODBURY_MAX_ROWS) {
      if (!(damping > 0)) return out.fill(NaN);
      const res = conjugateGradient((x, y) => {
        this.multiply(x, y);
        for (let i = 0; i < y.length; i++) y[i] += damping * x[i];
      }, v, { tol: 1e-12 });
      this.lastSolve = res;
      out.set(res.value);
      return out;
    }
    const L = this.factor(damping);
    if (!L) return out.fill(NaN);
    const u = this.project(v);
    choleskySolveRows(this.rows, L, 0, this.rows, 1, u, 0, this.rows);
    const corr = new Float64Array(this.dim);
    this.combine(u, 1, corr);
    for (let i = 0; i < this.dim; i++) out[i] = (v[i] - corr[i]) / damping;
    return out;
  }

  toDense(): Float64Array {
    const { C, Dp, Xa } = this.model;
    const dim = this.dim;
    const F = new Float64Array(dim * dim);
    const g = new Float64Array(dim);
    for (let r = 0; r < this.rows; r++) {
      const xo = this.exampleOf[r] * Dp;
      for (let c = 0; c < C; c++) for (let j = 0; j < Dp; j++) g[c * Dp + j] = this.E[r * C + c] * Xa[xo + j];
      for (let i = 0; i < dim; i++) {
        const gi = g[i] / this.rows;
        if (gi === 0) continue;
        for (let j = 0; j < dim; j++) F[i * dim + j] += gi * g[j];
      }
    }
    return F;
  }
}

/** Empirical Fisher: one gradient row per example, at the data's own labels. */
export function empiricalFisher(model: SoftmaxRegression): OuterProductFisher {
  const ex = new Int32Array(model.N);
  for (let n = 0; n < model.N; n++) ex[n] = n;
  return new OuterProductFisher(model, 'empirical', ex, model.labels);
}

/**
 * Monte-Carlo true Fisher: `samples` labels per example drawn from p(y|x_n) at the current θ
 * with a seeded generator (same seed, same estimate).
 */
export function sampledFisher(model: SoftmaxRegression, samples: number, seed: number): OuterProductFisher {
  const { N, C, P } = model;
  const R = N * samples;
  const ex = new Int32Array(R);
  const lab = new Int32Array(R);
  const rng = createRng(seed);
  for (let s = 0; s < samples; s++) {
    for (let n = 0; n < N; n++) {
      const r = s * N + n;
      ex[r] = n;
      let u = rng.next();
      let c = 0;
      for (; c < C - 1; c++) {
        u -= P[n * C + c];
        if (u < 0) break;
      }
      lab[r] = c;
    }
  }
  return new OuterProductFisher(model, 'sampled', ex, lab);
}
