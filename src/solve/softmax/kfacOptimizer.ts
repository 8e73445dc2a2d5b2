/**
 * K-FAC and EK-FAC as training optimisers for softmax regression (Martens & Grosse 2015; George et al.
 * 2018; the kfac-jax recipe):
 *  - curvature statistics per step: A = (1/N) Σ x̃ x̃ᵀ and G = (1/N) Σ δ δᵀ with δ = p − e_y for the
 *    Fisher type chosen explicitly: 'true' (y ~ p, in expectation: G = mean(diag p − p pᵀ)), 'sampled'
 *    (one y ~ p per example, seeded) or 'empirical' (the training labels);
 *  - running averages A ← m A + (1 − m) Â, G ← m G + (1 − m) Ĝ (the first step takes Â, Ĝ);
 *  - the inverses (Cholesky factors, or the eigenbases for EK-FAC) recomputed every `inverseEvery` steps;
 *  - damping fixed, or Levenberg–Marquardt adaptive: every `adaptEvery` steps the reduction ratio
 *    ρ = (L(θ + δ) − L(θ)) / (gᵀδ + ½ δᵀ(F + λI)δ) (F the exact true Fisher, matrix-free) sets
 *    λ ← ω λ when ρ > ¾ and λ ← λ / ω when ρ < ¼, ω = (19/20)^adaptEvery;
 *  - EK-FAC: in the Kronecker eigenbasis U_G ⊗ U_A the diagonal is re-estimated from per-example
 *    gradients, s_ci = (1/N) Σ_n E_y[(U_Gᵀ δ_n)_c² (U_Aᵀ x̃_n)_i²], and the update is
 *    U_G [(U_Gᵀ ∇W U_A) / (s + λ)] U_Aᵀ.
 * K-FAC's damped inverse is the factored (G + √λ I)^{-1} ∇W (A + √λ I)^{-1}, as elsewhere in the project.
 */
import { symmetricEigen } from '../../core/linalg.js';
import { createRng } from './rng.js';
import type { SoftmaxRegression } from './softmaxRegression.js';

export type FisherType = 'true' | 'sampled' | 'empirical';

export interface KfacOptimizerOptions {
  /** Which Fisher the curvature estimates: always explicit. */
  readonly fisherType: FisherType;
  /** Use EK-FAC (eigenvalue-corrected) instead of K-FAC. */
  readonly ekfac?: boolean;
  readonly lr?: number;
  /** Running-average decay m of the factors (default 0.95). */
  readonly decay?: number;
  /** Recompute inverses every k steps (default 5). */
  readonly inverseEvery?: number;
  /** Initial (or fixed) damping λ (default 1e-3). */
  readonly damping?: number;
  /** 'fixed' (default) or 'lm' (Levenberg–Marquardt adaptive). */
  readonly dampingSchedule?: 'fixed' | 'lm';
  /** LM adaptation period T (default 5). */
  readonly adaptEvery?: number;
  /** Seed of the label sampler for fisherType 'sampled'. */
  readonly seed?: number;
}

export interface KfacStepInfo {
  readonly step: number;
  readonly loss: number;
  readonly damping: number;
  /** LM reduction ratio when it was evaluated at this step. */
  readonly rho?: number;
}

/** A stateful optimiser: `step(θ)` updates θ in place and returns what it did. */
export class KfacOptimizer {
  readonly fisherType: FisherType;
  readonly ekfac: boolean;
  private readonly C: number;
  private readonly Dp: number;
  private readonly lr: number;
  private readonly decay: number;
  private readonly inverseEvery: number;
  private readonly schedule: 'fixed' | 'lm';
  private readonly adaptEvery: number;
  private damping: number;
  private t = 0;
  private A: Float64Array | null = null;
  private G: Float64Array | null = null;
  private inv: { LA: Float64Array; LG: Float64Array } | null = null;
  private eig: { UA: Float64Array; UG: Float64Array; s: Float64Array } | null = null;
  private readonly rng;
  private readonly grad: Float64Array;

  constructor(private readonly model: SoftmaxRegression, opts: KfacOptimizerOptions) {
    if (!['true', 'sampled', 'empirical'].includes(opts.fisherType)) throw new RangeError("fisherType must be 'true', 'sampled' or 'empirical'");
    this.fisherType = opts.fisherType;
    this.ekfac = opts.ekfac ?? false;
    this.C = model.C;
    this.Dp = model.Dp;
    this.lr = opts.lr ?? 1;
    this.decay = opts.decay ?? 0.95;
    this.inverseEvery = opts.inverseEvery ?? 5;
    this.schedule = opts.dampingSchedule ?? 'fixed';
    this.adaptEvery = opts.adaptEvery ?? 5;
    this.damping = opts.damping ?? 1e-3;
    if (!(this.damping > 0) || !(this.lr > 0) || !(this.decay >= 0 && this.decay < 1) || !(this.inverseEvery >= 1)) throw new RangeError('K-FAC options out of range');
    this.rng = createRng(opts.seed ?? 1);
    this.grad = new Float64Array(model.dim);
  }

  get currentDamping(): number {
    return this.damping;
  }

  /** δ-statistics of the chosen Fisher type at the model's current θ (after lossAndGrad). */
  private outputFactor(): Float64Array {
    const { C } = this;
    const { N, P } = this.model;
    const G = new Float64Array(C * C);
    if (this.fisherType === 'true') {
      for (let n = 0; n < N; n++)
        for (let c = 0; c < C; c++) {
          const pc = P[n * C + c];
          G[c * C + c] += pc;
          for (let d = 0; d < C; d++) G[c * C + d] -= pc * P[n * C + d];
        }
    } else {
      const delta = new Float64Array(C);
      for (let n = 0; n < N; n++) {
        const y = this.label(n);
        for (let c = 0; c < C; c++) delta[c] = P[n * C + c] - (c === y ? 1 : 0);
        for (let c = 0; c < C; c++) for (let d = 0; d < C; d++) G[c * C + d] += delta[c] * delta[d];
      }
    }
    for (let i = 0; i < C * C; i++) G[i] /= N;
    return G;
  }

  /** The label of example n for 'sampled' (drawn from p_n) and 'empirical' (the training label). */
  private label(n: number): number {
    const { C } = this;
    if (this.fisherType === 'empirical') return this.model.labels[n];
    let u = this.rng.next();
    for (let c = 0; c < C; c++) {
      u -= this.model.P[n * C + c];
      if (u < 0) return c;
    }
    return C - 1;
  }

  private inputFactor(): Float64Array {
    const { Dp } = this;
    const { N, Xa } = this.model;
    const A = new Float64Array(Dp * Dp);
    for (let n = 0; n < N; n++)
      for (let i = 0; i < Dp; i++) {
        const xi = Xa[n * Dp + i];
        if (xi === 0) continue;
        for (let j = 0; j <= i; j++) A[i * Dp + j] += xi * Xa[n * Dp + j];
      }
    for (let i = 0; i < Dp; i++) for (let j = 0; j <= i; j++) A[i * Dp + j] = A[j * Dp + i] = A[i * Dp + j] / N;
    return A;
  }

  private refreshInverse(): void {
    const { C, Dp } = this;
    if (!this.ekfac) {
      const shift = Math.sqrt(this.damping);
      this.inv = { LA: choleskyShifted(this.A!, Dp, shift), LG: choleskyShifted(this.G!, C, shift) };
      return;
    }
    const ea = symmetricEigen(this.A!, Dp);
    const eg = symmetricEigen(this.G!, C);
    const UA = Float64Array.from(ea.vectors);
    const UG = Float64Array.from(eg.vectors);
    // Per-example second moments in the eigenbasis.
    const { N, P, Xa } = this.model;
    const s = new Float64Array(C * Dp);
    const xr = new Float64Array(Dp);
    const dr = new Float64Array(C);
    const delta = new Float64Array(C);
    for (let n = 0; n < N; n++) {
      for (let i = 0; i < Dp; i++) {
        let v = 0;
        for (let k = 0; k < Dp; k++) v += UA[k * Dp + i] * Xa[n * Dp + k];
        xr[i] = v * v;
      }
      const labels = this.fisherType === 'true' ? Array.from({ length: C }, (_, c) => c) : [this.label(n)];
      for (const y of labels) {
        const w = this.fisherType === 'true' ? P[n * C + y] : 1;
        if (w === 0) continue;
        for (let c = 0; c < C; c++) delta[c] = P[n * C + c] - (c === y ? 1 : 0);
        for (let c = 0; c < C; c++) {
          let v = 0;
          for (let k = 0; k < C; k++) v += UG[k * C + c] * delta[k];
          dr[c] = v * v;
        }
        for (let c = 0; c < C; c++) for (let i = 0; i < Dp; i++) s[c * Dp + i] += (w * dr[c] * xr[i]) / N;
      }
    }
    if (this.eig) for (let k = 0; k < s.length; k++) s[k] = this.decay * this.eig.s[k] + (1 - this.decay) * s[k];
    this.eig = { UA, UG, s };
  }

  /** The preconditioned direction for the gradient in `g` (θ order, C × Dp). */
  direction(g: Float64Array, out: Float64Array = new Float64Array(g.length)): Float64Array {
    const { C, Dp } = this;
    if (!this.ekfac) {
      const { LA, LG } = this.inv!;
      const T = Float64Array.from(g);
      for (let c = 0; c < C; c++) cholSolveInPlace(LA, Dp, T, c * Dp, 1);
      for (let j = 0; j < Dp; j++) cholSolveInPlace(LG, C, T, j, Dp);
      out.set(T);
      return out;
    }
    const { UA, UG, s } = this.eig!;
    // V' = U_Gᵀ V U_A, divide, back.
    const VA = new Float64Array(C * Dp);
    for (let c = 0; c < C; c++) for (let i = 0; i < Dp; i++) {
      let v = 0;
      for (let k = 0; k < Dp; k++) v += g[c * Dp + k] * UA[k * Dp + i];
      VA[c * Dp + i] = v;
    }
    const V2 = new Float64Array(C * Dp);
    for (let c = 0; c < C; c++) for (let i = 0; i < Dp; i++) {
      let v = 0;
      for (let k = 0; k < C; k++) v += UG[k * C + c] * VA[k * Dp + i];
      V2[c * Dp + i] = v / (s[c * Dp + i] + this.damping);
    }
    const B = new Float64Array(C * Dp);
    for (let c = 0; c < C; c++) for (let i = 0; i < Dp; i++) {
      let v = 0;
      for (let k = 0; k < C; k++) v += UG[c * C + k] * V2[k * Dp + i];
      B[c * Dp + i] = v;
    }
    for (let c = 0; c < C; c++) for (let i = 0; i < Dp; i++) {
      let v = 0;
      for (let k = 0; k < Dp; k++) v += B[c * Dp + k] * UA[i * Dp + k];
      out[c * Dp + i] = v;
    }
    return out;
  }

  /** One update of θ (in place). */
  step(theta: Float64Array): KfacStepInfo {
    const g = this.grad;
    const loss = this.model.lossAndGrad(theta, g);
    const Ahat = this.A ? null : this.inputFactor();
    const Ghat = this.outputFactor();
    const m = this.decay;
    if (!this.A) this.A = Ahat;
    // (A depends on the data only for softmax regression: its running average is A itself.)
    this.G = this.G ? this.G.map((v, i) => m * v + (1 - m) * Ghat[i]) : Ghat;
    if (this.t % this.inverseEvery === 0 || !(this.inv || this.eig)) this.refreshInverse();
    const dir = this.direction(g);
    for (let i = 0; i < theta.length; i++) dir[i] *= -this.lr;
    let rho: number | undefined;
    if (this.schedule === 'lm' && this.t % this.adaptEvery === 0) {
      // Quadratic model M(δ) = gᵀδ + ½ δᵀ(F + λI)δ with the exact true Fisher (matrix-free).
      const Fd = new Float64Array(dir.length);
      this.model.fisherVector(dir, Fd);
      let gd = 0;
      let dFd = 0;
      let dd = 0;
      for (let i = 0; i < dir.length; i++) {
        gd += g[i] * dir[i];
        dFd += dir[i] * Fd[i];
        dd += dir[i] * dir[i];
      }
      const predicted = gd + 0.5 * (dFd + this.damping * dd);
      const trial = theta.map((v, i) => v + dir[i]);
      const newLoss = this.model.lossAndGrad(trial, new Float64Array(dir.length));
      rho = (newLoss - loss) / predicted;
      const omega = (19 / 20) ** this.adaptEvery;
      if (rho > 0.75) this.damping *= omega;
      else if (rho < 0.25) this.damping /= omega;
      this.damping = Math.min(1e4, Math.max(1e-8, this.damping));
      this.model.lossAndGrad(theta, g); // restore the model's state at θ
    }
    for (let i = 0; i < theta.length; i++) theta[i] += dir[i];
    this.t++;
    return { step: this.t, loss, damping: this.damping, ...(rho !== undefined ? { rho } : {}) };
  }
}

function choleskyShifted(M: Float64Array, n: number, shift: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = M[i * n + j] + (i === j ? shift : 0);
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i === j) {
        if (!(s > 0)) throw new RangeError('a damped K-FAC factor is not positive definite (increase the damping)');
        L[i * n + i] = Math.sqrt(s);
      } else L[i * n + j] = s / L[j * n + j];
    }
  }
  return L;
}

/** Solves (L Lᵀ) x = b in place for the strided vector b[off + k·stride], k < n. */
function cholSolveInPlace(L: Float64Array, n: number, b: Float64Array, off: number, stride: number): void {
  for (let i = 0; i < n; i++) {
    let s = b[off + i * stride];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * b[off + k * stride];
    b[off + i * stride] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[off + i * stride];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * b[off + k * stride];
    b[off + i * stride] = s / L[i * n + i];
  }
}
